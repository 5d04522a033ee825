/**
 * What compiled templates run on: frames of local names, Jinja's getattr/getitem (a Python
 * attribute first for `.name`, the item first for `[key]`), calls, iteration, the `loop` object,
 * macros, namespaces and the other objects templates can hold.
 */
import { isMapping, PyFloat, PyObj, PyTuple, pystr, pyType, repr, strRepr, tuple } from '../py.js'
import { type Method, pyMethod } from '../py-methods.js'
import { strict, templateError, Undef } from '../undefined.js'

/** Where a name no frame holds comes from: template vars (lazily templated), then globals. */
export interface Resolver {
  resolve(name: string): unknown
  /** an unsafe value was read (engine/vars/unsafe.ts): a lookup's, or an entry a container marks */
  noteUnsafe?(): void
}

/** Per template being rendered: its blocks (with their inheritance chain) and its top-level frame. */
export class TemplateRun {
  blocks = new Map<string, BlockFn[]>()
  root!: Frame
  /** output nodes rendered (data and `{{ }}`), as Jinja's concat receives them */
  outputs = 0
  /** whether the last `{{ }}` rendered was a string-type filter's (Ansible's NativeJinjaText) */
  nativeText = false
  /** set by a template lookup with convert_data=False: its text is NativeJinjaText too */
  lookupText = false
  constructor(
    readonly env: RenderEnv,
    readonly name: string | undefined,
  ) {}
}

export type BlockFn = (f: Frame, chain: BlockFn[], index: number) => string

/** What templates need from their surroundings to include, import and extend other templates. */
export interface RenderEnv {
  /** the compiled template called `name`, or undefined when there is none */
  load(name: string): LoadedTemplate | undefined
  /** false when templates cannot load others at all (no loader was given) */
  canLoad: boolean
  /** resolves names for templates imported without context: globals only */
  globalsOnly: Resolver
}

export interface LoadedTemplate {
  name: string
  render(parent: Frame | undefined, resolve: Resolver, env: RenderEnv): string
  module(parent: Frame | undefined, resolve: Resolver, env: RenderEnv): TemplateModule
}

/** Local names: a for loop, macro call, `with` or included template gets its own frame. */
export class Frame {
  vars: Record<string, unknown> | undefined
  constructor(
    readonly parent: Frame | undefined,
    readonly run: TemplateRun,
    readonly scope: Resolver,
  ) {}

  lookup(name: string): unknown {
    for (let f: Frame | undefined = this; f; f = f.parent) {
      const v = f.vars
      if (v !== undefined && name in v) return v[name]
    }
    return this.scope.resolve(name)
  }
  set(name: string, value: unknown): void {
    if (this.vars === undefined) this.vars = Object.create(null) as Record<string, unknown>
    this.vars[name] = value
  }
  child(): Frame {
    return new Frame(this, this.run, this.scope)
  }
}

/** Something a template can call: `f(a, k=v)`. */
export abstract class PyCallable extends PyObj {
  /** `f` is the calling frame, for the few callables that read variables (lookup('vars')) */
  abstract call(args: unknown[], kw: Record<string, unknown>, f?: Frame): unknown
}

/** A JS function with Python's calling convention (globals such as range, lookup, namespace). */
export class Builtin extends PyCallable {
  readonly pyType = 'builtin_function_or_method'
  constructor(
    readonly name: string,
    readonly fn: (args: unknown[], kw: Record<string, unknown>) => unknown,
  ) {
    super()
  }
  call(args: unknown[], kw: Record<string, unknown>): unknown {
    return this.fn(args, kw)
  }
  override pyRepr(): string {
    return `<built-in function ${this.name}>`
  }
}

class BoundMethod extends PyCallable {
  readonly pyType = 'builtin_function_or_method'
  constructor(
    readonly self: unknown,
    readonly name: string,
    readonly method: Method,
  ) {
    super()
  }
  call(args: unknown[], kw: Record<string, unknown>): unknown {
    return this.method(this.self, args, kw)
  }
  override pyRepr(): string {
    return `<built-in method ${this.name} of ${pyType(this.self)} object>`
  }
}

/** groupby's `(grouper, list)` pairs: a tuple with two named fields. */
export class GroupTuple extends PyTuple {
  constructor(grouper: unknown, list: unknown[]) {
    super()
    this.push(grouper, list)
  }
}

/** `[a:b:c]` as a key. */
export class SliceKey {
  constructor(
    readonly start: unknown,
    readonly stop: unknown,
    readonly step: unknown,
  ) {}
}

function sliceIndex(v: unknown, what: string): number | null {
  if (v === null || v === undefined) return null
  strict(v)
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (typeof v === 'boolean') return Number(v)
  throw templateError(`slice indices must be integers or None or have an __index__ method (${what})`)
}

export function sliceOf<T>(seq: ArrayLike<T>, k: SliceKey): T[] {
  const step = sliceIndex(k.step, 'step') ?? 1
  if (step === 0) throw templateError('slice step cannot be zero')
  const n = seq.length
  const norm = (i: number | null, dflt: number) => {
    if (i === null) return dflt
    if (i < 0) return Math.max(n + i, step < 0 ? -1 : 0)
    return Math.min(i, step < 0 ? n - 1 : n)
  }
  const out: T[] = []
  if (step > 0)
    for (let i = norm(sliceIndex(k.start, 'start'), 0), e = norm(sliceIndex(k.stop, 'stop'), n); i < e; i += step) out.push(seq[i]!) // norm() clamps into [0, n)
  else for (let i = norm(sliceIndex(k.start, 'start'), n - 1), e = norm(sliceIndex(k.stop, 'stop'), -1); i > e; i += step) out.push(seq[i]!)
  return out
}

/** How an object is named in "has no attribute" messages, as Jinja does ('dict object', 'None'). */
const objectName = (obj: unknown) => (obj === null || obj === undefined ? 'None' : `${pyType(obj)} object`)
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/

/** `obj.name`: a Python attribute (methods included) first, else the item. */
export function getattr(obj: unknown, name: string, base?: string): unknown {
  if (obj instanceof Undef) return obj
  if (isMapping(obj)) {
    const m = pyMethod(obj, name)
    if (m) return new BoundMethod(obj, name, m)
    if (Object.hasOwn(obj, name)) return obj[name]
  } else if (obj instanceof PyObj) {
    const v = obj.pyAttr(name)
    if (v !== undefined) return v
  } else {
    if (obj instanceof GroupTuple && (name === 'grouper' || name === 'list')) return obj[name === 'grouper' ? 0 : 1]
    const m = pyMethod(obj, name)
    if (m) return new BoundMethod(obj, name, m)
  }
  return missing(obj, base, IDENT.test(name) ? `.${name}` : `[${strRepr(name)}]`, `has no attribute '${name}'`)
}

/** `obj[key]`: the item first, else (for a string key) the attribute. */
export function getitem(obj: unknown, key: unknown, base?: string): unknown {
  if (obj instanceof Undef) return obj
  strict(key)
  if (key instanceof SliceKey) {
    if (typeof obj === 'string') return sliceOf([...obj], key).join('')
    if (Array.isArray(obj)) return obj instanceof PyTuple ? tuple(sliceOf(obj, key)) : sliceOf(obj, key)
    if (obj === null || obj === undefined || typeof obj !== 'object') throw templateError(`'${pyType(obj)}' object is not subscriptable`)
  }
  if (typeof obj === 'string' || Array.isArray(obj)) {
    if (typeof key === 'number' && Number.isInteger(key)) {
      // a str is a sequence of code points
      const seq = typeof obj === 'string' && /[\uD800-\uDFFF]/.test(obj) ? [...obj] : obj
      const i = key < 0 ? seq.length + key : key
      if (i >= 0 && i < seq.length) return seq[i]
      return missing(obj, base, `[${key}]`, `has no element ${key}`)
    }
    if (typeof key === 'boolean') return getitem(obj, Number(key), base)
  } else if (isMapping(obj)) {
    const k = typeof key === 'string' ? key : typeof key === 'number' || key instanceof PyFloat || typeof key === 'boolean' ? pystr(key) : undefined
    if (k !== undefined && Object.hasOwn(obj, k)) return obj[k]
  } else if (obj instanceof PyObj && typeof key === 'string') {
    const v = obj.pyAttr(key)
    if (v !== undefined) return v
  }
  if (typeof key === 'string') return getattr(obj, key, base)
  const desc = typeof key === 'string' && IDENT.test(key) ? `.${key}` : `[${typeof key === 'string' ? strRepr(key) : pystr(key)}]`
  return missing(obj, base, desc, typeof key === 'string' ? `has no attribute '${key}'` : `has no element ${repr(key)}`)
}

function missing(obj: unknown, base: string | undefined, step: string, what: string): Undef {
  if (base !== undefined) return new Undef(base + step, `'${base}' ${what}`)
  return new Undef(step.replace(/^\./, ''), `'${objectName(obj)}' ${what}`)
}

/** `fn(*args, **kw)` for whatever a template holds. */
export function callValue(fn: unknown, args: unknown[], kw: Record<string, unknown>, what: string, f?: Frame): unknown {
  if (fn instanceof PyCallable) return fn.call(args, kw, f)
  strict(fn)
  if (typeof fn === 'function') {
    if (Object.keys(kw).length) throw templateError(`${what}() takes no keyword arguments`)
    return fn(...args)
  }
  throw templateError(`'${pyType(fn)}' object is not callable (${what})`)
}

/** `obj.name(*args, **kw)`, without making a bound method when the method is one of ours. */
export function callAttr(obj: unknown, name: string, args: unknown[], kw: Record<string, unknown>, base?: string, f?: Frame): unknown {
  if (!(obj instanceof Undef) && !(obj instanceof PyObj)) {
    const m = pyMethod(obj, name)
    if (m) return m(obj, args, kw)
  }
  const fn = getattr(obj, name, base)
  return callValue(fn, args, kw, base === undefined ? name : `${base}.${name}`, f)
}

/** Python iteration: a list's items, a dict's keys, a string's characters. */
export function iterate(v: unknown): unknown[] {
  if (Array.isArray(v)) return v
  if (typeof v === 'string') return [...v]
  if (isMapping(v)) return Object.keys(v)
  if (v instanceof Undef) {
    if (v.lenient) return []
    throw v.error()
  }
  if (v instanceof PyObj && 'pyIter' in v) return (v as PyObj & { pyIter(): unknown[] }).pyIter()
  if (v !== null && typeof v === 'object' && Symbol.iterator in v) return [...(v as Iterable<unknown>)]
  throw templateError(`'${pyType(v)}' object is not iterable`)
}

/** `a, b = value`: Python's unpacking with its errors. */
export function unpack(v: unknown, n: number): unknown[] {
  const items = iterate(v)
  if (items.length < n) throw templateError(`not enough values to unpack (expected ${n}, got ${items.length})`)
  if (items.length > n) throw templateError(`too many values to unpack (expected ${n})`)
  return items
}

/** The `loop` variable of a for loop. */
export class LoopContext extends PyCallable {
  readonly pyType = 'LoopContext'
  index0 = -1
  private lastChanged: unknown = LoopContext
  constructor(
    readonly items: unknown[],
    readonly depth0: number,
    private readonly recurse?: (items: unknown, depth0: number) => string,
  ) {
    super()
  }
  call(args: unknown[]): unknown {
    if (!this.recurse) throw templateError("Tried to call non recursive loop. Maybe you forgot the 'recursive' modifier.")
    return this.recurse(args[0], this.depth0 + 1)
  }
  override pyAttr(name: string): unknown {
    const n = this.items.length
    const i = this.index0
    switch (name) {
      case 'index0':
        return i
      case 'index':
        return i + 1
      case 'revindex':
        return n - i
      case 'revindex0':
        return n - i - 1
      case 'first':
        return i === 0
      case 'last':
        return i === n - 1
      case 'length':
        return n
      case 'depth':
        return this.depth0 + 1
      case 'depth0':
        return this.depth0
      case 'previtem':
        return i > 0 ? this.items[i - 1] : new Undef('loop.previtem', 'there is no previous item')
      case 'nextitem':
        return i < n - 1 ? this.items[i + 1] : new Undef('loop.nextitem', 'there is no next item')
      case 'cycle':
        return new Builtin('cycle', (args) => {
          if (!args.length) throw templateError('no items for cycling given')
          return args[i % args.length]
        })
      case 'changed':
        return new Builtin('changed', (args) => {
          const v = args.length === 1 ? args[0] : tuple(args)
          if (this.lastChanged !== LoopContext && repr(this.lastChanged) === repr(v)) return false
          this.lastChanged = v
          return true
        })
    }
    return undefined
  }
  override pyRepr(): string {
    return `<LoopContext ${this.index0 + 1}/${this.items.length}>`
  }
}

export interface MacroSpec {
  name: string
  params: string[]
  defaults: Array<(f: Frame) => unknown>
  body: (f: Frame) => string
  catchVarargs: boolean
  catchKwargs: boolean
  usesCaller: boolean
}

/** A `{% macro %}` (or the `caller` of a call block), closed over the frame it was defined in. */
export class Macro extends PyCallable {
  readonly pyType = 'Macro'
  constructor(
    readonly spec: MacroSpec,
    private readonly frame: Frame,
  ) {
    super()
  }
  call(args: unknown[], kwIn: Record<string, unknown>): string {
    const { name, params, defaults, catchVarargs, catchKwargs, usesCaller } = this.spec
    const kw = { ...kwIn }
    const f = this.frame.child()
    const firstDefault = params.length - defaults.length
    params.forEach((p, i) => {
      if (i < args.length) f.set(p, args[i])
      else if (Object.hasOwn(kw, p)) {
        f.set(p, kw[p])
        delete kw[p]
      } else if (i >= firstDefault) f.set(p, defaults[i - firstDefault]!(f))
      else f.set(p, new Undef(p, `parameter '${p}' was not provided`))
    })
    if (usesCaller) {
      f.set('caller', Object.hasOwn(kw, 'caller') ? kw.caller : new Undef('caller', 'No caller defined'))
      delete kw.caller
    }
    if (catchKwargs) f.set('kwargs', kw)
    else {
      const extra = Object.keys(kw)
      if (extra.length) throw templateError(`macro '${name}' takes no keyword argument '${extra[0]}'`)
    }
    if (catchVarargs) f.set('varargs', tuple(args.slice(params.length)))
    else if (args.length > params.length) throw templateError(`macro '${name}' takes not more than ${params.length} argument(s)`)
    return this.spec.body(f)
  }
  override pyAttr(name: string): unknown {
    switch (name) {
      case 'name':
        return this.spec.name
      case 'arguments':
        return tuple(this.spec.params)
      case 'catch_kwargs':
        return this.spec.catchKwargs
      case 'catch_varargs':
        return this.spec.catchVarargs
      case 'caller':
        return this.spec.usesCaller
    }
    return undefined
  }
  override pyRepr(): string {
    return `<Macro '${this.spec.name}'>`
  }
}

/** `namespace(a=1)`: the one object `{% set ns.a = 2 %}` may change from inside a loop. */
export class Namespace extends PyObj {
  readonly pyType = 'Namespace'
  constructor(readonly attrs: Record<string, unknown>) {
    super()
  }
  override pyAttr(name: string): unknown {
    return Object.hasOwn(this.attrs, name) ? this.attrs[name] : undefined
  }
  override pyRepr(): string {
    return `<Namespace ${repr(this.attrs)}>`
  }
}

/** What `{% import %}` gives: the template's top-level macros and variables. */
export class TemplateModule extends PyObj {
  readonly pyType = 'TemplateModule'
  constructor(
    readonly name: string,
    readonly exports: Record<string, unknown>,
    private readonly body: string,
  ) {
    super()
  }
  override pyAttr(name: string): unknown {
    return Object.hasOwn(this.exports, name) ? this.exports[name] : undefined
  }
  override pyStr(): string {
    return this.body
  }
  override pyRepr(): string {
    return `<TemplateModule ${strRepr(this.name)}>`
  }
}

/** `self`: the blocks of the template being rendered, callable by name. */
export class TemplateReference extends PyObj {
  readonly pyType = 'TemplateReference'
  constructor(private readonly frame: Frame) {
    super()
  }
  override pyAttr(name: string): unknown {
    const chain = this.frame.run.blocks.get(name)
    if (!chain) return undefined
    return new Builtin(name, () => chain[0]!(this.frame.run.root.child(), chain, 0)) // chains are never empty
  }
}

/** Jinja's cycler() and joiner() globals. */
export class Cycler extends PyObj {
  readonly pyType = 'Cycler'
  private pos = 0
  constructor(private readonly items: unknown[]) {
    super()
  }
  override pyAttr(name: string): unknown {
    if (name === 'current') return this.items[this.pos]
    if (name === 'next')
      return new Builtin('next', () => {
        const v = this.items[this.pos]
        this.pos = (this.pos + 1) % this.items.length
        return v
      })
    if (name === 'reset')
      return new Builtin('reset', () => {
        this.pos = 0
        return null
      })
    return undefined
  }
}

/** Output of `{{ x }}` in a larger string: Ansible's finalize prints None as ''. */
export const output = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : pystr(v))
