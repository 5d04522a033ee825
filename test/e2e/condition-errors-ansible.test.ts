/**
 * A changed_when or failed_when that cannot be judged, against Debian's ansible-playbook (one local
 * host): the task fails but keeps its module's result, the reason under changed_when_result or
 * failed_when_result, and a command's `changed` still counts in the recap (Ansible's TaskExecutor).
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  tasks:
    - name: changed_when
      command: echo hi
      register: q
      changed_when: nosuch == 1
      ignore_errors: true
    - name: failed_when
      command: echo hi
      failed_when: nosuch == 1
      ignore_errors: true
    - name: seen registered
      debug: { msg: "{{ q.stdout }} {{ q.changed_when_result is defined }}" }
`

describe('a changed_when or failed_when that cannot be judged, as ansible-playbook', () => {
  const dir = localPlaybookDir('condition-errors', { 'site.yml': PLAYBOOK })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('fails the task, which keeps its result', async () => {
    const both = await runBoth(dir, ['-i', 'hosts.ini', 'site.yml'])
    const theirs = both.ansible.plays[0]!.tasks.map((t) => {
      const r = t.hosts.localhost as Record<string, unknown>
      return [t.task.name, r.failed === true, r.stdout, typeof r.changed_when_result, typeof r.failed_when_result]
    })
    const mine = both.doc.results.map((r) => {
      const kept = (r.result ?? {}) as Record<string, unknown>
      return [r.task.name, r.status === 'failed', kept.stdout, typeof kept.changed_when_result, typeof kept.failed_when_result]
    })
    assert.deepEqual(mine.slice(0, 2), theirs.slice(0, 2))
    assert.deepEqual(
      theirs.slice(0, 2).map((t) => t.slice(1)),
      [
        [true, 'hi', 'string', 'undefined'],
        [true, 'hi', 'undefined', 'string'],
      ],
    )
    assert.equal(both.doc.results[2]!.output, both.ansible.plays[0]!.tasks[2]!.hosts.localhost!.msg)
    assert.equal(both.doc.results[2]!.output, 'hi True')
    assert.deepEqual(
      both.doc.recap.map((r) => [r.ok, r.changed, r.failed, r.ignored]),
      Object.values(both.ansible.stats!).map((s) => [s.ok, s.changed, s.failures, s.ignored]),
    )
  })
})
