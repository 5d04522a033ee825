/**
 * A `loop` that is not a list, against Debian's ansible-playbook (local connection): Ansible loads
 * the playbook and fails the task on each host when it runs ("Invalid data passed to 'loop'"), even
 * under a false `when` (the items come before the condition), and never for a task that does not
 * run (tags); `loop:` with no value is no loop.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: no value, no loop
      debug: msg="x{{ item | default('none') }}"
      loop:
    - name: a string
      debug: msg={{ item }}
      loop: abc
      when: false
      ignore_errors: true
    - name: a mapping
      debug: msg={{ item }}
      loop: {a: 1}
      ignore_errors: true
    - name: a number
      debug: msg={{ item }}
      loop: 3
    - name: never reached
      debug: msg=after
    - name: never run
      debug: msg={{ item }}
      loop: 4
      tags: never
`

const INVALID = /Invalid data passed to 'loop', it requires a list, got this instead: (.*)\. Hint: /

describe("a loop that is not a list fails its task at run time, as ansible-playbook's does (local connection)", () => {
  let dir: string
  before(() => (dir = localPlaybookDir('loop-values', { 'site.yml': PLAYBOOK })))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('loads; each such task fails with what it got; the play stops at the first not ignored', async () => {
    const { ours, theirs, doc, ansible } = await runBoth(dir, [join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')])
    assert.equal(theirs.code, 2, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, theirs.code, ours.stdout + ours.stderr)
    const their = ansible.plays[0]!.tasks.map((t) => [t.task.name, t.hosts.localhost?.failed === true, INVALID.exec(String(t.hosts.localhost?.msg))?.[1]])
    const mine = doc.results.map((r) => [r.task.name, r.status === 'failed', INVALID.exec(r.msg ?? '')?.[1]])
    assert.deepEqual(mine, their)
    assert.deepEqual(
      mine.map(([name, , got]) => [name, got]),
      [
        ['no value, no loop', undefined],
        ['a string', 'abc'],
        ['a mapping', "{'a': 1}"],
        ['a number', '3'],
      ],
    )
  })
})
