/** Python's str.format() and its format-spec mini-language (`{0:>8}`, `{:.2f}`, `{name!r:,}`). */
import { floatRepr, formatFloat, isFloat, isMapping, num, PyObj, pystr, pyType, repr, strRepr } from './py.js'
import { strict, templateError } from './undefined.js'

const SPEC = /^(?:([\s\S])?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/

function group(int: string, sep: string, every: number): string {
  return int.replace(new RegExp(`\\B(?=(\\d{${every}})+(?!\\d))`, 'g'), sep)
}

/** format(value, spec) for str, int, float and bool values. */
export function formatSpec(value: unknown, spec: string): string {
  strict(value)
  if (spec === '') return pystr(value)
  const m = SPEC.exec(spec)
  if (!m) throw templateError(`Invalid format specifier '${spec}' for object of type '${pyType(value)}'`)
  const [, fill0, align0, sign, , alt, zero, width, sep, precS, type] = m
  const prec = precS === undefined ? undefined : Number(precS)
  let s: string
  let numeric = false
  const n = num(value)
  if (typeof value === 'string' || (n === undefined && type === undefined)) {
    if (type && type !== 's') throw templateError(`Unknown format code '${type}' for object of type '${pyType(value)}'`)
    s = pystr(value)
    if (prec !== undefined) s = s.slice(0, prec)
  } else {
    if (n === undefined) throw templateError(`Unknown format code '${type}' for object of type '${pyType(value)}'`)
    numeric = true
    const t = type ?? (isFloat(value) ? (prec === undefined ? 'r' : 'g') : 'd')
    const abs = Math.abs(n)
    if ('bdoxXcn'.includes(t)) {
      if (isFloat(value)) throw templateError(`Unknown format code '${t}' for object of type 'float'`)
      if (t === 'c') s = String.fromCodePoint(n)
      else {
        s = abs.toString(t === 'b' ? 2 : t === 'o' ? 8 : t === 'd' || t === 'n' ? 10 : 16)
        if (t === 'X') s = s.toUpperCase()
        if (sep) s = group(s, sep, t === 'd' || t === 'n' ? 3 : 4)
        if (alt && 'boxX'.includes(t)) s = `0${t}${s}`
      }
    } else if (t === 'r') {
      // a float with neither type nor precision prints as repr() does
      s = floatRepr(abs)
      if (sep) s = s.replace(/^\d+/, (d) => group(d, sep, 3))
    } else if (t === '%') {
      s = `${formatFloat(abs * 100, 'f', prec ?? 6, !!alt)}%`
    } else {
      s = formatFloat(abs, t, prec ?? 6, !!alt)
      if (sep) s = s.replace(/^\d+/, (d) => group(d, sep, 3))
    }
    const negative = n < 0 || Object.is(n, -0)
    const signStr = negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : ''
    s = signStr + s
  }
  const w = width ? Number(width) : 0
  if (s.length >= w) return s
  const fill = fill0 ?? (zero && !align0 ? '0' : ' ')
  const align = align0 ?? (zero && numeric ? '=' : numeric ? '>' : '<')
  const pad = w - s.length
  if (align === '<') return s + fill.repeat(pad)
  if (align === '>') return fill.repeat(pad) + s
  if (align === '^') return fill.repeat(Math.floor(pad / 2)) + s + fill.repeat(pad - Math.floor(pad / 2))
  const signLen = /^[-+ ]/.test(s) ? 1 : 0
  const prefix = /^[-+ ]?0[boxX]/.test(s) ? signLen + 2 : signLen
  return s.slice(0, prefix) + fill.repeat(pad) + s.slice(prefix)
}

/** Resolves `0.name[key]` in a replacement field against the arguments. */
function fieldValue(field: string, args: unknown[], kw: Record<string, unknown>, auto: { i: number }): unknown {
  const m = /^([^.[]*)(.*)$/.exec(field)!
  const head = m[1]! // both groups always match
  let v: unknown
  if (head === '') {
    if (auto.i < 0) throw templateError('cannot switch from manual field specification to automatic field numbering')
    if (auto.i >= args.length) throw templateError(`Replacement index ${auto.i} out of range for positional args tuple`)
    v = args[auto.i++]
  } else if (/^\d+$/.test(head)) {
    if (auto.i > 0) throw templateError('cannot switch from automatic field numbering to manual field specification')
    auto.i = -1
    if (Number(head) >= args.length) throw templateError(`Replacement index ${head} out of range for positional args tuple`)
    v = args[Number(head)]
  } else {
    if (!Object.hasOwn(kw, head)) throw templateError(`KeyError: ${strRepr(head)}`)
    v = kw[head]
  }
  for (const step of m[2]!.matchAll(/\.(\w+)|\[([^\]]*)\]/g)) {
    const key = (step[1] ?? step[2])! // one of the two alternatives matched
    if (Array.isArray(v) && /^\d+$/.test(key)) v = v[Number(key)]
    else if (isMapping(v) && Object.hasOwn(v, key)) v = v[key]
    else if (v instanceof PyObj && step[1] !== undefined) v = v.pyAttr(key)
    else throw templateError(`cannot find ${strRepr(key)} in ${pyType(v)}`)
  }
  return v
}

/** str.format(*args, **kw). */
export function strFormat(s: string, args: unknown[], kw: Record<string, unknown>): string {
  const auto = { i: 0 }
  return s.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::((?:[^{}]|\{[^{}]*\})*))?\}/g, (m, field: string | undefined, conv, spec) => {
    if (m === '{{') return '{'
    if (m === '}}') return '}'
    let v = fieldValue(field ?? '', args, kw, auto)
    if (conv === 'r' || conv === 'a') v = repr(v)
    else if (conv === 's') v = pystr(v)
    const fullSpec = (spec ?? '').replace(/\{([^{}]*)\}/g, (_x: string, f: string) => pystr(fieldValue(f, args, kw, auto)))
    return formatSpec(v, fullSpec)
  })
}
