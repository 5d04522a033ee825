import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import type { AcplayError } from '../../../engine/errors.js'
import { loadPlaybook, loadPlaybookText } from '../../../engine/playbook/load.js'
import { fixtures, loadError, opts } from './fake-modules.js'
import { readYamlData } from '../../../engine/yaml-source.js'
import { LOOKUP_NAMES } from '../../../engine/vars/lookups/index.js'

const F = path.join(fixtures, 'errors', 'play.yml')

const error = (yaml: string): string => loadError(yaml, F)
const play = (tasks: string) => `- hosts: all\n  tasks:\n${tasks}`

test('YAML syntax errors carry the position', () => {
  assert.equal(error('- hosts: all\n  tasks: [\n'), 'E_YAML: F:3:1: Flow sequence in block collection must be sufficiently indented and end with a ]')
})

test("a key given twice: the last value in the first key's place, with Ansible's warning (DUPLICATE_YAML_DICT_KEY warn)", (t) => {
  const warned: string[] = []
  t.mock.method(process.stderr, 'write', (s: string) => warned.push(s) > 0)
  assert.deepEqual(Object.entries(readYamlData('a: 1\nb: 2\nnested:\n  c: x\n  c: y\na: 3\n', 'F.yml') as object), [
    ['a', 3],
    ['b', 2],
    ['nested', { c: 'y' }],
  ])
  assert.deepEqual(warned, [
    // the outer mapping first, as Ansible's constructor; wrapped at 79 columns as its display wraps warnings
    '[WARNING]: While constructing a mapping from F.yml, line 1, column 1, found a\nduplicate dict key (a). Using last defined value only.\n',
    '[WARNING]: While constructing a mapping from F.yml, line 4, column 3, found a\nduplicate dict key (c). Using last defined value only.\n',
  ])
})

test("keys named like JavaScript's own properties are unknown keys, refused at their line", () => {
  assert.match(error(play('    - debug: msg=hi\n      constructor: x\n')), /^E_UNKNOWN_MODULE: F:4:7: unknown module 'constructor'/)
  assert.match(error('- hosts: all\n  toString: 1\n'), /^E_PLAYBOOK: F:2:3: unknown play keyword 'toString'/)
  assert.match(error(play('    - block:\n        - debug:\n      hasOwnProperty: 1\n')), /^E_PLAYBOOK: F:5:7: 'hasOwnProperty' is not valid on a block/)
  assert.match(error(play('    - __proto__: {}\n')), /^E_UNKNOWN_MODULE: F:3:7: unknown module '__proto__'/)
})

test('unknown play key with a suggestion; missing hosts', () => {
  assert.equal(error('- hosts: all\n  taks: []\n'), "E_PLAYBOOK: F:2:3: unknown play keyword 'taks' (did you mean: tasks?)")
  assert.equal(error('- name: x\n  tasks: []\n'), "E_PLAYBOOK: F:1:3: play has no 'hosts'")
  assert.equal(
    error('- hosts: all\n  order: random\n'),
    "E_PLAYBOOK: F:2:10: 'order' must be one of inventory, reverse_inventory, sorted, reverse_sorted, shuffle, got 'random'",
  )
  assert.equal(error('- hosts: all\n  force_handlers: maybe\n'), "E_PLAYBOOK: F:2:19: 'force_handlers' must be a boolean, got a string")
  assert.equal(error('- hosts: all\n  strategy: debug\n'), "E_PLAYBOOK: F:2:13: 'strategy' must be one of linear, free, got 'debug'")
  assert.equal(error('hosts: all\n'), 'E_PLAYBOOK: F:1:1: a playbook must be a list of plays, got a mapping')
})

test('unknown module: closest names; an unknown keyword reads as one', () => {
  assert.equal(error(play('    - name: c\n      coppy: {dest: /x}\n')), "E_UNKNOWN_MODULE: F:4:7: unknown module 'coppy' (did you mean: copy?) (task 'c')")
  assert.equal(error(play('    - copy: {dest: /x}\n      whenn: x\n')), "E_UNKNOWN_MODULE: F:4:7: unknown module 'whenn' (did you mean: when?)")
  assert.equal(error(play('    - frobnicate: {}\n')), "E_UNKNOWN_MODULE: F:3:7: unknown module 'frobnicate'")
  assert.equal(error(play('    - ansible.builtin.servic: name=x\n')), "E_UNKNOWN_MODULE: F:3:7: unknown module 'ansible.builtin.servic'")
})

test('two actions, or none', () => {
  assert.equal(
    error(play('    - name: t\n      copy: {dest: /x}\n      shell: echo\n')),
    "E_PLAYBOOK: F:5:7: conflicting actions in one task: copy, shell (task 't')",
  )
  assert.equal(error(play('    - name: t\n      when: x\n')), "E_PLAYBOOK: F:3:7: task has no module or action (task 't')")
})

test('module arguments checked at load: unknown, missing required, types of plain values', () => {
  assert.equal(
    error(play('    - name: t\n      copy:\n        dest: /x\n        mdoe: "0644"\n')),
    "E_PARAM: F:6:9: unknown argument 'mdoe' for module copy (supported: content, dest, force, mode, src) (task 't')",
  )
  assert.equal(error(play('    - copy: src=a\n')), "E_PARAM: F:3:7: missing required argument 'dest' for module copy (task 'copy')")
  assert.equal(error(play('    - user: name=a uid=abc\n')), "E_PARAM: F:3:7: argument 'uid' must be an integer, got \"abc\" (task 'user')")
  assert.equal(
    error(play('    - user: {name: a, state: gone}\n')),
    "E_PARAM: F:3:7: argument 'state' must be one of present, absent; got \"gone\" (task 'user')",
  )
  assert.equal(
    error(play('    - copy: dest=/x oops\n')),
    "E_PARAM: F:3:13: module 'copy' takes no free-form text, got 'oops' (use key=value or a mapping) (task 'copy')",
  )
})

test("a loop that is not a list loads: the task fails when it runs, as Ansible's (test/e2e/loop-values-local)", () => {
  assert.doesNotThrow(() => loadPlaybookText(play('    - debug: msg=x\n      loop: 5\n'), F, opts))
})

test('templated values skip type checks; templated keys skip validation; module_defaults count as given', () => {
  assert.doesNotThrow(() => loadPlaybookText(play('    - user: {name: a, uid: "{{ u }}", state: "{{ s }}"}\n'), F, opts))
  assert.doesNotThrow(() => loadPlaybookText(play('    - copy: {"{{ k }}": 1}\n'), F, opts))
  assert.doesNotThrow(() => loadPlaybookText('- hosts: all\n  module_defaults:\n    copy: {dest: /d}\n  tasks:\n    - copy: src=a\n', F, opts))
})

test('wrong keyword types', () => {
  assert.equal(
    error(play('    - debug: msg=x\n      when: {a: 1}\n')),
    "E_PLAYBOOK: F:4:13: 'when' must be a string, a boolean or a list of them, got a mapping",
  )
  assert.equal(error(play('    - debug: msg=x\n      become: maybe\n')), "E_PLAYBOOK: F:4:15: 'become' must be a boolean, got a string")
  assert.equal(error(play('    - debug: msg=x\n      register: [a]\n')), "E_PLAYBOOK: F:4:17: 'register' must be a string, got a list")
  assert.equal(error(play('    - block: []\n      register: r\n')), "E_PLAYBOOK: F:4:7: 'register' is not valid on a block")
  assert.equal(
    error(play('    - debug: msg=x\n      with_filegob: "*"\n')),
    `E_PLAYBOOK: F:4:7: 'with_filegob': there is no lookup plugin 'filegob' (acplay has: ${LOOKUP_NAMES.join(', ')}); use 'loop' with a filter`,
  )
  assert.equal(
    error(play('    - meta: flush\n')),
    "E_PLAYBOOK: F:3:13: unknown meta action 'flush' " +
      '(supported: flush_handlers, end_play, end_host, end_batch, noop, clear_host_errors, clear_facts, refresh_inventory, reset_connection)',
  )
})

test("old playbooks' removed words: a play-level include, a task's sudo", () => {
  assert.equal(
    error('- include: other.yml\n'),
    "E_PLAYBOOK: F:1:3: 'include' is not a valid attribute for a Play (Ansible 2.14 imports a playbook with import_playbook)",
  )
  assert.equal(
    error(play('    - name: add user\n      user: name=tomcat\n      sudo: True\n')),
    "E_PLAYBOOK: F:5:7: 'sudo' is no task keyword since Ansible 2.9: use become: true (task 'add user')",
  )
})

test('handlers need a name', () => {
  assert.equal(
    error('- hosts: all\n  handlers:\n    - service: name=x state=restarted\n'),
    'E_PLAYBOOK: F:3:7: handler has no name (handlers are notified by name)',
  )
})

test('a role that does not exist lists where it looked', () => {
  const d = path.dirname(F)
  const saved = process.env.ANSIBLE_ROLES_PATH
  process.env.ANSIBLE_ROLES_PATH = '/srv/roles:/opt/roles'
  try {
    const msg = error('- hosts: all\n  roles:\n    - nope\n')
    const cwd = path.resolve('nope')
    assert.equal(msg, `E_PLAYBOOK: F:3:7: role 'nope' not found (searched: ${d}/roles/nope, /srv/roles/nope, /opt/roles/nope, ${d}/nope, ${cwd})`)
    assert.equal(error(play('    - import_role: {name: nope}\n')).split(' (searched')[0], "E_PLAYBOOK: F:3:20: role 'nope' not found")
  } finally {
    if (saved === undefined) delete process.env.ANSIBLE_ROLES_PATH
    else process.env.ANSIBLE_ROLES_PATH = saved
  }
})

test('errors inside other files name those files', async () => {
  const file = path.join(fixtures, 'errors', 'bad-import.yml')
  await assert.rejects(
    loadPlaybook(file, opts),
    (e: AcplayError) =>
      e.describe() === `E_UNKNOWN_MODULE: ${path.join(fixtures, 'errors', 'bad-tasks.yml')}:2:3: unknown module 'debgu' (did you mean: debug?) (task 'oops')`,
  )
  await assert.rejects(loadPlaybook(path.join(fixtures, 'errors', 'cycle-a.yml'), opts), /import_playbook cycle/)
})
