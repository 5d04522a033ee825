import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { loadIncludedRole, loadIncludedTasks, loadPlaybook } from '../../../engine/playbook/load.js'
import { formatListing, listPlayTasks } from '../../../engine/playbook/list-tasks.js'
import type { BlockTask, IncludeRoleTask, IncludeTasksTask, ModuleTask, Task } from '../../../engine/playbook/types.js'
import { fixtures, opts } from './fake-modules.js'

const dir = path.join(fixtures, 'good')
const load = () => loadPlaybook(path.join(dir, 'site.yml'), opts)
const mod = (t: Task | undefined) => t as ModuleTask
const blk = (t: Task | undefined) => t as BlockTask

test('import_playbook is loaded inline with its vars and tags', async () => {
  const pb = await load()
  assert.equal(pb.file, path.join(dir, 'site.yml'))
  assert.equal(pb.plays.length, 2)
  const [db] = pb.plays
  assert.deepEqual(
    [db!.name, db!.hosts, db!.gather_facts, db!.vars, db!.tags, db!.dir],
    ['db', 'db', false, { from_import: 1 }, ['imported'], path.join(dir, 'sub')],
  )
  assert.deepEqual(mod(db!.tasks[0]).module, 'postgresql_user')
  assert.deepEqual(db!.tasks[0]!.pos, { file: path.join(dir, 'sub/other.yml'), line: 4, col: 7 })
})

test('play keywords and module tasks: mapping, k=v, free-form command, loops', async () => {
  const play = (await load()).plays[1]!
  assert.deepEqual([play.name, play.become, play.gather_facts, play.strategy, play.vars], ['Deploy', true, undefined, 'linear', { port: 8080 }])
  // kept as written: the run looks for it in the play's vars/, then its dir (engine/run/vars-files.ts)
  assert.deepEqual(play.vars_files, ['vars/common.yml'])
  const [copy, migrate, users, dict] = play.tasks.map(mod)
  assert.deepEqual(
    { module: copy!.module, args: copy!.args, notify: copy!.notify, pos: copy!.pos },
    {
      module: 'copy',
      args: { src: 'app.conf', dest: '/etc/app.conf', mode: 0o644 },
      notify: ['restart app'],
      pos: { file: path.join(dir, 'site.yml'), line: 21, col: 7 },
    },
  )
  assert.deepEqual(migrate!.args, { cmd: './migrate.sh --all', chdir: '/opt/app', creates: '/opt/app/.migrated' })
  assert.deepEqual([users!.args, users!.loop, users!.loop_control], [{ name: '{{ item }}', state: 'present' }, ['alice', 'bob'], { label: '{{ item }}' }])
  // with_dict keeps its terms; the dict lookup makes the items when the task runs (engine/run/loop.ts)
  assert.deepEqual([dict!.module, dict!.loop_with, dict!.loop], ['debug', 'dict', { a: 1, b: 2 }])
})

test('blocks, imports, includes, meta', async () => {
  const t = (await load()).plays[1]!.tasks
  const b = blk(t[4])
  assert.deepEqual([b.kind, b.when, b.tags], ['block', ['{{ do_block }}'], ['blk']])
  assert.deepEqual(mod(b.block[0]).args, { cmd: 'set -e\necho one' })
  assert.deepEqual(mod(b.rescue[0]).args, { msg: 'rescued' })
  assert.deepEqual(b.always[0], {
    kind: 'meta',
    pos: { file: path.join(dir, 'site.yml'), line: 45, col: 11 },
    when: [],
    tags: [],
    vars: {},
    action: 'flush_handlers',
  })
  const imp = blk(t[5])
  assert.deepEqual([imp.kind, imp.tags, mod(imp.block[0]).name, imp.block[0]!.pos.file], ['block', ['extra'], 'extra task', path.join(dir, 'extra.yml')])
  const inc = t[6] as IncludeTasksTask
  assert.deepEqual([inc.kind, inc.file, inc.baseDir, inc.loop], ['include_tasks', 'dyn.yml', dir, '{{ items }}'])
  const role = blk(t[7])
  assert.deepEqual([role.role?.name, mod(role.block[0]).name], ['common', 'Install packages'], 'import_role runs even though roles: had it')
})

test('roles: dependencies first, once per play, role context on every task', async () => {
  const play = (await load()).plays[1]!
  const [common, app] = play.roles.map(blk)
  assert.equal(play.roles.length, 2)
  assert.deepEqual([common!.role?.name, common!.role?.defaults, mod(common!.block[0]).role?.name], ['common', { common_default: 'a' }, 'common'])
  assert.deepEqual([app!.when, app!.tags], [['deploy_app'], ['app']])
  assert.deepEqual(
    { ...app!.role, dir: undefined },
    { name: 'app', dir: undefined, defaults: { app_port: 80 }, vars: { a: 2, b: 3 }, definitionVars: { app_port: 9000 }, params: {}, via: 'roles' },
  )
  // common is a dependency of app too, already loaded with the same params: skipped; base runs first
  const [base, setup, inner] = app!.block
  assert.deepEqual([base!.role?.name, base!.role?.params, mod(blk(base).block[0]).role?.name], ['base', { base_param: 1 }, 'base'])
  assert.deepEqual([setup!.kind, (setup as IncludeTasksTask).baseDir, setup!.role?.name], ['include_tasks', path.join(dir, 'roles/app/tasks'), 'app'])
  assert.equal(mod(blk(inner).block[0]).role?.name, 'app', 'role set inside nested blocks')
})

test("handlers: the play's with listen topics, then the roles' (once per role instance)", async () => {
  const h = (await load()).plays[1]!.handlers
  // common from roles: (and as app's dependency: the same instance), then the import_role's copy
  assert.deepEqual(
    h.map((x) => [x.name, 'module' in x ? x.module : x.kind, x.listen, x.role?.name]),
    [
      ['restart app', 'service', ['app changed'], undefined],
      ['reload common', 'command', [], 'common'],
      ['reload common', 'command', [], 'common'],
    ],
  )
})

test('list tasks with role prefixes and effective tags', async () => {
  const pb = await load()
  assert.deepEqual(listPlayTasks(pb.plays[1]!).slice(0, 5), [
    { name: 'common : Install packages', tags: ['pkg'] },
    { name: 'base : base task', tags: ['app'] },
    { name: 'app : Set up app', tags: ['app'] },
    { name: 'app : inner app task', tags: ['app'] },
    { name: 'Copy config', tags: [] },
  ])
  const text = formatListing(pb, 'site.yml', { tasks: true }).join('\n')
  assert.match(
    text,
    /playbook: site.yml\n\n {2}play #1 \(db\): db\tTAGS: \[imported\]\n {4}tasks:\n {6}community\.postgresql\.postgresql_user\tTAGS: \[imported\]/,
  )
  assert.match(text, / {6}in block\tTAGS: \[blk\]\n {6}rescue it\tTAGS: \[blk\]/)
})

test('run-time loading of include_tasks and include_role', async () => {
  const play = (await load()).plays[1]!
  const setup = blk(play.roles[1]).block[1] as IncludeTasksTask
  const { tasks } = loadIncludedTasks(setup, setup.file, { ...opts, playDir: play.dir! })
  assert.deepEqual([mod(tasks[0]).args, tasks[0]!.role?.name], [{ msg: 'setup' }, 'app'])
  const inc: IncludeRoleTask = { kind: 'include_role', pos: play.pos, when: [], tags: [], vars: {}, roleName: '{{ r }}', dynamic: true, baseDir: dir }
  const { block, handlers } = loadIncludedRole(inc, 'common', { ...opts, playDir: dir })
  assert.deepEqual([block.role?.name, mod(block.block[0]).name, handlers.map((x) => x.name)], ['common', 'Install packages', ['reload common']])
})

test("a role's handlers are added once per role instance: its params, and for an import or include its *_from files and vars", async () => {
  const { loadPlaybookText } = await import('../../../engine/playbook/load.js')
  const pb = loadPlaybookText(
    [
      '- hosts: all',
      '  roles: [common]',
      '  tasks:',
      '    - import_role: { name: common }',
      '    - import_role: { name: common }',
      '    - import_role: { name: common }',
      '      vars: { v: 1 }',
      '    - import_role: { name: common, tasks_from: main }',
    ].join('\n'),
    path.join(dir, 'instances.yml'),
    opts,
  )
  const play = pb.plays[0]!
  // the roles: entry's, the first import's (an import is another instance), the one with vars, the one with tasks_from
  assert.deepEqual(
    play.handlers.map((x) => x.name),
    ['reload common', 'reload common', 'reload common', 'reload common'],
  )
  const inc = (vars: Record<string, unknown>): IncludeRoleTask => ({
    kind: 'include_role',
    pos: play.pos,
    when: [],
    tags: [],
    vars,
    roleName: 'common',
    dynamic: true,
    baseDir: dir,
  })
  const ctx = { ...opts, playDir: dir, seen: play.seen }
  // an include the same as an import already loaded is that instance: no copy; other vars: a copy
  assert.equal(loadIncludedRole(inc({}), 'common', ctx).handlers.length, 0)
  const copy = loadIncludedRole(inc({ v: 2 }), 'common', ctx).handlers
  assert.equal(copy.length, 1)
  // the include's vars are the instance's: its handler copy sees them
  assert.deepEqual(copy[0]!.within?.[0]?.vars, { v: 2 })
})
