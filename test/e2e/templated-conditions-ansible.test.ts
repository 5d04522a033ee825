/**
 * Conditions written as templates against Debian's ansible-playbook (one local host): Ansible's
 * Conditional renders the template, then evaluates a non-empty string it gives as an expression, so
 * `when: "{{ flag }}"` with `-e flag=false` skips and `"{{ v }}"` rendering `yes` fails.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { localPlaybookDir, runBoth, sameOutputs } from '../helpers/local-both.js'

const ran = (name: string, when: string) => `    - name: seen ${name}
      debug: { msg: ran }
      when: ${JSON.stringify(when)}
`

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  vars: { a: 5, t: true, empty: [], text: "True" }
  tasks:
${ran('templated false', '{{ flag }}')}${ran('bare', 'flag')}${ran('mixed false', '{{ a }} == 1')}${ran('mixed true', '{{ a }} == 5')}${ran('bool', '{{ t }}')}${ran('empty list', '{{ empty }}')}${ran('text True', '{{ text }}')}${ran('and', '{{ t }} and a > 3')}    - command: "true"
      register: r
      changed_when: "{{ flag }}"
    - name: seen changed_when
      debug: { msg: "{{ r.changed }}" }
    - assert: { that: "{{ a }} == 5" }
    - name: undefined after rendering
      debug: { msg: ran }
      when: "{{ flag2 }}"
      ignore_errors: true
`

describe('conditions written as templates, as ansible-playbook', () => {
  const dir = localPlaybookDir('templated-conditions', { 'site.yml': PLAYBOOK })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('are rendered, then what they render evaluated', async () => {
    const both = await runBoth(dir, ['-i', 'hosts.ini', 'site.yml', '-e', 'flag=false', '-e', 'flag2=yes'])
    // a skipped debug has no msg in either tool
    assert.deepEqual(sameOutputs(both), {
      'seen templated false': undefined,
      'seen bare': 'ran',
      'seen mixed false': undefined,
      'seen mixed true': 'ran',
      'seen bool': 'ran',
      'seen empty list': undefined,
      'seen text True': 'ran',
      'seen and': 'ran',
      'seen changed_when': false,
    })
    const theirs = both.ansible.plays[0]!.tasks.find((t) => t.task.name === 'undefined after rendering')!.hosts.localhost!
    const mine = both.doc.results.find((r) => r.task.name === 'undefined after rendering')!
    assert.equal(theirs.failed, true)
    assert.match(String(theirs.msg), /'yes' is undefined/)
    assert.equal(mine.status, 'failed')
    assert.match(String(mine.msg), /'yes' is undefined/)
    assert.deepEqual(
      both.doc.recap.map((r) => [r.ok, r.changed, r.skipped, r.ignored]),
      Object.values(both.ansible.stats!).map((s) => [s.ok, s.changed, s.skipped, s.ignored]),
    )
  })
})
