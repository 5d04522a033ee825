/** include_tasks / import_tasks / include_role / import_role / meta. Imports are loaded now; includes when reached. */
import path from 'node:path'
import { isMap, isScalar, type Node } from 'yaml'
import type { TaskScope } from './context.js'
import { isTemplate } from './keywords.js'
import { str } from './keywords.js'
import { findRole, roleBlock, type RoleRef } from './roles.js'
import { entryKeywords, loadTaskFile } from './tasks.js'
import type { BlockTask, IncludeRoleTask, IncludeTasksTask, MetaTask, Task } from './types.js'
import { describeNode, fail, isNull, toJS, type Entry } from '../yaml-source.js'

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
const ROLE_OPTIONS = ['name', 'tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'allow_duplicates', 'public', 'rolespec_validate']

export function loadInclude(scope: TaskScope, node: Node, es: Entry[], action: Entry): Task {
  const kind = action.key.replace(/^ansible\.(builtin|legacy)\./, '')
  const { src } = scope
  if (kind === 'include') {
    const name = es.find((e) => e.key === 'name')
    const task = name && !isNull(name.value) ? str(src, 'name', name.value) : undefined
    throw fail(src, action.keyNode, "'include' was removed from Ansible: use include_tasks (dynamic) or import_tasks (static)", task)
  }
  const site = kind === 'meta' ? 'meta' : kind === 'include_tasks' || kind === 'include_role' ? 'include' : 'import'
  const kw = entryKeywords(scope, node, es, site, kind, action)
  const opts = options(scope, action, kind === 'include_tasks' || kind === 'import_tasks' ? 'file' : kind === 'meta' ? 'action' : 'name', kw.name)
  switch (kind) {
    case 'meta': {
      const a = opts.action as MetaTask['action']
      if (!META_ACTIONS.includes(a)) throw fail(src, action.value, `unknown meta action '${String(a)}' (supported: ${META_ACTIONS.join(', ')})`, kw.name)
      return { kind: 'meta', ...kw, action: a }
    }
    case 'include_tasks':
      return { kind: 'include_tasks', ...kw, file: fileOpt(scope, opts, action, kw.name), baseDir: scope.baseDir } satisfies IncludeTasksTask
    case 'import_tasks': {
      const file = fileOpt(scope, opts, action, kw.name)
      if (isTemplate(file))
        throw fail(src, action.value, `import_tasks needs a fixed file name, got '${file}' (use include_tasks for a templated one)`, kw.name)
      const full = path.resolve(scope.baseDir, file)
      let tasks: Task[]
      try {
        tasks = loadTaskFile(scope, full)
      } catch (e) {
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
        return roleBlock(scope, ref, kw, false)!
      }
      if (!isTemplate(ref.name)) findRole(scope, ref) // a typo in a fixed name fails now, not mid-run
      const task: IncludeRoleTask = { kind: 'include_role', ...kw, roleName: ref.name, dynamic: true, baseDir: scope.play.playbookDir }
      for (const k of ['tasks_from', 'vars_from', 'defaults_from', 'handlers_from'] as const) if (ref[k]) task[k] = ref[k]
      return task
    }
  }
}

/** The action's value: a string is its main option (`include_tasks: x.yml`), a mapping its options. */
function options(scope: TaskScope, action: Entry, main: string, task?: string): Record<string, unknown> {
  const v = action.value
  if (isScalar(v) && typeof v.value === 'string') return { [main]: v.value }
  if (isMap(v)) return toJS(scope.src, v) as Record<string, unknown>
  throw fail(scope.src, v, `'${action.key}' needs a ${main}, got ${describeNode(v)}`, task)
}

function fileOpt(scope: TaskScope, opts: Record<string, unknown>, action: Entry, task?: string): string {
  const bad = Object.keys(opts).find((k) => k !== 'file')
  if (bad) throw fail(scope.src, action.value, `unsupported option '${bad}' for ${action.key} (supported: file)`, task)
  if (typeof opts.file !== 'string' || !opts.file) throw fail(scope.src, action.value, `'${action.key}' needs a file`, task)
  return opts.file
}

function roleRef(scope: TaskScope, opts: Record<string, unknown>, action: Entry, task?: string): RoleRef {
  const bad = Object.keys(opts).find((k) => !ROLE_OPTIONS.includes(k))
  if (bad) throw fail(scope.src, action.value, `unsupported option '${bad}' for ${action.key} (supported: ${ROLE_OPTIONS.join(', ')})`, task)
  if (typeof opts.name !== 'string' || !opts.name) throw fail(scope.src, action.value, `'${action.key}' needs a role name`, task)
  const ref: RoleRef = { name: opts.name, node: action.value ?? action.keyNode, params: {} }
  for (const k of ['tasks_from', 'vars_from', 'defaults_from', 'handlers_from'] as const) if (typeof opts[k] === 'string') ref[k] = opts[k] as string
  return ref
}
