/**
 * validate_argument_spec: Ansible's action, and the task Ansible puts first in a role whose
 * meta/argument_specs.yml names the entry point (playbook/roles.ts). The values checked are the
 * spec's names among the task's variables (role defaults and vars, play vars...) overlaid with the
 * arguments given (a role's params); the checks and their words are those of Ansible's
 * ArgumentSpecValidator (module_utils/common/arg_spec.py, parameters.py, validation.py), in its
 * order: sub-option values that are no mappings, aliases, unsupported names, the rules between a
 * sub-spec's options (mutually_exclusive first; required_together, required_one_of, required_if,
 * required_by after the choices), required, types (with `elements`), choices, then each `options`
 * sub-spec the same way (`apply_defaults` too), unsupported names last.
 * Not checked: fallbacks (env lookups on the controller) and deprecations (warnings only).
 */
import { isMapping, PyFloat } from '../vars/py-value.js'
import { pystr, strRepr } from '../vars/py-str.js'
import { BOOLEANS_FALSE, BOOLEANS_TRUE, pyBoolean } from '../vars/py-bool.js'
import { ModuleFailure } from '../errors.js'

type Spec = Record<string, OptionSpec>
interface OptionSpec {
  type?: string
  elements?: string
  required?: boolean
  default?: unknown
  choices?: unknown[]
  aliases?: unknown
  options?: Spec
  apply_defaults?: boolean
  /** the rules between the options of `options` (Ansible checks them only in a sub-spec) */
  mutually_exclusive?: string[][]
  required_together?: string[][]
  required_one_of?: string[][]
  required_if?: [string, unknown, string[], boolean?][]
  required_by?: Record<string, string | string[]>
}
type Params = Record<string, unknown>

/** Python's type() of a value as YAML gave it (AnsibleUnicode...) or a template made it (str...). */
function pyType(v: unknown, templated: boolean): string {
  const yaml = (name: string, plain: string) => `<class '${templated ? plain : `ansible.parsing.yaml.objects.${name}`}'>`
  if (typeof v === 'string') return yaml('AnsibleUnicode', 'str')
  if (typeof v === 'boolean') return "<class 'bool'>"
  if (v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v))) return "<class 'float'>"
  if (typeof v === 'number') return "<class 'int'>"
  if (Array.isArray(v)) return yaml('AnsibleSequence', 'list')
  if (isMapping(v)) return yaml('AnsibleMapping', 'dict')
  return v === null || v === undefined ? "<class 'NoneType'>" : "<class 'object'>"
}

const num = (v: unknown): number | undefined => (v instanceof PyFloat ? v.v : typeof v === 'number' ? v : undefined)

class Unconvertible extends Error {}

/** Python's int(str): optional sign, digits with single underscores between, spaces around. */
const PY_INT = /^\s*[+-]?\d+(_\d+)*\s*$/
const PY_FLOAT = /^\s*[+-]?((\d+(_\d+)*)?\.?\d+(_\d+)*\.?(\d+(_\d+)*)?([eE][+-]?\d+)?|inf|infinity|nan)\s*$/i

/** Ansible's check_type_* for one value; throws Unconvertible with its message. */
function convert(type: string, v: unknown, templated: boolean): unknown {
  const cannot = (what: string) => new Unconvertible(`${pyType(v, templated)} cannot be converted to ${what}`)
  switch (type) {
    case 'str':
    case 'path':
      return typeof v === 'string' ? v : pystr(v)
    case 'raw':
      return v
    case 'list':
      if (Array.isArray(v)) return v
      if (typeof v === 'string') return v.split(',')
      if (typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat) return [pystr(v)]
      throw cannot('a list')
    case 'dict':
      return toDict(v, templated)
    case 'bool': {
      if (typeof v === 'boolean') return v
      if (typeof v === 'string' || num(v) !== undefined) {
        try {
          return pyBoolean(v)
        } catch (e) {
          throw new Unconvertible((e as Error).message)
        }
      }
      throw cannot('a bool')
    }
    case 'int':
      if (typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v))) return v
      if (typeof v === 'string' && PY_INT.test(v)) return Number(v.replace(/_/g, ''))
      throw cannot('an int')
    case 'float':
      if (v instanceof PyFloat || typeof v === 'number') return v
      if (typeof v === 'boolean') return v ? 1 : 0
      if (typeof v === 'string' && PY_FLOAT.test(v))
        return Number.parseFloat(
          v
            .replace(/_/g, '')
            .trim()
            .replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'),
        )
      throw cannot('a float')
    case 'jsonarg':
    case 'json':
      if (typeof v === 'string') return v.trim()
      if (Array.isArray(v) || isMapping(v)) return JSON.stringify(v)
      throw cannot('a json string')
    default:
      // Ansible looks the type up and calls what it finds: nothing
      throw new Unconvertible("'NoneType' object is not callable")
  }
}

/** check_type_dict: a mapping; a string of JSON or of k=v pairs (quotes and backslashes as Ansible splits them). */
function toDict(v: unknown, templated: boolean): Params {
  if (isMapping(v)) return v
  if (typeof v !== 'string') throw new Unconvertible(`${pyType(v, templated)} cannot be converted to a dict`)
  if (v.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(v)
      if (isMapping(parsed)) return parsed
    } catch {}
    throw new Unconvertible('unable to evaluate string as dictionary')
  }
  if (!v.includes('=')) throw new Unconvertible('dictionary requested, could not parse JSON or key=value')
  const fields: string[] = []
  let field = ''
  let quote = ''
  let escaped = false
  for (const c of v.trim()) {
    if (escaped) {
      field += c
      escaped = false
    } else if (c === '\\') escaped = true
    else if (!quote && (c === "'" || c === '"')) quote = c
    else if (quote && c === quote) quote = ''
    else if (!quote && (c === ',' || c === ' ')) {
      if (field) fields.push(field)
      field = ''
    } else field += c
  }
  if (field) fields.push(field)
  const out: Params = {}
  for (const f of fields) {
    const at = f.indexOf('=')
    if (at < 0) throw new Unconvertible('dictionary update sequence element #0 has length 1; 2 is required')
    out[f.slice(0, at)] = f.slice(at + 1)
  }
  return out
}

const found = (ctx: string[]) => (ctx.length ? ` found in ${ctx.join(' -> ')}` : '')
const hasOptions = (o: OptionSpec) => o.type === 'dict' || (o.type === 'list' && o.elements === 'dict')
/** A sub-spec's values as a list: a mapping (or a string) is one. */
const elementsOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v])

/** How many of `terms` are among the parameters (count_terms: a term given as one name counts as a list of it). */
const countTerms = (terms: unknown, params: Params) =>
  new Set((Array.isArray(terms) ? terms : [terms]).filter((t) => typeof t === 'string' && t in params)).size

class Validation {
  errors: string[] = []
  unsupported: { name: string; supported: string[]; aliases: string[] }[] = []
  constructor(private readonly templated: (top: string) => boolean) {}

  /** _list_no_log_values' walk: a sub-option value that is no mapping stops it with the first error. */
  mappingsFirst(spec: Spec, params: Params): boolean {
    for (const [name, o] of Object.entries(spec)) {
      if (!hasOptions(o) || !o.options || params[name] === undefined || params[name] === null) continue
      for (let el of elementsOf(params[name])) {
        if (typeof el === 'string') {
          try {
            el = toDict(el, true)
          } catch (e) {
            this.errors.push((e as Error).message)
            return false
          }
        }
        if (!isMapping(el)) {
          this.errors.push(`Value '${pystr(el)}' in the sub parameter field '${name}' must by a ${o.type}, not '${pyClass(el)}'`)
          return false
        }
        if (!this.mappingsFirst(o.options, el)) return false
      }
    }
    return true
  }

  /**
   * One level: aliases, unsupported, the rules of its parent option (`rules`, none at the top),
   * defaults, required, types, choices; then its sub-specs.
   */
  level(spec: Spec, params: Params, ctx: string[], top: string | undefined, rules: OptionSpec = {}): void {
    const aliases = this.aliases(spec, params)
    const names = Object.keys(spec)
    for (const k of Object.keys(params))
      if (!(k in spec) && !(k in aliases)) this.unsupported.push({ name: [...ctx, k].join('.'), supported: names, aliases: Object.keys(aliases) })
    this.rule('mutually_exclusive', rules, params, ctx)
    for (const [k, o] of Object.entries(spec)) if (!(k in params) && o.default !== undefined && o.default !== null) params[k] = o.default
    const missing = names.filter((k) => spec[k]!.required && !(k in params)).sort()
    if (missing.length) this.errors.push(`missing required arguments: ${missing.join(', ')}${found(ctx)}`)
    for (const [k, o] of Object.entries(spec)) this.checkType(k, o, params, ctx, top ?? k)
    for (const [k, o] of Object.entries(spec)) this.checkChoices(k, o, params, ctx)
    for (const r of ['required_together', 'required_one_of', 'required_if', 'required_by'] as const) this.rule(r, rules, params, ctx)
    for (const k of names) if (!(k in params)) params[k] = spec[k]!.default ?? null
    for (const [k, o] of Object.entries(spec)) {
      if (!hasOptions(o) || !o.options) continue
      if (o.apply_defaults && (params[k] === null || params[k] === undefined)) params[k] = {}
      if (params[k] === null || params[k] === undefined) continue
      for (const el of elementsOf(params[k])) {
        if (!isMapping(el)) {
          this.errors.push(`value of '${k}' must be of type dict or list of dicts`)
          continue
        }
        this.level(o.options, el, [...ctx, k], top ?? k, o)
      }
    }
  }

  /** _handle_aliases: an alias's value becomes its option's; alias -> option (none when the spec is wrong, with its error). */
  private aliases(spec: Spec, params: Params): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [k, o] of Object.entries(spec)) {
      if (o.default !== undefined && o.default !== null && o.required) {
        this.errors.push(`internal error: required and default are mutually exclusive for ${k}`)
        return {}
      }
      if (o.aliases === undefined || o.aliases === null) continue
      if (!Array.isArray(o.aliases)) {
        this.errors.push('internal error: aliases must be a list or tuple')
        return {}
      }
      for (const alias of o.aliases) {
        out[String(alias)] = k
        if (String(alias) in params) params[k] = params[String(alias)]
      }
    }
    return out
  }

  /** One of the rules between a sub-spec's options, in validation.py's words; Python stops each at its first failure. */
  private rule(
    name: 'mutually_exclusive' | 'required_together' | 'required_one_of' | 'required_if' | 'required_by',
    rules: OptionSpec,
    params: Params,
    ctx: string[],
  ): void {
    const given = rules[name]
    if (given === undefined || given === null) return
    const fail = (msg: string) => this.errors.push(`${msg}${ctx.length ? ` found in ${ctx.join(' -> ')}` : ''}`)
    const set = (k: string) => k in params && params[k] !== null && params[k] !== undefined
    if (name === 'mutually_exclusive') {
      const both = (given as string[][]).filter((terms) => countTerms(terms, params) > 1)
      if (both.length) fail(`parameters are mutually exclusive: ${both.map((t) => elementsOf(t).join('|')).join(', ')}`)
    } else if (name === 'required_together') {
      const bad = (given as string[][]).find((terms) => {
        const counts = elementsOf(terms).map((t) => countTerms(t, params))
        return counts.some((c) => c > 0) && counts.includes(0)
      })
      if (bad) fail(`parameters are required together: ${elementsOf(bad).join(', ')}`)
    } else if (name === 'required_one_of') {
      const bad = (given as string[][]).find((terms) => countTerms(terms, params) === 0)
      if (bad) fail(`one of the following is required: ${elementsOf(bad).join(', ')}`)
    } else if (name === 'required_if') {
      for (const [key, value, needed, anyOf] of given as [string, unknown, string[], boolean?][]) {
        const missing = key in params && pyEq(params[key], value) ? needed.filter((t) => countTerms(t, params) === 0) : []
        if (missing.length && missing.length >= (anyOf ? needed.length : 0)) {
          fail(`${key} is ${pystr(value)} but ${anyOf ? 'any' : 'all'} of the following are missing: ${missing.join(', ')}`)
          return
        }
      }
    } else {
      for (const [key, value] of Object.entries(given as Record<string, string | string[]>)) {
        if (!set(key)) continue
        const missing = elementsOf(value).filter((r) => !set(String(r)))
        if (missing.length) {
          fail(`missing parameter(s) required by '${key}': ${missing.join(', ')}`)
          return
        }
      }
    }
  }

  private checkType(k: string, o: OptionSpec, params: Params, ctx: string[], top: string): void {
    const v = params[k]
    if (v === undefined || v === null) return
    const type = o.type ?? 'str'
    const templated = this.templated(top)
    try {
      params[k] = convert(type, v, templated)
    } catch (e) {
      if (!(e instanceof Unconvertible)) throw e
      const where = ctx.length ? ` found in '${ctx.join(' -> ')}'.` : ''
      this.errors.push(`argument '${k}' is of type ${pyType(v, templated)}${where} and we were unable to convert to ${type}: ${e.message}`)
      return
    }
    if (!o.elements) return
    const value = params[k]
    if (type !== 'list' || !Array.isArray(value)) {
      const where = ctx.length ? ` found in '${ctx.join(' -> ')}'.` : ''
      this.errors.push(`Invalid type ${type} for option '${pystr(value)}'${where}, elements value check is supported only with 'list' type`)
    }
    // Python then iterates whatever it is: a string's characters, a mapping's keys
    const list = Array.isArray(value) ? value : typeof value === 'string' ? [...value] : isMapping(value) ? Object.keys(value) : undefined
    if (!list) {
      this.errors.push(
        `argument '${k}' is of type ${pyType(v, templated)} and we were unable to convert to ${type}: '${pyClass(value)}' object is not iterable`,
      )
      return
    }
    const kept: unknown[] = []
    for (const x of list) {
      try {
        kept.push(convert(o.elements, x, templated))
      } catch (e) {
        if (!(e instanceof Unconvertible)) throw e
        const where = ctx.length ? ` found in '${ctx.join(' -> ')}'` : ''
        this.errors.push(
          `Elements value for option '${k}'${where} is of type ${pyType(x, templated)} and we were unable to convert to ${o.elements}: ${e.message}`,
        )
      }
    }
    params[k] = kept
  }

  private checkChoices(k: string, o: OptionSpec, params: Params, ctx: string[]): void {
    if (!o.choices || !(k in params)) return
    const choices = o.choices
    const shown = choices.map(pystr).join(', ')
    const v = params[k]
    if (Array.isArray(v)) {
      const bad = v.filter((x) => !choices.some((c) => pyEq(c, x)))
      if (bad.length) this.errors.push(`value of ${k} must be one or more of: ${shown}. Got no match for: ${bad.map(pystr).join(', ')}${found(ctx)}`)
      return
    }
    if (choices.some((c) => pyEq(c, v))) return
    // YAML made a choice's word a bool: the one choice that means it (Python's set of booleans, where 1 == 1.0 == True) is taken back
    const back = (words: string[], n: number) => {
      const means = choices.filter((c) => (typeof c === 'string' ? words.includes(c) : pyEq(c, n)))
      return means.filter((c, i) => means.findIndex((d) => pyEq(c, d)) === i)
    }
    for (const [text, words, n] of [
      ['False', BOOLEANS_FALSE, 0],
      ['True', BOOLEANS_TRUE, 1],
    ] as const) {
      const overlap = back(words, n)
      if (v === text && overlap.length === 1) {
        params[k] = overlap[0]
        return
      }
    }
    this.errors.push(`value of ${k} must be one of: ${shown}, got: ${pystr(v)}${found(ctx)}`)
  }
}

/** Python's == between a choice and a value: 1 == True == 1.0, '1' != 1. */
function pyEq(a: unknown, b: unknown): boolean {
  const n = (x: unknown) => (typeof x === 'boolean' ? Number(x) : num(x))
  if (n(a) !== undefined && n(b) !== undefined) return n(a) === n(b)
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}

function pyClass(v: unknown): string {
  return /'(?:[\w.]+\.)?(\w+)'/.exec(pyType(v, true))![1]!
}

/**
 * The errors of `params` against `spec` (the entry point's `options`), in Ansible's order and words.
 * `templated(name)`: whether the value of top-level option `name` came out of a template (its
 * strings are then Python's str, not YAML's AnsibleUnicode, in the messages).
 */
export function argumentSpecErrors(spec: Spec, given: Params, templated: (name: string) => boolean = () => false): string[] {
  const params = structuredClone(given)
  const v = new Validation(templated)
  v.mappingsFirst(spec, params)
  v.level(spec, params, [], undefined)
  if (v.unsupported.length) {
    const names = [...new Set(v.unsupported.map((u) => u.name))].sort().join(', ')
    // Ansible names the options of one of the places with an unsupported name: the top level's when it has one
    const where = v.unsupported.find((u) => !u.name.includes('.')) ?? v.unsupported[0]!
    const aliases = where.aliases.length ? ` (${[...where.aliases].sort().join(', ')})` : ''
    v.errors.push(`${names}. Supported parameters include: ${[...where.supported].sort().join(', ')}${aliases}.`)
  }
  return v.errors
}

/** The action's arguments checked as Ansible's plugin does, before any validation. */
export function argumentSpecArgs(args: Params): { spec: Spec; provided: Params } {
  if (!('argument_spec' in args)) throw new ModuleFailure(`"argument_spec" arg is required in args: ${pystr(args)}`)
  const spec = args.argument_spec
  const provided = args.provided_arguments ?? {}
  if (!isMapping(spec)) throw new ModuleFailure(`Incorrect type for argument_spec, expected dict and got ${pyType(spec, true)}`)
  if (!isMapping(provided)) throw new ModuleFailure(`Incorrect type for provided_arguments, expected dict and got ${pyType(provided, true)}`)
  checkSpec(spec, 'argument_spec')
  return { spec: spec as Spec, provided }
}

/** Every option a mapping, every `options` one too, down the tree: a spec's mistake is named, not a crash. */
function checkSpec(spec: Record<string, unknown>, path: string): void {
  for (const [name, o] of Object.entries(spec)) {
    if (!isMapping(o)) throw new ModuleFailure(`${path}: option ${strRepr(name)} must be a mapping (type, required, ...), got ${pystr(o)}`)
    if (o.choices !== undefined && o.choices !== null && !Array.isArray(o.choices))
      throw new ModuleFailure(`${path}.${name}: choices must be a list, got ${pystr(o.choices)}`)
    if (o.options === undefined || o.options === null) continue
    if (!isMapping(o.options)) throw new ModuleFailure(`${path}.${name}: options must be a mapping of options, got ${pystr(o.options)}`)
    checkSpec(o.options, `${path}.${name}.options`)
  }
}
