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
import { resolveAction } from './module-task.js'
import { at, describeNode, entries, fail, isNull, toJS, type Entry, type Source } from '../yaml-source.js'
import { unknownModule } from '../errors.js'

/** Default arguments by canonical module name: a mapping, or a template that renders to one. */
export type ModuleDefaults = Record<string, Record<string, unknown> | string>

const SHAPE = "'module_defaults' must be a mapping (or a list of mappings) of action name to arguments"

export function readModuleDefaults(play: PlayScope, src: Source, node: Node | null, roleCollection?: string): ModuleDefaults {
  const out: ModuleDefaults = {}
  if (isNull(node)) return out
  const maps = isSeq(node) ? (node.items as Node[]) : [node]
  for (const m of maps) {
    if (isNull(m)) continue
    if (!isMap(m)) throw fail(src, m, `${SHAPE}, got ${describeNode(m)}`)
    for (const { key, keyNode, value } of entries(src, m)) {
      if (key.startsWith('group/')) throw fail(src, keyNode, `module_defaults groups ('${key}') are not supported by acplay yet: give the defaults per module`)
      const name = resolveAction(play, key, roleCollection)
      if (!name) throw unknownModule(`Could not resolve action ${key} in module_defaults${didYouMean(key, play.registry.moduleNames())}`, at(src, keyNode))
      const v = toJS(src, value)
      if (v === null || v === undefined) out[name] = {}
      else if (isTemplate(v) || (typeof v === 'object' && !Array.isArray(v))) out[name] = v as ModuleDefaults[string]
      else throw fail(src, value, `module_defaults for '${key}' must be a mapping of arguments or a template, got ${describeNode(value)}`)
    }
  }
  return out
}

/** The `module_defaults` among a task's, block's or role entry's keys, read; undefined when it has none. */
export function entryModuleDefaults(scope: TaskScope, src: Source, es: readonly Entry[]): ModuleDefaults | undefined {
  const e = es.find((x) => x.key === 'module_defaults')
  return e && readModuleDefaults(scope.play, src, e.value, scope.role?.collection)
}

/** The defaults the innermost level that names `module` gives it (levels outermost first). */
export function defaultsFor(levels: readonly (ModuleDefaults | undefined)[], module: string): ModuleDefaults[string] | undefined {
  let found: ModuleDefaults[string] | undefined
  for (const l of levels) if (l && Object.hasOwn(l, module)) found = l[module]
  return found
}

/** Two levels as one: the inner level's entries replace the outer's. */
export function innerDefaults(outer: ModuleDefaults | undefined, inner: ModuleDefaults | undefined): ModuleDefaults | undefined {
  return outer && inner ? { ...outer, ...inner } : (inner ?? outer)
}
