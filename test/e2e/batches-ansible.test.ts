/**
 * A play's batches against Debian's ansible-playbook (local "hosts"): `serial` as a list of sizes
 * and percentages (templates too); `order` (which hosts go first, into which serial batch, which
 * one runs a run_once task, what the play's host variables list); and when the playbook stops
 * because its hosts failed: a batch whose every host failed stops the later batches and plays (a
 * rolling `serial: 1` update stops at its first failed host); any_errors_fatal, a failed run_once
 * task (Ansible makes run_once imply any_errors_fatal) and max_fail_percentage stop the later plays
 * too, under Ansible's NO MORE HOSTS LEFT banner (a failure a block rescues trips neither); a play
 * where some hosts fail goes on with the others. The same plays run, the same recap, the same exit
 * code from both tools.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const INVENTORY = `[web]
h1 ansible_connection=local
h2 ansible_connection=local
[db]
d1 ansible_connection=local
[other]
d2 ansible_connection=local
`

const NEXT_PLAY = `- name: next
  hosts: db
  gather_facts: false
  tasks:
    - debug: { msg: next play }
`

/** The first play: `keywords` on it, its task failing on h1 (or on every host: `fails`). */
const playbook = (keywords: string, fails = "inventory_hostname == 'h1'") => `- name: first
  hosts: web
  gather_facts: false
${keywords}
  tasks:
    - fail: { msg: boom }
      when: ${fails}
    - debug: { msg: after }
${NEXT_PLAY}`

const CASES: Record<string, string> = {
  'all-failed.yml': playbook('', 'true'),
  'some-failed.yml': playbook(''),
  'any-errors-fatal.yml': playbook('  any_errors_fatal: true'),
  'max-fail-percentage.yml': playbook('  max_fail_percentage: 10'),
  // the run_once task fails on h1 alone; h2 never runs it, yet the play stops for both
  'run-once-fails.yml': `- name: first
  hosts: web
  gather_facts: false
  tasks:
    - debug: { msg: before }
    - assert: { that: "inventory_hostname != 'h1'" }
      run_once: true
    - debug: { msg: after }
${NEXT_PLAY}`,
  'serial-first-fails.yml': playbook('  serial: 1'),
  'order.yml': ['inventory', 'reverse_inventory', 'sorted', 'reverse_sorted']
    .map(
      (order) => `- name: ${order}
  hosts: all
  gather_facts: false
  order: ${order}
  serial: 2
  tasks:
    - name: seen
      debug: { msg: "${order} {{ inventory_hostname }} {{ ansible_play_batch }} {{ ansible_play_hosts_all }}" }
- name: ${order} once
  hosts: all
  gather_facts: false
  order: ${order}
  tasks:
    - name: seen
      debug: { msg: "${order} once {{ inventory_hostname }} {{ ansible_play_batch }} {{ play_hosts }}" }
      run_once: true
`,
    )
    .join(''),
  'serial.yml': ['[1, 2, "50%"]', '"{{ sizes }}"', '["{{ first }}", "60%"]', '[2]']
    .map(
      (serial) => `- hosts: all
  gather_facts: false
  serial: ${serial}
  vars: { sizes: [1, 3], first: 1 }
  tasks:
    - name: batch
      debug: { msg: "{{ ansible_play_batch }}" }
      run_once: true
`,
    )
    .join(''),
  'rescued-fatal.yml': `- name: first
  hosts: web
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - block:
        - fail: { msg: boom }
          when: inventory_hostname == 'h1'
      rescue:
        - debug: { msg: rescued }
    - debug: { msg: goes on }
${NEXT_PLAY}`,
  'rescued.yml': `- name: first
  hosts: web
  gather_facts: false
  tasks:
    - block:
        - fail: { msg: boom }
      rescue:
        - debug: { msg: rescued }
${NEXT_PLAY}`,
}

interface AnsibleRun {
  plays: { play: { name: string } }[]
  stats: Record<string, { ok: number; failures: number; skipped: number; rescued: number }>
}

describe("a play's batches: order, and where the playbook stops when hosts fail, as ansible-playbook (local)", () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('batches', { 'hosts.ini': INVENTORY, ...CASES })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('serial as a list: the sizes in turn, the last repeated; percentages of the play; templates rendered', async () => {
    const { ours, theirs, doc } = await runBoth(dir, ['serial.yml', '-i', 'hosts.ini'])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    const ansible = JSON.parse(theirs.stdout) as { plays: { tasks: { hosts: Record<string, { msg: string[] }> }[] }[] }
    const their = ansible.plays.flatMap((p) => p.tasks.flatMap((t) => Object.values(t.hosts).map((h) => h.msg)))
    assert.deepEqual(
      doc.results.filter((r) => r.task.name === 'batch').map((r) => r.output),
      their,
    )
    assert.deepEqual(their.slice(0, 3), [['h1'], ['h2', 'd1'], ['d2']])
  })

  it("the default output heads each serial batch with the play's header again, as ansible-playbook's", async () => {
    const args = ['order.yml', '-i', 'hosts.ini']
    const env = { ANSIBLE_CONFIG: `${dir}/ansible.cfg`, ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    const [ours, theirs] = await Promise.all([acplay(['run', ...args], { cwd: dir, env }), capture(['ansible-playbook', ...args], { cwd: dir, env })])
    const headers = (out: string) => out.split('\n').filter((l) => l.startsWith('PLAY ['))
    assert.deepEqual(headers(ours.stdout), headers(theirs.stdout))
    // four serial plays of two batches each, four plays of one
    assert.equal(headers(theirs.stdout).length, 12, theirs.stdout)
  })

  it('order: the hosts in that order, batched and run_once by it; the play hosts as Ansible lists them', async () => {
    const { ours, theirs, doc } = await runBoth(dir, ['order.yml', '-i', 'hosts.ini'])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    const ansible = JSON.parse(theirs.stdout) as { plays: { tasks: { hosts: Record<string, { msg: string }> }[] }[] }
    // per play, in the order the hosts ran (a serial play is one entry per batch in Ansible's json callback)
    const their = ansible.plays.flatMap((p) => p.tasks.flatMap((t) => Object.values(t.hosts).map((h) => h.msg)))
    const mine = doc.results.filter((r) => r.task.name === 'seen').map((r) => r.output)
    assert.deepEqual(new Set(mine), new Set(their))
    assert.ok(their.includes("reverse_sorted once h2 ['h2', 'h1', 'd2', 'd1'] ['h2', 'h1', 'd2', 'd1']"), their.join('\n'))
    assert.ok(their.includes("sorted d1 ['d1', 'd2'] ['h1', 'h2', 'd1', 'd2']"), their.join('\n'))
  })

  it('a play broken by any_errors_fatal, a failed run_once or max_fail_percentage is told by NO MORE HOSTS LEFT, as ansible-playbook tells it', async () => {
    const env = { ANSIBLE_CONFIG: `${dir}/ansible.cfg`, ANSIBLE_NOCOLOR: '1', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    const headings = (out: string) => out.split('\n').filter((l) => /^(PLAY|TASK|NO MORE HOSTS LEFT)\b/.test(l))
    for (const file of ['any-errors-fatal.yml', 'run-once-fails.yml', 'max-fail-percentage.yml', 'some-failed.yml']) {
      const args = [file, '-i', 'hosts.ini']
      const [ours, theirs] = await Promise.all([acplay(['run', ...args], { cwd: dir, env }), capture(['ansible-playbook', ...args], { cwd: dir, env })])
      assert.deepEqual(headings(ours.stdout), headings(theirs.stdout), `${file}\n${ours.stdout}\n${theirs.stdout}`)
    }
  })

  for (const [file, expected] of Object.entries({
    'all-failed.yml': ['first'],
    'some-failed.yml': ['first', 'next'],
    'any-errors-fatal.yml': ['first'],
    'max-fail-percentage.yml': ['first'],
    'run-once-fails.yml': ['first'],
    'serial-first-fails.yml': ['first'],
    'rescued.yml': ['first', 'next'],
    'rescued-fatal.yml': ['first', 'next'],
  }))
    it(`${file}: plays run ${expected.join(', ')}`, async () => {
      const { ours, theirs, doc } = await runBoth(dir, [file, '-i', 'hosts.ini'])
      const ansible = JSON.parse(theirs.stdout) as AnsibleRun
      assert.equal(ours.code, theirs.code, `${ours.stdout}\n${theirs.stdout}`)
      assert.deepEqual(
        ansible.plays.map((p) => p.play.name),
        expected,
      )
      // a serial play is one entry per batch in Ansible's json callback, one in acplay's
      assert.deepEqual([...new Set(doc.plays.map((p) => p.name))], [...new Set(expected)])
      const mine = Object.fromEntries(doc.recap.map((r) => [r.host, [r.ok, r.failed, r.skipped, r.rescued]]))
      const their = Object.fromEntries(Object.entries(ansible.stats).map(([h, s]) => [h, [s.ok, s.failures, s.skipped, s.rescued]]))
      assert.deepEqual(mine, their)
    })
})
