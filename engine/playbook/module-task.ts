/**
 * A task's action: which module (or engine action) it names, and its arguments from a mapping,
 * a `k=v` string, and the legacy `args:` keyword. Arguments are checked against the module's spec
 * at load time where they can be: unknown and missing keys always, types only for values that
 * are not templates (those are known per host at run time).
 */
import { isMap, isScalar, type Node } from 'yaml'
import { ACTION_ARGS, ENGINE_ACTIONS, isEngineAction } from '../actions/names.js'
import { ansibleModuleNames, builtinModules, isAnsibleModule } from '../../modules/index.js'
import { paramError, unknownModule, type Location } from '../errors.js'
import { unsupportedArgument, validateParams } from '../../modules/schema.js'
import type { PlayScope } from './context.js'
import { taskDefaults, type ModuleDefaults } from './module-defaults.js'
import { isTemplate } from './keywords.js'
import { parseKv } from './kv-args.js'
import { didYouMean } from './suggest.js'
import { at, describeNode, entries, fail, isNull, toJS, type Source } from '../yaml-source.js'
import { findInstalledModule, removedModule } from '../library/installed-ansible.js'

/** What an unnamed task is called, as Ansible's get_name: its action as written (an FQCN, an alias), else the module. */
export const taskLabel = (t: { name?: string; action?: string; module?: string }): string | undefined => t.name ?? t.action ?? t.module

/** Options Ansible takes out of a free-form command line; any other `a=b` is part of the command. */
const RAW_KEYS = new Set(['chdir', 'creates', 'removes', 'executable', 'stdin', 'stdin_add_newline', 'strip_empty_ends', 'warn', 'argv'])

/** Modules whose free-form text is an argument: `shell: echo hi` is `{ cmd: 'echo hi' }`. */
const FREE_FORM: Record<string, { key: string; only?: ReadonlySet<string> }> = {
  command: { key: 'cmd', only: RAW_KEYS },
  shell: { key: 'cmd', only: RAW_KEYS },
  raw: { key: 'cmd', only: RAW_KEYS },
  script: { key: 'cmd', only: RAW_KEYS },
  include_vars: { key: 'file' },
}

/**
 * The short engine action name or the canonical module name; a module Ansible has and acplay
 * does not keeps its name (the task fails only where it would run); undefined if no one knows it.
 */
/**
 * Ansible's generic package action: acplay runs it as apt (the host's manager on its targets), but
 * its module_defaults stay its own, as Ansible's package action applies apt's under them.
 */
export const PACKAGE_ACTIONS: ReadonlySet<string> = new Set(['package', 'ansible.builtin.package', 'ansible.legacy.package'])

export function resolveAction(scope: PlayScope, name: string, roleCollection?: string): string | undefined {
  return isEngineAction(name) ?? scope.registry.resolveModule(name) ?? installedAnsibleModule(scope, name, roleCollection)
}

/**
 * A module acplay lacks that Ansible has: on the controller (it runs from there, or fails where it
 * runs when Ansible runs it through an action plugin), or known by name (ansible-modules.ts: it
 * loads, and fails where it runs). A short name found in the role's collection or the play's
 * `collections:` becomes that FQCN; any other keeps the name as written.
 */
function installedAnsibleModule(scope: PlayScope, name: string, roleCollection?: string): string | undefined {
  const collections = [...new Set([roleCollection, ...scope.collections].filter((c): c is string => !!c))]
  const found = findInstalledModule(name, scope.playbookDir, collections)
  if (found && !name.includes('.') && found.collection && collections.includes(found.collection.name)) return found.fqcn
  // a name Ansible's routing says was removed is refused at load, as Ansible does (unknownModuleError says why)
  if (!found && removedModule(name, scope.playbookDir, collections)) return undefined
  return found || isAnsibleModule(name) ? name : undefined
}

/**
 * For a task giving an argument that acplay's module does not support yet (apt's `upgrade` or
 * `autoremove`), the name of Ansible's own module on the controller, which then runs the task as
 * Ansible would; undefined when acplay's module takes the task, or the controller has no module
 * that can (one Ansible runs through an action plugin: copy, template, command).
 */
export function ansibleModuleFor(scope: PlayScope, module: string, written: string, args: Record<string, unknown>): string | undefined {
  const spec = scope.registry.getModuleSpec(module)
  if (!spec || spec.file || !unsupportedArgument(spec, args, hasTemplate)) return undefined
  const found = findInstalledModule(written, scope.playbookDir)
  return found && !found.actionPlugin && !found.windows ? found.fqcn : undefined
}

/** Modules (ours, the engine's actions, Ansible's) are suggested first; task keywords only when no module name is close. */
export function unknownModuleError(scope: PlayScope, src: Source, keyNode: Node, name: string, keywords: Iterable<string>, task?: string) {
  const removed = removedModule(name, scope.playbookDir, scope.collections)
  if (removed) return unknownModule(`module '${name}': ${removed}`, at(src, keyNode, task))
  const modules = [...scope.registry.moduleNames(), ...ENGINE_ACTIONS, ...ansibleModuleNames()]
  const suggestion = didYouMean(name, modules) || didYouMean(name, keywords)
  return unknownModule(`unknown module '${name}'${suggestion}`, at(src, keyNode, task))
}

export interface ActionArgs {
  module: string
  args: Record<string, unknown>
}

/** Arguments given as the module key's value (mapping, `k=v` string or nothing) merged over `args:`. */
export function moduleArgs(src: Source, module: string, value: Node | null, argsNode: Node | null, task?: string, text?: string): Record<string, unknown> {
  const base: Record<string, unknown> = {}
  if (!isNull(argsNode)) {
    if (!isMap(argsNode)) throw fail(src, argsNode, `'args' must be a mapping, got ${describeNode(argsNode)}`, task)
    Object.assign(base, toJS(src, argsNode))
  }
  if (text !== undefined) return text ? { ...base, ...freeFormArgs(src, module, text, value, task) } : base
  if (isNull(value)) return base
  if (isMap(value)) return { ...base, ...(toJS(src, value) as Record<string, unknown>) }
  if (isScalar(value) && typeof value.value === 'string') return { ...base, ...freeFormArgs(src, module, value.value, value, task) }
  throw fail(src, value, `arguments of '${module}' must be a mapping or a 'k=v' string, got ${describeNode(value)}`, task)
}

function freeFormArgs(src: Source, module: string, text: string, node: Node | null, task?: string): Record<string, unknown> {
  const ff = FREE_FORM[module]
  let kv: ReturnType<typeof parseKv>
  try {
    kv = parseKv(text, ff?.only)
  } catch (e) {
    throw paramError((e as Error).message, at(src, node, task))
  }
  if (!kv.freeForm) return kv.args
  // a module acplay lacks: its free-form text is kept as Ansible's _raw_params (it fails if it runs anyway)
  if (!ff && !builtinModules[module] && isAnsibleModule(module)) return { _raw_params: kv.freeForm, ...kv.args }
  if (!ff) throw paramError(`module '${module}' takes no free-form text, got '${kv.freeForm}' (use key=value or a mapping)`, at(src, node, task))
  return { [ff.key]: kv.freeForm, ...kv.args }
}

/** `action: copy src=a dest=b` or `action: { module: copy, src: a }` -> the module name and its arguments node. */
export function splitActionKeyword(src: Source, node: Node | null, task?: string): { name: string; nameNode: Node; value: Node | null; text?: string } {
  if (isScalar(node) && typeof node.value === 'string') {
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(node.value)
    if (m) return { name: m[1]!, nameNode: node, value: null, text: m[2]! }
  }
  if (isMap(node)) {
    const mod = entries(src, node).find((e) => e.key === 'module')
    if (mod && isScalar(mod.value)) return { name: String(mod.value.value), nameNode: mod.value, value: node }
  }
  throw fail(src, node, `'action' must be 'module k=v ...' or a mapping with 'module', got ${describeNode(node)}`, task)
}

const hasTemplate = (v: unknown): boolean => isTemplate(v) || (typeof v === 'object' && v !== null && /\{\{|\{%/.test(JSON.stringify(v)))

/** Validates args against the module's spec where possible; errors point at the offending argument. */
export function checkArgs(
  scope: PlayScope,
  src: Source,
  module: string,
  args: Record<string, unknown>,
  valueNode: Node | null,
  fallback: Node,
  task?: string,
  /** the module_defaults of the blocks, imports and role entry around the task and its own (the play's are the scope's) */
  enclosing?: ModuleDefaults,
): void {
  const allowed = ACTION_ARGS[isEngineAction(module) ?? ('' as never)]
  const badKey = allowed && Object.keys(args).find((k) => !allowed.includes(k) && !isTemplate(k))
  if (allowed && badKey) {
    const keyNode = isMap(valueNode) ? entries(src, valueNode).find((e) => e.key === badKey)?.keyNode : undefined
    throw paramError(
      `${module}: unsupported argument '${badKey}'${didYouMean(badKey, allowed)} (takes: ${allowed.join(', ')})`,
      at(src, keyNode ?? fallback, task),
    )
  }
  const spec = scope.registry.getModuleSpec(module)
  const defaults = taskDefaults([scope.moduleDefaults, enclosing], { module })
  // defaults given as a template are known when the task runs: its arguments are checked then
  if (!spec || Object.keys(args).some(isTemplate) || defaults.some((d) => typeof d === 'string')) return
  const raw = Object.assign({}, ...defaults, args) as Record<string, unknown>
  const known = new Set<string>()
  const unknown = new Set<string>()
  for (const [name, def] of Object.entries(spec.params)) {
    const names = [name, ...(def.aliases ?? [])]
    for (const n of names) known.add(n)
    if (names.some((n) => hasTemplate(raw[n]))) unknown.add(name)
  }
  const bad = Object.keys(args).find((k) => !known.has(k))
  const given = isMap(valueNode) ? entries(src, valueNode) : []
  const keyNode = bad ? given.find((e) => e.key === bad)?.keyNode : undefined
  const where: Location = at(src, keyNode ?? fallback, task)
  // a bad value is pointed at where it is written
  const whereOf = (key: string) => {
    const e = given.find((x) => x.key === key)
    return e ? at(src, e.value ?? e.keyNode, task) : undefined
  }
  validateParams(spec, raw, where, { unknown, whereOf })
}
