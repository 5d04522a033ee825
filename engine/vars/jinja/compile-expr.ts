/**
 * Expressions to closures: each AST node becomes a `(frame) => value` function, built once per
 * distinct template, with Python semantics from py.ts and Jinja's attribute rules from runtime.ts.
 */
import { lookupFilter, lookupTest } from '../filters.js'
import { binop, compare, isMapping, mkFloat, neg, num, PyTuple, pyIn, pystr, pyType, truthy, tuple } from '../py.js'
import { known, strict, templateError, Undef } from '../undefined.js'
import { syntaxError } from './errors.js'
import { canBeUnsafe, unsafeKeys } from '../unsafe.js'
import type { CallArgs, CompareOp, Expr } from './nodes.js'
import { callAttr, callValue, type Frame, getattr, getitem, iterate, SliceKey } from './runtime.js'

export type Ev = (f: Frame) => unknown
type ArgsEv = (f: Frame) => unknown[]
type KwEv = (f: Frame) => Record<string, unknown>

const NO_ARGS: unknown[] = []
const NO_KW: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>

/** The expression as a name path (`pg.port`, `users[0]`), for naming undefined values. */
export function describe(e: Expr): string | undefined {
  if (e.k === 'name') return e.name
  if (e.k === 'getattr') {
    const base = describe(e.obj)
    return base === undefined ? undefined : `${base}.${e.attr}`
  }
  if (e.k === 'getitem' && e.key.k === 'const') {
    const base = describe(e.obj)
    const key = e.key.value
    if (base === undefined) return undefined
    return typeof key === 'string' ? (/^[A-Za-z_]\w*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`) : `${base}[${pystr(key)}]`
  }
  return undefined
}

/** A dict literal's key: a str, or an int/float/bool/None written as Python prints it. */
function dictKey(k: unknown): string {
  strict(k)
  if (typeof k === 'string') return k
  if (Array.isArray(k) && !(k instanceof PyTuple)) throw templateError(`unhashable type: 'list'`)
  if (isMapping(k)) throw templateError(`unhashable type: 'dict'`)
  return pystr(k)
}

const SYMBOLS: Record<Exclude<CompareOp, 'in' | 'notin'>, string> = { eq: '==', ne: '!=', lt: '<', lteq: '<=', gt: '>', gteq: '>=' }

/** One comparison of a chain, chosen when compiling. */
function comparison(op: CompareOp): (a: unknown, b: unknown) => boolean {
  if (op === 'in') return pyIn
  if (op === 'notin') return (a, b) => !pyIn(a, b)
  const symbol = SYMBOLS[op]
  return (a, b) => compare(a, symbol, b)
}

export function compileArgs(c: CallArgs): { args: ArgsEv; kw: KwEv } {
  const pos = c.args.map(compileExpr)
  const dyn = c.dynArgs ? compileExpr(c.dynArgs) : undefined
  let args: ArgsEv
  if (!dyn && pos.length === 0) args = () => NO_ARGS
  else if (!dyn && pos.length === 1) {
    const a = pos[0]!
    args = (f) => [a(f)]
  } else
    args = (f) => {
      const out = pos.map((p) => p(f))
      if (dyn) out.push(...iterate(strict(dyn(f))))
      return out
    }
  const names = c.kwargs.map(([n]) => n)
  const vals = c.kwargs.map(([, e]) => compileExpr(e))
  const dynKw = c.dynKwargs ? compileExpr(c.dynKwargs) : undefined
  const kw: KwEv =
    names.length === 0 && !dynKw
      ? () => NO_KW
      : (f) => {
          const out: Record<string, unknown> = {}
          for (let i = 0; i < names.length; i++) out[names[i]!] = vals[i]!(f)
          if (dynKw) {
            const d = strict(dynKw(f))
            if (typeof d !== 'object' || d === null || Array.isArray(d)) throw templateError(`argument after ** must be a mapping, not ${pyType(d)}`)
            Object.assign(out, d)
          }
          return out
        }
  return { args, kw }
}

/** A filter applied to what `input` yields (the filtered expression, or a block's output). */
export function compileFilter(e: Extract<Expr, { k: 'filter' }>, input: Ev): Ev {
  const fn = lookupFilter(e.name)
  if (!fn) throw syntaxError(`no filter named '${e.name}'`, e.line)
  const { args, kw } = compileArgs(e)
  return (f) => fn(known(input(f)), args(f), kw(f))
}

function compileCall(e: Extract<Expr, { k: 'call' }>): Ev {
  const { args, kw } = compileArgs(e)
  if (e.fn.k === 'getattr') {
    const obj = compileExpr(e.fn.obj)
    const base = describe(e.fn.obj)
    const name = e.fn.attr
    return (f) => callAttr(obj(f), name, args(f), kw(f), base, f)
  }
  const fn = compileExpr(e.fn)
  const what = describe(e.fn) ?? 'object'
  return (f) => callValue(fn(f), args(f), kw(f), what, f)
}

export function compileExpr(e: Expr): Ev {
  switch (e.k) {
    case 'const': {
      const v = e.value
      if (e.float) return () => mkFloat(v as number)
      return () => v
    }
    case 'name': {
      const n = e.name
      return (f) => f.lookup(n)
    }
    case 'getattr': {
      const obj = compileExpr(e.obj)
      const base = describe(e.obj)
      const attr = e.attr
      return (f) => {
        const o = obj(f)
        return noted(f, o, attr, getattr(o, attr, base))
      }
    }
    case 'getitem': {
      const obj = compileExpr(e.obj)
      const key = compileExpr(e.key)
      const base = describe(e.obj)
      return (f) => {
        const o = obj(f)
        const k = key(f)
        return noted(f, o, k, getitem(o, k, base))
      }
    }
    case 'slice': {
      const none = () => null
      const part = (x: Expr | null) => (x ? compileExpr(x) : none)
      const [a, b, c] = [part(e.start), part(e.stop), part(e.step)]
      return (f) => new SliceKey(a(f), b(f), c(f))
    }
    case 'call':
      return compileCall(e)
    case 'filter': {
      if (!e.node) throw syntaxError('a filter needs a value', e.line)
      return compileFilter(e, compileExpr(e.node))
    }
    case 'test': {
      const fn = lookupTest(e.name)
      if (!fn) throw syntaxError(`no test named '${e.name}'`, e.line)
      const v = compileExpr(e.node)
      const { args, kw } = compileArgs(e)
      return (f) => fn(known(v(f)), args(f), kw(f))
    }
    case 'condexpr': {
      const test = compileExpr(e.test)
      const then = compileExpr(e.expr1)
      const otherwise = e.expr2
        ? compileExpr(e.expr2)
        : () => new Undef('(inline if)', 'the inline if-expression evaluated to false and no else section was defined', true)
      return (f) => (truthy(test(f)) ? then(f) : otherwise(f))
    }
    case 'and': {
      const [l, r] = [compileExpr(e.left), compileExpr(e.right)]
      return (f) => {
        const a = l(f)
        return truthy(a) ? r(f) : a
      }
    }
    case 'or': {
      const [l, r] = [compileExpr(e.left), compileExpr(e.right)]
      return (f) => {
        const a = l(f)
        return truthy(a) ? a : r(f)
      }
    }
    case 'not': {
      const n = compileExpr(e.node)
      return (f) => !truthy(n(f))
    }
    case 'neg': {
      const n = compileExpr(e.node)
      return (f) => neg(n(f))
    }
    case 'pos': {
      const n = compileExpr(e.node)
      return (f) => {
        const v = strict(n(f))
        if (num(v) === undefined) throw templateError(`bad operand type for unary +: '${pyType(v)}'`)
        return typeof v === 'boolean' ? Number(v) : v
      }
    }
    case 'compare': {
      const first = compileExpr(e.expr)
      const ops = e.ops.map(([op, x]) => [comparison(op), compileExpr(x)] as const)
      if (ops.length === 1) {
        const [test, right] = ops[0]!
        return (f) => test(first(f), right(f))
      }
      return (f) => {
        let a = first(f)
        for (const [test, ev] of ops) {
          const b = ev(f)
          if (!test(a, b)) return false
          a = b
        }
        return true
      }
    }
    case 'binop': {
      const [l, r] = [compileExpr(e.left), compileExpr(e.right)]
      const op = e.op
      return (f) => binop(op, l(f), r(f))
    }
    case 'concat': {
      const items = e.items.map(compileExpr)
      return (f) => {
        let s = ''
        for (const i of items) s += pystr(i(f))
        return s
      }
    }
    case 'tuple': {
      const items = e.items.map(compileExpr)
      return (f) => tuple(items.map((i) => i(f)))
    }
    case 'list': {
      const items = e.items.map(compileExpr)
      return (f) => items.map((i) => i(f))
    }
    case 'dict': {
      const pairs = e.pairs.map(([k, v]) => [compileExpr(k), compileExpr(v)] as const)
      return (f) => {
        const out: Record<string, unknown> = {}
        for (const [k, v] of pairs) out[dictKey(k(f))] = v(f)
        return out
      }
    }
    case 'nsref':
      throw syntaxError(`'${e.name}.${e.attr}' can only be assigned to`, e.line)
  }
}

/** An entry read from a container that marks it unsafe (a host's facts in hostvars), or an unsafe object: the scope read unsafe data. */
function noted(f: Frame, container: unknown, key: unknown, value: unknown): unknown {
  if (typeof container === 'object' && container !== null && canBeUnsafe(value)) {
    if (unsafeKeys(container)?.has(String(key))) f.scope.noteUnsafe?.()
  }
  return value
}
