/**
 * Jinja templating as Ansible does it, on our own Jinja2 implementation (engine/vars/jinja/):
 * strict undefined, native values for a lone `{{ expr }}`, and variables whose values hold
 * templates rendered lazily when first used (each at most once per evaluation, loops caught).
 */
import { AcplayError, type Location } from '../errors.js'
import { globals, OMIT } from './globals.js'
import { errorPlace } from './jinja/compile-stmt.js'
import { JinjaSyntaxError } from './jinja/errors.js'
import type { LexOptions } from './jinja/lexer.js'
import { Frame, output, type RenderEnv, type Resolver, TemplateRun } from './jinja/runtime.js'
import { compileTemplate, type Template } from './jinja/template.js'
import type { LookupResolver } from './lookups/index.js'
import { isMapping, PyFloat, PyObj, PyTuple, truthy, tuple } from './py.js'
import { pyLiteral } from './py-literal.js'
import { strict, templateError, Undef } from './undefined.js'
import { canBeUnsafe, marksStayInside, setUnsafeKeys, UNSAFE_CONDITION, unsafeKeys, unsafeWhole, withKey } from './unsafe.js'

export type Vars = Record<string, unknown>
export { OMIT }

/** Gives the source of a template named in `{% include %}`, `{% import %}` or `{% extends %}`, or undefined. */
export type TemplateLoader = (name: string) => string | undefined

export interface RenderOptions {
  loader?: TemplateLoader
  /** the template module's trim_blocks (default true) and lstrip_blocks (default false), for render() */
  trimBlocks?: boolean
  lstripBlocks?: boolean
  /**
   * Keep Python's types in native results (an integral float stays a PyFloat, printing as 5.0),
   * for callers that print values as Python would; by default results are plain JS data.
   */
  pythonTypes?: boolean
}

/** How deep `a: "{{ b }}"`, `b: "{{ c }}"`, ... may go before we call it a runaway. */
const MAX_DEPTH = 64
const CACHE_LIMIT = 5000
/** Templar.SINGLE_VAR: a template that is one variable, whose number or bool value Ansible passes as it is */
const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/
/** `{{ 5 }}` and `{{ none }}` match SINGLE_VAR but name no variable: Ansible renders them */
const singleVariable = (src: string): boolean => {
  const name = SINGLE_VAR.exec(src)?.[1]
  return !!name && /^[A-Za-z_]/.test(name) && name !== 'none' && name !== 'None'
}

/** Ansible's test for "is this a template": any Jinja delimiter. */
export const isTemplate = (s: string): boolean => s.includes('{{') || s.includes('{%') || s.includes('{#')

/** Ansible's environment: trim_blocks on, lstrip_blocks off. */
const FILE_LEX: LexOptions = { trimBlocks: true, lstripBlocks: false, rawStringsInVariables: false }
/** Strings in playbooks also get Ansible's escape_backslashes: `'\d'` inside `{{ }}` is backslash-d. */
const VALUE_LEX: LexOptions = { ...FILE_LEX, rawStringsInVariables: true }

// Values marked raw (e.g. other hosts' vars, `!unsafe` data) are never walked for templates.
const rawValues = new WeakSet<object>()
export function markRaw<T extends object>(value: T): T {
  rawValues.add(value)
  return value
}

const GLOBALS_ONLY: Resolver = { resolve: (name) => (Object.hasOwn(globals, name) ? globals[name] : new Undef(name)) }
const NO_ENV: RenderEnv = { load: () => undefined, canLoad: false, globalsOnly: GLOBALS_ONLY }
/** Bare expressions define no blocks and load nothing: one run serves them all. */
const EXPRESSION_RUN = new TemplateRun(NO_ENV, undefined)

// Objects whose walk found no template in them: walked once, not again (they are data, not edited).
const noTemplates = new WeakSet<object>()

/** One evaluation's view of the vars: each var is templated at most once, loops are caught. Lookups run with it. */
class VarScope implements LookupResolver {
  private cache: Map<string, unknown> | undefined
  private stack: string[] = []
  private exprFrame: Frame | undefined
  /** an unsafe value was read since this was last cleared (unsafe.ts) */
  readUnsafe = false
  /** the cached variables whose rendering read unsafe data */
  private unsafeCached: Set<string> | undefined

  constructor(
    private readonly templar: Templar,
    private readonly vars: Vars,
    readonly env: RenderEnv,
  ) {}

  /** the frame bare expressions run in (they never set names, so one serves them all) */
  get frame(): Frame {
    if (!this.exprFrame) this.exprFrame = new Frame(undefined, this.env === NO_ENV ? EXPRESSION_RUN : new TemplateRun(this.env, undefined), this)
    return this.exprFrame
  }

  variables(): Vars {
    return this.vars
  }

  template(value: unknown): unknown {
    return this.templar.walk(value, this, true)
  }

  renderFile(text: string, extra: Vars, loader?: TemplateLoader): string {
    return this.templar.render(text, { ...this.vars, ...extra }, undefined, { loader })
  }

  noteUnsafe(): void {
    this.readUnsafe = true
  }

  resolve(name: string): unknown {
    if (!Object.hasOwn(this.vars, name)) {
      // Ansible's `vars`: every variable, as written (its values are not templated)
      if (name === 'vars') return { ...this.vars }
      return Object.hasOwn(globals, name) ? globals[name] : new Undef(name)
    }
    const raw = this.vars[name]
    // unsafe values are data: never templated
    if (canBeUnsafe(raw) && unsafeKeys(this.vars)?.has(name) && unsafeWhole(raw)) {
      this.readUnsafe = true
      return raw
    }
    // plain values need no templating and no cache
    if (typeof raw !== 'object' ? typeof raw !== 'string' || !isTemplate(raw) : raw === null || noTemplates.has(raw)) return raw
    if (this.cache?.has(name)) {
      if (this.unsafeCached?.has(name)) this.readUnsafe = true
      return this.cache.get(name)
    }
    if (this.stack.includes(name)) throw templateError(`recursive loop detected in template: ${[...this.stack, name].join(' -> ')}`)
    if (this.stack.length >= MAX_DEPTH) throw templateError(`templates nest deeper than ${MAX_DEPTH} levels: ${this.stack.join(' -> ')}`)
    this.stack.push(name)
    const before = this.readUnsafe
    this.readUnsafe = false
    let value: unknown
    let read = false
    try {
      value = this.templar.walk(raw, this, true)
      read = this.readUnsafe
    } catch (e) {
      // say which var's value held the bad template, once (at the innermost var)
      if (e instanceof AcplayError && !e.message.includes(' (in the value of '))
        throw new AcplayError(e.code, `${e.message} (in the value of '${name}')`, e.where)
      throw e
    } finally {
      this.stack.pop()
      // a container holding unsafe data is unsafe (Ansible's test looks inside it), but for hostvars:
      // reading one host's name is not reading another's output (unsafe.ts keepMarksInside)
      if (typeof value === 'object' && value !== null) read = !marksStayInside(value) && !!unsafeKeys(value)?.size
      this.readUnsafe = before || read
    }
    if (read) this.unsafeCached = withKey(this.unsafeCached, name)
    else if (value === raw && typeof raw === 'object' && raw !== null) noTemplates.add(raw)
    if (!this.cache) this.cache = new Map()
    this.cache.set(name, value)
    return value
  }
}

/** Ansible adds back the trailing newlines Jinja dropped from the source. */
function keepTrailingNewlines(src: string, out: string): string {
  let want = 0
  while (want < src.length && src[src.length - 1 - want] === '\n') want++
  if (!want) return out
  let have = 0
  while (have < out.length && out[out.length - 1 - have] === '\n') have++
  return want > have ? out + '\n'.repeat(want - have) : out
}

const STRINGS = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g
const LITERAL_NAMES = new Set(['True', 'False', 'None', 'true', 'false', 'null'])

/**
 * Whether text could be a Python literal as Ansible 2.14's concat reads it (ast.literal_eval after
 * its Json2Python, which makes JSON's true, false and null Python's): outside its string literals,
 * no call, filter or name but True, False, None, true, false and null.
 */
function pythonLiteral(text: string): boolean {
  const code = text.replace(STRINGS, '""')
  if (/[|(]/.test(code)) return false
  return (code.match(/(?<![\w.])[A-Za-z_]\w*/g) ?? []).every((name) => LITERAL_NAMES.has(name))
}

/**
 * A result is walked only when the evaluation made a value that must not leave as it is (an
 * undefined, a float, a Python object): counts taken before it, as three numbers (no allocation on
 * the hot path).
 */

/**
 * A native result leaves as plain data: undefined values inside refused, and unless Python's types
 * are kept, integral floats unboxed and other Python objects (a datetime) as Python's str() prints
 * them, which is what Ansible's templating hands a module or prints.
 */
function finish(v: unknown, undefs: number, floats: number, objects: number, keepPython: boolean): unknown {
  if (v instanceof Undef) return v.lenient ? '' : strict(v)
  if (typeof v !== 'object' || v === null) return v
  if (v instanceof PyFloat || v instanceof PyObj) return plain(v, keepPython)
  const clean = Undef.made === undefs && (keepPython || (PyFloat.made === floats && PyObj.made === objects))
  return clean ? v : plain(v, keepPython)
}
/** Whether a value is, or holds, a Python object (a datetime, a timedelta). */
function holdsPyObj(v: unknown): boolean {
  if (v instanceof PyObj) return true
  if (Array.isArray(v)) return v.some(holdsPyObj)
  return isMapping(v) && Object.values(v).some(holdsPyObj)
}
function plain(v: unknown, keepPython: boolean): unknown {
  if (v instanceof PyFloat) return keepPython ? v : v.v
  if (v instanceof Undef) return strict(v)
  if (v instanceof PyObj) return keepPython ? v : v.pyStr()
  if (Array.isArray(v)) {
    let changed = false
    const out = v.map((x) => {
      const y = plain(x, keepPython)
      if (y !== x) changed = true
      return y
    })
    return changed ? (v instanceof PyTuple ? tuple(out) : out) : v
  }
  if (isMapping(v)) {
    let changed = false
    const out: Record<string, unknown> = {}
    for (const k in v) {
      const y = plain(v[k], keepPython)
      if (y !== v[k]) changed = true
      out[k] = y
    }
    return changed ? out : v
  }
  return v
}

export class Templar {
  private compiled = new Map<string, Template>()
  private compiledValues = new Map<string, Template>()
  private expressions = new Map<string, Template>()
  private files = new Map<string, Template>()

  constructor(private readonly opts: RenderOptions = {}) {}

  /** A template file's text (the template module): a string, None printed as ''. */
  render(text: string, vars: Vars, where?: Location, opts: RenderOptions = {}): string {
    // Jinja still rewrites \r\n and a #jinja2: line in a text without tags
    if (!isTemplate(text) && !text.includes('\r') && !text.startsWith(OVERRIDE)) return text
    return this.guard(where, () => {
      const custom = (opts.trimBlocks ?? true) !== true || (opts.lstripBlocks ?? false) !== false
      const lex = custom ? { ...FILE_LEX, trimBlocks: opts.trimBlocks ?? true, lstripBlocks: opts.lstripBlocks ?? false } : FILE_LEX
      const t = custom ? this.compileWith(text, lex) : this.compile(text, false)
      // templates it includes, imports or extends are read with the same whitespace control
      return this.runCompiled(t, text, this.scope(vars, opts, lex), false, false) as string
    })
  }

  /**
   * A bare expression (`when`, `changed_when`, `failed_when`, `assert.that`) to its native value.
   * Booleans and other non-strings are returned as they are; `"{{ x }}"` is accepted too.
   */
  evaluate(expr: unknown, vars: Vars, where?: Location, opts: RenderOptions = {}): unknown {
    if (typeof expr !== 'string') return expr
    return this.guard(where, () => {
      const scope = this.scope(vars, opts)
      let e = expr
      // as Ansible's Conditional: a template is rendered first, and a non-empty string it gives is
      // then evaluated (`when: "{{ flag }}"` with flag "false" is false; `"{{ a }} == 1"` compares)
      if (isTemplate(expr)) {
        const rendered = this.run(expr, scope, true, true, !!opts.pythonTypes)
        if (typeof rendered !== 'string' || rendered === '') return rendered
        // Ansible 2.14.12+: text rendered from unsafe data is never evaluated as an expression
        if (scope.readUnsafe) throw templateError(`The conditional check '${expr}' failed. The error was: ${UNSAFE_CONDITION}`)
        e = rendered
      }
      return this.runCompiled(this.compileExpression(e), e, scope, true, !!opts.pythonTypes)
    })
  }

  /** evaluate() judged by Python truthiness ([] and '' are false): a `when` condition. */
  test(expr: unknown, vars: Vars, where?: Location): boolean {
    const v = this.evaluate(expr, vars, where)
    return this.guard(where, () => truthy(v))
  }

  /**
   * Templates every string in a value (arrays and mappings recursively). A string that is
   * exactly one `{{ expr }}` becomes the expression's native value; mapping keys whose value
   * is `omit` are dropped. Parts without templates are returned as the same objects.
   */
  templateValue(value: unknown, vars: Vars, where?: Location, opts: RenderOptions = {}): unknown {
    return this.guard(where, () => this.walk(value, this.scope(vars, opts), !!opts.pythonTypes))
  }

  /** templateValue, and whether its rendering read unsafe data (what it gives is then unsafe: unsafe.ts). */
  templateValueTracked(value: unknown, vars: Vars, where?: Location, opts: RenderOptions = {}): { value: unknown; unsafe: boolean } {
    const scope = this.scope(vars, opts)
    const v = this.guard(where, () => this.walk(value, scope, !!opts.pythonTypes))
    return { value: v, unsafe: scope.readUnsafe }
  }

  /** The variables as lookups run with them (a with_<lookup> loop). */
  lookupScope(vars: Vars): LookupResolver {
    return this.scope(vars, {})
  }

  private scope(vars: Vars, opts: RenderOptions, lex: LexOptions = FILE_LEX): VarScope {
    return new VarScope(this, vars, this.env(opts.loader ?? this.opts.loader, lex))
  }

  /** @internal the walk behind templateValue, in a given scope */
  walk(value: unknown, scope: VarScope, pythonTypes = false): unknown {
    if (typeof value === 'string') return isTemplate(value) ? this.run(value, scope, true, true, pythonTypes) : value
    if (typeof value !== 'object' || value === null || rawValues.has(value)) return value
    // only plain mappings are rebuilt; class instances (secrets, buffers) are values, not data
    const isArray = Array.isArray(value)
    const proto = Object.getPrototypeOf(value)
    if (!isArray && proto !== Object.prototype && proto !== null) return value
    // each entry's rendering is watched: one that read unsafe data is marked unsafe in what is
    // returned, and the scope then read unsafe data too (Ansible: a container holding it is unsafe)
    const marked = unsafeKeys(value)
    const before = scope.readUnsafe
    let unsafe: Set<string> | undefined
    let fresh = false
    let changed = false
    const out: Record<string, unknown> | unknown[] = isArray ? [] : {}
    for (const [k, v] of Object.entries(value)) {
      let t = v
      if (marked?.has(k)) {
        unsafe = withKey(unsafe, k)
        if (!unsafeWhole(v)) t = this.walk(v, scope, pythonTypes)
      } else {
        scope.readUnsafe = false
        t = this.walk(v, scope, pythonTypes)
        if (scope.readUnsafe && canBeUnsafe(t)) {
          unsafe = withKey(unsafe, k)
          fresh = true
        }
      }
      if (t !== v) changed = true
      if (t === OMIT && !isArray) changed = true
      else if (isArray) (out as unknown[]).push(t)
      else (out as Record<string, unknown>)[k] = t
    }
    // carrying marked entries along is not reading them: reading is resolving a name or an entry (compile-expr.ts)
    if (marksStayInside(value)) [unsafe, fresh] = [undefined, false]
    scope.readUnsafe = before || fresh
    if (!changed && !fresh) return value
    setUnsafeKeys(out, unsafe)
    return out
  }

  /** Renders `src`: a native value when it is one `{{ expr }}` and native is wanted, else a string. */
  private run(src: string, scope: VarScope, native: boolean, playbookString: boolean, pythonTypes = false): unknown {
    const t = this.compile(src, playbookString)
    if (!native || !playbookString) return this.runCompiled(t, src, scope, native, pythonTypes)
    // Ansible's ansible_eval_concat: a playbook value whose text (Jinja drops one trailing newline)
    // reads as a Python bool, list or dict becomes one, and then keeps no trailing newline; but a
    // template of one node that a string-type filter made (`{{ x | to_json }}`) stays text
    if (t.expr) {
      const [undefs, floats, objects] = [Undef.made, PyFloat.made, PyObj.made]
      const raw = t.expr(scope.frame)
      // Ansible 2.14 (jinja2_native off) turns one node into text: a number or None stays text ('5',
      // ''); only text that reads as a bool, list or dict comes back. A lone variable whose value is a
      // number, bool or None is passed as it is (Templar's SINGLE_VAR shortcut): `"{{ port }}"`.
      // A datetime (or a list holding one) is text too: its str() does not read back as a literal, nor
      // does a tuple's (`"{{ path | splitext }}"` is "('/a/b', '.c')"; inside a list it stays a sequence).
      const text = typeof raw === 'number' || raw instanceof PyFloat || raw === null || raw instanceof PyTuple || (PyObj.made !== objects && holdsPyObj(raw))
      if (text && !singleVariable(src)) return output(raw)
      const v = finish(raw, undefs, floats, objects, pythonTypes)
      return typeof v !== 'string' || t.exprNativeText(scope.frame.run) ? v : (this.literal(v) ?? v)
    }
    const { out, nativeText } = t.renderConcat(undefined, scope, scope.env)
    const data = nativeText ? undefined : this.literal(out)
    return data === undefined ? keepTrailingNewlines(src, out) : data
  }

  /** `True`, `False`, or a list / dict literal of constants (Python's ast.literal_eval after Json2Python); else undefined. */
  private literal(out: string): unknown {
    if (out === 'True' || out === 'False') return out === 'True'
    if (!/^[[{]/.test(out) || !pythonLiteral(out)) return undefined
    try {
      // JSON's null is Python's None (true and false are Jinja's too)
      const t = this.compileExpression(out.replace(new RegExp(`${STRINGS.source}|(?<![\\w.])null(?!\\w)`, 'g'), (m) => (m === 'null' ? 'None' : m)))
      const [undefs, floats, objects] = [Undef.made, PyFloat.made, PyObj.made]
      const v = t.expr?.(this.scope({}, {}).frame)
      return Array.isArray(v) || (typeof v === 'object' && v !== null && !(v instanceof Undef)) ? finish(v, undefs, floats, objects, false) : undefined
    } catch {
      return undefined
    }
  }

  private runCompiled(t: Template, src: string, scope: VarScope, native: boolean, pythonTypes: boolean): unknown {
    if (t.expr) {
      const undefs = Undef.made
      const floats = PyFloat.made
      const objects = PyObj.made
      const v = t.expr(scope.frame)
      return native ? finish(v, undefs, floats, objects, pythonTypes) : output(v)
    }
    return keepTrailingNewlines(src, t.render(undefined, scope, scope.env))
  }

  /** A bare expression (or one `{{ expr }}`), compiled once per distinct text as written. */
  private compileExpression(expr: string): Template {
    let t = this.expressions.get(expr)
    if (!t) {
      const e = expr.trim()
      if (e === '') throw templateError('empty expression')
      const src = /^\{\{[\s\S]*\}\}$/.test(e) && !e.slice(2, -2).includes('{{') ? e : `{{ ${e} }}`
      if (this.expressions.size >= CACHE_LIMIT) this.expressions.clear()
      t = compileOrExplain(src, FILE_LEX)
      this.expressions.set(expr, t)
    }
    return t
  }

  private compileWith(src: string, lex: LexOptions): Template {
    const key = `${lex.trimBlocks ? 'T' : 't'}${lex.lstripBlocks ? 'L' : 'l'}\0${src}`
    let t = this.compiled.get(key)
    if (!t) {
      if (this.compiled.size >= CACHE_LIMIT) this.compiled.clear()
      t = compileOrExplain(src, lex)
      this.compiled.set(key, t)
    }
    return t
  }

  private compile(src: string, playbookString: boolean): Template {
    const cache = playbookString ? this.compiledValues : this.compiled
    let t = cache.get(src)
    if (!t) {
      if (cache.size >= CACHE_LIMIT) cache.clear()
      t = compileOrExplain(src, playbookString ? VALUE_LEX : FILE_LEX)
      cache.set(src, t)
    }
    return t
  }

  /** Where included, imported and extended templates come from for one render. */
  private env(loader: TemplateLoader | undefined, lex: LexOptions): RenderEnv {
    if (!loader) return NO_ENV
    return {
      load: (name) => {
        const source = loader(name)
        if (source === undefined) return undefined
        const key = `${lex.trimBlocks ? 'T' : 't'}${lex.lstripBlocks ? 'L' : 'l'}${name}\0${source}`
        let t = this.files.get(key)
        if (!t) {
          if (this.files.size >= CACHE_LIMIT) this.files.clear()
          t = compileOrExplain(source, lex, name)
          this.files.set(key, t)
        }
        return t
      },
      canLoad: true,
      globalsOnly: GLOBALS_ONLY,
    }
  }

  private guard<T>(where: Location | undefined, fn: () => T): T {
    try {
      return fn()
    } catch (e) {
      throw withWhere(e, where)
    }
  }
}

const OVERRIDE = '#jinja2:'
const OVERRIDABLE: Record<string, keyof LexOptions> = { trim_blocks: 'trimBlocks', lstrip_blocks: 'lstripBlocks', keep_trailing_newline: 'keepTrailingNewline' }

/** Ansible's `#jinja2: lstrip_blocks: True, trim_blocks: False` first line: environment settings for this template. */
function overrides(src: string, lex: LexOptions): { body: string; lex: LexOptions } {
  const eol = src.indexOf('\n')
  const line = src.slice(OVERRIDE.length, eol < 0 ? undefined : eol)
  const out = { ...lex }
  for (const pair of line.split(',')) {
    const i = pair.indexOf(':')
    if (i < 0) throw templateError(`failed to parse jinja2 override '${pair.trim()}'. Did you use something different from colon as key-value separator?`)
    const key = pair.slice(0, i).trim()
    const value = pair.slice(i + 1).trim()
    if (!Object.hasOwn(OVERRIDABLE, key))
      throw templateError(`jinja2 override '${key}' is not supported (trim_blocks, lstrip_blocks and keep_trailing_newline are)`)
    // Ansible sets ast.literal_eval(value) on the environment and Jinja tests it for truth:
    // "true" (a quoted string, as the dev-sec roles write it) is on, and so is "false"
    let literal: unknown
    try {
      literal = pyLiteral(value)
    } catch {
      throw templateError(`jinja2 override ${key}: '${value}' is not a Python literal (True, False, a number or a quoted string)`)
    }
    ;(out as Record<string, unknown>)[OVERRIDABLE[key]!] = truthy(literal)
  }
  return { body: eol < 0 ? '' : src.slice(eol + 1), lex: out }
}

function compileOrExplain(src: string, lex: LexOptions, name?: string): Template {
  try {
    if (src.startsWith(OVERRIDE)) {
      const o = overrides(src, lex)
      return compileTemplate(o.body, o.lex, name)
    }
    return compileTemplate(src, lex, name)
  } catch (e) {
    if (!(e instanceof JinjaSyntaxError)) throw e
    const shown = src.length > 200 ? `${src.slice(0, 200)}...` : src
    const at = src.includes('\n') || name ? ` (${name ? `template '${name}', ` : ''}line ${e.line})` : ''
    throw templateError(`template syntax error in ${JSON.stringify(shown)}: ${e.message}${at}`)
  }
}

function withWhere(e: unknown, where: Location | undefined): AcplayError {
  let err = e instanceof AcplayError ? e : templateError(e instanceof Error ? e.message : String(e))
  const place = errorPlace(e)
  if (place && !err.message.includes(', line ') && !err.message.includes('(line ')) {
    err = new AcplayError(err.code, `${err.message} (${place.template ? `template '${place.template}', ` : ''}line ${place.line})`, err.where)
  }
  if (!where) return err
  return new AcplayError(err.code, err.message, { ...err.where, ...where })
}

/** A shared instance: compiled templates are cached per Templar. */
export const templar = new Templar()

/** The shared Templar's methods as plain functions (same signatures; render takes an optional loader). */
export const render = (text: string, vars: Vars, where?: Location, opts?: RenderOptions): string => templar.render(text, vars, where, opts)
export const evaluate = (expr: unknown, vars: Vars, where?: Location): unknown => templar.evaluate(expr, vars, where)
export const isTrue = (expr: unknown, vars: Vars, where?: Location): boolean => templar.test(expr, vars, where)
export const templateValue = (value: unknown, vars: Vars, where?: Location): unknown => templar.templateValue(value, vars, where)
export const lookupScope = (vars: Vars): LookupResolver => templar.lookupScope(vars)
