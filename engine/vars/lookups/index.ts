/**
 * Lookups, as Ansible's Templar._lookup and the task executor's with_<lookup> call them: the Jinja
 * globals `lookup()`, `query()` and `q()` (engine/vars/globals.ts) and loops (engine/run/loop.ts).
 */
import { AcplayError } from '../../errors.js'
import type { Frame, Resolver } from '../jinja/runtime.js'
import { isMapping, pyType, truthy } from '../py.js'
import { strict, templateError, Undef } from '../undefined.js'
import { config } from './config.js'
import { lookupContext, type SearchKind } from './context.js'
import type { TemplateLoader } from '../template.js'
import { DATA_FILE_LOOKUPS } from './data-files.js'
import { FILE_LOOKUPS } from './files.js'
import { GENERAL_LOOKUPS } from './general.js'
import { LIST_LOOKUPS } from './lists.js'
import { password } from './password.js'
import { type Lookup, type LookupEnv, LookupError } from './types.js'
import { url } from './url.js'
import { hasPythonLookup, pythonLookup, PythonLookupFailed } from '../../library/python-plugins.js'
import { VAR_LOOKUPS } from './vars.js'

const LOOKUPS: Record<string, Lookup> = { ...LIST_LOOKUPS, ...FILE_LOOKUPS, ...DATA_FILE_LOOKUPS, ...VAR_LOOKUPS, password, config, url }

/** Short names Ansible routes to community.general (ansible_builtin_runtime.yml), of the lookups acplay has. */
const ROUTED = new Set(['flattened', 'filetree'])

/** Collections' lookups by FQCN (cartesian is ansible.builtin's under community.general's name). */
const BY_FQCN: Record<string, Lookup> = { ...GENERAL_LOOKUPS, 'community.general.cartesian': LOOKUPS.cartesian! }

/** The lookup called `name` (`file`, `ansible.builtin.file`, `ansible.legacy.file`, `community.general.filetree`), or undefined. */
export function lookupNamed(name: string): Lookup | undefined {
  const short = name.replace(/^ansible\.(builtin|legacy)\./, '')
  if (Object.hasOwn(LOOKUPS, short)) return LOOKUPS[short]
  const fq = ROUTED.has(short) ? `community.general.${short}` : short
  return Object.hasOwn(BY_FQCN, fq) ? BY_FQCN[fq] : undefined
}

export const LOOKUP_NAMES = [...Object.keys(LOOKUPS), ...Object.keys(BY_FQCN), ...ROUTED].sort()

/** Resolvers that can serve lookups (VarScope in template.ts): the variables, and templating with them. */
export interface LookupResolver extends Resolver {
  variables(): Record<string, unknown>
  template(value: unknown): unknown
  renderFile(text: string, extra: Record<string, unknown>, loader?: TemplateLoader): string
}

const canServe = (r: Resolver | undefined): r is LookupResolver => !!r && 'variables' in r

/** What a lookup sees, from the resolver of the variables it runs with. */
export function lookupEnv(name: string, scope: Resolver | undefined, subdir: SearchKind = 'files', frame?: Frame): LookupEnv {
  const served = canServe(scope) ? scope : undefined
  const vars = served?.variables() ?? {}
  return {
    name,
    ctx: lookupContext(vars),
    vars,
    resolve: (n) => (frame ? frame.lookup(n) : (scope?.resolve(n) ?? new Undef(n))),
    template: (v, strictly = true) => (served ? (strictly ? served.template(v) : lenient(v, served)) : v),
    renderFile: (text, extra, loader) => (served ? served.renderFile(text, extra, loader) : text),
    subdir,
  }
}

/** Templates strings one by one, leaving those that name an undefined variable as written (first_found's loop terms). */
function lenient(v: unknown, scope: LookupResolver): unknown {
  if (typeof v === 'string') {
    try {
      return scope.template(v)
    } catch (e) {
      if (e instanceof AcplayError && e.code === 'E_UNDEFINED_VAR') return v
      throw e
    }
  }
  if (Array.isArray(v)) return v.map((x) => lenient(x, scope))
  if (isMapping(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lenient(x, scope)]))
  return v
}

/** An undefined value anywhere in the terms fails the lookup, as Ansible's templating of them does. */
function strictDeep(v: unknown): void {
  strict(v)
  if (Array.isArray(v)) for (const x of v) strictDeep(x)
  else if (isMapping(v)) for (const x of Object.values(v)) strictDeep(x)
}

/** Runs the lookup plugin itself (a with_ loop does this: errors fail the task). */
export function runLookup(name: string, terms: unknown[], kw: Record<string, unknown>, env: LookupEnv): unknown[] {
  const fn = lookupFor(name)
  if (!fn) throw unknownLookup(name)
  for (const t of terms) strictDeep(t)
  try {
    return fn(terms, kw, env)
  } catch (e) {
    if (e instanceof LookupError || e instanceof PythonLookupFailed) throw templateError(`lookup plugin '${name}' failed: ${e.message}`)
    throw e
  }
}

/** Whether `lookup(name)` and `with_<name>` find a lookup: acplay's, or the controller's Ansible's. */
export const lookupExists = (name: string): boolean => lookupFor(name) !== undefined

/** acplay's lookup, else the controller's Ansible runs it (a collection's, or one Ansible routes: dig). */
function lookupFor(name: string): Lookup | undefined {
  return lookupNamed(name) ?? (hasPythonLookup(name) ? (terms, kw, env) => pythonLookup(name, terms, kw, env.vars) : undefined)
}

export function unknownLookup(name: string): AcplayError {
  return templateError(`lookup plugin '${name}' not found (acplay has: ${LOOKUP_NAMES.join(', ')})`)
}

/**
 * `lookup(name, *terms, wantlist=False, errors='strict', **options)` and `query(...)` (wantlist
 * always): errors='ignore'|'warn' turn a failure into None / []; a list of strings joined with
 * commas unless a list is wanted, a single value unwrapped.
 */
export function callLookup(args: unknown[], kw: Record<string, unknown>, frame: Frame | undefined, forceList: boolean): unknown {
  const [name, ...terms] = args
  if (typeof name !== 'string') throw templateError('lookup() needs the name of a lookup plugin as its first argument')
  const { wantlist, errors = 'strict', allow_unsafe: allowUnsafe, ...options } = kw
  const list = forceList || truthy(wantlist)
  const env = lookupEnv(name, frame?.scope, 'files', frame)
  let ran: unknown[]
  try {
    ran = runLookup(name, terms, options, env)
  } catch (e) {
    const undef = e instanceof AcplayError && e.code === 'E_UNDEFINED_VAR'
    if (undef || !lookupFor(name) || (errors !== 'warn' && errors !== 'ignore')) throw e
    if (errors === 'warn') env.ctx.warn(`Lookup failed but the error is being ignored: ${(e as Error).message}`)
    return list ? [] : null
  }
  // what a lookup read is unsafe data unless allow_unsafe says otherwise, as Ansible's _lookup wraps it
  if (!truthy(allowUnsafe)) frame?.scope.noteUnsafe?.()
  // Ansible's template lookup makes its text NativeJinjaText when convert_data is off: never read as a list or dict
  if (frame) frame.run.lookupText = /^(ansible\.(builtin|legacy)\.)?template$/.test(name) && 'convert_data' in options && !truthy(options.convert_data)
  if (list || ran.length === 0) return ran
  if (ran.every((x) => typeof x === 'string')) return ran.join(',')
  return ran.length === 1 ? ran[0] : ran
}

/**
 * The items of `with_<name>: raw` (Ansible's _get_loop_items): the terms templated (first_found
 * leaves out those naming undefined variables), made a list, then the lookup run as a list.
 * `subdir`: where first_found looks first, by the task's action.
 */
export function loopLookup(name: string, raw: unknown, scope: LookupResolver, subdir: SearchKind): unknown[] {
  const short = name.replace(/^ansible\.(builtin|legacy)\./, '')
  const env = lookupEnv(name, scope, subdir)
  const strictly = short !== 'first_found'
  const templated = env.template(typeof raw === 'string' ? raw.trim() : raw, strictly)
  let terms: unknown[]
  if (Array.isArray(templated)) terms = templated
  else if (isMapping(templated)) {
    if (short === 'list') throw templateError(`lookup plugin 'list' failed: with_list expects a list, got ${pyType(templated)}`)
    terms = short === 'dict' ? [templated] : Object.keys(templated)
  } else terms = [templated]
  if (!strictly) terms = terms.filter((t) => !(typeof t === 'string' && /\{\{|\{%|\{#/.test(t)))
  return runLookup(name, terms, {}, env)
}
