/**
 * Python's arithmetic operators: int vs float results (10 / 2 is 5.0), floor division and modulo with
 * Python's signs, + on str, list and tuple, 'x' * 3, `%` on a str (py-printf.ts), unary minus, and
 * Python's errors for what it refuses.
 */
import { percentFormat } from './py-printf.js'
import { isFloat, isInt, mkFloat, num, PyFloat, PyObj, PyTuple, pyType, tuple } from './py-value.js'
import { strict, templateError } from './undefined.js'

/** Arithmetic with Python's meaning: int/float results, str/list operands, Python's errors. */
export function binop(op: string, a: unknown, b: unknown): unknown {
  strict(a)
  strict(b)
  const na = num(a)
  const nb = num(b)
  if (na !== undefined && nb !== undefined) {
    const fl = isFloat(a) || isFloat(b)
    const res = (n: number) => (fl ? mkFloat(n) : n)
    switch (op) {
      case '+':
        return res(na + nb)
      case '-':
        return res(na - nb)
      case '*':
        return res(na * nb)
      case '/':
        if (nb === 0) throw templateError(fl ? 'float division by zero' : 'division by zero')
        return mkFloat(na / nb)
      case '//':
        if (nb === 0) throw templateError(fl ? 'float floor division by zero' : 'integer division or modulo by zero')
        return res(Math.floor(na / nb))
      case '%': {
        if (nb === 0) throw templateError(fl ? 'float modulo' : 'integer division or modulo by zero')
        let r = na % nb
        if (r !== 0 && r < 0 !== nb < 0) r += nb
        return res(r)
      }
      case '**':
        if (na === 0 && nb < 0) throw templateError('0.0 cannot be raised to a negative power')
        return fl || nb < 0 ? mkFloat(na ** nb) : na ** nb
    }
  }
  if (a instanceof PyObj && a.binop) {
    const r = a.binop(op, b, false)
    if (r !== undefined) return r
  }
  if (b instanceof PyObj && b.binop) {
    const r = b.binop(op, a, true)
    if (r !== undefined) return r
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b
  if (op === '+' && Array.isArray(a) && Array.isArray(b) && a instanceof PyTuple === b instanceof PyTuple) {
    return a instanceof PyTuple ? tuple([...a, ...b]) : [...a, ...b]
  }
  if (op === '*' && (typeof a === 'string' || Array.isArray(a)) && isInt(b)) return repeat(a, b)
  if (op === '*' && (typeof b === 'string' || Array.isArray(b)) && isInt(a)) return repeat(b, a)
  if (op === '%' && typeof a === 'string') return percentFormat(a, b)
  // a str, list or tuple refuses another type itself, with its own words
  if (op === '+' && (typeof a === 'string' || Array.isArray(a))) throw templateError(`can only concatenate ${pyType(a)} (not "${pyType(b)}") to ${pyType(a)}`)
  throw templateError(`unsupported operand type(s) for ${op}: '${pyType(a)}' and '${pyType(b)}'`)
}

export function neg(a: unknown): unknown {
  strict(a)
  if (typeof a === 'number') return -a
  if (a instanceof PyFloat) return new PyFloat(-a.v)
  if (typeof a === 'boolean') return a ? -1 : 0
  throw templateError(`bad operand type for unary -: '${pyType(a)}'`)
}

function repeat(v: string | unknown[], n: number): string | unknown[] {
  if (typeof v === 'string') return v.repeat(Math.max(0, n))
  const out: unknown[] = []
  for (let i = 0; i < n; i++) out.push(...v)
  return v instanceof PyTuple ? tuple(out) : out
}
