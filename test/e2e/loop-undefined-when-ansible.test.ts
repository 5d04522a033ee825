/**
 * A loop over an undefined variable under a `when`, against Debian's ansible-playbook (local
 * connection): Ansible's TaskExecutor keeps the loop's undefined-variable error until the condition
 * is known, so a false `when` (the task's or its block's) skips the task, as a RedHat-only loop over
 * RedHat-only variables does on Debian (konstruktoid's hardening role); a true one, or a `when`
 * that needs the item, fails with the loop's error.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    family: Debian
  tasks:
    - name: RedHat keys
      when: family == "RedHat"
      block:
        - name: block when false
          debug: msg={{ item }}
          with_items:
            - "{{ redhat_signing_keys }}"
    - name: task when false
      debug: msg={{ item }}
      loop: "{{ nowhere }}"
      when: family == "RedHat"
    - name: task when true
      debug: msg={{ item }}
      loop: "{{ nowhere }}"
      when: family == "Debian"
      ignore_errors: true
    - name: when on the item
      debug: msg={{ item }}
      loop: "{{ nowhere }}"
      when: item != 'x'
      ignore_errors: true
`

const UNDEFINED = /'nowhere' is undefined/

describe('a loop over an undefined variable waits for when, as in ansible-playbook (local connection)', () => {
  let dir: string
  before(() => (dir = localPlaybookDir('loop-undefined-when', { 'site.yml': PLAYBOOK })))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('a false when skips the task; a true one, or one on the item, fails with the undefined variable', async () => {
    const { ours, theirs, doc, ansible } = await runBoth(dir, [join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, theirs.code, ours.stdout + ours.stderr)
    const their = ansible.plays[0]!.tasks.map((t) => {
      const h = t.hosts.localhost as { skipped?: boolean; failed?: boolean; msg?: unknown }
      return [t.task.name, h.skipped ? 'skipped' : h.failed ? 'failed' : 'ok', UNDEFINED.test(String(h.msg ?? ''))]
    })
    const mine = doc.results.map((r) => [r.task.name, r.status, UNDEFINED.test(r.msg ?? '')])
    assert.deepEqual(mine, their)
    assert.deepEqual(mine, [
      ['block when false', 'skipped', false],
      ['task when false', 'skipped', false],
      ['task when true', 'failed', true],
      ['when on the item', 'failed', true],
    ])
  })
})
