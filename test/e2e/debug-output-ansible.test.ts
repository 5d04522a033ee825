/**
 * What `debug` prints, against Debian's ansible-playbook (ansible_connection=local): a variable and a
 * message holding nested mappings and lists, non-ASCII text, numbers and booleans, printed as the
 * default callback dumps them (json.dumps: keys sorted at every level, indent 4, non-ASCII kept);
 * a loop item's variables beside debug's `var` and assert's result; a bare `var` templated as an
 * argument is; a loop item's `invocation` (the task's own registered result has none).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    d: { zeta: 1, alpha: { c: true, b: [2, "é"] }, mid: [3, { y: null, x: "two" }], "Upper": -1 }
  tasks:
    - debug: var=d
    - debug: { msg: "{{ d }}" }
    - debug: { msg: [b, a] }
    - assert: { that: [d.zeta == 1] }
    # a bare var is templated as a task argument is: d.zeta shows "1", a string; item stays an int
    - debug: var=d.zeta
    - debug: var=item
      loop: [7]
    - debug: var=nothing_here
      loop: [a]
      loop_control: { index_var: i, label: L }
    - debug: var=x.k
      loop: [{ k: v }]
      loop_control: { loop_var: x, extended: true, extended_allitems: false }
    - assert: { that: [item > 0] }
      loop: [1]
    # a loop item's result keeps the module's invocation (aliases, nulls, no_log masked)
    - file: { dest: "{{ playbook_dir }}/made", state: directory }
      loop: [1]
      register: made
    - user: { name: nobody, password: "not-shown", update_password: on_create }
      check_mode: true
      loop: [1]
      register: pw
    - command: "true"
      register: single
    # a loop label over registered results prints each whole, invocation and key order included
    - stat: { path: "{{ playbook_dir }}/nothing" }
      loop: [1]
      register: st
    - debug: { msg: "{{ item.stat.exists }}" }
      loop: "{{ st.results }}"
    - debug:
        msg:
          - "{{ made.results[0].invocation.module_args.dest }}"
          - "{{ made.results[0].invocation.module_args.path }}"
          - "{{ made.results[0].invocation.module_args.owner }}"
          - "{{ made.results[0].invocation.module_args.state }}"
          - "{{ pw.results[0].invocation.module_args.password }}"
          - "{{ single.invocation | default('none') }}"
`

/** The `ok: [...] => {` blocks, each to its closing brace. */
const blocks = (out: string) => [...out.matchAll(/^ok: \[localhost\][^\n]* => \{\n[\s\S]*?\n\}$/gm)].map((m) => m[0])

describe('debug prints what ansible-playbook prints', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-debug-'))
    writeFileSync(join(dir, 'hosts.ini'), 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n')
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same blocks, key for key', async () => {
    const args = ['-i', join(dir, 'hosts.ini'), join(dir, 'site.yml')]
    const [ours, theirs] = await Promise.all([
      acplay(['run', ...args], { cwd: dir }),
      capture(['ansible-playbook', ...args], { cwd: dir, env: { ANSIBLE_NOCOLOR: '1' } }),
    ])
    assert.equal(theirs.code, 0, theirs.stdout + theirs.stderr)
    assert.equal(ours.code, 0, ours.stdout + ours.stderr)
    assert.equal(blocks(theirs.stdout).length, 11)
    assert.deepEqual(blocks(ours.stdout), blocks(theirs.stdout))
  })
})
