/**
 * Task lists: each entry is a module task, a block, an include/import or a meta action. The action
 * is the one key that is not a task keyword; an unknown keyword therefore reads as an unknown
 * module, which is what Ansible says too.
 */
import path from 'node:path'
import { isMap, isSeq, type Node } from 'yaml'
import { AcplayError, playbookError } from '../errors.js'
import type { TaskScope } from './context.js'
import { entryModuleDefaults, innerDefaults } from './module-defaults.js'
import { isTaskKeyword, lookupLoop, readKeywords, TASK_KEYWORD_NAMES, type KeywordValues, type Site } from './keyword-table.js'
import { str } from './keywords.js'
import { loadInclude, INCLUDE_ACTIONS } from './includes.js'
import { ansibleModuleFor, checkArgs, moduleArgs, PACKAGE_ACTIONS, resolveAction, splitActionKeyword, unknownModuleError } from './module-task.js'
import type { BlockTask, Handler, ModuleTask, Task, TaskKeywords } from './types.js'
import { describeNode, entries, fail, isNull, posOf, readYaml, type Entry } from '../yaml-source.js'

type TaskSite = Exclude<Site, 'play' | 'role'>

/**
 * The keywords of a task-list entry, read by the keyword table for its site (`what` names it in
 * errors), all but its `action` key; `role` comes from the scope so nested tasks carry it too.
 */
export function entryKeywords<S extends TaskSite>(
  scope: TaskScope,
  node: Node,
  es: Entry[],
  site: S,
  what: string,
  action?: Entry,
): TaskKeywords & KeywordValues<S> {
  const { values } = readKeywords(scope.src, action ? es.filter((e) => e !== action) : es, site, what)
  const kw = { pos: posOf(scope.src, node), when: [], tags: [], vars: {}, ...values } as TaskKeywords & KeywordValues<S>
  if (scope.role) kw.role = scope.role
  const defaults = entryModuleDefaults(scope, scope.src, es)
  if (defaults) kw.module_defaults = defaults
  return kw
}

export function loadTaskList(scope: TaskScope, node: Node | null, key: string): Task[] {
  if (isNull(node)) return []
  if (!isSeq(node)) throw fail(scope.src, node, `'${key}' must be a list of tasks, got ${describeNode(node)}`)
  return node.items.flatMap((n) => loadTask(scope, n as Node))
}

export function loadTaskFile(scope: Omit<TaskScope, 'src' | 'baseDir'>, file: string): Task[] {
  if (scope.stack.includes(file)) throw new Error(`import cycle: ${[...scope.stack, file].join(' -> ')}`)
  const src = readYaml(file)
  return loadTaskList({ ...scope, src, baseDir: path.dirname(file), stack: [...scope.stack, file] }, src.doc.contents as Node | null, 'tasks')
}

export function loadTask(scope: TaskScope, node: Node): Task {
  const { src } = scope
  if (!isMap(node)) throw fail(src, node, `a task must be a mapping, got ${describeNode(node)}`)
  const es = entries(src, node)
  const name = es.find((e) => e.key === 'name')
  const taskName = name && !isNull(name.value) ? str(src, 'name', name.value) : undefined
  if (es.some((e) => e.key === 'block')) return loadBlock(scope, node, es)
  for (const e of es) {
    const lookup = lookupLoop(src, e, taskName)
    if (lookup) throw lookup
  }
  // the action is the one key that is no keyword
  const actions = es.filter((e) => !isTaskKeyword(e.key))
  if (actions.length === 0) throw fail(src, node, 'task has no module or action', taskName)
  const unknown = actions.find(
    (e) => !INCLUDE_ACTIONS.has(e.key) && e.key !== 'action' && e.key !== 'local_action' && !resolveAction(scope.play, e.key, scope.role?.collection),
  )
  if (unknown && Object.hasOwn(REMOVED_KEYWORDS, unknown.key))
    throw fail(src, unknown.keyNode, `'${unknown.key}' is no task keyword since Ansible 2.9: ${REMOVED_KEYWORDS[unknown.key]}`, taskName)
  if (unknown) throw unknownModuleError(scope.play, src, unknown.keyNode, unknown.key, TASK_KEYWORD_NAMES, taskName)
  if (actions.length > 1) throw fail(src, actions[1]!.keyNode, `conflicting actions in one task: ${actions.map((a) => a.key).join(', ')}`, taskName)
  const action = actions[0]!
  if (INCLUDE_ACTIONS.has(action.key)) return loadInclude(scope, node, es, action)
  return loadModuleTask(scope, node, es, action)
}

/** Keywords of old playbooks Ansible 2.14 no longer takes (it fails on them at load too: conflicting action statements). */
const REMOVED_KEYWORDS: Record<string, string> = {
  sudo: 'use become: true',
  sudo_user: 'use become_user',
  su: 'use become: true with become_method: su',
  su_user: 'use become_user with become_method: su',
}

function loadModuleTask(scope: TaskScope, node: Node, es: Entry[], action: Entry): ModuleTask {
  const { src } = scope
  const site = scope.inHandlers ? 'handler' : 'task'
  const kw = entryKeywords(scope, node, es, site, site === 'task' ? 'a task' : 'a handler', action)
  let module: string
  let args: Record<string, unknown>
  let valueNode = action.value
  let keyNode = action.keyNode
  let written = action.key
  if (action.key === 'action' || action.key === 'local_action') {
    const a = splitActionKeyword(src, action.value, kw.name)
    const resolved = resolveAction(scope.play, a.name, scope.role?.collection)
    if (!resolved) throw unknownModuleError(scope.play, src, a.nameNode, a.name, TASK_KEYWORD_NAMES, kw.name)
    module = resolved
    written = a.name
    keyNode = a.nameNode
    if (a.text !== undefined) {
      args = moduleArgs(src, module, a.nameNode, argsOf(es), kw.name ?? module, a.text)
      valueNode = null
    } else {
      args = moduleArgs(src, module, a.value, argsOf(es), kw.name ?? module)
      delete args.module
    }
    if (action.key === 'local_action') kw.delegate_to = 'localhost'
  } else {
    module = resolveAction(scope.play, action.key, scope.role?.collection)!
    args = moduleArgs(src, module, valueNode, argsOf(es), kw.name ?? module)
  }
  // an argument acplay's module does not support yet: Ansible's own module runs the task, when the controller has it
  module = ansibleModuleFor(scope.play, module, written, args) ?? module
  if (PACKAGE_ACTIONS.has(written)) {
    // Ansible's package action picks the host's manager when it runs and passes the arguments to it
    // (`use` is its own): they are checked then, so a task for yum's hosts loads on Debian's
    delete args.use
  } else if (scope.inHandlers || scope.conditional || kw.when.length > 0) {
    // a task that may never run here (a handler, a task for other hosts' OS): a module's bad
    // arguments fail it where it runs, as in Ansible (the run checks them again), not the load
    try {
      checkArgs(scope.play, src, module, args, valueNode, keyNode, kw.name ?? module, defaultsOf(scope, kw))
    } catch (e) {
      if (!(e instanceof AcplayError && e.code === 'E_PARAM' && scope.play.registry.getModuleSpec(module))) throw e
    }
  } else checkArgs(scope.play, src, module, args, valueNode, keyNode, kw.name ?? module, defaultsOf(scope, kw))
  return { kind: 'module', ...kw, module, ...(written !== module ? { action: written } : {}), args, notify: kw.notify ?? [] }
}

const argsOf = (es: Entry[]): Node | null => es.find((e) => e.key === 'args')?.value ?? null

/** The module_defaults a task's arguments are checked with at load: the enclosing levels' and its own (the play's are added by checkArgs). */
const defaultsOf = (scope: TaskScope, kw: TaskKeywords) => innerDefaults(scope.moduleDefaults, kw.module_defaults)

/** The scope inside a block, import or role entry: its `when` makes the tasks conditional, its module_defaults join the enclosing ones. */
export function innerScope<S extends TaskScope>(scope: S, kw: TaskKeywords): S {
  const inner = kw.when.length > 0 ? { ...scope, conditional: true } : scope
  return kw.module_defaults ? { ...inner, moduleDefaults: defaultsOf(scope, kw) } : inner
}

function loadBlock(scope: TaskScope, node: Node, es: Entry[]): BlockTask {
  const kw = entryKeywords(scope, node, es, 'block', 'a block')
  const inner = innerScope(scope, kw)
  const part = (k: string) => loadTaskList(inner, es.find((e) => e.key === k)?.value ?? null, k)
  return { kind: 'block', ...kw, block: part('block'), rescue: part('rescue'), always: part('always') }
}

/**
 * Handlers are named module tasks; `listen` gives topics they answer to besides their name. A block
 * among them (written, or an import_tasks / static `include`) gives its tasks as handlers, each
 * keeping the block's keywords: Ansible's strategy looks handlers up in its handler blocks' tasks.
 */
export function loadHandlers(scope: TaskScope, node: Node | null): Handler[] {
  if (isNull(node)) return []
  if (!isSeq(node)) throw fail(scope.src, node, `'handlers' must be a list, got ${describeNode(node)}`)
  // the module_defaults around them (a role entry's, its enclosing blocks') reach the handlers, as in Ansible
  const around: TaskKeywords[] = scope.moduleDefaults
    ? [{ pos: posOf(scope.src, node), when: [], tags: [], vars: {}, module_defaults: scope.moduleDefaults }]
    : []
  return node.items.flatMap((n) => handlersOf(loadTask({ ...scope, inHandlers: true }, n as Node), around))
}

function handlersOf(t: Task, within: TaskKeywords[]): Handler[] {
  const where = { ...t.pos, ...(t.name && { task: t.name }) }
  if (t.kind === 'block') {
    const { block: tasks, rescue, always, kind: _, ...kw } = t
    if (rescue.length || always.length)
      throw playbookError('rescue and always are never run in handlers (Ansible runs only the block of a handler block)', where)
    return tasks.flatMap((inner) => handlersOf(inner, [...within, kw]))
  }
  if (t.kind !== 'module' && t.kind !== 'include_tasks') throw playbookError(`a handler must be a module task or include_tasks, got ${t.kind}`, where)
  if (!t.name) throw playbookError('handler has no name (handlers are notified by name)', where)
  // notified by its name (or `role : name`: engine/run/notify.ts) or by a listen topic
  return [{ ...t, listen: t.listen ?? [], ...(within.length && { within }) }]
}
