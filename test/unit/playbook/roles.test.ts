import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { loadPlaybook, loadPlaybookText } from '../../../engine/playbook/load.js'
import type { AcplayError } from '../../../engine/errors.js'
import type { ModuleTask, Task } from '../../../engine/playbook/types.js'
import { fixtures, opts } from './fake-modules.js'

const dir = path.join(fixtures, 'roles-deps')

/** The role blocks as `name(params)`, nested dependencies in brackets. */
function shape(tasks: Task[]): string[] {
  return tasks
    .filter((t) => t.kind === 'block')
    .map((t) => {
      const inner = shape(t.kind === 'block' ? t.block : [])
      const params = Object.keys(t.role!.params).length ? JSON.stringify(t.role!.params) : ''
      return `${t.role!.name}${params}${inner.length ? `[${inner.join(' ')}]` : ''}`
    })
}

test('dependencies load first, each role once per play unless its params differ or it allows duplicates', async () => {
  const pb = await loadPlaybook(path.join(dir, 'site.yml'), opts)
  assert.deepEqual(shape(pb.plays[0]!.roles), ['a[b[c{"c_param":1}]]', 'c{"c_param":2}', 'c', 'dup', 'dup'])
})

test('a dependency cycle is an error at the dependency', async () => {
  await assert.rejects(
    loadPlaybook(path.join(dir, 'cycle.yml'), opts),
    (e: AcplayError) => e.describe() === `E_PLAYBOOK: ${path.join(dir, 'roles/y/meta/main.yml')}:1:16: role dependency cycle: x -> y -> x`,
  )
})

test('roles rolesPath and role entry keywords', () => {
  const pb = loadPlaybookText(
    '- hosts: all\n  roles:\n    - {role: c, become: yes, tags: t, when: go, vars: {v: 1}, p: 2}\n',
    path.join(fixtures, 'elsewhere.yml'),
    { ...opts, rolesPath: [path.join(dir, 'roles')] },
  )
  const r = pb.plays[0]!.roles[0]!
  assert.deepEqual(
    [r.become, r.tags, r.when, r.role?.definitionVars, r.role?.params, r.role?.dir],
    [true, ['t'], ['go'], { v: 1 }, { p: 2 }, path.join(dir, 'roles/c')],
  )
})

test('args: keyword merged under the module args; action and local_action', () => {
  const pb = loadPlaybookText(
    '- hosts: all\n  tasks:\n    - copy: dest=/x\n      args: {src: a, dest: /y}\n' +
      '    - action: shell echo hi chdir=/t\n    - local_action: {module: command, cmd: ls}\n',
    path.join(fixtures, 'x.yml'),
    opts,
  )
  const [a, b, c] = pb.plays[0]!.tasks as [ModuleTask, ModuleTask, ModuleTask]
  assert.deepEqual(a.args, { src: 'a', dest: '/x' })
  assert.deepEqual([b.module, b.args], ['shell', { cmd: 'echo hi', chdir: '/t' }])
  assert.deepEqual([c.module, c.args, c.delegate_to], ['command', { cmd: 'ls' }, 'localhost'])
})

test('include_role of a fixed name: a missing role fails the load, unless a `when` decides whether it runs (then where it runs, as Ansible)', () => {
  const play = (extra: string) => `- hosts: all\n  tasks:\n    - include_role: { name: no_such_role }\n${extra}`
  const file = path.join(dir, 'site.yml')
  assert.throws(
    () => loadPlaybookText(play(''), file, opts),
    (e: AcplayError) => /site\.yml:3:\d+: role 'no_such_role' not found/.test(e.describe()),
  )
  const tasks = loadPlaybookText(play("      when: ansible_os_family == 'RedHat'\n"), file, opts).plays[0]!.tasks
  assert.deepEqual(
    tasks.map((t) => t.kind),
    ['include_role'],
  )
})
