/** One play: its keywords checked (unknown keys named with a suggestion), its task lists and roles loaded. */
import path from 'node:path'
import { isMap, isScalar, isSeq, type Node } from 'yaml'
import { newPlayScope, type Registry, type TaskScope } from './context.js'
import { bool, mapping, str, stringList, tags } from './keywords.js'
import { resolveAction } from './module-task.js'
import { roleBlock, roleEntry } from './roles.js'
import { didYouMean } from './suggest.js'
import { loadHandlers, loadTaskList } from './tasks.js'
import type { Play, Task } from './types.js'
import { unknownModule } from '../errors.js'
import { at, describeNode, entries, fail, isNull, posOf, type Entry, type Source } from './yaml-source.js'

const PLAY_KEYS = [
  'name',
  'hosts',
  'vars',
  'vars_files',
  'become',
  'become_user',
  'gather_facts',
  'gather_subset',
  'gather_timeout',
  'fact_path',
  'serial',
  'strategy',
  'check_mode',
  'tags',
  'pre_tasks',
  'roles',
  'tasks',
  'post_tasks',
  'handlers',
  'any_errors_fatal',
  'max_fail_percentage',
  'environment',
  'connection',
  'remote_user',
  'module_defaults',
]
/** accepted without effect: acplay resolves modules without collections */
const IGNORED = ['collections', 'debugger', 'throttle', 'become_method']
/** real Ansible play keywords acplay does not implement: named as such rather than "unknown" */
const UNSUPPORTED = ['vars_prompt', 'force_handlers', 'ignore_errors', 'ignore_unreachable', 'no_log', 'diff', 'run_once', 'port', 'order', 'timeout']

export function loadPlay(src: Source, node: Node, registry: Registry, rolesPath: string[]): Play {
  if (!isMap(node)) throw fail(src, node, `a play must be a mapping, got ${describeNode(node)}`)
  const es = entries(src, node)
  for (const e of es) {
    if (UNSUPPORTED.includes(e.key)) throw fail(src, e.keyNode, `play keyword '${e.key}' is not supported by acplay`)
    if (!PLAY_KEYS.includes(e.key) && !IGNORED.includes(e.key)) {
      throw fail(src, e.keyNode, `unknown play keyword '${e.key}'${didYouMean(e.key, PLAY_KEYS, 1)}`)
    }
  }
  const get = (k: string): Entry | undefined => es.find((e) => e.key === k)
  const hostsEntry = get('hosts')
  if (!hostsEntry || isNull(hostsEntry.value)) throw fail(src, hostsEntry?.keyNode ?? node, "play has no 'hosts'")
  const dir = path.dirname(src.file)
  const hosts = stringList(src, 'hosts', hostsEntry.value).join(',')
  const play: Play = {
    name: hosts,
    pos: posOf(src, node),
    hosts,
    vars: {},
    vars_files: [],
    strategy: 'linear',
    tags: [],
    pre_tasks: [],
    roles: [],
    tasks: [],
    post_tasks: [],
    handlers: [],
    dir,
  }
  const play_ = newPlayScope(registry, dir, rolesPath)
  for (const { key, keyNode, value } of es) {
    switch (key) {
      case 'name':
        play.name = str(src, key, value)
        break
      case 'vars':
        play.vars = mapping(src, key, value)
        break
      case 'environment':
        play.environment = mapping(src, key, value)
        break
      case 'tags':
        play.tags = tags(src, value)
        break
      case 'gather_subset':
        play.gather_subset = stringList(src, key, value)
        break
      case 'gather_timeout':
        play.gather_timeout = positiveInt(src, key, value)
        break
      case 'fact_path':
        play.fact_path = str(src, key, value)
        break
      case 'become_user':
      case 'remote_user':
        play[key] = str(src, key, value)
        break
      case 'become':
      case 'gather_facts':
      case 'check_mode':
      case 'any_errors_fatal':
        play[key] = bool(src, key, value)
        break
      case 'vars_files':
        play.vars_files = varsFiles(src, value, dir)
        break
      case 'serial':
        play.serial = serial(src, value)
        break
      case 'strategy':
        play.strategy = oneOf(src, key, value, ['linear', 'free'] as const)
        break
      case 'connection':
        play.connection = oneOf(src, key, value, ['ssh', 'local', 'smart'] as const)
        break
      case 'module_defaults':
        play_.moduleDefaults = play.module_defaults = moduleDefaults(src, value, play_)
        break
      case 'become_method':
        if (str(src, key, value) !== 'sudo') throw fail(src, value, `become_method '${str(src, key, value)}' is not supported (acplay uses sudo)`)
        break
      case 'max_fail_percentage': {
        const v = isScalar(value) ? value.value : undefined
        if (typeof v !== 'number' || v < 0 || v > 100)
          throw fail(src, value, `'max_fail_percentage' must be a number from 0 to 100, got ${describeNode(value)}`)
        play.max_fail_percentage = v
        break
      }
      default:
        void keyNode
    }
  }
  const scope: TaskScope = { play: play_, src, baseDir: dir, stack: [src.file] }
  const list = (k: 'pre_tasks' | 'tasks' | 'post_tasks'): Task[] => loadTaskList(scope, get(k)?.value ?? null, k)
  play.pre_tasks = list('pre_tasks')
  play.roles = roles(scope, get('roles')?.value ?? null)
  play.tasks = list('tasks')
  play.post_tasks = list('post_tasks')
  // the play's own handlers first, then the roles' (loaded with their roles above)
  play.handlers = [...loadHandlers(scope, get('handlers')?.value ?? null), ...play_.handlers]
  return play
}

function roles(scope: TaskScope, node: Node | null): Task[] {
  if (isNull(node)) return []
  if (!isSeq(node)) throw fail(scope.src, node, `'roles' must be a list, got ${describeNode(node)}`)
  return node.items.flatMap((n) => {
    const { ref, kw } = roleEntry(scope, n as Node)
    const block = roleBlock(scope, ref, kw, true)
    return block ? [block] : []
  })
}

function varsFiles(src: Source, node: Node | null, dir: string): string[] {
  if (isSeq(node)) for (const n of node.items) if (isSeq(n)) throw fail(src, n as Node, 'first-found lists in vars_files are not supported')
  // relative paths are made absolute now: an imported playbook's are relative to its own dir
  return stringList(src, 'vars_files', node).map((f) => (f.startsWith('{{') ? f : path.resolve(dir, f)))
}

function serial(src: Source, node: Node | null): number | string {
  const v = isScalar(node) ? node.value : undefined
  if (typeof v === 'number' || typeof v === 'string') return v
  throw fail(src, node, `'serial' must be a number or a percentage, got ${describeNode(node)}`)
}

function positiveInt(src: Source, key: string, node: Node | null): number {
  const v = isScalar(node) ? node.value : undefined
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) throw fail(src, node, `'${key}' must be a positive number of seconds, got ${describeNode(node)}`)
  return n
}

function oneOf<T extends string>(src: Source, key: string, node: Node | null, allowed: readonly T[]): T {
  const v = str(src, key, node)
  if (!allowed.includes(v as T)) throw fail(src, node, `'${key}' must be one of ${allowed.join(', ')}, got '${v}'`)
  return v as T
}

function moduleDefaults(src: Source, node: Node | null, scope: ReturnType<typeof newPlayScope>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {}
  if (isNull(node)) return out
  if (!isMap(node)) throw fail(src, node, `'module_defaults' must be a mapping of module name to arguments, got ${describeNode(node)}`)
  for (const { key, keyNode, value } of entries(src, node)) {
    const name = resolveAction(scope, key)
    if (!name) throw unknownModule(`unknown module '${key}' in module_defaults${didYouMean(key, scope.registry.moduleNames())}`, at(src, keyNode))
    out[name] = { ...out[name], ...mapping(src, key, value) }
  }
  return out
}
