/**
 * The Python methods templates call on values (`x.startswith('a')`, `d.items()`, `', '.join(l)`).
 * Only these are reachable from templates: JS prototype members (`constructor`, `length`) are not.
 * Each method gets the receiver, the positional and the keyword arguments.
 */
import { cmp, eq, isMapping, pystr, pyType, tuple } from './py.js'
import { strFormat } from './py-format.js'
import { strict, templateError } from './undefined.js'

// `any`: each table's methods declare their receiver's type (str, list, dict)
export type Method = (self: any, args: unknown[], kw: Record<string, unknown>) => unknown

/** Argument i of a method, by position or keyword, else the default. */
function a<T>(args: unknown[], kw: Record<string, unknown>, i: number, name: string, dflt: T): T {
  if (args.length > i) return args[i] as T
  if (Object.hasOwn(kw, name)) return kw[name] as T
  return dflt
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')
function strip(s: string, chars: unknown, left: boolean, right: boolean): string {
  if (chars === null || chars === undefined) {
    let out = s
    if (left) out = out.replace(/^\s+/, '')
    if (right) out = out.replace(/\s+$/, '')
    return out
  }
  const cls = `[${escapeRe(String(chars))}]+`
  if (chars === '') return s
  let out = s
  if (left) out = out.replace(new RegExp(`^${cls}`, 'u'), '')
  if (right) out = out.replace(new RegExp(`${cls}$`, 'u'), '')
  return out
}

/** str.split / str.rsplit, with Python's whitespace rule when sep is None. */
export function split(s: string, sep: unknown = null, maxsplit: unknown = -1, fromRight = false): string[] {
  const max = Number(maxsplit)
  if (sep === null || sep === undefined) {
    const words = s.split(/\s+/).filter((w) => w !== '')
    if (max < 0 || words.length <= max + 1) return words
    // keep the rest of the string (with its inner whitespace) as the last piece
    if (!fromRight) {
      const out: string[] = []
      let rest = s.replace(/^\s+/, '')
      for (let i = 0; i < max; i++) {
        const m = /\s+/.exec(rest)!
        out.push(rest.slice(0, m.index))
        rest = rest.slice(m.index + m[0].length)
      }
      return [...out, rest]
    }
    const out: string[] = []
    let rest = s.replace(/\s+$/, '')
    for (let i = 0; i < max; i++) {
      const m = /\s+(?=\S*$)/.exec(rest)!
      out.unshift(rest.slice(m.index + m[0].length))
      rest = rest.slice(0, m.index)
    }
    return [rest, ...out]
  }
  const sp = String(sep)
  if (sp === '') throw templateError('empty separator')
  const parts = s.split(sp)
  if (max < 0 || parts.length <= max + 1) return parts
  if (fromRight) return [parts.slice(0, parts.length - max).join(sp), ...parts.slice(parts.length - max)]
  return [...parts.slice(0, max), parts.slice(max).join(sp)]
}

const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g
/** Python's str.splitlines. */
export function splitlines(s: string, keepends: unknown = false): string[] {
  const out: string[] = []
  let last = 0
  for (const m of s.matchAll(LINE_BREAK)) {
    out.push(s.slice(last, keepends ? m.index + m[0].length : m.index))
    last = m.index + m[0].length
  }
  if (last < s.length) out.push(s.slice(last))
  return out
}

const isCased = (c: string) => c.toLowerCase() !== c.toUpperCase()
/** str.title: each run of cased letters starts upper case ("they'Re" — Python's rule). */
export function pyTitle(s: string): string {
  let out = ''
  let prev = false
  for (const c of s) {
    const cased = isCased(c)
    out += cased ? (prev ? c.toLowerCase() : c.toUpperCase()) : c
    prev = cased
  }
  return out
}

/** The start/end arguments of find/count/startswith, as a slice of s. */
function window(s: string, args: unknown[], from: number): [string, number] {
  const norm = (v: unknown, d: number) => {
    if (v === null || v === undefined) return d
    const n = Number(v)
    return n < 0 ? Math.max(0, s.length + n) : Math.min(n, s.length)
  }
  const start = norm(args[from], 0)
  return [s.slice(start, norm(args[from + 1], s.length)), start]
}

function find(s: string, args: unknown[], right: boolean): number {
  const [w, start] = window(s, args, 1)
  const i = right ? w.lastIndexOf(String(args[0])) : w.indexOf(String(args[0]))
  return i < 0 ? -1 : i + start
}

function affix(s: string, args: unknown[], test: (w: string, p: string) => boolean, name: string): boolean {
  const p = args[0]
  const [w] = window(s, args, 1)
  if (typeof p === 'string') return test(w, p)
  if (Array.isArray(p)) return p.some((x) => test(w, String(x)))
  throw templateError(`${name} first arg must be str or a tuple of str, not ${pyType(p)}`)
}

function center(s: string, width: number, fill: string): string {
  const marg = width - s.length
  if (marg <= 0) return s
  const left = Math.floor(marg / 2) + (marg & width & 1)
  return fill.repeat(left) + s + fill.repeat(marg - left)
}

const STR: Record<string, Method> = {
  capitalize: (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1).toLowerCase() : s),
  casefold: (s: string) => s.toLowerCase(),
  center: (s: string, args) => center(s, Number(args[0]), args[1] === undefined ? ' ' : String(args[1])),
  ljust: (s: string, args) => s.padEnd(Number(args[0]), args[1] === undefined ? ' ' : String(args[1])),
  rjust: (s: string, args) => s.padStart(Number(args[0]), args[1] === undefined ? ' ' : String(args[1])),
  count: (s: string, args) => {
    const [w] = window(s, args, 1)
    const sub = String(args[0])
    return sub === '' ? w.length + 1 : w.split(sub).length - 1
  },
  startswith: (s: string, args) => affix(s, args, (w, p) => w.startsWith(p), 'startswith'),
  endswith: (s: string, args) => affix(s, args, (w, p) => w.endsWith(p), 'endswith'),
  expandtabs: (s: string, args, kw) => {
    const size = Number(a(args, kw, 0, 'tabsize', 8))
    let col = 0
    let out = ''
    for (const c of s) {
      if (c === '\t') {
        const n = size > 0 ? size - (col % size) : 0
        out += ' '.repeat(n)
        col += n
      } else {
        out += c
        col = c === '\n' || c === '\r' ? 0 : col + 1
      }
    }
    return out
  },
  find: (s: string, args) => find(s, args, false),
  rfind: (s: string, args) => find(s, args, true),
  index: (s: string, args) => {
    const i = find(s, args, false)
    if (i < 0) throw templateError('substring not found')
    return i
  },
  rindex: (s: string, args) => {
    const i = find(s, args, true)
    if (i < 0) throw templateError('substring not found')
    return i
  },
  format: (s: string, args, kw) => strFormat(s, args, kw),
  format_map: (s: string, args) => strFormat(s, [], args[0] as Record<string, unknown>),
  isalnum: (s: string) => /^[\p{L}\p{N}]+$/u.test(s),
  isalpha: (s: string) => /^\p{L}+$/u.test(s),
  isascii: (s: string) => /^[\x00-\x7f]*$/.test(s),
  isdecimal: (s: string) => /^\p{Nd}+$/u.test(s),
  isdigit: (s: string) => /^[\p{Nd}\u00b2\u00b3\u00b9]+$/u.test(s),
  isnumeric: (s: string) => /^\p{N}+$/u.test(s),
  isidentifier: (s: string) => /^[\p{ID_Start}_][\p{ID_Continue}]*$/u.test(s),
  islower: (s: string) => s === s.toLowerCase() && [...s].some(isCased),
  isupper: (s: string) => s === s.toUpperCase() && [...s].some(isCased),
  isspace: (s: string) => /^\s+$/.test(s),
  istitle: (s: string) => [...s].some(isCased) && pyTitle(s) === s,
  isprintable: (s: string) => !/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u.test(s),
  join: (s: string, args) => {
    const items = args[0]
    const list = typeof items === 'string' ? [...items] : isMapping(items) ? Object.keys(items) : (items as unknown[])
    if (!Array.isArray(list)) throw templateError(`can only join an iterable`)
    return list
      .map((x, i) => {
        strict(x)
        if (typeof x !== 'string') throw templateError(`sequence item ${i}: expected str instance, ${pyType(x)} found`)
        return x
      })
      .join(s)
  },
  lower: (s: string) => s.toLowerCase(),
  upper: (s: string) => s.toUpperCase(),
  swapcase: (s: string) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  title: (s: string) => pyTitle(s),
  strip: (s: string, args) => strip(s, args[0], true, true),
  lstrip: (s: string, args) => strip(s, args[0], true, false),
  rstrip: (s: string, args) => strip(s, args[0], false, true),
  partition: (s: string, args) => {
    const sep = String(args[0])
    const i = s.indexOf(sep)
    return i < 0 ? tuple([s, '', '']) : tuple([s.slice(0, i), sep, s.slice(i + sep.length)])
  },
  rpartition: (s: string, args) => {
    const sep = String(args[0])
    const i = s.lastIndexOf(sep)
    return i < 0 ? tuple(['', '', s]) : tuple([s.slice(0, i), sep, s.slice(i + sep.length)])
  },
  removeprefix: (s: string, args) => (s.startsWith(String(args[0])) ? s.slice(String(args[0]).length) : s),
  removesuffix: (s: string, args) => (args[0] !== '' && s.endsWith(String(args[0])) ? s.slice(0, -String(args[0]).length) : s),
  replace: (s: string, args, kw) => {
    const [from, to] = [String(args[0]), String(args[1])]
    const n = Number(a(args, kw, 2, 'count', -1))
    if (n < 0) return s.split(from).join(to)
    const parts = s.split(from)
    return parts.slice(0, n + 1).join(to) + (parts.length > n + 1 ? from + parts.slice(n + 1).join(from) : '')
  },
  split: (s: string, args, kw) => split(s, a(args, kw, 0, 'sep', null), a(args, kw, 1, 'maxsplit', -1)),
  rsplit: (s: string, args, kw) => split(s, a(args, kw, 0, 'sep', null), a(args, kw, 1, 'maxsplit', -1), true),
  splitlines: (s: string, args, kw) => splitlines(s, a(args, kw, 0, 'keepends', false)),
  zfill: (s: string, args) => {
    const w = Number(args[0])
    const sign = /^[-+]/.test(s) ? s.charAt(0) : ''
    return sign + s.slice(sign.length).padStart(w - sign.length, '0')
  },
}

function listIndex(l: unknown[], x: unknown): number {
  const i = l.findIndex((y) => eq(y, x))
  if (i < 0) throw templateError(`${pystr(x)} is not in list`)
  return i
}

// shared by lists and tuples
const seqIndex: Method = (l: unknown[], args) => listIndex(l, args[0])
const seqCount: Method = (l: unknown[], args) => l.filter((y) => eq(y, args[0])).length

const LIST: Record<string, Method> = {
  index: seqIndex,
  count: seqCount,
  copy: (l: unknown[]) => [...l],
  // mutating methods, as Jinja allows them (`{% set _ = l.append(x) %}`); they return None
  append: (l: unknown[], args) => {
    l.push(args[0])
    return null
  },
  extend: (l: unknown[], args) => {
    l.push(...(args[0] as unknown[]))
    return null
  },
  insert: (l: unknown[], args) => {
    const i = Number(args[0])
    l.splice(i < 0 ? Math.max(0, l.length + i) : i, 0, args[1])
    return null
  },
  pop: (l: unknown[], args) => {
    if (!l.length) throw templateError('pop from empty list')
    const i = args.length ? Number(args[0]) : -1
    const at = i < 0 ? l.length + i : i
    if (at < 0 || at >= l.length) throw templateError('pop index out of range')
    return l.splice(at, 1)[0]
  },
  remove: (l: unknown[], args) => {
    l.splice(listIndex(l, args[0]), 1)
    return null
  },
  reverse: (l: unknown[]) => {
    l.reverse()
    return null
  },
  sort: (l: unknown[], _args, kw) => {
    l.sort((x, y) => cmp(x, y))
    if (kw.reverse) l.reverse()
    return null
  },
  clear: (l: unknown[]) => {
    l.length = 0
    return null
  },
}

const TUPLE: Record<string, Method> = { index: seqIndex, count: seqCount }

const DICT: Record<string, Method> = {
  items: (d: Record<string, unknown>) => Object.entries(d).map((e) => tuple(e)),
  keys: (d: Record<string, unknown>) => Object.keys(d),
  values: (d: Record<string, unknown>) => Object.values(d),
  get: (d: Record<string, unknown>, args) => {
    const k = String(strict(args[0]))
    return Object.hasOwn(d, k) ? d[k] : args.length > 1 ? args[1] : null
  },
  copy: (d: Record<string, unknown>) => ({ ...d }),
  update: (d: Record<string, unknown>, args, kw) => {
    for (const src of [...args, kw]) {
      if (isMapping(src)) Object.assign(d, src)
      else if (Array.isArray(src)) for (const [k, v] of src as unknown[][]) d[String(k)] = v
      else throw templateError(`'${pyType(src)}' object is not iterable`)
    }
    return null
  },
  pop: (d: Record<string, unknown>, args) => {
    const k = String(args[0])
    if (Object.hasOwn(d, k)) {
      const v = d[k]
      delete d[k]
      return v
    }
    if (args.length > 1) return args[1]
    throw templateError(`KeyError: ${pystr(args[0])}`)
  },
  setdefault: (d: Record<string, unknown>, args) => {
    const k = String(args[0])
    if (!Object.hasOwn(d, k)) d[k] = args.length > 1 ? args[1] : null
    return d[k]
  },
}

const MUTATING = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'reverse', 'sort', 'clear', 'update', 'setdefault'])

/** The method table for a value's Python type, if it has one. */
export function methodsOf(obj: unknown): Record<string, Method> | undefined {
  if (typeof obj === 'string') return STR
  if (Array.isArray(obj)) return obj.constructor === Array ? LIST : TUPLE
  if (isMapping(obj)) return DICT
  return undefined
}

/** The Python method `name` of `obj`, or undefined. */
export function pyMethod(obj: unknown, name: string): Method | undefined {
  const table = methodsOf(obj)
  if (!table || !Object.hasOwn(table, name)) return undefined
  // groups, ansible_play_hosts and inventory vars are one value every host and task shares
  if (MUTATING.has(name) && Object.isFrozen(obj))
    return () => {
      throw templateError(
        `'${name}' would change a value every host shares (groups, ansible_play_hosts, inventory vars): change a copy (\`x | list\`, \`x | combine({})\`)`,
      )
    }
  return table[name]
}

/** Calls `obj.name(*args, **kw)` for a method we know; throws when there is none. */
export function callMethod(obj: unknown, name: string, args: unknown[], kw: Record<string, unknown> = {}): unknown {
  const m = pyMethod(obj, name)
  if (!m) throw templateError(`'${pyType(obj)}' object has no attribute '${name}'`)
  return m(obj, args, kw)
}
