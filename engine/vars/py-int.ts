/** Python's `int(value)`, as Ansible's FieldAttribute of type int converts a keyword (`port`): its results and its errors. */
import { isMapping, PyFloat } from './py-value.js'
import { strRepr } from './py-str.js'

/** digits with single underscores between them, a sign before: what int() reads in base 10 once stripped */
const INT_LITERAL = /^[+-]?\d(_?\d)*$/

/** int(v): an int, a float truncated, a bool as 1 or 0, a string of digits; else throws Python's error text. */
export function pyInt(v: unknown): number {
  const n = v instanceof PyFloat ? v.v : v
  if (typeof n === 'boolean') return n ? 1 : 0
  if (typeof n === 'number') {
    if (Number.isNaN(n)) throw new Error('cannot convert float NaN to integer')
    if (!Number.isFinite(n)) throw new Error('cannot convert float infinity to integer')
    return Math.trunc(n)
  }
  if (typeof n === 'string') {
    const s = n.trim()
    if (INT_LITERAL.test(s)) return Number(s.replaceAll('_', ''))
    throw new Error(`invalid literal for int() with base 10: ${strRepr(n)}`)
  }
  const type = Array.isArray(n) ? 'list' : isMapping(n) ? 'dict' : n === null || n === undefined ? 'NoneType' : typeof n
  throw new Error(`int() argument must be a string, a bytes-like object or a real number, not '${type}'`)
}
