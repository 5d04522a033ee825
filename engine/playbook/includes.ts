/** include_tasks / import_tasks / include_role / import_role / meta. Imports are loaded now; includes when reached. */
import { toBool } from '../vars/filters-core.js'
import { AcplayError } from '../errors.js'
import { findTaskFile } from '../run/find-file.js'
import { isMap, isScalar, type Node, Scalar } from 'yaml'
import type { TaskScope } from './context.js'
import { takenOn } from './keyword-table.js'
import { isTemplate } from './keywords.js'
import { str } from './keywords.js'
import { parseKv } from './kv-args.js'
import { findRole, roleBlock, type RoleRef } from './roles.js'
import { entryKeywords, innerScope, loadTaskFile } from './tasks.js'
import type { BlockTask, IncludeRoleTask, IncludeTasksTask, MetaTask, Task, TaskKeywords } from './types.js'
import { describeNode, entries, fail, isNull, toJS, type Entry } from '../yaml-source.js'

const BASE = ['include_tasks', 'import_tasks', 'include_role', 'import_role', 'meta', 'include']
export const INCLUDE_ACTIONS = new Set(BASE.flatMap((a) => [a, `ansible.builtin.${a}`, `ansible.legacy.${a}`]))

const META_ACTIONS: MetaTask['action'][] = [
  'flush_handlers',
  'end_play',
  'end_host',
  'end_batch',
  'noop',
  'clear_host_errors',
  'clear_facts',
  'refresh_inventory',
  'reset_connection',
]
const ROLE_OPTIONS = ['name', 'tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'allow_duplicates', 'public', 'rolespec_validate', 'apply']

export function loadInclude(scope: TaskScope, node: Node, es: Entry[], action: Entry): Task {
  let kind = action.key.replace(/^ansible\.(builtin|legacy)\./, '')
  // an unnamed include is called by its action as written (ansible.builtin.include_tasks, include)
  const writtenAction = action.key
  const { src } = scope
  let legacyVars: Record<string, string> | undefined
  const legacy = kind === 'include'
  if (legacy) {
    const written = action
    ;({ kind, action, legacyVars } = legacyInclude(scope, es, written))
    es = es.map((e) => (e === written ? action : e))
  }
  // `args:` of an include (Ansible's docs write `args: {apply: ...}`): its options, beside the action's own
  const argsEntry = kind === 'include_tasks' || kind === 'include_role' ? es.find((e) => e.key === 'args') : undefined
  if (argsEntry) {
    if (!isMap(argsEntry.value))
      throw fail(src, argsEntry.value ?? argsEntry.keyNode, `'args' of ${kind} must be a mapping, got ${describeNode(argsEntry.value)}`)
    es = es.filter((e) => e !== argsEntry)
  }
  const site = kind === 'meta' ? 'meta' : kind === 'include_tasks' || kind === 'include_role' ? 'include' : 'import'
  // Ansible does not check the deprecated include's keywords (it cannot tell yet whether it is static):
  // where it turns dynamic, those a dynamic include does not take are accepted and, as there, act on nothing
  if (legacy && site === 'include') es = es.filter((e) => e === action || takenOn(e.key, 'include') || !takenOn(e.key, 'import'))
  const kw = entryKeywords(scope, node, es, site, kind, action)
  if (legacyVars) kw.vars = { ...legacyVars, ...kw.vars }
  if (kw.listen && !scope.inHandlers) throw fail(src, es.find((e) => e.key === 'listen')!.keyNode, "'listen' is only valid on handlers", kw.name)
  const opts = {
    ...options(scope, action, kind === 'include_tasks' || kind === 'import_tasks' ? 'file' : kind === 'meta' ? 'action' : 'name', kw.name),
    ...(argsEntry && (toJS(src, argsEntry.value!) as Record<string, unknown>)),
  }
  const apply = applyOpt(scope, action, kind, kw.name, argsEntry)
  switch (kind) {
    case 'meta': {
      const a = opts.action as MetaTask['action']
      if (!META_ACTIONS.includes(a)) throw fail(src, action.value, `unknown meta action '${String(a)}' (supported: ${META_ACTIONS.join(', ')})`, kw.name)
      return { kind: 'meta', ...kw, action: a, ...(writtenAction !== kind && { written: writtenAction }) }
    }
    case 'include_tasks':
      return {
        kind: 'include_tasks',
        ...kw,
        file: fileOpt(scope, opts, action, kw.name),
        baseDir: scope.baseDir,
        ...(apply && { apply }),
        ...(writtenAction !== kind && { action: writtenAction }),
      } satisfies IncludeTasksTask
    case 'import_tasks': {
      const file = fileOpt(scope, opts, action, kw.name)
      if (isTemplate(file))
        throw fail(src, action.value, `import_tasks needs a fixed file name, got '${file}' (use include_tasks for a templated one)`, kw.name)
      let tasks: Task[]
      try {
        const full = findTaskFile(file, { role: scope.role, taskFile: src.file, playDir: scope.play.playbookDir, handler: scope.inHandlers })
        tasks = loadTaskFile(innerScope(scope, kw), full)
      } catch (e) {
        if (e instanceof AcplayError && e.code === 'E_FILE_NOT_FOUND') throw fail(src, action.value, `import_tasks: ${e.message}`, kw.name)
        if (e instanceof Error && e.message.startsWith('import cycle')) throw fail(src, action.value, e.message, kw.name)
        throw e
      }
      return { kind: 'block', ...kw, block: tasks, rescue: [], always: [] } satisfies BlockTask
    }
    default: {
      const dynamic = kind === 'include_role'
      const ref = roleRef(scope, opts, action, kw.name)
      if (!dynamic) {
        if (isTemplate(ref.name)) throw fail(src, action.value, `import_role needs a fixed role name, got '${ref.name}' (use include_role)`, kw.name)
        return roleBlock(scope, { ...ref, includeVars: kw.vars ?? {} }, kw, false, 'import')!
      }
      // a typo in a fixed name fails now, not mid-run; under a `when` it is looked for when it runs,
      // as Ansible does (a role for other hosts, absent here, is no error)
      if (!isTemplate(ref.name) && kw.when.length === 0) findRole(scope, ref)
      const task: IncludeRoleTask = { kind: 'include_role', ...kw, roleName: ref.name, dynamic: true, baseDir: scope.play.playbookDir, ...(apply && { apply }) }
      if (writtenAction !== kind) task.action = writtenAction
      for (const k of ['tasks_from', 'vars_from', 'defaults_from', 'handlers_from'] as const) if (ref[k]) task[k] = ref[k]
      if (ref.rolespec_validate !== undefined) task.rolespec_validate = ref.rolespec_validate
      if (opts.public !== undefined && toBool(opts.public)) task.public = true
      return task
    }
  }
}

/**
 * Ansible 2.14's deprecated `include:` of a task file (removed in 2.16): static, as import_tasks,
 * unless its file name is a template or it loops (then dynamic, as include_tasks); words after the
 * file name (`include: x.yml a=1`) are variables of the included tasks.
 */
function legacyInclude(scope: TaskScope, es: Entry[], action: Entry): { kind: string; action: Entry; legacyVars?: Record<string, string> } {
  const v = action.value
  if (!isScalar(v) || typeof v.value !== 'string') {
    const name = es.find((e) => e.key === 'name')
    const task = name && !isNull(name.value) ? str(scope.src, 'name', name.value) : undefined
    throw fail(scope.src, v ?? action.keyNode, "'include' needs a task file name (Ansible 2.14's deprecated include; use include_tasks or import_tasks)", task)
  }
  const { args, freeForm } = parseKv(v.value)
  const loops = es.some((e) => e.key === 'loop' || e.key.startsWith('with_'))
  const kind = isTemplate(freeForm) || loops ? 'include_tasks' : 'import_tasks'
  const file = new Scalar(freeForm)
  file.range = v.range
  return { kind, action: { ...action, key: kind, value: file }, legacyVars: Object.keys(args).length ? args : undefined }
}

/** The action's value: a string is its main option (`include_tasks: x.yml`), a mapping its options. */
function options(scope: TaskScope, action: Entry, main: string, task?: string): Record<string, unknown> {
  const v = action.value
  if (isScalar(v) && typeof v.value === 'string') return { [main]: v.value }
  if (isMap(v)) return toJS(scope.src, v) as Record<string, unknown>
  throw fail(scope.src, v, `'${action.key}' needs a ${main}, got ${describeNode(v)}`, task)
}

/**
 * include_tasks / include_role `apply:` keywords, read as a block's (they become a block around the
 * included tasks: tags, when, become... reach each of them); only the dynamic includes take it.
 */
function applyOpt(scope: TaskScope, action: Entry, kind: string, task?: string, args?: Entry): TaskKeywords | undefined {
  const e = [action, ...(args ? [args] : [])]
    .map((a) => (isMap(a.value) ? entries(scope.src, a.value).find((x) => x.key === 'apply') : undefined))
    .reduce((found, x) => x ?? found, undefined)
  if (!e) return undefined
  if (kind !== 'include_tasks' && kind !== 'include_role') throw fail(scope.src, e.keyNode, `'apply' is only valid on include_tasks and include_role`, task)
  if (!isMap(e.value)) throw fail(scope.src, e.value ?? e.keyNode, `'apply' must be a mapping of task keywords, got ${describeNode(e.value)}`, task)
  return entryKeywords(scope, e.value, entries(scope.src, e.value), 'block', "include's apply")
}

function fileOpt(scope: TaskScope, opts: Record<string, unknown>, action: Entry, task?: string): string {
  const bad = Object.keys(opts).find((k) => k !== 'file' && (k !== 'apply' || !action.key.endsWith('include_tasks')))
  if (bad)
    throw fail(
      scope.src,
      action.value,
      `unsupported option '${bad}' for ${action.key} (supported: file${action.key.endsWith('include_tasks') ? ', apply' : ''})`,
      task,
    )
  if (typeof opts.file !== 'string' || !opts.file) throw fail(scope.src, action.value, `'${action.key}' needs a file`, task)
  return opts.file
}

function roleRef(scope: TaskScope, opts: Record<string, unknown>, action: Entry, task?: string): RoleRef {
  const bad = Object.keys(opts).find((k) => !ROLE_OPTIONS.includes(k))
  if (bad) throw fail(scope.src, action.value, `unsupported option '${bad}' for ${action.key} (supported: ${ROLE_OPTIONS.join(', ')})`, task)
  if (typeof opts.name !== 'string' || !opts.name) throw fail(scope.src, action.value, `'${action.key}' needs a role name`, task)
  const ref: RoleRef = { name: opts.name, node: action.value ?? action.keyNode, params: {} }
  for (const k of ['tasks_from', 'vars_from', 'defaults_from', 'handlers_from'] as const) if (typeof opts[k] === 'string') ref[k] = opts[k] as string
  if (opts.rolespec_validate !== undefined) ref.rolespec_validate = toBool(opts.rolespec_validate)
  return ref
}
