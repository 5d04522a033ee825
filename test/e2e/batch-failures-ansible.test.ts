/**
 * When the playbook stops because its hosts failed, against Debian's ansible-playbook (local
 * "hosts"): a batch whose every host failed stops the later batches and plays (a rolling
 * `serial: 1` update stops at its first failed host); any_errors_fatal and max_fail_percentage
 * stop the later plays too; a play where some hosts fail goes on with the others. The same plays
 * run, the same recap, the same exit code from both tools.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const INVENTORY = `[web]
h1 ansible_connection=local
h2 ansible_connection=local
[db]
d1 ansible_connection=local
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
  'serial-first-fails.yml': playbook('  serial: 1'),
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

describe('the playbook stops when its hosts fail, where ansible-playbook stops (local)', () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('batch-failures', { 'hosts.ini': INVENTORY, ...CASES })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  for (const [file, expected] of Object.entries({
    'all-failed.yml': ['first'],
    'some-failed.yml': ['first', 'next'],
    'any-errors-fatal.yml': ['first'],
    'max-fail-percentage.yml': ['first'],
    'serial-first-fails.yml': ['first'],
    'rescued.yml': ['first', 'next'],
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
