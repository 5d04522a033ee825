/**
 * Python's str() and repr(): what `{{ x }}` prints (True, None, 5.0, 1e-05, big ints in full) and how
 * lists, tuples and dicts show their items ('a', "it's", ('a',), {'k': 1}).
 */
import { isMapping, PyFloat, PyObj, PyTuple } from './py-value.js'
import { Undef } from './undefined.js'

/** Python's repr() of a float: shortest round-trip digits, exponent below 1e-4 and from 1e16. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan'
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf'
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0'
  const abs = Math.abs(n)
  if (abs < 1e-4 || abs >= 1e16) {
    const [mant, e] = n.toExponential().split('e')
    const exp = Number(e)
    return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  }
  const s = String(n)
  return s.includes('.') ? s : `${s}.0`
}

/** An int as Python prints it; beyond 2^53 the double's exact value (2**64 prints 18446744073709551616, not JS's 18446744073709552000). */
export function intStr(n: number): string {
  return Math.abs(n) > Number.MAX_SAFE_INTEGER ? BigInt(n).toString() : String(n)
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}\\'"]/u

/** Python repr() of a str. */
export function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'"
  if (!NON_PRINTABLE.test(s)) return q + s + q
  let out = q
  for (const ch of s) {
    if (ch === q || ch === '\\') out += `\\${ch}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (ch !== ' ' && ch !== '"' && ch !== "'" && NON_PRINTABLE.test(ch)) {
      const c = ch.codePointAt(0)!
      out +=
        c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : c <= 0xffff ? `\\u${c.toString(16).padStart(4, '0')}` : `\\U${c.toString(16).padStart(8, '0')}`
    } else out += ch
  }
  return out + q
}

/** Python repr() of a str's UTF-8 bytes: b'caf\\xc3\\xa9' (how an OSError names a path it was given as bytes). */
export function bytesRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = `b${q}`
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte)
    if (ch === q || ch === '\\') out += `\\${ch}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (byte < 0x20 || byte >= 0x7f) out += `\\x${byte.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return out + q
}

/** Python repr(), used inside lists and dicts. */
export function repr(v: unknown): string {
  if (typeof v === 'string') return strRepr(v)
  if (v instanceof PyTuple) return v.length === 1 ? `(${repr(v[0])},)` : `(${v.map(repr).join(', ')})`
  if (Array.isArray(v)) return `[${v.map(repr).join(', ')}]`
  if (v instanceof PyObj) return v.pyRepr()
  if (isMapping(v)) {
    let out = ''
    for (const k in v) out += `${out ? ', ' : ''}${strRepr(k)}: ${repr(v[k])}`
    return `{${out}}`
  }
  return pystr(v)
}

/** Python str(): what `{{ x }}` prints inside a larger string. */
export function pystr(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number') return Number.isInteger(v) ? intStr(v) : floatRepr(v)
  if (v === null || v === undefined) return 'None'
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  if (v instanceof PyFloat) return floatRepr(v.v)
  if (v instanceof Undef) {
    if (v.lenient) return ''
    throw v.error()
  }
  if (v instanceof PyObj) return v.pyStr()
  if (Array.isArray(v) || isMapping(v)) return repr(v)
  if (typeof v === 'function') return `<function ${v.name || 'anonymous'}>`
  return String(v)
}
