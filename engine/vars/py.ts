/**
 * Python value semantics that Jinja users rely on and JS gets wrong: truthiness ([] and {} are
 * false), str() and repr() (True, None, 5.0, ('a', 1)), == on lists/dicts, + on lists, 'x' * 3,
 * int vs float (10 / 2 is 5.0), floor division and modulo with Python's signs.
 *
 * Values: None is null (a JS undefined counts as None too), ints are integral JS numbers, floats
 * are non-integral JS numbers or, when integral, a PyFloat box; tuples are PyTuple arrays; dicts are
 * plain objects; other Python-like objects (loop, macros, datetimes) extend PyObj.
 */
import { Undef, strict, templateError } from './undefined.js'

/** A Python float whose value is integral (5.0): a plain JS 5 would print as the int 5. */
export class PyFloat {
  /** how many were made; a render that made none needs no unboxing pass over its result */
  static made = 0
  constructor(readonly v: number) {
    PyFloat.made++
  }
  valueOf(): number {
    return this.v
  }
  toJSON(): number {
    return this.v
  }
}

/** A Python tuple: an array that prints as `(1, 2)` and never equals a list. */
export class PyTuple<T = unknown> extends Array<T> {
  static override get [Symbol.species]() {
    return Array
  }
}
export function tuple<T>(items: Iterable<T>): PyTuple<T> {
  const t = new PyTuple<T>()
  for (const x of items) t.push(x)
  return t
}

/** Python objects that are not plain data: they say how they print and what attributes they have. */
export abstract class PyObj {
  abstract readonly pyType: string
  pyStr(): string {
    return this.pyRepr()
  }
  pyRepr(): string {
    return `<${this.pyType} object>`
  }
  /** an attribute (`obj.name`), or undefined when there is none */
  pyAttr(_name: string): unknown {
    return undefined
  }
  pyTruthy(): boolean {
    return true
  }
  /** `self op other` (or `other op self` when reflected); undefined when not supported */
  binop?(op: string, other: unknown, reflected: boolean): unknown
  /** what ==, < and > compare, for objects that are ordered (datetimes) */
  compareKey?(): number
}

/** A float from a JS number: integral ones are boxed so they stay floats. */
export const mkFloat = (n: number): number | PyFloat => (Number.isInteger(n) ? new PyFloat(n) : n)

/** The number behind an int, float or bool (Python's bool is an int), else undefined. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v
  if (v instanceof PyFloat) return v.v
  if (typeof v === 'boolean') return v ? 1 : 0
  return undefined
}
export const isFloat = (v: unknown): boolean => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v))
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)
export const isNumber = (v: unknown): boolean => typeof v === 'number' || v instanceof PyFloat

/** A dict: a plain object (class instances such as a Buffer are not). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

export function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  if (v instanceof PyFloat) return 'float'
  if (typeof v === 'string') return 'str'
  if (v instanceof PyTuple) return 'tuple'
  if (Array.isArray(v)) return 'list'
  if (v instanceof Undef) return 'AnsibleUndefined'
  if (v instanceof PyObj) return v.pyType
  if (typeof v === 'function') return 'function'
  return 'dict'
}

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false
  if (typeof v === 'boolean') return v
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v)
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0
  if (v instanceof Undef) {
    if (v.lenient) return false
    throw v.error()
  }
  if (v instanceof PyFloat) return v.v !== 0
  if (v instanceof PyObj) return v.pyTruthy()
  if (isMapping(v)) {
    for (const _ in v) return true
    return false
  }
  return true
}

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

function intStr(n: number): string {
  return Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n)
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

export function eq(a: unknown, b: unknown): boolean {
  if (a === b) return !(typeof a === 'number' && Number.isNaN(a))
  if (a instanceof Undef) strict(a)
  if (b instanceof Undef) strict(b)
  if (a === null || a === undefined || b === null || b === undefined) return (a === null || a === undefined) && (b === null || b === undefined)
  const na = num(a)
  if (na !== undefined) return na === num(b)
  if (num(b) !== undefined) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length || a instanceof PyTuple !== b instanceof PyTuple) return false
    for (let i = 0; i < a.length; i++) if (!eq(a[i], b[i])) return false
    return true
  }
  if (a instanceof PyObj && b instanceof PyObj && a.compareKey && b.compareKey) return a.compareKey() === b.compareKey()
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && eq(a[k], b[k]))
  }
  return false
}

/** Python ordering: numbers with numbers, strings with strings, lists elementwise; else TypeError. */
export function cmp(a: unknown, b: unknown, op = '<'): number {
  strict(a)
  strict(b)
  const na = num(a)
  const nb = num(b)
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (a instanceof PyObj && b instanceof PyObj && a.compareKey && b.compareKey) return Math.sign(a.compareKey() - b.compareKey())
  if (Array.isArray(a) && Array.isArray(b) && a instanceof PyTuple === b instanceof PyTuple) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!eq(a[i], b[i])) return cmp(a[i], b[i], op)
    }
    return a.length - b.length
  }
  throw templateError(`'${op}' not supported between instances of '${pyType(a)}' and '${pyType(b)}'`)
}

export function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return eq(a, b)
    case '!=':
      return !eq(a, b)
    case '<':
      return cmp(a, b, op) < 0
    case '>':
      return cmp(a, b, op) > 0
    case '<=':
      return cmp(a, b, op) <= 0
    case '>=':
      return cmp(a, b, op) >= 0
  }
  throw templateError(`unknown comparison ${op}`)
}

export function pyIn(item: unknown, container: unknown): boolean {
  strict(item)
  strict(container)
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw templateError(`'in <string>' requires string as left operand, not ${pyType(item)}`)
    return container.includes(item)
  }
  if (Array.isArray(container)) {
    for (const x of container) if (eq(x, item)) return true
    return false
  }
  // YAML's integer keys are strings here, so 1 finds '1'
  if (isMapping(container)) return (typeof item === 'string' || typeof item === 'number') && Object.hasOwn(container, String(item))
  if (container instanceof PyObj && 'pyContains' in container) return (container as PyObj & { pyContains(x: unknown): boolean }).pyContains(item)
  throw templateError(`argument of type '${pyType(container)}' is not iterable`)
}

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

/** Python's int(): truncates floats, refuses what is not a number. */
export function toIntStrict(v: unknown, what: string): number {
  const n = num(v)
  if (n === undefined) throw templateError(`${what} format: a real number is required, not ${pyType(v)}`)
  return Math.trunc(n)
}

/** The exact decimal expansion of a double: value = 0.DIGITS × 10^point (digits without leading zeros). */
export function exactDigits(x: number): { digits: string; point: number } {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, Math.abs(x))
  const bits = view.getBigUint64(0)
  const biased = Number((bits >> 52n) & 0x7ffn)
  const frac = bits & ((1n << 52n) - 1n)
  const m = biased === 0 ? frac : frac | (1n << 52n)
  const e = biased === 0 ? -1074 : biased - 1075
  if (m === 0n) return { digits: '0', point: 1 }
  let digits: string
  let point: number
  if (e >= 0) {
    digits = (m << BigInt(e)).toString()
    point = digits.length
  } else {
    digits = (m * 5n ** BigInt(-e)).toString()
    point = digits.length + e
  }
  const stripped = digits.replace(/0+$/, '')
  return { digits: stripped || '0', point }
}

/** The first `keep` digits of an exact expansion, rounded half to even (Python's float formatting). */
function roundDigits(digits: string, keep: number): { digits: string; carry: boolean } {
  if (keep < 0) return { digits: '', carry: false }
  const head = digits.slice(0, keep).padEnd(keep, '0')
  const next = digits[keep] ?? '0'
  const rest = digits.slice(keep + 1)
  const odd = head !== '' && Number(head[head.length - 1]) % 2 === 1
  const up = next > '5' || (next === '5' && (/[1-9]/.test(rest) || odd))
  if (!up) return { digits: head, carry: false }
  const n = (BigInt(head || '0') + 1n).toString()
  if (head === '') return { digits: '1', carry: true }
  return n.length > head.length ? { digits: n.slice(0, head.length), carry: true } : { digits: n.padStart(head.length, '0'), carry: false }
}

/** x with `prec` digits after the point, correctly rounded (ties to even). */
export function toFixedPy(x: number, prec: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf'
  const { digits, point } = exactDigits(x)
  // digits before the point plus prec after it
  let keep = point + prec
  let r = roundDigits(digits, keep)
  let p = point
  if (r.carry) {
    p++
    keep++
    r = { digits: `1${r.digits}`, carry: false }
  }
  let all = r.digits
  if (p <= 0) all = '0'.repeat(1 - p) + all
  const intLen = Math.max(p, 1)
  const padded = all.padEnd(intLen + prec, '0')
  const s = prec > 0 ? `${padded.slice(0, intLen)}.${padded.slice(intLen, intLen + prec)}` : padded.slice(0, intLen)
  return x < 0 || Object.is(x, -0) ? `-${s}` : s
}

/** x as d.ddd e±XX with `prec` digits after the point, correctly rounded. */
export function toExponentialPy(x: number, prec: number): { mant: string; exp: number } {
  const { digits, point } = exactDigits(x)
  if (digits === '0') return { mant: prec > 0 ? `0.${'0'.repeat(prec)}` : '0', exp: 0 }
  let r = roundDigits(digits, prec + 1)
  let exp = point - 1
  if (r.carry) {
    r = { digits: `1${r.digits.slice(0, prec)}`, carry: false }
    exp++
  }
  const d = r.digits.padEnd(prec + 1, '0')
  return { mant: `${x < 0 ? '-' : ''}${d[0]}${prec > 0 ? `.${d.slice(1)}` : ''}`, exp }
}

const expStr = (exp: number) => `e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`

/** `%e` / `%g` / `%f` of one number, as Python's printf-style formatting does. */
export function formatFloat(n: number, conv: string, prec: number, alt = false): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf'
  const lower = conv.toLowerCase()
  let s: string
  if (lower === 'f') s = toFixedPy(n, prec)
  else if (lower === 'e') {
    const { mant, exp } = toExponentialPy(n, prec)
    s = mant + (alt && prec === 0 ? '.' : '') + expStr(exp)
  } else {
    const p = prec === 0 ? 1 : prec
    const { exp } = toExponentialPy(n, p - 1)
    if (exp < -4 || exp >= p) {
      let { mant } = toExponentialPy(n, p - 1)
      if (!alt && mant.includes('.')) mant = mant.replace(/\.?0+$/, '')
      s = mant + expStr(exp)
    } else {
      s = toFixedPy(n, Math.max(0, p - 1 - exp))
      if (!alt && s.includes('.')) s = s.replace(/\.?0+$/, '')
    }
  }
  return conv === lower ? s : s.toUpperCase()
}

/** printf-style `'%s:%d' % (a, b)` and `'%(name)s' % dict`. */
export function percentFormat(fmt: string, args: unknown): string {
  const list = args instanceof PyTuple ? args : [args]
  let i = 0
  const out = fmt.replace(/%(?:\(([^)]*)\))?([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])/g, (_m, key, flags: string, width, prec, conv) => {
    if (conv === '%') return '%'
    const next = () => {
      if (i >= list.length) throw templateError('not enough arguments for format string')
      return list[i++]
    }
    const w = width === '*' ? Number(next()) : width ? Number(width) : 0
    const p = prec === '*' ? Number(next()) : prec !== undefined ? Number(prec) : undefined
    let v: unknown
    if (key !== undefined) {
      if (!isMapping(args)) throw templateError('format requires a mapping')
      if (!Object.hasOwn(args, key)) throw templateError(`KeyError: ${strRepr(key)}`)
      v = args[key]
    } else v = next()
    strict(v)
    let s: string
    let numeric = true
    switch (conv) {
      case 's':
      case 'r':
      case 'a':
        s = conv === 's' ? pystr(v) : repr(v)
        if (p !== undefined) s = s.slice(0, p)
        numeric = false
        break
      case 'c':
        s = typeof v === 'string' ? v : String.fromCodePoint(toIntStrict(v, '%c'))
        numeric = false
        break
      case 'x':
      case 'X':
      case 'o': {
        const n = toIntStrict(v, `%${conv}`)
        s = Math.abs(n).toString(conv === 'o' ? 8 : 16)
        if (flags.includes('#')) s = (conv === 'o' ? '0o' : conv === 'x' ? '0x' : '0X') + s
        if (conv === 'X') s = s.toUpperCase()
        if (n < 0) s = `-${s}`
        break
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        const n = num(v)
        if (n === undefined) throw templateError(`must be real number, not ${pyType(v)}`)
        s = formatFloat(n, conv, p ?? 6, flags.includes('#'))
        break
      }
      default:
        s = intStr(toIntStrict(v, `%${conv}`))
    }
    if (numeric && !s.startsWith('-')) {
      if (flags.includes('+')) s = `+${s}`
      else if (flags.includes(' ')) s = ` ${s}`
    }
    if (s.length < w) {
      if (flags.includes('-')) s = s.padEnd(w)
      else if (flags.includes('0') && numeric) {
        const sign = /^[-+ ]/.test(s) ? s.charAt(0) : ''
        s = sign + s.slice(sign.length).padStart(w - sign.length, '0')
      } else s = s.padStart(w)
    }
    return s
  })
  if (i < list.length && !(isMapping(args) && i === 0)) throw templateError('not all arguments converted during string formatting')
  return out
}
