/** Typed argument specs (documentation as data) and their validation, as Ansible's argument_spec. */
import { paramError, type Location } from '../engine/errors.js'
import { type ArgumentRules, checkRules } from './arg-rules.js'
import { expandWith, runEnviron } from './facts/environ.js'
import { runHome, userHome } from './facts/home.js'
import type { Fact } from './types.js'

export const PARAM_TYPES = ['str', 'int', 'bool', 'list', 'dict', 'path', 'raw'] as const
export type ParamType = (typeof PARAM_TYPES)[number]

export interface ParamDef {
  type: ParamType
  description: string
  required?: boolean
  default?: unknown
  choices?: readonly string[]
  aliases?: readonly string[]
  /** element type of a list ('path': each element expanded on the host as a `path` argument is) */
  elements?: 'str' | 'int' | 'dict' | 'path'
  /**
   * A `path` (or list of paths) on the controller, not the host: never expanded on the host
   * (template's src). A bool argument's name: on the controller unless that argument is true (copy's
   * src, a host path with remote_src).
   */
  controller?: true | string
  /**
   * A leading `~` (alone or before a slash) is the home of the user the task runs as in the password
   * database, not HOME: Ansible's action plugin expands it so (`echo ~USER`) before the module sees
   * the path (copy's and template's dest, fetch's src). A bool argument's name: only while that
   * argument is not true (copy's dest with remote_src goes to the module as written).
   */
  userTilde?: true | string
  /**
   * A list given as a string keeps its empty items, as Ansible's check_type_list splits it (`''` is
   * `['']`); without it they are dropped (`'a,,b'` is `['a', 'b']`).
   */
  emptyItems?: true
  /** null given is kept as null (Ansible's None: expect's `timeout: null`), not taken as omitted */
  nullable?: boolean
  /** never printed: masked in output, diffs and logs */
  secret?: boolean
  /** secret when this bool param is true (copy's `content` with `secret: true`) */
  secretIf?: string
  /**
   * What is wrong with a value beyond its type (a `raw` mode that is a list), or undefined. Run on
   * every value known: literals when the playbook loads (an error at their file:line:col), templates
   * once rendered.
   */
  check?: (value: unknown, name: string) => string | undefined
  /**
   * Ansible has it, acplay does not implement it yet: a value other than `default` is refused with
   * this reason (never silently ignored), and the default is not filled in (so it never satisfies a rule).
   */
  unsupported?: string
}
export type ParamSpecs = Record<string, ParamDef>

type Scalar<T extends ParamType> = T extends 'str' | 'path'
  ? string
  : T extends 'int'
    ? number
    : T extends 'bool'
      ? boolean
      : T extends 'dict'
        ? Record<string, unknown>
        : T extends 'list'
          ? unknown[]
          : unknown
/** A param with `choices` takes one of them (a list: several); otherwise its type's value. */
type ValueOf<D extends ParamDef> = D extends { choices: readonly (infer C extends string)[] }
  ? D['type'] extends 'list'
    ? C[]
    : C
  : D extends { type: 'list'; elements: 'str' | 'path' }
    ? string[]
    : D extends { type: 'list'; elements: 'int' }
      ? number[]
      : Scalar<D['type']>
/** What `plan` gets: a required param or one with a default is always there. */
export type ParamValues<S extends ParamSpecs> = {
  [K in keyof S]: S[K] extends { required: true } | { default: NonNullable<unknown> } ? ValueOf<S[K]> : ValueOf<S[K]> | undefined
}

const TRUE = new Set(['yes', 'on', '1', 'true', 'y', 't'])
const FALSE = new Set(['no', 'off', '0', 'false', 'n', 'f', ''])

function coerce(name: string, def: ParamDef | { type: ParamType }, v: unknown, where: Location): unknown {
  const bad = (want: string) => paramError(`argument '${name}' must be ${want}, got ${JSON.stringify(v)}`, where)
  switch (def.type) {
    case 'str':
    case 'path':
      if (typeof v === 'string') return v
      if (typeof v === 'number') return String(v)
      // as Python's str(): Ansible's check_type_str
      if (typeof v === 'boolean') return v ? 'True' : 'False'
      throw bad('a string')
    case 'int': {
      if (typeof v === 'number' && Number.isInteger(v)) return v
      if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v)
      throw bad('an integer')
    }
    case 'bool': {
      if (typeof v === 'boolean') return v
      const s = String(v).toLowerCase()
      if (TRUE.has(s)) return true
      if (FALSE.has(s)) return false
      throw bad('a boolean')
    }
    case 'list': {
      const list = Array.isArray(v)
        ? v
        : typeof v === 'string'
          ? v
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '' || ('emptyItems' in def && def.emptyItems))
          : [v]
      const el = 'elements' in def ? def.elements : undefined
      return el ? list.map((x, i) => coerce(`${name}[${i}]`, { type: el === 'path' ? 'str' : el }, x, where)) : list
    }
    case 'dict':
      if (v && typeof v === 'object' && !Array.isArray(v)) return v
      throw bad('a mapping')
    case 'raw':
      return v
  }
}

/** An argument never printed: `secret`, or `secretIf` names a bool argument that is true. */
export function isSecretParam(def: ParamDef, params: Record<string, unknown>): boolean {
  return def.secret === true || (def.secretIf !== undefined && params[def.secretIf] === true)
}

const aliasMaps = new WeakMap<ParamSpecs, Map<string, string>>()
const specEntries = new WeakMap<ParamSpecs, [string, ParamDef][]>()

/** A spec's arguments as entries, listed once per spec (validation runs per task and host). */
function entriesOf(params: ParamSpecs): [string, ParamDef][] {
  let list = specEntries.get(params)
  if (!list) {
    list = Object.entries(params)
    specEntries.set(params, list)
  }
  return list
}

/** Each argument's name by itself and by its aliases; once per spec (validation runs per task and host). */
function aliasesOf(params: ParamSpecs): Map<string, string> {
  let byAlias = aliasMaps.get(params)
  if (byAlias) return byAlias
  byAlias = new Map()
  for (const [name, def] of Object.entries(params)) {
    byAlias.set(name, name)
    for (const a of def.aliases ?? []) byAlias.set(a, name)
  }
  aliasMaps.set(params, byAlias)
  return byAlias
}

/**
 * The first argument given (by name or alias) that the module does not support yet with the value
 * given (a value other than its default); undefined when there is none. Values that are templates or
 * of the wrong type are left to validateParams.
 */
export function unsupportedArgument(module: { params: ParamSpecs }, raw: Record<string, unknown>, isTemplate: (v: unknown) => boolean): string | undefined {
  const byAlias = aliasesOf(module.params)
  return Object.keys(raw).find((key) => {
    const name = byAlias.get(key)
    const def = name === undefined ? undefined : module.params[name]
    if (def?.unsupported === undefined || raw[key] == null || isTemplate(raw[key])) return false
    try {
      return JSON.stringify(coerce(name!, def, raw[key], {})) !== JSON.stringify(def.default)
    } catch {
      return false
    }
  })
}

/**
 * Validates raw task arguments against a spec: unknown keys, types, choices, required, and the rules
 * between arguments (arg-rules.ts). `unknown`: arguments whose values are templates (load time).
 */
export function validateParams<S extends ParamSpecs>(
  module: { name: string; params: S; anyParams?: boolean } & ArgumentRules,
  raw: Record<string, unknown>,
  where: Location = {},
  opts: { unknown?: ReadonlySet<string>; whereOf?: (key: string) => Location | undefined } = {},
): ParamValues<S> {
  // a module written for Ansible checks its own arguments (engine/library/ansible-style.ts)
  if (module.anyParams) return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)) as ParamValues<S>
  const byAlias = aliasesOf(module.params)
  const out: Record<string, unknown> = {}
  const given = new Set<string>()
  for (const [key, value] of Object.entries(raw)) {
    const name = byAlias.get(key)
    if (!name) {
      const known = [...byAlias.keys()].sort().join(', ')
      throw paramError(`unknown argument '${key}' for module ${module.name} (supported: ${known})`, where)
    }
    if (name in out) throw paramError(`argument '${name}' given twice (as '${key}' and an alias)`, where)
    if (value === undefined || (value === null && !module.params[name]!.nullable)) continue
    given.add(name)
    if (value === null) {
      out[name] = null
      continue
    }
    // a template's value is known at run time: checked then
    if (opts.unknown?.has(name)) {
      out[name] = value
      continue
    }
    const here = opts.whereOf?.(key) ?? where
    const def = module.params[name]!
    out[name] = coerce(name, def, value, here)
    if (def.unsupported !== undefined && JSON.stringify(out[name]) !== JSON.stringify(def.default)) {
      const only = def.default === undefined ? '' : ` (only its default, ${JSON.stringify(def.default)}, is accepted)`
      throw paramError(`argument '${key}' of module ${module.name} is not supported yet: ${def.unsupported}${only}`, here)
    }
    const problem = def.check?.(out[name], name)
    if (problem) throw paramError(problem, here)
  }
  for (const [name, def] of entriesOf(module.params)) {
    if (out[name] === undefined && def.default !== undefined && def.unsupported === undefined) out[name] = def.default
    if (out[name] === undefined && def.required) throw paramError(`missing required argument '${name}' for module ${module.name}`, where)
    const v = out[name]
    if (v !== undefined && def.choices && !opts.unknown?.has(name)) {
      const vals = Array.isArray(v) ? v : [v]
      for (const x of vals) {
        if (!def.choices.includes(String(x))) {
          throw paramError(`argument '${name}' must be one of ${def.choices.join(', ')}; got ${JSON.stringify(x)}`, where)
        }
      }
    }
  }
  checkRules(module, { given, unknown: opts.unknown, values: out }, where)
  return out as ParamValues<S>
}

/** Checks a spec itself (for custom modules): every type known, every default valid. */
export function checkSpec(module: { name: string; params: ParamSpecs; file?: string }): void {
  for (const [name, def] of Object.entries(module.params)) {
    if (!PARAM_TYPES.includes(def.type)) {
      throw paramError(`module ${module.name}: argument '${name}' has unknown type '${String(def.type)}' (known: ${PARAM_TYPES.join(', ')})`, {
        file: module.file,
      })
    }
  }
}

/**
 * An argument Ansible has and acplay does not implement yet: accepted only at its Ansible default,
 * documented as such, refused with `why` otherwise.
 */
export function notYet<const D extends Omit<ParamDef, 'description' | 'unsupported'>>(
  def: D,
  what: string,
  why = 'acplay does not implement it yet',
): D & ParamDef {
  const only = def.default === undefined ? '' : ` Only the default is accepted.`
  return { ...def, description: `${what} Not supported yet: ${why}.${only}`, unsupported: why }
}

type FactReader = { fact: <T, A extends unknown[]>(f: Fact<T, A>, ...a: A) => Promise<T> }

/** A value Ansible's expansion of a path can change: a leading ~, or a $. */
const expandable = (v: unknown): v is string => typeof v === 'string' && (v.startsWith('~') || v.includes('$'))

/**
 * The host paths among validated values: every `path` argument and every element of a list of
 * paths, except those on the controller (ParamDef.controller). Each as [argument, index in its list].
 */
export function hostPathsOf(params: ParamSpecs, values: Record<string, unknown>): [string, number | undefined][] {
  const out: [string, number | undefined][] = []
  for (const [name, def] of Object.entries(params)) {
    const v = values[name]
    if (v == null || (def.type !== 'path' && def.elements !== 'path')) continue
    if (def.controller === true || (typeof def.controller === 'string' && values[def.controller] !== true)) continue
    if (def.type === 'path') out.push([name, undefined])
    else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) out.push([name, i])
  }
  return out
}

/** expanduser's join: the home without its trailing slashes, then the rest ('/' when nothing is left) */
const underHome = (home: string, rest: string) => `${home.replace(/\/+$/, '')}${rest}` || '/'

/**
 * Ansible's type='path' rule, applied on the host: each host path argument (and each element of a
 * list of paths) becomes os.path.expanduser(os.path.expandvars(value)) as the module's Python would
 * compute it there, as the user the task runs as: `$VAR` and `${VAR}` from the task's environment on
 * the host (unknown names stay as written), then a leading `~` from HOME and `~user` from the
 * password database (an unknown user's path stays as written: a relative path, as in Ansible). An
 * argument with `userTilde` takes its `~` from the password database first, as Ansible's action
 * plugin does. The values are only read here; nothing is built into a shell. The host is asked only
 * when a value starts with ~ or holds a $: one read of the environment (none when only `userTilde`
 * values start with ~), one of the user's home, one per named user.
 */
export async function expandPathArgs<V extends Record<string, unknown>>(
  module: { params: ParamSpecs; anyParams?: boolean },
  values: V,
  ctx: FactReader,
): Promise<V> {
  if (module.anyParams) return values
  const valueAt = (arg: string, i: number | undefined) => (i === undefined ? values[arg] : (values[arg] as unknown[])[i])
  const at = hostPathsOf(module.params, values).filter(([arg, i]) => expandable(valueAt(arg, i)))
  if (at.length === 0) return values
  const byUser = (arg: string) => {
    const t = module.params[arg]!.userTilde
    return t === true || (typeof t === 'string' && values[t] !== true)
  }
  const needsEnv = at.some(([arg, i]) => !byUser(arg) || (valueAt(arg, i) as string).includes('$'))
  const env = needsEnv ? await ctx.fact(runEnviron) : {}
  const expand = async (arg: string, v: string): Promise<string> => {
    // the action plugin's ~ first; the module then expands what it was given
    if (byUser(arg) && (v === '~' || v.startsWith('~/'))) v = underHome(await ctx.fact(runHome), v.slice(1))
    const s = expandable(v) ? expandWith(v, env) : v
    if (!s.startsWith('~')) return s
    const slash = s.indexOf('/')
    const user = s.slice(1, slash < 0 ? undefined : slash)
    // HOME unset: Python's expanduser asks the password database for the user's own home
    const home = user === '' ? await ctx.fact(runHome) : await ctx.fact(userHome, user)
    return home === undefined ? s : underHome(home, slash < 0 ? '' : s.slice(slash))
  }
  const out: Record<string, unknown> = { ...values }
  for (const [arg, i] of at) {
    if (i === undefined) out[arg] = await expand(arg, out[arg] as string)
    else {
      const list = [...(out[arg] as unknown[])]
      list[i] = await expand(arg, list[i] as string)
      out[arg] = list
    }
  }
  return out as V
}
