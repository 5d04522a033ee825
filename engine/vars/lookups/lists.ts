/** The lookups that reshape lists (with_items, with_nested, with_subelements, ...), as Ansible 2.14's plugins do. */
import { randomInt } from 'node:crypto'
import { pyUnescape } from '../jinja/lexer.js'
import { isMapping, MAX_RANGE, percentFormat, pyType, rangeLength, repr, tuple } from '../py.js'
import { flatten, iterItems, type Lookup, LookupError, listify, boolOpt } from './types.js'

/** LookupBase._combine: every x of a with every y of b, each pair flattened one level. */
const combine = (a: unknown[], b: unknown[]): unknown[][] => a.flatMap((x) => b.map((y) => flatten([x, y])))

/** `_flatten(x)` on one row: Python iterates whatever it is (a string's characters, a mapping's keys). */
const flattenRow = (x: unknown, what: string): unknown[] => flatten(iterItems(x, what))

const items: Lookup = (terms) => flatten(terms)

const list: Lookup = (terms) => terms

const dict: Lookup = (terms) =>
  terms.flatMap((t) => {
    if (!isMapping(t)) throw new LookupError('with_dict expects a dict')
    return Object.entries(t).map(([key, value]) => ({ key, value }))
  })

const indexedItems: Lookup = (terms) => flatten(terms).map((item, i) => tuple([i, item]))

const together: Lookup = (terms) => {
  const lists = terms.map(listify)
  if (lists.length === 0) throw new LookupError('with_together requires at least one element in each list')
  const n = Math.max(...lists.map((l) => l.length))
  return Array.from({ length: n }, (_x, i) => flatten(lists.map((l) => (i < l.length ? l[i] : null))))
}

const nested: Lookup = (terms) => {
  const lists = terms.map(listify)
  if (lists.length === 0) throw new LookupError('with_nested requires at least one element in the nested list')
  let result: unknown[] = lists[0]!
  for (const next of lists.slice(1)) result = combine(result, next)
  return result.map((x) => flattenRow(x, 'nested'))
}

const cartesian: Lookup = (terms) => {
  const lists = terms.map(listify)
  let rows: unknown[][] = [[]]
  for (const l of lists) rows = rows.flatMap((r) => l.map((x) => [...r, x]))
  return rows.map((r) => flatten(r))
}

const randomChoice: Lookup = (terms) => (terms.length ? [terms[randomInt(terms.length)]] : terms)

const subelements: Lookup = (terms) => {
  const usage = (msg = '') => new LookupError(`subelements lookup expects a list of two or three items, ${msg}`)
  if (terms.length < 2 || terms.length > 3) throw usage()
  const [first, key, flags = {}] = terms
  const elements = Array.isArray(first) ? first : isMapping(first) ? first : typeof first === 'string' ? [first] : undefined
  if (elements === undefined || typeof key !== 'string') throw usage('first a dict or a list, second a string pointing to the subkey')
  if (!isMapping(flags)) throw usage("the optional third item must be a dict with flags ('skip_missing',)")
  let list: unknown[]
  if (isMapping(elements)) {
    if (Object.hasOwn(elements, 'skipped') && elements.skipped !== false) return []
    list = Object.values(elements)
  } else list = elements
  const skipMissing = boolOpt(flags.skip_missing, false)
  const path = key.split('.')
  const out: unknown[] = []
  for (const item0 of list) {
    if (!isMapping(item0)) throw new LookupError(`subelements lookup expects a dictionary, got '${repr(item0)}'`)
    if (Object.hasOwn(item0, 'skipped') && item0.skipped !== false) continue
    // Ansible pops the list out of the element it yields: item.0 is the element without it
    const top: Record<string, unknown> = { ...item0 }
    let parent = top
    let sublist: unknown[] = []
    for (const [i, k] of path.entries()) {
      if (!Object.hasOwn(parent, k)) {
        if (skipMissing) continue
        throw new LookupError(`could not find '${k}' key in iterated item '${repr(parent)}'`)
      }
      const v = parent[k]
      if (i < path.length - 1) {
        if (!isMapping(v)) {
          if (skipMissing) continue
          throw new LookupError(`the key ${k} should point to a dictionary, got '${repr(v)}'`)
        }
        // copied on the way down: the list is taken out of the copy, never out of the variable
        const copy = { ...v }
        parent[k] = copy
        parent = copy
      } else {
        if (!Array.isArray(v)) throw new LookupError(`the key ${k} should point to a list, got '${repr(v)}'`)
        sublist = v
        delete parent[k]
      }
    }
    for (const item1 of sublist) out.push(tuple([top, item1]))
  }
  return out
}

/** Python's int(s, 0): 0x/0o/0b prefixes, no leading zeros on decimals. */
function pyInt0(s: string, what: string): number {
  const t = s.trim().replace(/_/g, '')
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0+|[1-9]\d*)$/.exec(t)
  if (!m) throw new LookupError(`can't parse ${what}=${s} as integer`)
  const body = m[2]!
  const n = /^0[xXoObB]/.test(body) ? Number(body.toLowerCase()) : Number(body)
  return m[1] === '-' ? -n : n
}

/** parse_kv's _decode_escapes: Python's escapes in a value; one it cannot decode stays as written. */
function decodeEscapes(v: string): string {
  try {
    return pyUnescape(v)
  } catch {
    return v
  }
}

/**
 * `k=v k2="v 2"` as Ansible's parse_kv reads a sequence, password or csvfile term: a value's
 * escapes decoded (`\t`), then stripped and unquoted (so `delimiter=\t` is empty there too);
 * the other words as written.
 */
export function splitKv(text: string): { words: string[]; kv: Record<string, string> } {
  const words: string[] = []
  const kv: Record<string, string> = {}
  for (const m of text.matchAll(/(?:[^\s"']+|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')+/g)) {
    const w = m[0]
    const eq = /^([A-Za-z_]\w*)=([\s\S]*)$/.exec(w)
    if (!eq) {
      words.push(w)
      continue
    }
    let v = decodeEscapes(eq[2]!).trim()
    if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0]!)) v = v.slice(1, -1)
    kv[eq[1]!] = v
  }
  return { words, kv }
}

const SHORTCUT = /^((0?x?[0-9a-f]+)-)?(0?x?[0-9a-f]+)(\/(0?x?[0-9a-f]+))?(:(.+))?$/i

function sequenceOf(term: string): string[] {
  let start = 1
  let end: number | undefined
  let count: number | undefined
  let stride = 1
  let format = '%d'
  const m = SHORTCUT.exec(term)
  if (m) {
    if (m[2] !== undefined) start = pyInt0(m[2], 'start')
    end = pyInt0(m[3]!, 'end')
    if (m[5] !== undefined) stride = pyInt0(m[5], 'stride')
    if (m[7] !== undefined) format = m[7]
  } else {
    const { words, kv } = splitKv(term)
    if (words.length) kv._raw_params = words.join(' ')
    for (const k of ['start', 'end', 'count', 'stride'] as const) {
      if (kv[k] === undefined) continue
      const n = pyInt0(kv[k], k)
      if (k === 'start') start = n
      else if (k === 'end') end = n
      else if (k === 'count') count = n
      else stride = n
      delete kv[k]
    }
    if (kv.format !== undefined) format = kv.format
    delete kv.format
    const rest = Object.keys(kv)
    if (rest.length) throw new LookupError(`unrecognized arguments to with_sequence: [${rest.map((k) => repr(k)).join(', ')}]`)
  }
  if (count === undefined && end === undefined) throw new LookupError('must specify count or end in with_sequence')
  if (count !== undefined && end !== undefined) throw new LookupError("can't specify both count and end in with_sequence")
  if (count !== undefined) {
    if (count !== 0) end = start + count * stride - 1
    else [start, end, stride] = [0, 0, 0]
  }
  const last = end!
  if (stride > 0 && last < start) throw new LookupError('to count backwards make stride negative')
  if (stride < 0 && last > start) throw new LookupError("to count forward don't make stride negative")
  if ((format.match(/%/g) ?? []).length !== 1) throw new LookupError(`bad formatting string: ${format}`)
  if (stride === 0) return []
  const out: string[] = []
  const stop = last + (stride >= 0 ? 1 : -1)
  const size = rangeLength(start, stop, stride)
  if (size > MAX_RANGE) throw new LookupError(`a sequence of ${size} items is more than acplay builds (${MAX_RANGE})`)
  for (let i = start; stride > 0 ? i < stop : i > stop; i += stride) {
    try {
      out.push(percentFormat(format, i))
    } catch {
      throw new LookupError(`problem formatting ${i} with ${repr(format)}`)
    }
  }
  return out
}

const sequence: Lookup = (terms) =>
  terms.flatMap((t) => {
    if (typeof t !== 'string') throw new LookupError(`unknown error parsing with_sequence arguments: ${repr(t)} (a ${pyType(t)}, not a string)`)
    return sequenceOf(t)
  })

export const LIST_LOOKUPS: Record<string, Lookup> = {
  items,
  list,
  dict,
  indexed_items: indexedItems,
  together,
  nested,
  cartesian,
  random_choice: randomChoice,
  subelements,
  sequence,
}
