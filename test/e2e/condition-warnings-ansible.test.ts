/**
 * The warning of a condition written as a template, against Debian's ansible-playbook (two local
 * hosts): Ansible's Conditional shows it from the task's worker, so once per task and host (a
 * loop's items share it), for `when` (a block's too), `changed_when`, `failed_when`, `until` and
 * an include's `when`; assert's `that` is a module argument, templated before it is judged, and
 * warns of nothing.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars: { flag: true }
  tasks:
    - debug: { msg: one }
      when: "{{ inventory_hostname == 'a' }}"
    - debug: { msg: two }
      when: "{{ flag }}"
    - command: "true"
      loop: [1, 2]
      when: "{{ item }} == 1"
      changed_when: "{{ false }}"
      failed_when: "{% if flag %}False{% endif %}"
    - command: "true"
      register: r
      until: "{{ flag }} and r.rc == 0"
      changed_when: false
    - block:
        - debug: { msg: in block }
      when: flag and "{{ flag }}"
    - include_tasks: inc.yml
      when: "{{ flag }} and inventory_hostname == 'b'"
    - assert: { that: "{{ flag }}" }
    - debug: { msg: plain }
      when: flag
`

/** Each warning's text, its wrapped lines joined again. */
function warnings(stderr: string): string[] {
  return stderr
    .split('[WARNING]:')
    .slice(1)
    .map((w) => w.replace(/\s+/g, ' ').trim())
}

describe('conditions written as templates warn, as ansible-playbook', () => {
  const dir = localPlaybookDir('condition-warnings', {
    'site.yml': PLAYBOOK,
    'hosts.ini': 'a ansible_connection=local\nb ansible_connection=local\n',
    'inc.yml': '- debug: { msg: included }\n',
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('once per task and host, for every kind of condition', async () => {
    const both = await runBoth(dir, ['-i', 'hosts.ini', 'site.yml'])
    const theirs = warnings(both.theirs.stderr)
      .filter((w) => w.startsWith('conditional statements'))
      .sort()
    const mine = both.doc.warnings
      .map((w) => w.replace(/\s+/g, ' ').trim())
      .filter((w) => w.startsWith('conditional statements'))
      .sort()
    const found = (cond: string) => `conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: ${cond}`
    const expected = [
      ...["{{ inventory_hostname == 'a' }}", '{{ flag }}', '{{ item }} == 1', '{{ false }}', '{% if flag %}False{% endif %}', '{{ flag }} and r.rc == 0'],
      'flag and "{{ flag }}"',
      "{{ flag }} and inventory_hostname == 'b'",
    ].flatMap((c) => [found(c), found(c)])
    // failed_when's {% %} is judged only where the item runs; each host runs item 1
    assert.deepEqual(theirs, expected.sort())
    assert.deepEqual(mine, theirs)
    assert.deepEqual(
      both.doc.recap.map((r) => [r.host, r.ok, r.changed, r.skipped]),
      Object.entries(both.ansible.stats!).map(([h, s]) => [h, s.ok, s.changed, s.skipped]),
    )
  })
})
