/** Module names: ours, Ansible's that acplay lacks (load, fail only where they run), unknown ones (suggestions, never a keyword when a module is close). */
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path, { join } from 'node:path'
import { test } from 'node:test'
import { loadPlaybookText } from '../../../engine/playbook/load.js'
import type { ModuleTask } from '../../../engine/playbook/types.js'
import { isAnsibleModule, resolveModuleName } from '../../../modules/index.js'
import { testDir } from '../../helpers/temp-dir.js'
import { fixtures, loadError } from './fake-modules.js'

const F = path.join(fixtures, 'errors', 'play.yml')
const play = (tasks: string) => `- hosts: all\n  tasks:\n${tasks}`
const tasksOf = (yaml: string) => loadPlaybookText(yaml, F).plays[0]!.tasks as ModuleTask[]

test('Ansible module names: builtin, routed short names, collection FQCNs, ansible.legacy', () => {
  for (const n of ['yum', 'dnf', 'firewalld', 'seboolean', 'docker_container', 'ansible.builtin.yum', 'ansible.legacy.dnf', 'ansible.posix.firewalld'])
    assert.ok(isAnsibleModule(n), n)
  for (const n of ['community.general.ufw', 'community.docker.docker_container', 'community.postgresql.postgresql_query', 'ansible.builtin.docker_container'])
    assert.ok(isAnsibleModule(n), n)
  for (const n of ['dnff', 'diff', 'when', 'community.general.nope', 'ansible.posix.yum', 'acme.stuff.yum']) assert.ok(!isAnsibleModule(n), n)
})

test('FQCNs of the collections acplay implements resolve to its modules', () => {
  assert.equal(resolveModuleName('ansible.builtin.copy'), 'copy')
  assert.equal(resolveModuleName('ansible.legacy.copy'), 'copy')
  assert.equal(resolveModuleName('ansible.posix.synchronize'), 'synchronize')
  assert.equal(resolveModuleName('community.general.ufw'), 'ufw')
  assert.equal(resolveModuleName('yum'), undefined)
})

test('a module acplay lacks loads as a task under its own name, free-form text kept as _raw_params', () => {
  const tasks = tasksOf(
    play(
      [
        '    - yum: name=httpd state=present',
        "      when: ansible_os_family == 'RedHat'",
        '    - community.docker.docker_container: {name: web, image: nginx}',
        '    - win_shell: dir C:\\',
        '    - action: dnf name=x',
        '',
      ].join('\n'),
    ),
  )
  assert.deepEqual(
    tasks.map((t) => [t.module, t.args]),
    [
      ['yum', { name: 'httpd', state: 'present' }],
      ['community.docker.docker_container', { name: 'web', image: 'nginx' }],
      ['win_shell', { _raw_params: 'dir C:\\' }],
      ['dnf', { name: 'x' }],
    ],
  )
})

test('a name nobody knows fails at load with module suggestions; keywords only when no module is close', () => {
  assert.equal(loadError(play('    - dnff: {name: x}\n'), F), "E_UNKNOWN_MODULE: F:3:7: unknown module 'dnff' (did you mean: dnf?)")
  assert.equal(loadError(play('    - copy: {dest: /x}\n      whenn: x\n'), F), "E_UNKNOWN_MODULE: F:4:7: unknown module 'whenn' (did you mean: when?)")
  assert.equal(loadError(play('    - pasue: {seconds: 1}\n'), F), "E_UNKNOWN_MODULE: F:3:7: unknown module 'pasue' (did you mean: pause?)")
  assert.doesNotMatch(loadError(play('    - dif: {name: x}\n'), F), /diff/)
})

test("engine actions' arguments are checked at load", () => {
  assert.equal(
    loadError(play('    - pause: {second: 1}\n'), F),
    "E_PARAM: F:3:15: pause: unsupported argument 'second' (did you mean: seconds?) (takes: minutes, seconds, prompt, echo) (task 'pause')",
  )
  assert.match(loadError(play('    - group_by: {kye: x}\n'), F), /group_by: unsupported argument 'kye' \(did you mean: key\?\)/)
  // add_host and set_fact take any key (host variables, facts)
  assert.equal(tasksOf(play('    - add_host: {name: h, anything: 1}\n'))[0]!.module, 'add_host')
})

test("package: its arguments are the host's manager's, checked when it runs (yum's load; `use` is package's own)", () => {
  const tasks = tasksOf(
    play(
      [
        '    - package: {name: httpd, enablerepo: epel, state: installed}',
        "      when: ansible_os_family == 'RedHat'",
        '    - ansible.builtin.package: {name: git, use: apt}',
        '',
      ].join('\n'),
    ),
  )
  assert.deepEqual(
    tasks.map((t) => [t.module, t.args]),
    [
      ['apt', { name: 'httpd', enablerepo: 'epel', state: 'installed' }],
      ['apt', { name: 'git' }],
    ],
  )
})

test('a module of a collection installed in the collections paths loads as one acplay lacks (Ansible has it); a name the collection lacks is refused', () => {
  const dir = testDir('collection-module')
  mkdirSync(join(dir, 'collections/ansible_collections/acme/tools/plugins/modules'), { recursive: true })
  writeFileSync(join(dir, 'collections/ansible_collections/acme/tools/plugins/modules/thing.py'), '#!/usr/bin/python\n')
  const file = join(dir, 'site.yml')
  const loaded = loadPlaybookText(play('    - acme.tools.thing: {a: 1}\n'), file).plays[0]!.tasks as ModuleTask[]
  assert.deepEqual([loaded[0]!.module, loaded[0]!.args], ['acme.tools.thing', { a: 1 }])
  assert.match(loadError(play('    - acme.tools.nope: {a: 1}\n'), file), /unknown module 'acme\.tools\.nope'/)
})

test("a module of the collections Debian's ansible package bundles loads as one acplay lacks, as Ansible finds it on Python's path (scripts/setup-test-deps.sh installs it)", () => {
  assert.ok(existsSync('/usr/lib/python3/dist-packages/ansible_collections/community/zabbix/plugins/modules/zabbix_proxy.py'))
  const [task] = tasksOf(play('    - community.zabbix.zabbix_proxy: {proxy_name: p}\n'))
  assert.equal(task!.module, 'community.zabbix.zabbix_proxy')
})

test("a module's bad arguments: refused at load, unless the task may never run here (its own or a block's or import's when, a handler): then where it runs, as Ansible", () => {
  const bad = 'apt: {name: ntp, state: installed}'
  assert.throws(() => loadPlaybookText(play(`    - ${bad}\n`), F), /argument 'state' must be one of/)
  const loads = [`    - ${bad}\n      when: ansible_os_family == 'Debian'\n`, `    - block:\n        - ${bad}\n      when: false\n`]
  for (const yaml of loads) assert.equal(loadPlaybookText(play(yaml), F).plays[0]!.tasks.length, 1, yaml)
  const handler = `- hosts: all\n  tasks: []\n  handlers:\n    - name: h\n      ${bad}\n`
  assert.equal(loadPlaybookText(handler, F).plays[0]!.handlers.length, 1)
  // an engine action's unknown argument is still refused at load
  assert.throws(() => loadPlaybookText(play('    - debug: {msg: x, bogus: 1}\n      when: false\n'), F), /unsupported argument 'bogus'/)
})
