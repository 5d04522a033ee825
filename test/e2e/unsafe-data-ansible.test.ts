/**
 * Unsafe data as Debian's ansible-playbook 2.14 treats it (one local host): what a host answered (a
 * registered result, set_fact values rendered from it, loop items over it), what a lookup read, and
 * `!unsafe` values are never templated again, so a host printing `{{ lookup('pipe', ...) }}` runs
 * nothing on the controller; a condition written as a template that read any of it is refused
 * ("Conditional is marked as unsafe"), a bare one is not; assert's `that` rendered from it is refused.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { localPlaybookDir, runBoth, sameOutputs } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  vars_files: [vars.yml]
  vars:
    plain: !unsafe "{{ never }}"
    nested:
      - !unsafe "{% raw %}{{ x }}"
      - "{{ 1 + 1 }}"
    mapping: { a: !unsafe "{{ a }}", b: "{{ 'b' }}" }
    deep: { outer: { inner: !unsafe "x" }, other: 1 }
  tasks:
    - command: printf '%s' "{{ '{{' }} lookup('pipe', 'echo INJECTED') }}"
      register: r
      changed_when: false
    - name: seen registered stdout
      debug: { msg: "{{ r.stdout }}" }
    - set_fact: { s: "{{ r.stdout }}", n: "{{ r.rc + 1 }}", d: { inner: "{{ r.stdout }}" }, lit: "{{ '{{' }} plain }}" }
    - name: seen set_fact from it
      debug: { msg: "{{ s }}" }
    - name: seen set_fact mapping
      debug: { msg: "{{ d }}" }
    - name: seen set_fact literal
      debug: { msg: "{{ lit }}" }
    - name: loop item
      debug: { msg: "{{ item }}" }
      loop: "{{ r.stdout_lines }}"
      register: looped
    - name: seen loop item
      debug: { msg: "{{ looped.results[0].msg }}" }
    - name: seen unsafe var
      debug: { msg: "{{ plain }}" }
    - name: seen unsafe in list
      debug: { msg: "{{ nested }}" }
    - name: seen unsafe in mapping
      debug: { msg: "{{ mapping }}" }
    - include_vars: inc.yml
    - name: seen unsafe from the inventory and include_vars
      debug: { msg: "{{ gx }} {{ hx }} {{ ix }}" }
    - name: seen unsafe from vars_files
      debug: { msg: "{{ from_file }}" }
    - name: templated condition on a registered result
      debug: { msg: ran }
      when: "{{ r.rc }} == 0"
      ignore_errors: true
    - name: templated condition on set_fact from it
      debug: { msg: ran }
      when: "'{{ s }}' != ''"
      ignore_errors: true
    - name: templated condition on an int set from it
      debug: { msg: ran }
      when: "{{ n }} == 1"
      ignore_errors: true
    - name: templated condition on a lookup
      debug: { msg: ran }
      when: "'{{ lookup('env', 'HOME') }}' != ''"
      ignore_errors: true
    - name: templated condition giving a boolean
      debug: { msg: ran }
      when: "{{ r.rc == 0 }}"
    - name: bare condition
      debug: { msg: ran }
      when: r.rc == 0 and s != ''
    - name: templated condition on hostvars
      debug: { msg: ran }
      when: "'{{ hostvars['localhost'].inventory_hostname }}' == 'localhost'"
    - name: templated condition on hostvars registered
      debug: { msg: ran }
      when: "'{{ hostvars['localhost'].r.stdout }}' != ''"
      ignore_errors: true
    - name: templated condition on an unsafe var
      debug: { msg: ran }
      when: "'{{ plain }}' != ''"
      ignore_errors: true
    - name: templated condition on a safe entry beside an unsafe one
      debug: { msg: ran }
      when: "'{{ mapping.b }}' == 'b'"
      ignore_errors: true
    - name: templated condition on a mapping holding unsafe data deeper
      debug: { msg: ran }
      when: "{{ deep.other }} == 1"
      ignore_errors: true
    - name: templated loop condition
      debug: { msg: ran }
      loop: [a]
      when: "'{{ item }}' == 'a'"
      ignore_errors: true
    - name: templated with_items condition
      debug: { msg: ran }
      with_items: [a]
      when: "'{{ item }}' == 'a'"
      ignore_errors: true
    - name: templated changed_when on its own result
      command: "true"
      register: q
      changed_when: "{{ q.rc }} == 0"
      ignore_errors: true
    - name: assert on a registered result
      assert: { that: "{{ r.rc }} == 0" }
      ignore_errors: true
    - name: assert bare
      assert: { that: "r.rc == 0" }
`

const VARS = `from_file: !unsafe "{{ in_file }}"
`

const ROLES = `- hosts: localhost
  gather_facts: false
  roles:
    - role: r
      vars: { entry: !unsafe "{{ entry_nope }}", other: "{{ 1 + 1 }}" }
`

const UNSAFE = 'Conditional is marked as unsafe, and cannot be evaluated.'

describe('unsafe data, as ansible-playbook', () => {
  const dir = localPlaybookDir('unsafe-data', {
    'site.yml': PLAYBOOK,
    'vars.yml': VARS,
    'inc.yml': 'ix: !unsafe "{{ inope }}"\n',
    'group_vars/all.yml': 'gx: !unsafe "{{ gnope }}"\n',
    'host_vars/localhost.yml': 'hx: !unsafe "{{ hnope }}"\n',
    'roles.yml': ROLES,
    'roles/r/defaults/main.yml': 'rd: !unsafe "{{ d_nope }}"\n',
    'roles/r/vars/main.yml': 'rv: !unsafe "{{ v_nope }}"\n',
    'roles/r/tasks/main.yml': '- name: seen role values\n  debug: { msg: "{{ rd }} {{ rv }} {{ ev }} {{ entry }} {{ other }}" }\n',
    'extra.yml': 'ev: !unsafe "{{ e_nope }}"\n',
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('is never templated again, and refused in a templated condition', async () => {
    const both = await runBoth(dir, ['-i', 'hosts.ini', 'site.yml'])
    const injected = "{{ lookup('pipe', 'echo INJECTED') }}"
    assert.deepEqual(sameOutputs(both), {
      'seen registered stdout': injected,
      'seen set_fact from it': injected,
      'seen set_fact mapping': { inner: injected },
      'seen set_fact literal': '{{ never }}',
      'seen loop item': injected,
      'seen unsafe var': '{{ never }}',
      'seen unsafe in list': ['{% raw %}{{ x }}', '2'],
      'seen unsafe in mapping': { a: '{{ a }}', b: 'b' },
      'seen unsafe from the inventory and include_vars': '{{ gnope }} {{ hnope }} {{ inope }}',
      'seen unsafe from vars_files': '{{ in_file }}',
    })
    const theirs = Object.fromEntries(
      both.ansible.plays[0]!.tasks.map((t) => {
        const r = t.hosts.localhost!
        const msg = String(r.msg ?? '') + String((r as { changed_when_result?: string }).changed_when_result ?? '')
        return [t.task.name, [r.failed ? 'failed' : r.skipped ? 'skipped' : r.changed ? 'changed' : 'ok', msg.includes(UNSAFE)]]
      }),
    )
    const mine = Object.fromEntries(
      both.doc.results.map((r) => [r.task.name, [r.status, (String(r.msg ?? '') + JSON.stringify(r.result ?? {})).includes(UNSAFE)]]),
    )
    assert.deepEqual(mine, theirs)
    assert.deepEqual(
      Object.entries(theirs)
        .filter(([, [, refused]]) => refused)
        .map(([name]) => name),
      [
        'templated condition on a registered result',
        'templated condition on set_fact from it',
        'templated condition on an int set from it',
        'templated condition on a lookup',
        'templated condition on hostvars registered',
        'templated condition on an unsafe var',
        'templated condition on a safe entry beside an unsafe one',
        'templated condition on a mapping holding unsafe data deeper',
        'templated with_items condition',
        'templated changed_when on its own result',
        'assert on a registered result',
      ],
    )
  })

  it("keeps !unsafe values in roles' defaults, vars and entries, and in -e files", async () => {
    const both = await runBoth(dir, ['-i', 'hosts.ini', 'roles.yml', '-e', '@extra.yml', '-e', 'x=1'])
    const shown = '{{ d_nope }} {{ v_nope }} {{ e_nope }} {{ entry_nope }} 2'
    // the json callback names a role's task `ROLE : NAME`
    assert.equal(both.ansible.plays[0]!.tasks.find((t) => t.task.name === 'r : seen role values')?.hosts.localhost?.msg, shown)
    assert.equal(both.doc.results.find((r) => r.task.name === 'seen role values')?.output, shown)
  })
})
