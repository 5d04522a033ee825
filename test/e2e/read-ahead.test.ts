/**
 * Read-ahead on real hosts: a converged run reads the facts of many tasks in one round trip, and
 * an answer read before a change is never used after it (the task after a change reads again).
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { JsonDocument } from '../../engine/report/json.js'
import { acplay } from '../helpers/cli.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { testDir } from '../helpers/temp-dir.js'

const dirs = [1, 2, 3, 4].map((n) => `    - file: {path: /srv/ra/d${n}, state: directory, mode: "0755"}\n`).join('')
const PLAY = `- hosts: all
  tasks:
    - file: {path: /srv/ra, state: directory, mode: "0755"}
${dirs}    - name: x has v2
      lineinfile: {path: /srv/ra/x, regexp: "^v", line: v2, create: true, mode: "0644"}
    - name: x has the extra line
      lineinfile: {path: /srv/ra/x, line: extra}
    - systemd: {name: postgresql, state: started}
    - copy: {dest: /srv/ra/y, content: "y\\n"}
`
const TASKS = 9

// a loop's items are read ahead with the tasks around them (each item asks its own question)
const LOOP_PLAY = `- hosts: all
  vars: {names: [l1, l2, l3]}
  tasks:
    - file: {path: /srv/rl, state: directory, mode: "0755"}
    - copy: {dest: /srv/rl/z, content: "z\\n"}
    - name: loop dirs
      file: {path: "/srv/rl/{{ item }}", state: directory, mode: "0750"}
      loop: "{{ names }}"
    - name: loop files
      copy: {dest: "/srv/rl/{{ d }}/f", content: "{{ d }}\\n"}
      loop: [l1, l2, l3]
      loop_control: {loop_var: d}
`

type Doc = JsonDocument & { connections: { host: string; execs: number }[] }

describe('read-ahead on real hosts', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['r1', 'r2'])
  const dir = testDir('read-ahead')
  const playbook = join(dir, 'play.yml')
  writeFileSync(playbook, PLAY)
  const loopPlaybook = join(dir, 'loop.yml')
  writeFileSync(loopPlaybook, LOOP_PLAY)
  const run = async (...extra: string[]): Promise<Doc> => runOf(playbook, ...extra)
  const runOf = async (file: string, ...extra: string[]): Promise<Doc> => {
    const r = await acplay(['run', file, '-i', bed().inventory(), '--json', ...extra])
    assert.ok(r.code === 0, r.stdout + r.stderr)
    return JSON.parse(r.stdout) as Doc
  }
  const changed = (d: Doc, host: string) => d.results.filter((r) => r.host === host && r.status === 'changed').map((r) => r.task.name)

  it('a converged run asks the hosts far fewer times than it has tasks, and finds nothing to do', async () => {
    const first = await run()
    assert.equal(changed(first, 'r1').length, TASKS - 1, 'all but postgresql (running already)')
    const again = await run()
    assert.deepEqual(
      again.recap.map((r) => [r.host, r.ok, r.changed]),
      // + Gathering Facts (its round trip is shared with the first tasks' reads)
      [
        ['r1', TASKS + 1, 0],
        ['r2', TASKS + 1, 0],
      ],
    )
    for (const c of again.connections) assert.ok(c.execs <= 5, `${c.host}: ${c.execs} round trips for ${TASKS} tasks`)
    // every ok still says why, from the facts read ahead
    for (const r of again.results) assert.ok(r.reason, `${r.host} ${r.task.name}: no reason`)
  })

  it('after a change, the next task reads the host again instead of using an answer read before it', async () => {
    await bed().exec('r1', 'printf "v1\\n" > /srv/ra/x')
    const check = await run('--check')
    assert.deepEqual(changed(check, 'r1'), ['x has v2', 'x has the extra line'])
    assert.deepEqual(changed(check, 'r2'), [])
    const real = await run()
    assert.deepEqual(changed(real, 'r1'), ['x has v2', 'x has the extra line'])
    assert.deepEqual(changed(real, 'r2'), [])
    assert.equal((await bed().exec('r1', 'cat /srv/ra/x')).stdout, 'v2\nextra\n')
    const after = await run()
    assert.deepEqual(
      after.recap.map((r) => r.changed),
      [0, 0],
    )
  })

  it("a loop's items are read ahead too, and an item's change makes the next items read again", async () => {
    await runOf(loopPlaybook)
    const again = await runOf(loopPlaybook)
    assert.deepEqual(
      again.recap.map((r) => r.changed),
      [0, 0],
    )
    // facts, 2 tasks, then 6 loop items read in one round trip; each item was a round trip before (8 in all)
    for (const c of again.connections) assert.ok(c.execs <= 3, `${c.host}: ${c.execs} round trips for 4 tasks with 6 items`)
    for (const r of again.results.filter((x) => x.items === undefined)) assert.ok(r.reason, `${r.host} ${r.task.name}: no reason`)
    await bed().exec('r1', 'rm -r /srv/rl/l1 /srv/rl/l3/f && chmod 0700 /srv/rl/l2')
    const real = await runOf(loopPlaybook)
    // per task: how many of its items changed (a change of l1 must not hide l2's, nor l3's)
    const changedTasks = (host: string) => real.results.filter((r) => r.host === host && r.status === 'changed').map((r) => [r.task.name, r.changes.length])
    assert.deepEqual(changedTasks('r1'), [
      ['loop dirs', 2],
      ['loop files', 2],
    ])
    assert.deepEqual(changedTasks('r2'), [])
    assert.equal((await bed().exec('r1', 'stat -c %a /srv/rl/l1 /srv/rl/l2 && cat /srv/rl/l1/f /srv/rl/l3/f')).stdout, '750\n750\nl1\nl3\n')
  })
})
