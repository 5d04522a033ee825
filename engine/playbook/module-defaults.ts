/**
 * `module_defaults` on a play, block, task, include or role entry (Ansible's
 * Base._load_module_defaults): a mapping, or a list of them, of action name to default arguments.
 * The names are static, resolved at load to the canonical module name (a short name and its FQCN
 * are one entry); the arguments are a mapping or a template rendered when the task runs
 * (engine/run/task-args.ts). An inner level's entry replaces an outer one's for the same
 * module, as Ansible's dict.update over the prepended list; the task's own arguments win over it.
 */
import { isMap, isSeq, type Node } from 'yaml'
import { isTemplate } from './keywords.js'
import type { PlayScope, TaskScope } from './context.js'
import { didYouMean } from './suggest.js'
import { PACKAGE_ACTIONS, resolveAction } from './module-task.js'
import { at, describeNode, entries, fail, isNull, toJS, type Entry, type Source } from '../yaml-source.js'
import { unknownModule } from '../errors.js'
import { qualifiedGroup, resolveActionGroup } from './action-groups.js'

/** Default arguments: a mapping, or a template that renders to one. */
export type DefaultArgs = Record<string, unknown> | string

/** A `group/NAME` entry: the defaults of every action in the group (action-groups.ts). */
export interface GroupDefaults {
  members: readonly string[]
  args: DefaultArgs
}

/** Default arguments by canonical module name, and by `group/` + the group's fully qualified name. */
export type ModuleDefaults = Record<string, DefaultArgs | GroupDefaults>

const isGroupKey = (key: string) => key.startsWith('group/')

const SHAPE = "'module_defaults' must be a mapping (or a list of mappings) of action name to arguments"

export function readModuleDefaults(play: PlayScope, src: Source, node: Node | null, roleCollection?: string): ModuleDefaults {
  const out: ModuleDefaults = {}
  if (isNull(node)) return out
  const maps = isSeq(node) ? (node.items as Node[]) : [node]
  for (const m of maps) {
    if (isNull(m)) continue
    if (!isMap(m)) throw fail(src, m, `${SHAPE}, got ${describeNode(m)}`)
    for (const { key, keyNode, value } of entries(src, m)) {
      const v = toJS(src, value)
      let args: DefaultArgs
      if (v === null || v === undefined) args = {}
      else if (isTemplate(v) || (typeof v === 'object' && !Array.isArray(v))) args = v as DefaultArgs
      else throw fail(src, value, `module_defaults for '${key}' must be a mapping of arguments or a template, got ${describeNode(value)}`)
      if (isGroupKey(key)) {
        const name = key.slice('group/'.length)
        const group = resolveActionGroup(name, play.playbookDir, (a) => resolveAction(play, a, roleCollection))
        if (!group) throw fail(src, keyNode, `Error loading module_defaults: could not resolve the module_defaults group ${qualifiedGroup(name)}`)
        out[`group/${group.name}`] = { members: group.members, args }
        continue
      }
      const name = PACKAGE_ACTIONS.has(key) ? 'package' : resolveAction(play, key, roleCollection)
      if (!name) throw unknownModule(`Could not resolve action ${key} in module_defaults${didYouMean(key, play.registry.moduleNames())}`, at(src, keyNode))
      out[name] = args
    }
  }
  return out
}

/** The `module_defaults` among a task's, block's or role entry's keys, read; undefined when it has none. */
export function entryModuleDefaults(scope: TaskScope, src: Source, es: readonly Entry[]): ModuleDefaults | undefined {
  const e = es.find((x) => x.key === 'module_defaults')
  return e && readModuleDefaults(scope.play, src, e.value, scope.role?.collection)
}

/**
 * The defaults `module` gets, in the order they apply (levels outermost first), as Ansible's
 * get_action_args_with_defaults: the levels merged key by key (an inner level's entry replaces an
 * outer one's), then every group entry that has the module, then the module's own entry.
 */
export function defaultsFor(levels: readonly (ModuleDefaults | undefined)[], module: string): DefaultArgs[] {
  const merged: ModuleDefaults = {}
  for (const l of levels) if (l) Object.assign(merged, l)
  const out: DefaultArgs[] = []
  for (const [key, entry] of Object.entries(merged)) {
    if (isGroupKey(key) && (entry as GroupDefaults).members.includes(module)) out.push((entry as GroupDefaults).args)
  }
  if (Object.hasOwn(merged, module)) out.push(merged[module] as DefaultArgs)
  return out
}

/**
 * The defaults a task gets: its module's, and for package (which runs as apt on acplay's targets)
 * package's over apt's, as Ansible's package action applies them. A service task gets its own
 * alone: the manager's (systemd's) apply only once the module knows it picks systemd on the host
 * (ModuleContext.argsOver, as Ansible's service action).
 */
export function taskDefaults(levels: readonly (ModuleDefaults | undefined)[], task: { module: string; action?: string }): DefaultArgs[] {
  const own = defaultsFor(levels, task.module)
  if (task.action && PACKAGE_ACTIONS.has(task.action)) return [...own, ...defaultsFor(levels, 'package')]
  return own
}

/** Two levels as one: the inner level's entries replace the outer's. */
export function innerDefaults(outer: ModuleDefaults | undefined, inner: ModuleDefaults | undefined): ModuleDefaults | undefined {
  return outer && inner ? { ...outer, ...inner } : (inner ?? outer)
}
