/**
 * Jinja-compatible templating, as Ansible does it: strict undefined, native values for a lone
 * `{{ expr }}`, and variables whose values hold templates rendered lazily when first used.
 */
import nunjucks from 'nunjucks'
import { AcplayError, type Location } from '../errors.js'
import { jinjaEnv } from './filters.js'
import { globals, OMIT } from './globals.js'
import { type Compiled, compileTemplate } from './jinja-compiler.js'
import { jinjaRuntime, output, RenderContext, type Scope } from './jinja-runtime.js'
import { truthy } from './py.js'
import { Undef, templateError } from './undefined.js'

export type Vars = Record<string, unknown>
export { OMIT }

/** How deep `a: "{{ b }}"`, `b: "{{ c }}"`, ... may go before we call it a runaway. */
const MAX_DEPTH = 64
const CACHE_LIMIT = 5000

/** Ansible's test for "is this a template": any Jinja delimiter. */
export const isTemplate = (s: string): boolean => s.includes('{{') || s.includes('{%') || s.includes('{#')

const { Frame } = (nunjucks as unknown as { runtime: { Frame: new () => { topLevel: boolean } } }).runtime

// Values marked raw (e.g. other hosts' vars, `!unsafe` data) are never walked for templates.
const rawValues = new WeakSet<object>()
export function markRaw<T extends object>(value: T): T {
  rawValues.add(value)
  return value
}

/** One evaluation's view of the vars: each var is templated at most once, loops are caught. */
class VarScope implements Scope {
  private cache = new Map<string, unknown>()
  private stack: string[] = []
  constructor(
    private templar: Templar,
    private vars: Vars,
  ) {}

  resolve(name: string): unknown {
    if (this.cache.has(name)) return this.cache.get(name)
    if (!Object.hasOwn(this.vars, name)) return Object.hasOwn(globals, name) ? globals[name] : new Undef(name)
    if (this.stack.includes(name)) {
      throw templateError(`recursive loop detected in template: ${[...this.stack, name].join(' -> ')}`)
    }
    if (this.stack.length >= MAX_DEPTH) throw templateError(`templates nest deeper than ${MAX_DEPTH} levels: ${this.stack.join(' -> ')}`)
    this.stack.push(name)
    let value: unknown
    try {
      value = this.templar.walk(this.vars[name], this)
    } catch (e) {
      // say which var's value held the bad template, once (at the innermost var)
      if (e instanceof AcplayError && !e.message.includes(' (in the value of ')) {
        throw new AcplayError(e.code, `${e.message} (in the value of '${name}')`, e.where)
      }
      throw e
    } finally {
      this.stack.pop()
    }
    this.cache.set(name, value)
    return value
  }
}

export class Templar {
  private compiled = new Map<string, Compiled>()

  /** A string with `{{ }}`/`{% %}`, rendered to a string (Python str() of values: True, None). */
  render(text: string, vars: Vars, where?: Location): string {
    if (!isTemplate(text)) return text
    return this.guard(where, () => this.run(text, new VarScope(this, vars), false) as string)
  }

  /**
   * A bare expression (`when`, `changed_when`, `failed_when`, `assert.that`) to its native value.
   * Booleans and other non-strings are returned as they are; `"{{ x }}"` is accepted too.
   */
  evaluate(expr: unknown, vars: Vars, where?: Location): unknown {
    if (typeof expr !== 'string') return expr
    const e = expr.trim()
    if (e === '') throw withWhere(templateError('empty expression'), where)
    const src = /^\{\{[\s\S]*\}\}$/.test(e) && !e.slice(2, -2).includes('{{') ? e : `{{ ${e} }}`
    return this.guard(where, () => this.run(src, new VarScope(this, vars), true))
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
  templateValue(value: unknown, vars: Vars, where?: Location): unknown {
    return this.guard(where, () => this.walk(value, new VarScope(this, vars)))
  }

  /** @internal the walk behind templateValue, in a given scope */
  walk(value: unknown, scope: Scope): unknown {
    if (typeof value === 'string') return isTemplate(value) ? this.run(value, scope, true) : value
    if (typeof value !== 'object' || value === null || rawValues.has(value)) return value
    if (Array.isArray(value)) {
      let changed = false
      const out = value.map((v) => {
        const t = this.walk(v, scope)
        if (t !== v) changed = true
        return t
      })
      return changed ? out : value
    }
    // only plain mappings are rebuilt; class instances (secrets, buffers) are values, not data
    const proto = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) return value
    let changed = false
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      const t = this.walk(v, scope)
      if (t !== v) changed = true
      if (t === OMIT) changed = true
      else out[k] = t
    }
    return changed ? out : value
  }

  /** Renders `src`: a native value when it is one `{{ expr }}` and native is wanted, else a string. */
  private run(src: string, scope: Scope, native: boolean): unknown {
    const c = this.compile(src)
    const context = new RenderContext(jinjaEnv, scope)
    const frame = new Frame()
    frame.topLevel = true
    let error: unknown
    let out: string | undefined
    c.root(jinjaEnv, context, frame, jinjaRuntime, (err, res) => {
      error = err
      out = res
    })
    if (error) throw error
    if (c.native) return native ? context.native : output(context.native)
    return out ?? ''
  }

  private compile(src: string): Compiled {
    let c = this.compiled.get(src)
    if (!c) {
      if (this.compiled.size >= CACHE_LIMIT) this.compiled.clear()
      c = compileTemplate(src)
      this.compiled.set(src, c)
    }
    return c
  }

  private guard<T>(where: Location | undefined, fn: () => T): T {
    try {
      return fn()
    } catch (e) {
      throw withWhere(e, where)
    }
  }
}

function withWhere(e: unknown, where: Location | undefined): AcplayError {
  const err = e instanceof AcplayError ? e : templateError(e instanceof Error ? e.message : String(e))
  if (!where) return err
  return new AcplayError(err.code, err.message, { ...err.where, ...where })
}

/** A shared instance: compiled templates are cached per Templar. */
export const templar = new Templar()

/** The shared Templar's methods as plain functions (same signatures). */
export const render = (text: string, vars: Vars, where?: Location): string => templar.render(text, vars, where)
export const evaluate = (expr: unknown, vars: Vars, where?: Location): unknown => templar.evaluate(expr, vars, where)
export const isTrue = (expr: unknown, vars: Vars, where?: Location): boolean => templar.test(expr, vars, where)
export const templateValue = (value: unknown, vars: Vars, where?: Location): unknown => templar.templateValue(value, vars, where)
