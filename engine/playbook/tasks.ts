/**
 * Task lists: each entry is a module task, a block, an include/import or a meta action. The action
 * is the one key that is not a task keyword; an unknown keyword therefore reads as an unknown
 * module, which is what Ansible says too.
 */
import path from 'node:path'
import { isMap, isSeq, type Node } from 'yaml'
import type { TaskScope } from './context.js'
import { bool, conditions, loopValue, mapping, str, stringList, tags } from './keywords.js'
import { loadInclude, INCLUDE_ACTIONS } from './includes.js'
import { checkArgs, moduleArgs, resolveAction, splitActionKeyword, unknownModuleError } from './module-task.js'
import type { BlockTask, Handler, ModuleTask, Task, TaskKeywords } from './types.js'
import { describeNode, entries, fail, isNull, posOf, readYaml, type Entry } from './yaml-source.js'

export const COMMON_KEYWORDS = [
  'name',
  'when',
  'tags',
  'vars',
  'become',
  'become_user',
  'ignore_errors',
  'check_mode',
  'diff',
  'no_log',
  'run_once',
  'delegate_to',
  'environment',
]
/** accepted and without effect here (acplay always uses sudo, one collection namespace, no debugger) */
const IGNORED = ['become_method', 'collections', 'debugger', 'throttle']
export const LOOP_KEYWORDS = ['loop', 'with_items', 'with_list', 'with_dict', 'loop_control']
const MODULE_KEYWORDS = [...LOOP_KEYWORDS, 'register', 'notify', 'changed_when', 'failed_when', 'args', 'until', 'retries', 'delay', 'timeout']
const BLOCK_KEYWORDS = ['block', 'rescue', 'always']
export const TASK_KEYWORDS = new Set([...COMMON_KEYWORDS, ...IGNORED, ...MODULE_KEYWORDS, ...BLOCK_KEYWORDS, 'listen'])

/** Keywords every task kind shares; `role` comes from the scope so nested tasks carry it too. */
export function commonKeywords(scope: TaskScope, node: Node, es: Entry[]): TaskKeywords {
  const { src } = scope
  const kw: TaskKeywords = { pos: posOf(src, node), when: [], tags: [], vars: {} }
  for (const { key, value } of es) {
    switch (key) {
      case 'name':
        kw.name = str(src, key, value)
        break
      case 'when':
        kw.when = conditions(src, key, value)
        break
      case 'tags':
        kw.tags = tags(src, value)
        break
      case 'vars':
        kw.vars = mapping(src, key, value)
        break
      case 'environment':
        kw.environment = mapping(src, key, value)
        break
      case 'become_user':
        kw.become_user = str(src, key, value)
        break
      case 'delegate_to':
        kw.delegate_to = str(src, key, value)
        break
      case 'become':
      case 'ignore_errors':
      case 'check_mode':
      case 'diff':
      case 'no_log':
      case 'run_once':
        kw[key] = bool(src, key, value)
        break
      case 'become_method':
        if (str(src, key, value) !== 'sudo') throw fail(src, value, `become_method '${str(src, key, value)}' is not supported (acplay uses sudo)`)
    }
  }
  if (scope.role) kw.role = scope.role
  return kw
}

/** Rejects keywords that do not apply to this kind of task (`register` on a block). */
export function onlyKeywords(scope: TaskScope, es: Entry[], allowed: readonly string[], what: string, skip: string): void {
  const ok = new Set([...COMMON_KEYWORDS, ...IGNORED, ...allowed, skip])
  const bad = es.find((e) => !ok.has(e.key))
  if (bad) throw fail(scope.src, bad.keyNode, `'${bad.key}' is not valid on ${what}`)
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
    if (/^with_/.test(e.key) && !TASK_KEYWORDS.has(e.key))
      throw fail(src, e.keyNode, `'${e.key}' is not supported; use 'loop' (with a filter where needed)`, taskName)
  }
  const actions = es.filter((e) => !TASK_KEYWORDS.has(e.key))
  if (actions.length === 0) throw fail(src, node, 'task has no module or action', taskName)
  const unknown = actions.find((e) => !INCLUDE_ACTIONS.has(e.key) && e.key !== 'action' && e.key !== 'local_action' && !resolveAction(scope.play, e.key))
  if (unknown) throw unknownModuleError(scope.play, src, unknown.keyNode, unknown.key, TASK_KEYWORDS, taskName)
  if (actions.length > 1) throw fail(src, actions[1]!.keyNode, `conflicting actions in one task: ${actions.map((a) => a.key).join(', ')}`, taskName)
  const action = actions[0]!
  if (INCLUDE_ACTIONS.has(action.key)) return loadInclude(scope, node, es, action)
  return loadModuleTask(scope, node, es, action)
}

function loadModuleTask(scope: TaskScope, node: Node, es: Entry[], action: Entry): ModuleTask {
  const { src } = scope
  const kw = commonKeywords(scope, node, es)
  const listen = es.find((e) => e.key === 'listen')
  if (listen && !scope.inHandlers) throw fail(src, listen.keyNode, "'listen' is only valid on handlers", kw.name)
  let module: string
  let args: Record<string, unknown>
  let valueNode = action.value
  let keyNode = action.keyNode
  if (action.key === 'action' || action.key === 'local_action') {
    const a = splitActionKeyword(src, action.value, kw.name)
    const resolved = resolveAction(scope.play, a.name)
    if (!resolved) throw unknownModuleError(scope.play, src, a.nameNode, a.name, TASK_KEYWORDS, kw.name)
    module = resolved
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
    module = resolveAction(scope.play, action.key)!
    args = moduleArgs(src, module, valueNode, argsOf(es), kw.name ?? module)
  }
  checkArgs(scope.play, src, module, args, valueNode, keyNode, kw.name ?? module)
  const task: ModuleTask = { kind: 'module', ...kw, module, args, notify: [] }
  moduleKeywords(scope, task, es)
  return task
}

const argsOf = (es: Entry[]): Node | null => es.find((e) => e.key === 'args')?.value ?? null

function moduleKeywords(scope: TaskScope, task: ModuleTask, es: Entry[]): void {
  const { src } = scope
  const loops = es.filter((e) => ['loop', 'with_items', 'with_list', 'with_dict'].includes(e.key))
  if (loops.length > 1) throw fail(src, loops[1]!.keyNode, `only one of loop/with_* per task, got ${loops.map((l) => l.key).join(', ')}`, task.name)
  for (const { key, value } of es) {
    switch (key) {
      case 'register':
        task.register = str(src, key, value)
        break
      case 'notify':
        task.notify = stringList(src, key, value)
        break
      case 'changed_when':
      case 'failed_when':
      case 'until':
        task[key] = conditions(src, key, value)
        break
      case 'retries':
      case 'delay':
      case 'timeout':
        task[key] = scalarNumber(scope, key, value)
        break
      case 'loop_control':
        task.loop_control = loopControl(scope, value)
        break
      case 'loop':
      case 'with_items':
      case 'with_list':
      case 'with_dict':
        task.loop = loopValue(src, key, value)
    }
  }
}

function scalarNumber(scope: TaskScope, key: string, node: Node | null): number | string {
  const v = (node as { value?: unknown } | null)?.value
  if (typeof v === 'number' || (typeof v === 'string' && /^\s*(\d+|\{\{[\s\S]*\}\})\s*$/.test(v))) return v
  throw fail(scope.src, node, `'${key}' must be a number or a template, got ${describeNode(node)}`)
}

export function loopControl(scope: TaskScope, node: Node | null): ModuleTask['loop_control'] {
  const out: NonNullable<ModuleTask['loop_control']> = {}
  if (isNull(node)) return out
  if (!isMap(node)) throw fail(scope.src, node, `'loop_control' must be a mapping, got ${describeNode(node)}`)
  for (const { key, keyNode, value } of entries(scope.src, node)) {
    if (key !== 'label' && key !== 'loop_var' && key !== 'index_var')
      throw fail(scope.src, keyNode, `unknown loop_control key '${key}' (supported: label, loop_var, index_var)`)
    out[key] = str(scope.src, key, value)
  }
  return out
}

function loadBlock(scope: TaskScope, node: Node, es: Entry[]): BlockTask {
  onlyKeywords(scope, es, BLOCK_KEYWORDS, 'a block', 'block')
  const part = (k: string) => loadTaskList(scope, es.find((e) => e.key === k)?.value ?? null, k)
  return { kind: 'block', ...commonKeywords(scope, node, es), block: part('block'), rescue: part('rescue'), always: part('always') }
}

/** Handlers are named module tasks; `listen` adds topics they answer to. */
export function loadHandlers(scope: TaskScope, node: Node | null): Handler[] {
  if (isNull(node)) return []
  if (!isSeq(node)) throw fail(scope.src, node, `'handlers' must be a list, got ${describeNode(node)}`)
  return node.items.map((n) => {
    const t = loadTask({ ...scope, inHandlers: true }, n as Node)
    if (t.kind !== 'module') throw fail(scope.src, n as Node, `a handler must be a module task, got ${t.kind === 'block' ? 'a block' : t.kind}`, t.name)
    if (!t.name) throw fail(scope.src, n as Node, 'handler has no name (handlers are notified by name)')
    const listenEntry = isMap(n) ? entries(scope.src, n).find((e) => e.key === 'listen') : undefined
    const topics = listenEntry ? stringList(scope.src, 'listen', listenEntry.value) : []
    const roleName = scope.role ? [`${scope.role.name} : ${t.name}`] : []
    return { ...t, listen: [...new Set([t.name, ...roleName, ...topics])] }
  })
}
