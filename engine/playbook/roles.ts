/**
 * Roles: found on the search path, loaded as a block of their tasks with a RoleContext (defaults,
 * vars, params) set on every task inside, after their meta dependencies. As in Ansible, a role runs
 * once per play unless its params differ or its meta says `allow_duplicates`.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import { isMap, isNode, isScalar, isSeq, type Node } from 'yaml'
import { collectionRoleDir, configuredRolesPath } from '../config/search-dirs.js'
import { collectionDirs } from '../library/installed-ansible.js'
import { playbookError, type Location } from '../errors.js'
import type { TaskScope } from './context.js'
import { entryModuleDefaults } from './module-defaults.js'
import { readKeywords } from './keyword-table.js'
import { mapping, str } from './keywords.js'
import { roleValidationTask } from './role-argspec.js'
import { innerScope, loadHandlers, loadTaskList } from './tasks.js'
import type { BlockTask, RoleContext, Task, TaskKeywords } from './types.js'
import { describeNode, entries, fail, isNull, posOf, readYaml, toJS, type Source } from '../yaml-source.js'

/** An error at where the role is named. */
const refError = (scope: TaskScope, ref: RoleRef, msg: string) => (isNode(ref.node) ? fail(scope.src, ref.node, msg) : playbookError(msg, ref.node))

export interface RoleRef {
  name: string
  /** where the role is named, for errors: its node, or (an include_role reached at run time) the include's position */
  node: Node | Location
  /** a `roles:` or dependencies entry's keys other than keywords and `vars:` (what Ansible's role validation is given too) */
  params: Record<string, unknown>
  /** a `roles:` or dependencies entry's `vars:` */
  vars?: Record<string, unknown>
  /** include_role/import_role's rolespec_validate: false skips the argument spec's check */
  rolespec_validate?: boolean
  tasks_from?: string
  vars_from?: string
  defaults_from?: string
  handlers_from?: string
  /** include_role/import_role: the task's own `vars:`, which with its *_from files and being an include tell Ansible's role instances apart */
  includeVars?: Record<string, unknown>
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory()

/** A role found: its dir, and for a collection's role its collection and FQCN. */
export interface FoundRole {
  dir: string
  collection?: string
}

/** `ns.coll.role` or `ns.coll.sub.dirs.role`: a collection's role by its fully qualified name (Ansible's is_valid_fqcr for roles). */
const FQCN = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)\.((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)$/

/**
 * Where Ansible looks for a role (RoleDefinition._load_role_path), in order: a `ns.coll.role` in
 * each collections path (the playbook's `collections/` first, Python's path last); a short name in the collection of the
 * role that needs it, then in each of the play's `collections:`; then `<playbook dir>/roles`, the extra dirs given to the loader,
 * roles_path (ansible.cfg, ANSIBLE_ROLES_PATH, else ~/.ansible/roles, /usr/share/ansible/roles,
 * /etc/ansible/roles), beside the role that needs it, the playbook dir; last the name as a path.
 */
export function roleCandidates(scope: TaskScope, name: string): FoundRole[] {
  const { playbookDir, rolesPath } = scope.play
  const out: FoundRole[] = []
  const fq = FQCN.exec(name)
  const inCollection = (collection: string, role: string) => {
    for (const p of collectionDirs(playbookDir)) out.push({ dir: collectionRoleDir(p, collection, role), collection })
  }
  // a role in a subdirectory of the collection's roles/ is named with dots (ns.coll.infra.roles.mac_pools)
  if (fq) inCollection(`${fq[1]}.${fq[2]}`, fq[3]!.replaceAll('.', '/'))
  else if (!name.includes('/')) for (const c of new Set([scope.role?.collection, ...scope.play.collections])) if (c) inCollection(c, name)
  const dirs = [
    path.join(playbookDir, 'roles'),
    ...rolesPath,
    ...configuredRolesPath(playbookDir),
    ...(scope.role ? [path.dirname(scope.role.dir)] : []),
    playbookDir,
  ]
  for (const d of dirs) out.push({ dir: path.resolve(d, name) })
  out.push({ dir: path.resolve(name) })
  const seen = new Set<string>()
  return out.filter((c) => !seen.has(c.dir) && seen.add(c.dir))
}

export function findRole(scope: TaskScope, ref: RoleRef): FoundRole {
  const tried = roleCandidates(scope, ref.name)
  const found = tried.find((c) => isDir(c.dir))
  if (!found) throw refError(scope, ref, `role '${ref.name}' not found (searched: ${tried.map((c) => c.dir).join(', ')})`)
  // Ansible's unfrackpath: a role found on the roles search path is known by its real path (role_path,
  // the files it includes, as printed); a collection's role keeps the path it was found at
  return found.collection ? found : { ...found, dir: realpathSync(found.dir) }
}

/** `<dir>/<name>.yml`, `.yaml`, or bare; for vars/defaults also a `<name>/` dir of files. */
function findFile(dir: string, name: string): string | undefined {
  return [name, `${name}.yml`, `${name}.yaml`].map((f) => path.join(dir, f)).find((f) => existsSync(f) && !statSync(f).isDirectory())
}

function loadVars(dir: string, name = 'main'): Record<string, unknown> {
  const file = findFile(dir, name)
  const files = file
    ? [file]
    : isDir(path.join(dir, name))
      ? readdirSync(path.join(dir, name))
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => path.join(dir, name, f))
      : []
  const out: Record<string, unknown> = {}
  for (const f of files) {
    const src = readYaml(f)
    Object.assign(out, mapping(src, path.basename(f), src.doc.contents as Node | null))
  }
  return out
}

/** A `roles:` or meta `dependencies:` entry: a name, or `{ role: name, vars, when, tags, ...params }`. */
export function roleEntry(scope: TaskScope, node: Node): { ref: RoleRef; kw: TaskKeywords } {
  const { src } = scope
  const base: TaskKeywords = { pos: posOf(src, node), when: [], tags: [], vars: {} }
  if (isScalar(node) && typeof node.value === 'string') return { ref: { name: node.value, node, params: {} }, kw: base }
  if (!isMap(node)) throw fail(src, node, `a role entry must be a name or a mapping with 'role', got ${describeNode(node)}`)
  const es = entries(src, node)
  const nameEntry = es.find((e) => e.key === 'role') ?? es.find((e) => e.key === 'name')
  if (!nameEntry) throw fail(src, node, "role entry has no 'role' (the role's name)")
  // the keywords a role entry takes; every other key (and `vars`) is a param of the role
  const { values, others } = readKeywords(
    src,
    es.filter((e) => e !== nameEntry),
    'role',
    'a role entry',
    'keep',
  )
  const kw: TaskKeywords = { ...base, ...values }
  const defaults = entryModuleDefaults(scope, src, es)
  if (defaults) kw.module_defaults = defaults
  const params: Record<string, unknown> = {}
  const vars: Record<string, unknown> = {}
  for (const e of others) {
    if (e.key === 'vars') Object.assign(vars, mapping(src, 'vars', e.value))
    else params[e.key] = toJS(src, e.value)
  }
  return { ref: { name: str(src, nameEntry.key, nameEntry.value), node: nameEntry.value ?? node, params, vars }, kw }
}

/** Sets the role on every task inside that has none yet (a dependency keeps its own). */
function withRole(tasks: Task[], role: RoleContext): void {
  for (const t of tasks) {
    t.role ??= role
    if (t.kind === 'block') for (const part of [t.block, t.rescue, t.always]) withRole(part, role)
  }
}

/**
 * The role as a block (its dependencies first, then its tasks), its handlers appended to the
 * play's once per role instance. With `dedupe` (roles: and dependencies) a role already loaded with the same params is
 * skipped: null.
 */
export function roleBlock(scope: TaskScope, ref: RoleRef, kw: TaskKeywords, dedupe: boolean, via: NonNullable<RoleContext['via']>): BlockTask | null {
  const found = findRole(scope, ref)
  const { dir } = found
  // Ansible's role cache tells instances apart by params and vars together
  const key = `${dir}\0${JSON.stringify([ref.params, ref.vars ?? {}])}`
  if (scope.stack.includes(`role:${dir}`))
    throw refError(
      scope,
      ref,
      `role dependency cycle: ${[...scope.stack.filter((s) => s.startsWith('role:')).map((s) => path.basename(s.slice(5))), ref.name].join(' -> ')}`,
    )
  const metaFile = findFile(path.join(dir, 'meta'), 'main')
  const meta = metaFile ? readYaml(metaFile) : undefined
  const metaMap = meta && isMap(meta.doc.contents) ? entries(meta, meta.doc.contents) : []
  const allowDup = metaMap.some((e) => e.key === 'allow_duplicates' && isScalar(e.value) && e.value.value === true)
  if (dedupe && !allowDup && scope.play.rolesSeen.has(key)) return null
  scope.play.rolesSeen.add(key)
  const role: RoleContext = {
    name: path.basename(dir),
    dir,
    defaults: loadVars(path.join(dir, 'defaults'), ref.defaults_from),
    vars: loadVars(path.join(dir, 'vars'), ref.vars_from),
    definitionVars: ref.includeVars ?? ref.vars ?? {},
    params: ref.params,
    via,
  }
  if (found.collection) Object.assign(role, { collection: found.collection, fqcn: `${found.collection}.${role.name}` })
  if (scope.role) role.parents = [scope.role, ...(scope.role.parents ?? [])]
  const stack = [...scope.stack, `role:${dir}`]
  const deps = dependencies({ ...scope, stack, role }, meta, metaMap.find((e) => e.key === 'dependencies')?.value ?? null)
  const tasksDir = path.join(dir, 'tasks')
  const inner = { ...innerScope(scope, kw), role, stack, baseDir: tasksDir }
  const tasksFile = findFile(tasksDir, ref.tasks_from ?? 'main')
  if (!tasksFile && ref.tasks_from) throw refError(scope, ref, `role '${ref.name}' has no tasks file '${ref.tasks_from}' in ${tasksDir}`)
  let tasks: Task[] = []
  if (tasksFile) {
    const src = readYaml(tasksFile)
    tasks = loadTaskList({ ...inner, src, stack: [...stack, tasksFile] }, src.doc.contents as Node | null, 'tasks')
  }
  const handlersFile = findFile(path.join(dir, 'handlers'), ref.handlers_from ?? 'main')
  // each role instance (Ansible's Role.load cache: the params; for include_role and import_role also
  // the *_from files and the task's vars) brings its own copy of the handlers, so a topic they
  // `listen` to runs each copy; a role used again as the same instance adds none
  const instance =
    ref.includeVars === undefined
      ? key
      : `${key}\0include${JSON.stringify([ref.tasks_from, ref.vars_from, ref.defaults_from, ref.handlers_from, ref.includeVars])}`
  if (handlersFile && !scope.play.handlersSeen.has(instance)) {
    scope.play.handlersSeen.add(instance)
    const src = readYaml(handlersFile)
    const handlers = loadHandlers({ ...inner, src, baseDir: path.dirname(handlersFile) }, src.doc.contents as Node | null)
    // an include_role/import_role's vars are its instance's: its handlers see them too
    const vars = ref.includeVars && Object.keys(ref.includeVars).length ? ref.includeVars : undefined
    const around = vars && { pos: kw.pos, when: [], tags: [], vars }
    scope.play.handlers.push(...(around ? handlers.map((h) => ({ ...h, within: [around, ...(h.within ?? [])] })) : handlers))
  }
  const validation = ref.rolespec_validate === false ? undefined : roleValidationTask(dir, meta, ref.tasks_from ?? 'main', ref.params)
  if (validation) tasks.unshift(validation)
  withRole(tasks, role)
  return { kind: 'block', ...kw, role, block: [...deps, ...tasks], rescue: [], always: [] }
}

function dependencies(scope: TaskScope, meta: Source | undefined, node: Node | null): Task[] {
  if (!meta || isNull(node)) return []
  if (!isSeq(node)) throw fail(meta, node, `'dependencies' must be a list of roles, got ${describeNode(node)}`)
  const depScope = { ...scope, src: meta, role: undefined }
  return node.items.flatMap((n) => {
    const { ref, kw } = roleEntry(depScope, n as Node)
    // a dependency is found beside the role that needs it as well as on the search path
    const block = roleBlock({ ...depScope, role: scope.role }, ref, kw, true, 'dependency')
    return block ? [block] : []
  })
}
