/**
 * printf-style formatting (`'%s:%05.2f' % (a, b)`, `'%(name)s' % d`) and Python's float formatting
 * (%e, %f, %g: correctly rounded, half to even, from the double's exact decimal expansion), which
 * str.format (py-format.ts) shares.
 */
import { intStr, pystr, repr, strRepr } from './py-str.js'
import { isMapping, num, PyTuple, pyType } from './py-value.js'
import { strict, templateError } from './undefined.js'

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
