/**
 * Python value semantics that Jinja users rely on and JS gets wrong: truthiness ([] and {} are
 * false), str() (True, None, ['a']), == on lists/dicts, + on lists, 'x' * 3, '%s' % x.
 */
import { strict, templateError } from './undefined.js'

/** A dict: a plain object (class instances such as nunjucks' SafeString or a Buffer are not). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

export function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  if (typeof v === 'string') return 'str'
  if (Array.isArray(v)) return 'list'
  if (typeof v === 'function') return 'function'
  return 'dict'
}

export function truthy(v: unknown): boolean {
  strict(v)
  if (v === null || v === undefined) return false
  if (typeof v === 'boolean') return v
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v)
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0
  if (isMapping(v)) return Object.keys(v).length > 0
  return true
}

function numStr(n: number): string {
  if (Number.isNaN(n)) return 'nan'
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf'
  return String(n)
}

/** Python repr(), used inside lists and dicts. */
export function repr(v: unknown): string {
  strict(v)
  if (typeof v === 'string') {
    const q = v.includes("'") && !v.includes('"') ? '"' : "'"
    const body = v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')
    return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q
  }
  if (Array.isArray(v)) return `[${v.map(repr).join(', ')}]`
  if (isMapping(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${repr(k)}: ${repr(x)}`)
      .join(', ')}}`
  return pystr(v)
}

/** Python str(): what `{{ x }}` prints inside a larger string. */
export function pystr(v: unknown): string {
  strict(v)
  if (typeof v === 'string') return v
  if (v === null || v === undefined) return 'None'
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  if (typeof v === 'number') return numStr(v)
  if (Array.isArray(v) || isMapping(v)) return repr(v)
  return String(v)
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined)

export function eq(a: unknown, b: unknown): boolean {
  strict(a)
  strict(b)
  if (a === b) return true
  if (a == null || b == null) return a == null && b == null
  const na = num(a)
  const nb = num(b)
  if (na !== undefined || nb !== undefined) return na === nb
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => eq(x, b[i]))
  }
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
  if (Array.isArray(a) && Array.isArray(b)) {
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
    case '===':
      return eq(a, b)
    case '!=':
    case '!==':
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
  if (Array.isArray(container)) return container.some((x) => eq(x, item))
  if (isMapping(container)) return typeof item === 'string' || typeof item === 'number' ? Object.hasOwn(container, String(item)) : false
  throw templateError(`argument of type '${pyType(container)}' is not iterable`)
}

/** Arithmetic with Python's meaning for str/list operands. */
export function binop(op: string, a: unknown, b: unknown): unknown {
  strict(a)
  strict(b)
  const na = num(a)
  const nb = num(b)
  if (na !== undefined && nb !== undefined) {
    switch (op) {
      case '+':
        return na + nb
      case '-':
        return na - nb
      case '*':
        return na * nb
      case '/':
        return na / nb
      case '//':
        return Math.floor(na / nb)
      case '%':
        return ((na % nb) + nb) % nb
      case '**':
        return na ** nb
    }
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b]
  if (op === '*' && (typeof a === 'string' || Array.isArray(a)) && Number.isInteger(nb)) return repeat(a, nb!)
  if (op === '*' && (typeof b === 'string' || Array.isArray(b)) && Number.isInteger(na)) return repeat(b, na!)
  if (op === '%' && typeof a === 'string') return percentFormat(a, b)
  throw templateError(`unsupported operand type(s) for ${op}: '${pyType(a)}' and '${pyType(b)}'`)
}

function repeat(v: string | unknown[], n: number): string | unknown[] {
  if (typeof v === 'string') return v.repeat(Math.max(0, n))
  return Array.from({ length: Math.max(0, n) }, () => v).flat()
}

/** printf-style `'%s:%d' % (a, b)` and `'%(name)s' % dict`; tuples are written as lists in Jinja. */
export function percentFormat(fmt: string, args: unknown): string {
  const list = Array.isArray(args) ? args : [args]
  let i = 0
  return fmt.replace(/%(\((\w+)\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdirfxXo%])/g, (_m, _k, key, flags, width, prec, conv) => {
    if (conv === '%') return '%'
    const v = key !== undefined && isMapping(args) ? args[key] : list[i++]
    let s: string
    if (conv === 's') s = pystr(v)
    else if (conv === 'r') s = repr(v)
    else if (conv === 'f') s = Number(v).toFixed(prec === undefined ? 6 : Number(prec))
    else if (conv === 'x' || conv === 'X' || conv === 'o') {
      s = Math.trunc(Number(v)).toString(conv === 'o' ? 8 : 16)
      if (conv === 'X') s = s.toUpperCase()
    } else s = String(Math.trunc(Number(v)))
    const w = width ? Number(width) : 0
    if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') ? '0' : ' ')
    return s
  })
}
