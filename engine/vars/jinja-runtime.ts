/**
 * The runtime our compiled templates call (see jinja-compiler.ts): nunjucks' own runtime with
 * variable lookup, attribute access and errors replaced by Jinja/Ansible behaviour. Passed to each
 * render rather than patched into nunjucks, so nothing global changes.
 */
import nunjucks from 'nunjucks'
import { AcplayError } from '../errors.js'
import { binop, compare, isMapping, pyIn, pystr, pyType, truthy } from './py.js'
import { pyMethod } from './py-methods.js'
import { Undef, strict, templateError } from './undefined.js'

/** Where names that are not template-local come from (vars, lazily templated, then globals). */
export interface Scope {
  resolve(name: string): unknown
}

/** The `context` compiled code sees: top-level `{% set %}` values, then the scope. */
export class RenderContext {
  ctx: Record<string, unknown> = Object.create(null)
  /** the value of the single expression, when compiled in native mode */
  native: unknown
  constructor(
    readonly env: unknown,
    readonly scope: Scope,
  ) {}
  lookup(name: string): unknown {
    return Object.hasOwn(this.ctx, name) ? this.ctx[name] : this.scope.resolve(name)
  }
  setVariable(name: string, value: unknown): void {
    this.ctx[name] = value
  }
  addExport(): void {}
  getVariables(): Record<string, unknown> {
    return this.ctx
  }
}

/** A `[a:b:c]` subscript. */
export class SliceKey {
  constructor(
    readonly start: number | null,
    readonly stop: number | null,
    readonly step: number | null,
  ) {}
}

// The expression path a value was reached by, so `pg.port` can be named when `port` is missing.
// Objects are keyed weakly; for strings and numbers only the last lookup is remembered.
const paths = new WeakMap<object, string>()
let lastValue: unknown
let lastPath: string | undefined
function remember<T>(v: T, path: string): T {
  if (typeof v === 'object' && v !== null) paths.set(v, path)
  lastValue = v
  lastPath = path
  return v
}
const pathOf = (v: unknown) => (typeof v === 'object' && v !== null ? paths.get(v) : v === lastValue ? lastPath : undefined)

function sliceOf<T>(seq: T[], k: SliceKey): T[] {
  const step = k.step ?? 1
  const n = seq.length
  const norm = (i: number | null, dflt: number) => (i === null ? dflt : i < 0 ? Math.max(n + i, step < 0 ? -1 : 0) : Math.min(i, step < 0 ? n - 1 : n))
  const out: T[] = []
  if (step > 0) for (let i = norm(k.start, 0); i < norm(k.stop, n); i += step) out.push(seq[i] as T)
  else for (let i = norm(k.start, n - 1); i > norm(k.stop, -1); i += step) out.push(seq[i] as T)
  return out
}

function memberLookup(obj: unknown, key: unknown): unknown {
  if (obj instanceof Undef) return obj
  strict(key)
  if (key instanceof SliceKey) {
    if (typeof obj === 'string') return sliceOf([...obj], key).join('')
    if (Array.isArray(obj)) return sliceOf(obj, key)
    throw templateError(`'${pyType(obj)}' object is not subscriptable`)
  }
  const base = pathOf(obj)
  const path = base === undefined ? String(key) : typeof key === 'number' ? `${base}[${key}]` : `${base}.${String(key)}`
  const owner = base === undefined ? `${pyType(obj)} object` : base
  if (obj === null || obj === undefined) return new Undef(path, `'None' has no attribute '${String(key)}'`)
  if ((Array.isArray(obj) || typeof obj === 'string') && (typeof key === 'number' || /^-?\d+$/.test(String(key)))) {
    const i = Number(key) < 0 ? obj.length + Number(key) : Number(key)
    return i >= 0 && i < obj.length ? remember(obj[i], path) : new Undef(path, `index ${String(key)} out of range`)
  }
  if (isMapping(obj) && Object.hasOwn(obj, String(key))) return remember(obj[String(key)], path)
  const m = pyMethod(obj, String(key))
  if (m) return m
  return new Undef(path, `'${owner}' has no attribute '${String(key)}'`)
}

function contextOrFrameLookup(context: RenderContext, frame: { lookup(n: string): unknown }, name: string): unknown {
  const v = frame.lookup(name)
  return remember(v !== undefined ? v : context.lookup(name), name)
}

function callWrap(fn: unknown, name: string, context: unknown, args: unknown[]): unknown {
  strict(fn)
  if (typeof fn !== 'function') throw templateError(`'${name}' is not callable`)
  for (const a of args) strict(a)
  return fn.apply(context, args)
}

function handleError(e: unknown, lineno?: number, colno?: number): AcplayError {
  if (e instanceof AcplayError) return e
  const pos = lineno !== undefined ? ` (line ${lineno + 1}, column ${(colno ?? 0) + 1})` : ''
  return templateError(`${e instanceof Error ? e.message : String(e)}${pos}`)
}

/** A `for` iterable: Python iterates a dict's keys; None is not iterable. */
function iter(v: unknown, pairs: boolean): unknown {
  strict(v)
  if (v === null || v === undefined) throw templateError(`'NoneType' object is not iterable`)
  if (isMapping(v) && !pairs) return Object.keys(v)
  return v
}

/** What `{{ x }}` prints: Ansible's finalize turns None into '' (not 'None'). */
export const output = (v: unknown): string => (v === null || v === undefined ? '' : pystr(v))

const base = (nunjucks as unknown as { runtime: Record<string, unknown> }).runtime

export const jinjaRuntime: Record<string, unknown> = {
  ...base,
  memberLookup,
  contextOrFrameLookup,
  callWrap,
  handleError,
  iter,
  strict,
  truthy,
  compare,
  binop,
  pyIn,
  output,
  concat: (a: unknown, b: unknown) => pystr(a) + pystr(b),
  neg: (a: unknown) => -(strict(a) as number),
  slice: (a: unknown, b: unknown, c: unknown) => new SliceKey(a as number | null, b as number | null, c as number | null),
}
