/**
 * A failed result's JSON after `=>`, against Debian's ansible-playbook on localhost: a failed loop
 * item's carries the item's variables (the loop variable, ansible_loop_var, the index variable,
 * ansible_loop) as Ansible's TaskExecutor adds them, failed_when adds failed_when_result, and every
 * nested mapping's keys are sorted (json.dumps(sort_keys=True)). acplay's own layout is kept where
 * docs/compat.md says so: msg, rc and cmd first, a multi-line msg and the streams as blocks below.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'
import { localPlaybookDir } from '../helpers/local-both.js'

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  tasks:
    - { name: cmd, command: "ls /nonexist-{{ item }}", loop: [1, 2], ignore_errors: true }
    - { name: fail, fail: { msg: "bad {{ item }}" }, loop: [a], ignore_errors: true, loop_control: { index_var: i } }
    - name: failed_when
      command: "echo {{ item.k }}"
      failed_when: true
      loop: [{ k: 1, z: { b: 2, a: 1 } }]
      ignore_errors: true
      loop_control: { extended: true, label: L }
    - { name: shell, shell: "exit 3", loop: [{ y: 1, x: 2 }], loop_control: { loop_var: it }, ignore_errors: true }
    - name: spec
      validate_argument_spec:
        argument_spec: { zeta: { type: int, required: true }, alpha: { type: str, choices: [b, a] } }
        provided_arguments: { alpha: a }
      ignore_errors: true
`

// acplay's layout (docs/compat.md): the streams as blocks, msg, rc and cmd first; the times differ
const LEFT_OUT = ['stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'start', 'end', 'delta']
const FIRST = ['msg', 'rc', 'cmd']

/** Each failure line, its JSON with the keys acplay leaves out dropped and msg, rc, cmd put first: the text as printed. */
function failures(out: string): string[] {
  return out
    .split('\n')
    .filter((l) => /^(failed|fatal): /.test(l))
    .map((l) => {
      const at = l.indexOf(' => {')
      const parsed = JSON.parse(l.slice(at + 4)) as Record<string, unknown>
      // a msg of lines is a block below too
      const kept = Object.entries(parsed).filter(([k, v]) => !LEFT_OUT.includes(k) && !(k === 'msg' && String(v).trim().includes('\n')))
      const ordered = [...FIRST.flatMap((k) => kept.filter(([key]) => key === k)), ...kept.filter(([k]) => !FIRST.includes(k))]
      return `${l.slice(0, at)} => ${JSON.stringify(Object.fromEntries(ordered))}`
    })
}

// debug's and assert's results are Ansible's verbose-always ones: dumped indented, debug's msg alone,
// and a failed debug loop keeps no items, so the task's own fatal line follows them
const VERBOSE = `- hosts: localhost
  gather_facts: false
  vars: { x: 1 }
  tasks:
    - { assert: { that: [x == 1, x == 2] }, ignore_errors: true }
    - { assert: { that: [x == 3], fail_msg: "x is {{ x }}" }, loop: [a], ignore_errors: true }
    - { debug: { msg: "{{ item }}" }, failed_when: item == 2, loop: [1, 2], ignore_errors: true }
`

// the file module's failures: Ansible's words, keys, and add_path_info's fields of the path (a
// relative one, from the play's directory for a local task, named as given)
const FILES = `- hosts: localhost
  gather_facts: false
  vars: { d: "{{ playbook_dir }}" }
  tasks:
    - { file: { path: "{{ d }}/nope", state: file }, ignore_errors: true }
    - { file: { path: "{{ d }}/sub", state: file }, ignore_errors: true }
    - { file: { path: "{{ d }}/site.yml", state: directory }, ignore_errors: true }
    - { file: { path: "{{ d }}/l1", src: "{{ d }}/nope", state: link }, ignore_errors: true }
    - { file: { path: "{{ d }}/l2", src: "{{ d }}/nope", state: hard }, ignore_errors: true }
    - { file: { path: "{{ d }}/site.yml", src: "{{ d }}/verbose.yml", state: link }, ignore_errors: true }
    - { file: { path: "{{ d }}/site.yml", src: "{{ d }}/verbose.yml", state: hard }, ignore_errors: true }
    - { file: { path: nope, state: file }, ignore_errors: true }
    - { file: { path: site.yml, state: directory }, ignore_errors: true }
`

/** The task lines of a run, from its first TASK banner to the recap. */
const taskLines = (out: string) => out.slice(out.indexOf('TASK ['), out.indexOf('PLAY RECAP'))

describe("a failed result's JSON, as ansible-playbook's", () => {
  let dir: string
  before(() => {
    dir = localPlaybookDir('failure-json', { 'site.yml': PLAYBOOK, 'verbose.yml': VERBOSE, 'files.yml': FILES, 'sub/keep': '' })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  /** The playbook run by both tools at once; each must exit 0 (every failure is ignored). */
  async function both(playbook: string) {
    const env = { ANSIBLE_NOCOLOR: '1', ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }
    const runs = await Promise.all([
      acplay(['run', playbook, '-i', 'hosts.ini'], { cwd: dir, env }),
      capture(['ansible-playbook', playbook, '-i', 'hosts.ini'], { cwd: dir, env }),
    ])
    for (const r of runs) assert.equal(r.code, 0, r.stdout + r.stderr)
    return runs
  }

  it("failed loop items carry the item's variables, nested mappings sorted", async () => {
    const [ours, theirs] = await both('site.yml')
    assert.deepEqual(failures(ours.stdout), failures(theirs.stdout))
    assert.equal(failures(theirs.stdout).length, 6, theirs.stdout)
    // as printed: the nested mappings sorted, in both
    for (const out of [ours.stdout, theirs.stdout]) {
      assert.match(out, /"ansible_loop": \{"allitems": \[\{"k": 1, "z": \{"a": 1, "b": 2\}\}\], "first": true, "index": 1/)
      assert.match(out, /"argument_spec_data": \{"alpha": \{"choices": \["b", "a"\], "type": "str"\}, "zeta": \{"required": true, "type": "int"\}\}/)
      assert.match(out, /"failed_when_result": true, "item": \{"k": 1/)
    }
  })

  it('failed assert and debug results as Ansible dumps them: indented, debug loops closed by the fatal line', async () => {
    const [ours, theirs] = await both('verbose.yml')
    assert.equal(taskLines(ours.stdout), taskLines(theirs.stdout))
    assert.match(theirs.stdout, /fatal: \[localhost\]: FAILED! => \{\n {4}"assertion": "x == 2",/)
    assert.match(theirs.stdout, /fatal: \[localhost\]: FAILED! => \{"msg": "One or more items failed"\}/)
  })

  it("the file module's failures: Ansible's words and keys, the path's fields", async () => {
    const [ours, theirs] = await both('files.yml')
    assert.deepEqual(failures(ours.stdout), failures(theirs.stdout))
    assert.equal(failures(theirs.stdout).length, 9, theirs.stdout)
    assert.match(theirs.stdout, /"msg": "src does not exist", "src": /)
  })
})
