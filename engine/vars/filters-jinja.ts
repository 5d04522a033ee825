/** Jinja2's builtin filters (jinja2/filters.py), with Python's results: lists, tuples, floats. */
import { arg, attrGetter, type Filter, type FilterCtx, ignoreCase, sortedBy } from './filter-types.js'
import { GroupTuple, getattr, iterate } from './jinja/runtime.js'
import { binop, cmp, eq, formatFloat, toFixedPy, isInt, isMapping, mkFloat, num, PyFloat, percentFormat, pystr, pyType, repr, truthy, tuple } from './py.js'
import { callMethod, pyMethod } from './py-methods.js'
import { wrap } from './py-textwrap.js'
import { strict, templateError, Undef } from './undefined.js'

const str = (v: unknown) => pystr(v)
const len = (v: unknown): number => {
  if (typeof v === 'string') return [...v].length
  if (Array.isArray(v)) return v.length
  if (isMapping(v)) return Object.keys(v).length
  throw templateError(`object of type '${pyType(v)}' has no len()`)
}

/** Jinja's int(): "12" -> 12, "12.7" -> 12 (via float), "0x1F" with base=16, junk -> default. */
export function toInt(v: unknown, dflt: unknown = 0, base = 10): unknown {
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase()
    // base 0 takes the literal's prefix, as Python's int(s, 0) (no leading zeros then); a base Python
    // refuses (ValueError) falls through to float() below, as Jinja's int filter does
    if (base === 0) base = /^[-+]?0x/.test(s) ? 16 : /^[-+]?0o/.test(s) ? 8 : /^[-+]?0b/.test(s) ? 2 : /^[-+]?0+_?\d/.test(s) ? -1 : 10
    if (!Number.isInteger(base) || base < 2 || base > 36) return toIntOf(toFloat(v, null), dflt)
    const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base)
    const m = /^([-+]?)(0[box])?((?:_?[0-9a-z])+)$/.exec(s)
    const prefixOk = !m?.[2] || (m[2] === '0x' && base === 16) || (m[2] === '0o' && base === 8) || (m[2] === '0b' && base === 2)
    const body = m?.[3] // group 3 is required: present whenever m is
    if (m && body !== undefined && prefixOk && !body.startsWith('_') && [...body.replace(/_/g, '')].every((c) => digits.includes(c))) {
      const n = parseInt(body.replace(/_/g, ''), base)
      return m[1] === '-' ? -n : n
    }
    return toIntOf(toFloat(v, null), dflt)
  }
  const n = num(v)
  if (n === undefined || !Number.isFinite(n)) return dflt
  return Math.trunc(n)
}

const toIntOf = (f: unknown, dflt: unknown): unknown => {
  const n = num(f)
  return n === undefined || !Number.isFinite(n) ? dflt : Math.trunc(n)
}

/** Python's float(): numbers, bools and numeric strings ('1e3', ' 2.5 ', 'inf'); else the default. */
export function toFloat(v: unknown, dflt: unknown = mkFloat(0)): unknown {
  const n = num(v)
  if (n !== undefined) return mkFloat(n)
  if (typeof v !== 'string') return dflt
  const s = v.trim().replace(/(\d)_(?=\d)/g, '$1')
  if (/^[-+]?(inf(inity)?|nan)$/i.test(s)) return s.toLowerCase().includes('nan') ? Number.NaN : s.startsWith('-') ? -Infinity : Infinity
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return dflt
  return mkFloat(Number(s))
}

/** Python's round(x, n) of a float: half to even, on the exact binary value. */
export function pyRound(x: number, n: number): number {
  if (!Number.isFinite(x)) return x
  if (n < 0) return pyRound(x / 10 ** -n, 0) * 10 ** -n
  return Number(toFixedPy(x, n))
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' }
export const htmlEscape = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)

/** Python's urllib quote: unreserved characters (plus `safe`) stay, every other byte is %XX. */
export function urlQuote(s: string, safe = '/'): string {
  let out = ''
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b)
    out += /[A-Za-z0-9\-._~]/.test(c) || (b < 128 && safe.includes(c)) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

function urlencode(v: unknown): string {
  const qs = (s: unknown) => urlQuote(str(s), '').replace(/%20/g, '+')
  if (typeof v === 'string' || !(Array.isArray(v) || isMapping(v))) return urlQuote(str(v))
  const pairs = isMapping(v) ? Object.entries(v) : (v as unknown[]).map((p) => iterate(p))
  return pairs.map(([k, x]) => `${qs(k)}=${qs(x)}`).join('&')
}

function filesizeformat(v: unknown, binary: boolean): string {
  const bytes = num(toFloat(v, null))
  if (bytes === undefined) throw templateError(`could not convert ${pyType(v)} to float: ${repr(v)}`)
  const base = binary ? 1024 : 1000
  const prefixes = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB']
  if (bytes === 1) return '1 Byte'
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`
  let unit = base
  let prefix = prefixes[0]
  for (let i = 0; i < prefixes.length; i++) {
    unit = base ** (i + 2)
    prefix = prefixes[i]
    if (bytes < unit) break
  }
  return `${formatFloat((base * bytes) / unit, 'f', 1)} ${prefix}`
}

function indent(s: string, width: unknown, first: boolean, blank: boolean): string {
  const ind = typeof width === 'string' ? width : ' '.repeat(Number(width))
  const lines = callMethod(`${s}\n`, 'splitlines', []) as string[]
  let rv: string
  if (blank) rv = lines.join(`\n${ind}`)
  else {
    rv = lines.shift() ?? ''
    if (lines.length) rv += `\n${lines.map((l) => (l ? ind + l : l)).join('\n')}`
  }
  return first ? ind + rv : rv
}

function truncate(s: string, length: number, killwords: boolean, end: string, leeway: number): string {
  if (length < end.length) throw templateError(`expected length >= ${end.length}, got ${length}`)
  const chars = [...s]
  if (chars.length <= length + leeway) return s
  const head = chars.slice(0, length - end.length).join('')
  if (killwords) return head + end
  const i = head.lastIndexOf(' ')
  return (i < 0 ? head : head.slice(0, i)) + end
}

function striptags(s: string): string {
  const noTags = s.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, '')
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }
  const text = noTags.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1]?.toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
    return entities[e.toLowerCase()] ?? m
  })
  return text.split(/\s+/).filter(Boolean).join(' ')
}

function xmlattr(d: unknown, autospace: boolean): string {
  if (!isMapping(d)) throw templateError(`xmlattr expects a dict, got ${pyType(d)}`)
  const items: string[] = []
  for (const [k, v] of Object.entries(d)) {
    if (v === null || v === undefined || v instanceof Undef) continue
    if (/[\s/>=]/.test(k)) throw templateError(`Invalid character in attribute name: ${repr(k)}`)
    items.push(`${htmlEscape(k)}="${htmlEscape(str(v))}"`)
  }
  const rv = items.join(' ')
  return autospace && rv ? ` ${rv}` : rv
}

/** Jinja's tojson: sorted keys, and <, >, &, ' escaped so it is safe inside HTML. */
function tojson(v: unknown, indent: unknown): string {
  const { pyJson } = jsonImpl
  return pyJson(v, indent === null || indent === undefined ? null : Number(indent), true)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/'/g, '\\u0027')
}
/** Set by filters-data.ts (one JSON writer for tojson and to_json). */
export const jsonImpl: { pyJson: (v: unknown, indent: number | null, sortKeys: boolean) => string } = {
  pyJson: () => {
    throw new Error('json writer not loaded')
  },
}

function urlize(s: string, trimLimit: unknown, nofollow: boolean, target: unknown, rel: unknown): string {
  // Jinja's default policy adds rel="noopener"
  const relParts = new Set(`${String(rel ?? '')} noopener`.split(/\s+/).filter(Boolean))
  if (nofollow) relParts.add('nofollow')
  const relAttr = relParts.size ? ` rel="${[...relParts].sort().join(' ')}"` : ''
  const targetAttr = target ? ` target="${htmlEscape(str(target))}"` : ''
  const trim = (u: string) => (trimLimit !== null && trimLimit !== undefined && u.length > Number(trimLimit) ? `${u.slice(0, Number(trimLimit))}...` : u)
  return s
    .split(/(\s+)/)
    .map((word) => {
      const m = /^([(<]*)(.*?)([.,)>\n]*)$/s.exec(word)!
      const [, head = '', middle = '', tail = ''] = m // all three groups always match
      let href: string | undefined
      if (/^https?:\/\//.test(middle)) href = middle
      else if (/^www\./.test(middle) || /^[\w.-]+\.(org|net|com)$/.test(middle)) href = `https://${middle}`
      else if (/^mailto:/.test(middle)) href = middle
      else if (/^[^@\s]+@[\w.-]+\.\w+$/.test(middle) && !middle.includes(':')) href = `mailto:${middle}`
      if (!href) return htmlEscape(word)
      const text = href.startsWith('mailto:') && !middle.startsWith('mailto:') ? middle : middle
      return `${htmlEscape(head)}<a href="${htmlEscape(href)}"${href.startsWith('mailto:') ? '' : relAttr + targetAttr}>${htmlEscape(trim(text))}</a>${htmlEscape(tail)}`
    })
    .join('')
}

function minMax(v: unknown, args: unknown[], kw: Record<string, unknown>, sign: 1 | -1): unknown {
  const items = iterate(v)
  if (!items.length) return new Undef('min/max', 'No aggregated item, sequence was empty.')
  const key = attrGetter(arg(args, kw, 1, 'attribute', null), truthy(arg(args, kw, 0, 'case_sensitive', false)) ? undefined : ignoreCase)
  let best = items[0]
  let bestKey = key(best)
  for (const x of items.slice(1)) {
    const k = key(x)
    if (cmp(k, bestKey) * sign < 0) {
      best = x
      bestKey = k
    }
  }
  return best
}

/** select/reject/selectattr/rejectattr: a test name plus args, or plain truthiness. */
function selectOrReject(v: unknown, args: unknown[], kw: Record<string, unknown>, ctx: FilterCtx, attr: boolean, keep: boolean): unknown[] {
  const items = iterate(v)
  if (!truthy(v)) return []
  if (attr && !args.length) throw templateError('Missing parameter for attribute name')
  const get = attr ? attrGetter(args[0]) : (x: unknown) => x
  const off = attr ? 1 : 0
  const test = args.length > off ? ctx.test(String(args[off])) : undefined
  const rest = args.slice(off + 1)
  return items.filter((item) => {
    const x = get(item)
    return (test ? test(x, rest, kw) : truthy(x)) === keep
  })
}

export const jinjaFilters: Record<string, Filter> = {
  abs: (v) => {
    if (typeof v === 'number') return Math.abs(v)
    if (v instanceof PyFloat) return new PyFloat(Math.abs(v.v))
    if (typeof v === 'boolean') return Number(v)
    throw templateError(`bad operand type for abs(): '${pyType(v)}'`)
  },
  attr: (v, args) => {
    if (!args.length) throw templateError("do_attr() missing 1 required positional argument: 'name'")
    // an attribute only: a dict's keys are items, not attributes
    const name = pystr(args[0])
    if (isMapping(v) && !pyMethod(v, name)) return new Undef(name, `'dict object' has no attribute '${name}'`)
    return getattr(v, name)
  },
  batch: (v, args, kw) => {
    const n = Number(arg(args, kw, 0, 'linecount', 1))
    const fill = arg<unknown>(args, kw, 1, 'fill_with', null)
    const out: unknown[][] = []
    let tmp: unknown[] = []
    for (const x of iterate(v)) {
      if (tmp.length === n) {
        out.push(tmp)
        tmp = []
      }
      tmp.push(x)
    }
    if (tmp.length) {
      if (fill !== null && tmp.length < n) while (tmp.length < n) tmp.push(fill)
      out.push(tmp)
    }
    return out
  },
  capitalize: (v) => callMethod(str(v), 'capitalize', []),
  center: (v, args, kw) => callMethod(str(v), 'center', [Number(arg(args, kw, 0, 'width', 80))]),
  default: (v, args, kw) => {
    const dflt = arg(args, kw, 0, 'default_value', '')
    const boolean = arg(args, kw, 1, 'boolean', false)
    return v instanceof Undef || (truthy(boolean) && !truthy(v)) ? dflt : v
  },
  dictsort: (v, args, kw) => {
    if (!isMapping(v)) throw templateError(`dictsort expects a dict, got ${pyType(v)}`)
    const by = arg(args, kw, 1, 'by', 'key')
    if (by !== 'key' && by !== 'value') throw templateError('You can only sort by either "key" or "value"')
    const pos = by === 'key' ? 0 : 1
    const cs = truthy(arg(args, kw, 0, 'case_sensitive', false))
    const items = Object.entries(v).map((e) => tuple(e))
    return sortedBy(items, (it) => (cs ? it[pos] : ignoreCase(it[pos])), truthy(arg(args, kw, 2, 'reverse', false)))
  },
  escape: (v) => htmlEscape(str(v)),
  forceescape: (v) => htmlEscape(str(v)),
  filesizeformat: (v, args, kw) => filesizeformat(v, truthy(arg(args, kw, 0, 'binary', false))),
  first: (v) => {
    const items = iterate(v)
    return items.length ? items[0] : new Undef('first', 'No first item, sequence was empty.')
  },
  last: (v) => {
    const items = iterate(v)
    return items.length ? items[items.length - 1] : new Undef('last', 'No last item, sequence was empty.')
  },
  float: (v, args, kw) => toFloat(v, arg(args, kw, 0, 'default', mkFloat(0))),
  format: (v, args, kw) => {
    if (args.length && Object.keys(kw).length) throw templateError("can't handle positional and keyword arguments at the same time")
    return percentFormat(str(v), Object.keys(kw).length ? kw : tuple(args))
  },
  groupby: (v, args, kw) => {
    const attribute = arg(args, kw, 0, 'attribute', null)
    const dflt = arg<unknown>(args, kw, 1, 'default', null)
    const cs = truthy(arg(args, kw, 2, 'case_sensitive', false))
    const key = attrGetter(attribute, cs ? undefined : ignoreCase, dflt)
    const outKey = attrGetter(attribute, undefined, dflt)
    const groups: GroupTuple[] = []
    for (const item of sortedBy(iterate(v), key, false)) {
      const last = groups[groups.length - 1]
      if (last && eq(key((last[1] as unknown[])[0]), key(item))) (last[1] as unknown[]).push(item)
      else groups.push(new GroupTuple(outKey(item), [item]))
    }
    return groups
  },
  indent: (v, args, kw) => indent(str(v), arg(args, kw, 0, 'width', 4), truthy(arg(args, kw, 1, 'first', false)), truthy(arg(args, kw, 2, 'blank', false))),
  int: (v, args, kw) => toInt(v, arg(args, kw, 0, 'default', 0), Number(arg(args, kw, 1, 'base', 10))),
  items: (v) => {
    if (v instanceof Undef) return []
    if (!isMapping(v)) throw templateError('Can only get item pairs from a mapping.')
    return Object.entries(v).map((e) => tuple(e))
  },
  join: (v, args, kw) => {
    const attribute = arg<unknown>(args, kw, 1, 'attribute', null)
    const get = attribute === null ? (x: unknown) => x : attrGetter(attribute)
    return iterate(v)
      .map((x) => str(get(x)))
      .join(str(arg(args, kw, 0, 'd', '')))
  },
  length: (v) => len(v),
  list: (v) => [...iterate(v)],
  lower: (v) => str(v).toLowerCase(),
  map: (v, args, kw, ctx) => {
    if (!truthy(v)) return []
    const items = iterate(v)
    if (!args.length && Object.hasOwn(kw, 'attribute')) {
      const { attribute, default: dflt, ...rest } = kw
      const extra = Object.keys(rest)
      if (extra.length) throw templateError(`Unexpected keyword argument '${extra[0]}'`)
      return items.map(attrGetter(attribute, undefined, dflt))
    }
    if (!args.length) throw templateError('map requires a filter argument')
    const f = ctx.filter(pystr(args[0]))
    const rest = args.slice(1)
    return items.map((x) => f(x, rest, kw))
  },
  max: (v, args, kw) => minMax(v, args, kw, -1),
  min: (v, args, kw) => minMax(v, args, kw, 1),
  pprint: (v) => repr(v),
  reject: (v, args, kw, ctx) => selectOrReject(v, args, kw, ctx, false, false),
  rejectattr: (v, args, kw, ctx) => selectOrReject(v, args, kw, ctx, true, false),
  replace: (v, args, kw) => callMethod(str(v), 'replace', [str(args[0]), str(args[1]), arg(args, kw, 2, 'count', null) ?? -1]),
  reverse: (v) => {
    if (typeof v === 'string') return [...v].reverse().join('')
    return [...iterate(v)].reverse()
  },
  round: (v, args, kw) => {
    const precision = Number(arg(args, kw, 0, 'precision', 0))
    const method = arg<unknown>(args, kw, 1, 'method', 'common')
    const n = num(v)
    if (n === undefined) throw templateError(`type ${pyType(v)} doesn't define __round__ method`)
    if (method === 'common') return isInt(v) ? (precision >= 0 ? v : pyRound(n, precision)) : mkFloat(pyRound(n, precision))
    if (method !== 'ceil' && method !== 'floor') throw templateError('method must be common, ceil or floor')
    const f = 10 ** precision
    return mkFloat((method === 'ceil' ? Math.ceil(n * f) : Math.floor(n * f)) / f)
  },
  safe: (v) => v,
  select: (v, args, kw, ctx) => selectOrReject(v, args, kw, ctx, false, true),
  selectattr: (v, args, kw, ctx) => selectOrReject(v, args, kw, ctx, true, true),
  slice: (v, args, kw) => {
    const seq = iterate(v)
    const slices = Number(arg(args, kw, 0, 'slices', 1))
    const fill = arg<unknown>(args, kw, 1, 'fill_with', null)
    const per = Math.floor(seq.length / slices)
    const extra = seq.length % slices
    const out: unknown[][] = []
    let offset = 0
    for (let i = 0; i < slices; i++) {
      const start = offset + i * per
      if (i < extra) offset++
      const tmp = seq.slice(start, offset + (i + 1) * per)
      if (fill !== null && i >= extra) tmp.push(fill)
      out.push(tmp)
    }
    return out
  },
  sort: (v, args, kw) => {
    const reverse = truthy(arg(args, kw, 0, 'reverse', false))
    const cs = truthy(arg(args, kw, 1, 'case_sensitive', false))
    const attribute = arg<unknown>(args, kw, 2, 'attribute', null)
    const getters = (typeof attribute === 'string' ? attribute.split(',') : [attribute]).map((a) => attrGetter(a, cs ? undefined : ignoreCase))
    const key = getters.length === 1 ? getters[0]! : (x: unknown) => getters.map((g) => g(x))
    return sortedBy(iterate(v), key, reverse)
  },
  string: (v) => str(v),
  striptags: (v) => striptags(str(v)),
  sum: (v, args, kw) => {
    const attribute = arg<unknown>(args, kw, 0, 'attribute', null)
    const get = attribute === null ? (x: unknown) => x : attrGetter(attribute)
    return iterate(v).reduce((a, b) => binop('+', a, strict(get(b))), arg(args, kw, 1, 'start', 0))
  },
  title: (v) =>
    str(v)
      .split(/([-\s({[<]+)/)
      .filter(Boolean)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
      .join(''),
  tojson: (v, args, kw) => tojson(v, arg(args, kw, 0, 'indent', null)),
  trim: (v, args, kw) => callMethod(str(v), 'strip', [arg(args, kw, 0, 'chars', null)]),
  truncate: (v, args, kw) =>
    truncate(
      str(v),
      Number(arg(args, kw, 0, 'length', 255)),
      truthy(arg(args, kw, 1, 'killwords', false)),
      str(arg(args, kw, 2, 'end', '...')),
      Number(arg(args, kw, 3, 'leeway', null) ?? 5),
    ),
  upper: (v) => str(v).toUpperCase(),
  urlencode: (v) => urlencode(v),
  urlize: (v, args, kw) =>
    urlize(
      str(v),
      arg(args, kw, 0, 'trim_url_limit', null),
      truthy(arg(args, kw, 1, 'nofollow', false)),
      arg(args, kw, 2, 'target', null),
      arg(args, kw, 3, 'rel', null),
    ),
  wordcount: (v) => (str(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length,
  wordwrap: (v, args, kw) => {
    const width = wrapWidth(arg(args, kw, 0, 'width', 79))
    const breakLong = truthy(arg(args, kw, 1, 'break_long_words', true))
    const wrapstring = str(arg(args, kw, 2, 'wrapstring', null) ?? '\n')
    const breakHyphens = truthy(arg(args, kw, 3, 'break_on_hyphens', true))
    const lines = callMethod(str(v), 'splitlines', []) as string[]
    return lines.map((line) => wrap(line, width, breakLong, breakHyphens).join(wrapstring)).join(wrapstring)
  },
  xmlattr: (v, args, kw) => xmlattr(v, truthy(arg(args, kw, 0, 'autospace', true))),
}
/** textwrap's width as Python takes it: an int (or bool) above 0; anything else fails as it fails there. */
function wrapWidth(w: unknown): number {
  if (typeof w === 'boolean') w = Number(w)
  if (!isInt(w)) {
    if (typeof w === 'number' || w instanceof PyFloat) throw templateError('slice indices must be integers or None or have an __index__ method')
    throw templateError(`'<=' not supported between instances of '${pyType(w)}' and 'int'`)
  }
  if ((w as number) <= 0) throw templateError(`invalid width ${w} (must be > 0)`)
  return w as number
}

Object.assign(jinjaFilters, { d: jinjaFilters.default, e: jinjaFilters.escape, count: jinjaFilters.length })
