/**
 * A polled `async` task's lines (ASYNC POLL / OK / FAILED) under `strategy: free`, against Debian's
 * ansible-playbook (local connection, three hosts). Its callback prints them as they come, with no
 * banner: so they come before the task's banner, which the first result of it after another task's
 * brings (engine/report/banners.ts); a loop's second item's none. Job ids differ between the tools,
 * and whether a read found a job that ends running is the machine's pace (shown).
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { BIN, capture, recapLine } from '../helpers/cli.js'
import { localPlaybookDir } from '../helpers/local-both.js'

const HOSTS = ['a', 'b', 'c']

// each host starts once the one before it has made its mark, so every line comes in one order but
// for the mark's own line against the next host's first (dropped: ordered)
const CHAINED = `- hosts: all
  gather_facts: false
  strategy: free
  vars:
    prev: { a: '', b: a, c: b }
  tasks:
    - name: wait
      shell: "{{ 'true' if prev[inventory_hostname] == '' else 'until [ -e ' ~ mark ~ '.' ~ prev[inventory_hostname] ~ ' ]; do sleep 0.1; done' }}"
      changed_when: false
    - name: not on b
      command: "true"
      when: inventory_hostname != 'b'
    - name: polled
      command: sleep 1
      async: 10
      poll: 1
    - name: past its time on b
      command: sleep 60
      async: 6
      poll: 3
      ignore_errors: true
      when: inventory_hostname == 'b'
    - name: polled loop on c
      command: "echo {{ item }}"
      loop: [1, 2]
      async: 10
      poll: 1
      when: inventory_hostname == 'c'
    - name: mark
      file: { path: "{{ mark }}.{{ inventory_hostname }}", state: touch }
`

// the hosts at once: a reaches the polled task first (it skips the one before), b's job outlives its async
const TOGETHER = `- hosts: all
  gather_facts: false
  strategy: free
  tasks:
    - { name: before, debug: { msg: x } }
    - { name: not on a, command: "true", when: inventory_hostname != 'a' }
    - name: polled
      command: "sleep {{ 60 if inventory_hostname == 'b' else 1 }}"
      async: "{{ 6 if inventory_hostname == 'b' else 10 }}"
      poll: 3
      ignore_errors: true
    - { name: after, debug: { msg: y } }
`

const pollsOnce = (ls: string[]) => ls.filter((l, i) => !l.startsWith('ASYNC POLL') || l !== ls[i - 1])

/**
 * The banners (without their stars), result lines (up to their JSON) and ASYNC lines, job ids as J.
 * Whether a poll found a job that ends still running is the machine's pace (a loaded one reads late):
 * POLL lines are kept for jobs that outlive their `async` alone (`sleep 60`: Ansible's first read
 * finds it running unless it comes 7 s late, past async_wrapper's kill), repeats once.
 */
function shown(out: string): string[] {
  const kept = out
    .split('\n')
    .filter((l) => /^(PLAY \[|TASK \[|ASYNC |ok: |changed: |fatal: |skipping: |\.\.\.ignoring)/.test(l))
    .map((l) =>
      l
        .replace(/ => \{.*$/, '')
        .replace(/ \*+$/, '')
        .trimEnd(),
    )
  const timedOut = new Set(kept.flatMap((l) => /^ASYNC FAILED on .*: (jid=\S+)/.exec(l)?.[1] ?? []))
  return pollsOnce(kept.filter((l) => !l.startsWith('ASYNC POLL') || timedOut.has(/jid=\S+/.exec(l)![0])).map((l) => l.replace(/jid=\S+/, 'jid=J')))
}

/** One host's lines in their order (deterministic where the hosts' interleaving is not). */
const hostLines = (lines: string[], host: string) => pollsOnce(lines.filter((l) => l.includes(`[${host}]`) || l.includes(` on ${host}:`)))

describe('async poll lines under the free strategy, as ansible-playbook', () => {
  let dir: string
  before(() => {
    const inventory = HOSTS.map((h) => `${h} ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n`).join('')
    dir = localPlaybookDir('async-free', { 'three.ini': inventory, 'chained.yml': CHAINED, 'together.yml': TOGETHER })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  // each tool with its own marks
  const bothRun = (playbook: string) => {
    const run = (tool: string[], mark: string) =>
      capture([...tool, playbook, '-i', 'three.ini', '-e', `mark=${join(dir, mark)}`], {
        cwd: dir,
        env: { ANSIBLE_NOCOLOR: '1', ANSIBLE_CONFIG: join(dir, 'ansible.cfg') },
      })
    return Promise.all([run([process.execPath, BIN, 'run'], 'ours'), run(['ansible-playbook'], 'theirs')])
  }

  it("hosts one after another: a job's lines before its task's banner, the same lines in the same order", async () => {
    const [ours, theirs] = await bothRun('chained.yml')
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    // the mark's line races the next host's wait line, in both tools: dropped with its banner
    const ordered = (out: string) => {
      const all = shown(out)
      return all.filter((l, i) => !l.startsWith('TASK [mark]') && !all[i - 1]?.startsWith('TASK [mark]'))
    }
    assert.deepEqual(ordered(ours.stdout), ordered(theirs.stdout))
    for (const h of HOSTS) assert.equal(recapLine(ours.stdout, h), recapLine(theirs.stdout, h))
    // what the comparison rests on, in Ansible's own lines
    const t = ordered(theirs.stdout)
    const at = (line: string) => t.indexOf(line)
    assert.deepEqual(
      t.slice(at('ASYNC OK on b: jid=J') - 1, at('ASYNC OK on b: jid=J') + 3),
      ['skipping: [b]', 'ASYNC OK on b: jid=J', 'TASK [polled]', 'changed: [b]'],
      theirs.stdout,
    )
    const past = at('ASYNC FAILED on b: jid=J')
    assert.deepEqual(
      t.slice(past - 2, past + 3),
      ['changed: [b]', 'ASYNC POLL on b: jid=J started=1 finished=0', 'ASYNC FAILED on b: jid=J', 'TASK [past its time on b]', 'fatal: [b]: FAILED!'],
      theirs.stdout,
    )
    const loop = t.lastIndexOf('TASK [polled loop on c]')
    assert.deepEqual(
      t.slice(loop - 1, loop + 4),
      ['ASYNC OK on c: jid=J', 'TASK [polled loop on c]', 'changed: [c] => (item=1)', 'ASYNC OK on c: jid=J', 'changed: [c] => (item=2)'],
      theirs.stdout,
    )
  })

  it("hosts at once: each host's lines in the same order, the same lines and banners", async () => {
    const [ours, theirs] = await bothRun('together.yml')
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    // which host's lines come first is as they finish, in both: each host's alone, and the whole as sets
    const [o, t] = [shown(ours.stdout), shown(theirs.stdout)]
    for (const h of HOSTS) assert.deepEqual(hostLines(o, h), hostLines(t, h), h)
    const set = (ls: string[]) => [...new Set(ls)].sort()
    assert.deepEqual(set(o), set(t))
    assert.deepEqual(
      hostLines(t, 'b').slice(2),
      ['ASYNC POLL on b: jid=J started=1 finished=0', 'ASYNC FAILED on b: jid=J', 'fatal: [b]: FAILED!', 'ok: [b]'],
      theirs.stdout,
    )
    for (const h of HOSTS) assert.equal(recapLine(ours.stdout, h), recapLine(theirs.stdout, h))
  })
})
