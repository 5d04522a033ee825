/**
 * The `connection` keyword on a task, a block and a role entry (a template too), against Debian's
 * ansible-playbook: a host that ssh cannot reach (127.0.0.1, port 1) runs those tasks on the
 * controller, and only the task left to ssh is unreachable; in a play with `connection: local`, a
 * task's `connection: ssh` goes to the host. And `ignore_unreachable` (task, block, template): the
 * host goes on, its result registered as Ansible's. The same values, recap and exit code from both tools.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const INVENTORY = `far ansible_host=127.0.0.1 ansible_port=1
far2 ansible_host=127.0.0.1 ansible_port=1
`

const SITE = `- hosts: far
  gather_facts: false
  roles:
    - { role: here, connection: local }
  tasks:
    - name: here by the task's keyword
      command: echo task
      connection: local
      register: t
      changed_when: false
    - block:
        - name: here by the block's
          command: echo block
          register: b
          changed_when: false
      connection: "{{ 'local' }}"
    - name: seen
      debug: { msg: "{{ [r.stdout, t.stdout, b.stdout] }}" }
    - name: over ssh
      command: echo far
`

// a separate playbook: a play whose every host is unreachable stops the playbook
const LOCAL_PLAY = `- hosts: far2
  gather_facts: false
  connection: local
  tasks:
    - name: here by the play's keyword
      command: echo play
      changed_when: false
    - name: over ssh by the task's
      command: echo far
      connection: ssh
`

const IGNORE_UNREACHABLE = `- hosts: far
  gather_facts: false
  tasks:
    - command: echo far
      ignore_unreachable: true
      register: r
    - block:
        - command: echo far
      ignore_unreachable: "{{ 'yes' }}"
    - name: seen
      debug: { msg: "{{ [r.unreachable, r is unreachable, r.changed, r.failed | default('none')] }}" }
    - command: echo far
    - name: never
      debug: { msg: gone }
`

describe('the connection keyword on tasks, blocks and role entries, and ignore_unreachable, as ansible-playbook', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('connection-kw', {
      'hosts.ini': INVENTORY,
      'site.yml': SITE,
      'local-play.yml': LOCAL_PLAY,
      'ignore-unreachable.yml': IGNORE_UNREACHABLE,
      'roles/here/tasks/main.yml': '- command: echo role\n  register: r\n  changed_when: false\n',
    })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('local where a keyword says so, ssh (unreachable here) elsewhere', async () => {
    for (const [playbook, host, ok] of [
      ['site.yml', 'far', 4],
      ['local-play.yml', 'far2', 1],
    ] as const) {
      const { ours, theirs, doc, ansible } = await runBoth(dir, [playbook, '-i', 'hosts.ini'])
      assert.equal(theirs.code, 4, theirs.stdout + theirs.stderr)
      assert.equal(ours.code, theirs.code, ours.stdout + ours.stderr)
      const stats = (JSON.parse(theirs.stdout) as { stats: Record<string, { ok: number; unreachable: number }> }).stats
      const mine = doc.recap.find((r) => r.host === host)!
      assert.deepEqual([mine.ok, mine.unreachable], [stats[host]!.ok, stats[host]!.unreachable], host)
      assert.deepEqual([stats[host]!.ok, stats[host]!.unreachable], [ok, 1])
      if (host !== 'far') continue
      const theirSeen = ansible.plays[0]!.tasks.find((t) => t.task.name === 'seen')!.hosts.far!.msg
      assert.deepEqual(theirSeen, ['role', 'task', 'block'])
      assert.deepEqual(doc.results.find((r) => r.task.name === 'seen')?.output, theirSeen)
    }
  })

  it('ignore_unreachable: the host goes on, counted ok and ignored, until a task that does not ignore it', async () => {
    const { ours, theirs, doc, ansible } = await runBoth(dir, ['ignore-unreachable.yml', '-i', 'hosts.ini'])
    assert.equal(theirs.code, 4, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, theirs.code, ours.stdout + ours.stderr)
    const theirSeen = ansible.plays[0]!.tasks.find((t) => t.task.name === 'seen')!.hosts.far!.msg
    assert.deepEqual(theirSeen, [true, true, false, 'none'])
    assert.deepEqual(doc.results.find((r) => r.task.name === 'seen')?.output, theirSeen)
    const stats = (JSON.parse(theirs.stdout) as { stats: Record<string, Record<string, number>> }).stats.far!
    const mine = doc.recap.find((r) => r.host === 'far')!
    assert.deepEqual([mine.ok, mine.ignored, mine.unreachable], [stats.ok, stats.ignored, stats.unreachable])
    assert.deepEqual([stats.ok, stats.ignored, stats.unreachable], [3, 2, 1])
    assert.equal(
      doc.results.some((r) => r.task.name === 'never'),
      false,
    )
  })
})
