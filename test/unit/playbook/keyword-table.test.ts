/** The keyword table drives the loader (what is taken where, what is refused and why) and the run scope. */
import assert from 'node:assert/strict'
import path from 'node:path'
import { describe, it } from 'node:test'
import { checkRendered, INHERITED, KEYWORDS } from '../../../engine/playbook/keyword-table.js'
import { defaultsFor, taskDefaults, type ModuleDefaults } from '../../../engine/playbook/module-defaults.js'
import { loadPlaybookText } from '../../../engine/playbook/load.js'
import type { BlockTask, Handler, IncludeTasksTask, ModuleTask } from '../../../engine/playbook/types.js'
import { enter, rootScope } from '../../../engine/run/scope.js'
import { intError, invalidInt } from '../../../engine/run/keyword-value.js'
import { pyInt } from '../../../engine/vars/py-int.js'
import { PyFloat } from '../../../engine/vars/py-value.js'
import { fixtures, loadError, opts } from './fake-modules.js'

const F = path.join(fixtures, 'errors', 'play.yml')
const load = (yaml: string) => loadPlaybookText(yaml, F, opts)
const error = (yaml: string): string => loadError(yaml, F)
const play = (tasks: string) => `- hosts: all\n  tasks:\n${tasks}`

describe('the keyword table', () => {
  it('never says a keyword is both taken and refused at one site', () => {
    for (const [key, def] of Object.entries(KEYWORDS)) {
      const refused: readonly string[] = 'unsupportedOn' in def ? def.unsupportedOn : []
      assert.deepEqual(
        def.on.filter((s) => refused.includes(s)),
        [],
        key,
      )
    }
  })

  it("refuses an Ansible keyword acplay does not take, saying what to do, at the key's line", () => {
    assert.equal(error('- hosts: all\n  ignore_errors: true\n'), "E_PLAYBOOK: F:2:3: play keyword 'ignore_errors' is not supported by acplay")
    // on a role entry Ansible takes them as the role's keywords, not as variables
    assert.equal(
      error(`- hosts: all\n  roles:\n    - { role: web, collections: x }\n`),
      "E_PLAYBOOK: F:3:20: role keyword 'collections' is not supported by acplay: set collections on the play; a variable of that name goes under the role's vars:",
    )
  })

  it("takes timeout and throttle on plays, blocks, imports and role entries (passed down); a dynamic include only Ansible's include keywords", () => {
    const pb = load('- hosts: all\n  timeout: 5\n  throttle: 2\n  tasks:\n    - block: []\n      timeout: 3\n      throttle: 1\n')
    assert.deepEqual([pb.plays[0]!.timeout, pb.plays[0]!.throttle], [5, 2])
    const block = pb.plays[0]!.tasks[0] as BlockTask
    assert.deepEqual([block.timeout, block.throttle], [3, 1])
    assert.equal(
      error(play('    - include_tasks: x.yml\n      become: true\n')),
      "E_PLAYBOOK: F:4:7: 'become' is not a valid attribute for a TaskInclude (give the included tasks their keywords with apply:)",
    )
    assert.match(error(play('    - include_role: { name: web }\n      throttle: 1\n')), /'throttle' is not a valid attribute for a IncludeRole/)
    const include = load(play('    - include_tasks: x.yml\n      timeout: 4\n      run_once: true\n')).plays[0]!.tasks[0] as IncludeTasksTask
    assert.deepEqual([include.timeout, include.run_once], [4, true])
  })

  it('takes port on plays, blocks, tasks, imports and role entries, as Python reads an int; a template kept; not on a dynamic include', () => {
    const pb = loadPlaybookText(
      '- hosts: all\n  port: 2222\n  roles:\n    - { role: base, port: "22" }\n  tasks:\n    - block: []\n      port: 2200.0\n    - command: ls\n      port: "{{ p }}"\n    - import_tasks: extra.yml\n      port: " 1_022 "\n',
      path.join(fixtures, 'good', 'site.yml'),
      opts,
    )
    const p = pb.plays[0]!
    assert.equal(p.port, 2222)
    const role = p.roles[0] as BlockTask
    assert.deepEqual([role.port, role.role?.params], [22, {}], "a role entry's port is its keyword, no param")
    const [block, task, imported] = p.tasks as [BlockTask, ModuleTask, BlockTask]
    assert.deepEqual([block.port, task.port, imported.port], [2200, '{{ p }}', 1022])
    assert.equal(load(play('    - command: ls\n      port: ~\n')).plays[0]!.tasks[0]!.port, undefined)
    assert.equal(error(play('    - command: ls\n      port: abc\n')), `E_PLAYBOOK: F:4:13: 'port' must be a port number (1-65535), got "abc"`)
    assert.equal(error('- hosts: all\n  port: 70000\n'), "E_PLAYBOOK: F:2:9: 'port' must be a port number (1-65535), got 70000")
    assert.match(error(play('    - command: ls\n      port: [22]\n')), /'port' must be a port number \(1-65535\), got a list/)
    assert.equal(
      error(play('    - include_tasks: x.yml\n      port: 2222\n')),
      "E_PLAYBOOK: F:4:7: 'port' is not a valid attribute for a TaskInclude (give the included tasks their keywords with apply:)",
    )
    assert.match(error(play('    - include_role: { name: web }\n      port: 2222\n')), /'port' is not a valid attribute for a IncludeRole/)
    // a block's or role's port reaches the tasks inside; the innermost wins
    const pos = { file: 'f', line: 1, col: 1 }
    const outer = enter(rootScope(), { pos, when: [], tags: [], vars: {}, port: 2222 })
    assert.equal(enter(outer, { pos, when: [], tags: [], vars: {} }).port, 2222)
    assert.equal(enter(outer, { pos, when: [], tags: [], vars: {}, port: '{{ p }}' }).port, '{{ p }}')
  })

  it('takes become_flags and become_exe wherever become is, templated; a non-string refused at its line', () => {
    const pb = load(
      '- hosts: all\n  become_flags: -i\n  tasks:\n    - command: ls\n      become_exe: "{{ x }}"\n      become_flags: "-s /bin/sh"\n    - block: []\n      become_exe: /opt/sudo\n',
    )
    assert.equal(pb.plays[0]!.become_flags, '-i')
    const [task, block] = pb.plays[0]!.tasks as [ModuleTask, BlockTask]
    assert.equal(task.become_exe, '{{ x }}')
    assert.equal(task.become_flags, '-s /bin/sh')
    assert.equal(block.become_exe, '/opt/sudo')
    assert.equal(error(play('    - command: ls\n      become_flags: [-i]\n')), "E_PLAYBOOK: F:4:21: 'become_flags' must be a string, got a list")
  })

  it("takes a play's old `user:` as its remote_user, as Ansible's Play does", () => {
    assert.equal(load('- hosts: all\n  user: root\n  tasks: []\n').plays[0]!.remote_user, 'root')
    assert.equal(
      error('- hosts: all\n  user: root\n  remote_user: deploy\n'),
      "E_PLAYBOOK: F:2:3: both 'user' and 'remote_user' are set for this play. The use of 'user' is deprecated, and should be removed",
    )
  })

  it('refuses a keyword where it does not belong', () => {
    assert.equal(error(play('    - command: ls\n      rescue: []\n')), "E_PLAYBOOK: F:4:7: 'rescue' is not valid on a task")
    assert.equal(error(play('    - command: ls\n      listen: x\n')), "E_PLAYBOOK: F:4:7: 'listen' is only valid on handlers")
    assert.equal(error(play('    - meta: noop\n      loop: [1]\n')), "E_PLAYBOOK: F:4:7: 'loop' is not valid on meta")
    assert.equal(error('- hosts: all\n  when: x\n'), "E_PLAYBOOK: F:2:3: 'when' is not valid on a play")
  })

  it('takes one loop keyword per task, include_tasks too', () => {
    assert.equal(
      error(play('    - command: ls\n      loop: [1]\n      with_items: [2]\n')),
      'E_PLAYBOOK: F:5:7: only one of loop/with_* per task, got loop, with_items',
    )
    assert.equal(
      error(play('    - include_tasks: x.yml\n      with_list: [1]\n      loop: [2]\n')),
      'E_PLAYBOOK: F:5:7: only one of loop/with_* per task, got with_list, loop',
    )
    const inc = load(play('    - include_tasks: x.yml\n      with_items: [[a, b], c]\n')).plays[0]!.tasks[0] as IncludeTasksTask
    assert.deepEqual([inc.loop_with, inc.loop], ['items', [['a', 'b'], 'c']])
  })

  it('reads each keyword into the task as the table says, accepting the ignored ones', () => {
    const [t] = load(
      play(
        '    - name: n\n      command: ls\n      become: yes\n      become_user: "{{ u }}"\n      collections: [a.b]\n' +
          '      retries: 3\n      until: r is success\n      notify: h\n      become_method: sudo\n',
      ),
    ).plays[0]!.tasks as [ModuleTask]
    assert.deepEqual(
      { name: t.name, become: t.become, become_user: t.become_user, retries: t.retries, until: t.until, notify: t.notify },
      { name: 'n', become: true, become_user: '{{ u }}', retries: 3, until: ['r is success'], notify: ['h'] },
    )
    assert.equal('collections' in t, false)
    assert.equal(t.become_method, 'sudo', 'kept: the keyword wins over ansible.cfg and ANSIBLE_BECOME_METHOD')
  })

  it('keeps a template for every keyword Ansible templates', () => {
    const [t] = load(
      play(
        '    - name: "n {{ x }}"\n      command: ls\n      ignore_errors: "{{ a }}"\n      no_log: "{{ b }}"\n      environment: "{{ env }}"\n' +
          '      run_once: "{{ c }}"\n      check_mode: "{{ d }}"\n      diff: "{{ e }}"\n      throttle: "{{ f }}"\n      async: "{{ g }}"\n      poll: 0\n',
      ),
    ).plays[0]!.tasks as [ModuleTask]
    assert.deepEqual(
      [t.name, t.ignore_errors, t.no_log, t.environment, t.run_once, t.check_mode, t.diff, t.throttle, t.async, t.poll],
      ['n {{ x }}', '{{ a }}', '{{ b }}', '{{ env }}', '{{ c }}', '{{ d }}', '{{ e }}', '{{ f }}', '{{ g }}', 0],
    )
    const p = load('- hosts: "{{ h }}"\n  gather_facts: "{{ g }}"\n  serial: "{{ s }}"\n  max_fail_percentage: "{{ m }}"\n  any_errors_fatal: "{{ f }}"\n')
      .plays[0]!
    assert.deepEqual([p.hosts, p.gather_facts, p.serial, p.max_fail_percentage, p.any_errors_fatal], ['{{ h }}', '{{ g }}', '{{ s }}', '{{ m }}', '{{ f }}'])
    const g = load('- hosts: all\n  gather_subset: "{{ s }}"\n  gather_timeout: "{{ t }}"\n  fact_path: "{{ p }}"\n').plays[0]!
    assert.deepEqual([g.gather_subset, g.gather_timeout, g.fact_path], ['{{ s }}', '{{ t }}', '{{ p }}'], 'the setup task renders them per host')
    assert.equal(load('- hosts: all\n  connection: "{{ c }}"\n').plays[0]!.connection, '{{ c }}')
    assert.throws(() => checkRendered('connection', 'telnet'), /'connection' must be one of ssh, local, smart, got "telnet"/)
    // a keyword acplay does not template is refused at the value, never used as written
    assert.equal(
      error('- hosts: all\n  strategy: "{{ s }}"\n'),
      "E_PLAYBOOK: F:2:13: 'strategy' given as a template is not supported by acplay yet: write the value itself",
    )
  })

  it('checks a rendered value as the loader checks a literal: strict booleans, numbers, mappings', () => {
    assert.equal(checkRendered('ignore_errors', 'yes'), true)
    assert.equal(checkRendered('no_log', 'False'), false)
    assert.equal(checkRendered('become', 1), true)
    assert.throws(() => checkRendered('ignore_errors', 'maybe'), /'ignore_errors' must be a boolean, got "maybe"/)
    assert.equal(checkRendered('throttle', '2'), 2)
    assert.throws(() => checkRendered('throttle', 'x'), /must be a number/)
    assert.deepEqual(checkRendered('environment', { A: 1 }), { A: 1 })
    assert.deepEqual(checkRendered('environment', ''), {})
    assert.throws(() => checkRendered('environment', ['A']), /'environment' must be a mapping/)
    assert.equal(checkRendered('serial', '30%'), '30%')
    assert.throws(() => checkRendered('max_fail_percentage', 120), /from 0 to 100/)
    assert.equal(checkRendered('port', ' 2222\n'), 2222)
    assert.equal(checkRendered('port', 22.9), 22)
    assert.throws(() => checkRendered('port', '22.5'), /'port' must be a port number \(1-65535\), got "22.5"/)
    assert.throws(() => checkRendered('port', 0), /must be a port number/)
  })

  it("converts an int keyword as Python's int() does, with its errors (Ansible's words when a port template renders none)", () => {
    assert.deepEqual([pyInt('  -3 '), pyInt('1_000'), pyInt(7.9), pyInt(true), pyInt(new PyFloat(22.0))], [-3, 1000, 7, 1, 22])
    assert.throws(() => pyInt('abc'), { message: "invalid literal for int() with base 10: 'abc'" })
    assert.throws(() => pyInt('1__0'), { message: "invalid literal for int() with base 10: '1__0'" })
    assert.throws(() => pyInt("it's"), { message: `invalid literal for int() with base 10: "it's"` })
    assert.throws(() => pyInt([1]), { message: "int() argument must be a string, a bytes-like object or a real number, not 'list'" })
    assert.throws(() => pyInt({}), { message: "int() argument must be a string, a bytes-like object or a real number, not 'dict'" })
    assert.throws(() => pyInt(Number.NaN), { message: 'cannot convert float NaN to integer' })
    const where = { file: 'f', line: 1 }
    assert.equal(intError('{{ p }}', { p: '22' }, where), undefined)
    // measured: ansible-playbook 2.14 renders {{ none }} as '' there
    assert.equal(intError('{{ none }}', {}, where), "invalid literal for int() with base 10: ''")
    assert.equal(
      invalidInt('port', '{{ p }}', "invalid literal for int() with base 10: 'abc'"),
      "the field 'port' has an invalid value ({{ p }}), and could not be converted to an int.The error was: invalid literal for int() with base 10: 'abc'",
    )
  })

  it('include apply, notify on a block, listen on an include handler only, async on a task', () => {
    const [inc, blk] = load(
      play('    - include_tasks:\n        file: x.yml\n        apply: {become: true, tags: [a], when: y}\n    - block: []\n      notify: [h1, h2]\n'),
    ).plays[0]!.tasks as [IncludeTasksTask, BlockTask]
    assert.deepEqual([inc.apply?.become, inc.apply?.tags, inc.apply?.when], [true, ['a'], ['y']])
    assert.deepEqual(blk.notify, ['h1', 'h2'])
    assert.equal(error(play('    - include_tasks: x.yml\n      listen: t\n')), "E_PLAYBOOK: F:4:7: 'listen' is only valid on handlers")
    assert.equal(
      error(play('    - import_tasks:\n        file: x.yml\n        apply: {become: true}\n')),
      "E_PLAYBOOK: F:5:9: 'apply' is only valid on include_tasks and include_role",
    )
    const h = load('- hosts: all\n  handlers:\n    - name: h\n      include_tasks: x.yml\n      listen: t\n').plays[0]!.handlers[0]!
    assert.deepEqual([h.kind, h.listen], ['include_tasks', ['t']])
  })

  it('a handler listens; a role entry splits its keywords from its params', () => {
    const pb = load('- hosts: all\n  handlers:\n    - name: h\n      command: ls\n      listen: [topic]\n')
    assert.deepEqual((pb.plays[0]!.handlers[0] as Handler).listen, ['topic'])
    const roles = loadPlaybookText(
      '- hosts: all\n  roles:\n    - role: base\n      become: true\n      when: x\n      db_port: 5432\n      vars: {a: 1}\n',
      path.join(fixtures, 'good', 'site.yml'),
      opts,
    ).plays[0]!.roles as BlockTask[]
    assert.deepEqual([roles[0]!.become, roles[0]!.when, roles[0]!.role?.params, roles[0]!.role?.definitionVars], [true, ['x'], { db_port: 5432 }, { a: 1 }])
  })

  it('the run scope inherits what the table marks inherited, each in its way', () => {
    assert.deepEqual(INHERITED.map(([k, how]) => `${k}:${how}`).sort(), [
      'any_errors_fatal:override',
      'become:override',
      'become_exe:override',
      'become_flags:override',
      'become_method:override',
      'become_user:override',
      'check_mode:override',
      'connection:override',
      'delegate_facts:override',
      'delegate_to:override',
      'diff:override',
      'environment:merge',
      'ignore_errors:override',
      'ignore_unreachable:override',
      'module_defaults:merge',
      'no_log:override',
      'notify:append',
      'port:override',
      'remote_user:override',
      'run_once:override',
      'tags:append',
      'throttle:override',
      'timeout:override',
      'vars:merge',
      'when:append',
    ])
    const pos = { file: 'f', line: 1, col: 1 }
    const outer = enter(rootScope(), { pos, when: ['a'], tags: ['t1'], vars: { x: 1, y: 1 }, become: true, environment: { A: '1' } })
    const inner = enter(outer, { pos, when: ['b'], tags: ['t2'], vars: { y: 2 }, become: false, environment: { B: '2' }, run_once: true })
    assert.deepEqual(inner, {
      role: undefined,
      when: ['a', 'b'],
      tags: ['t1', 't2'],
      vars: { x: 1, y: 2 },
      become: false,
      become_user: undefined,
      become_exe: undefined,
      become_flags: undefined,
      become_method: undefined,
      check_mode: undefined,
      environment: { A: '1', B: '2' },
      ignore_errors: undefined,
      diff: undefined,
      no_log: undefined,
      run_once: true,
      delegate_facts: undefined,
      delegate_to: undefined,
      any_errors_fatal: undefined,
      connection: undefined,
      port: undefined,
      remote_user: undefined,
      ignore_unreachable: undefined,
      notify: [],
      module_defaults: undefined,
      throttle: undefined,
      timeout: undefined,
    })
    // a templated environment is kept as a layer, for the run to render and merge per host
    assert.deepEqual(enter(outer, { pos, when: [], tags: [], vars: {}, environment: '{{ proxy_env }}' }).environment, [{ A: '1' }, '{{ proxy_env }}'])
  })
})

describe('module_defaults at load', () => {
  it('resolves names to the module (a short name and its FQCN are one entry), a list of mappings too', () => {
    const p = load(
      '- hosts: all\n  module_defaults:\n    - { copy: { mode: "0600" } }\n    - { ansible.builtin.copy: { force: false } }\n  tasks:\n    - copy: { dest: /d, content: x }\n',
    ).plays[0]!
    assert.deepEqual(p.module_defaults, { copy: { force: false } })
    const [t] = load(play('    - copy: { content: x }\n      module_defaults: { copy: { dest: /d } }\n')).plays[0]!.tasks as [ModuleTask]
    assert.deepEqual(t.module_defaults, { copy: { dest: '/d' } }, "a required argument the task's defaults give is not missing")
  })
  it("applies every group that has the module, then the module's own entry; an inner level's entry replaces the outer's", () => {
    const g = (mode: string, members = ['copy']) => ({ members, args: { mode } })
    const levels: ModuleDefaults[] = [{ 'group/a.b.g': g('1'), 'group/a.b.other': g('9', ['file']), copy: { force: false } }, { 'group/a.b.g': g('2') }]
    assert.deepEqual(defaultsFor(levels, 'copy'), [{ mode: '2' }, { force: false }])
    assert.deepEqual(defaultsFor(levels, 'file'), [{ mode: '9' }])
    assert.deepEqual(defaultsFor([undefined, {}], 'copy'), [])
  })
  it("package takes apt's defaults under its own, as Ansible's package action; service its own alone (systemd's once it picks systemd)", () => {
    const levels: ModuleDefaults[] = [{ apt: { a: 1 }, package: { p: 1 }, systemd: { s: 1 }, service: { v: 1 } }]
    assert.deepEqual(taskDefaults(levels, { module: 'apt', action: 'package' }), [{ a: 1 }, { p: 1 }])
    assert.deepEqual(taskDefaults(levels, { module: 'apt', action: 'ansible.builtin.apt' }), [{ a: 1 }])
    assert.deepEqual(taskDefaults(levels, { module: 'service' }), [{ v: 1 }])
    assert.deepEqual(taskDefaults(levels, { module: 'systemd' }), [{ s: 1 }])
  })
  it('refuses what Ansible refuses, at the line', () => {
    assert.equal(
      error(play('    - debug:\n      module_defaults: { nosuchmod: {} }\n')),
      'E_UNKNOWN_MODULE: F:4:26: Could not resolve action nosuchmod in module_defaults',
    )
    assert.match(error(play('    - debug:\n      module_defaults: x\n')), /F:4:24: 'module_defaults' must be a mapping \(or a list of mappings\)/)
    assert.match(
      error(play('    - debug:\n      module_defaults: { group/nosuchgroup: { region: x } }\n')),
      /F:4:26: Error loading module_defaults: could not resolve the module_defaults group ansible\.builtin\.nosuchgroup$/,
    )
    assert.match(
      error(play('    - debug:\n      module_defaults: { group/acme.none.g: [] }\n')),
      /F:4:45: module_defaults for 'group\/acme\.none\.g' must be a mapping of arguments or a template, got a list/,
    )
    assert.match(error(play('    - copy: { content: x }\n')), /dest/, 'without defaults a required argument is missing')
  })
})
