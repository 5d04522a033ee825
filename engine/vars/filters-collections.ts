/** Ansible's filters on lists and dicts (combine, dict2items, subelements, set theory, zip,
 * product, flatten, random, shuffle) and its math filters (log, pow, root, human_readable). */
import { arg, attrGetter, expect, type Filter, ignoreCase } from './filter-types.js'
import { getitem, iterate } from './jinja/runtime.js'
import { eq, formatFloat, isMapping, mkFloat, num, PyTuple, pystr, pyType, repr, truthy, tuple } from './py.js'
import { binop } from './py-arith.js'
import { callMethod } from './py-methods.js'
import { PyRandom, systemRandom } from './py-random.js'
import { strict, templateError, Undef } from './undefined.js'

const inList = (l: unknown[], x: unknown) => l.some((y) => eq(x, y))
/** Order-keeping dedup by Python ==. */
const uniq = (l: unknown[]) => l.filter((x, i) => l.findIndex((y) => eq(x, y)) === i)
const isScalar = (v: unknown) => v === null || typeof v !== 'object' || v instanceof PyTuple

/**
 * `x in b` as mathstuff's intersect and difference ask it: of two hashables, set members (a
 * string's characters); with a list, Python's `in`, so a string b is searched for x as a substring
 * (geerlingguy.certbot: `domains | difference("a.com www.a.com")` is empty).
 */
function member(a: unknown, b: unknown): (x: unknown) => boolean {
  if (typeof b !== 'string' || isScalar(a)) {
    const items = iterate(b)
    return (x) => inList(items, x)
  }
  return (x) => {
    if (typeof x !== 'string') throw templateError(`'in <string>' requires string as left operand, not ${pyType(x)}`)
    return b.includes(x)
  }
}

/**
 * mathstuff's union: of two hashables (strings, tuples) their sets' members; else `a + b` as Python
 * adds them (a list and a string refused with Python's words), without repeats.
 */
function union(a: unknown, b: unknown): unknown[] {
  if (isScalar(a) && isScalar(b)) return uniq([...iterate(a), ...iterate(b)])
  return uniq(binop('+', a, b) as unknown[])
}

/** Ansible's unique: Jinja's (case-insensitive for strings unless told) for hashable items, == otherwise. */
function unique(v: unknown, caseSensitive: unknown, attribute: unknown): unknown[] {
  const items = iterate(v)
  if (attribute === null && caseSensitive !== false && !items.every(isScalar)) return uniq(items)
  const key = attrGetter(attribute, truthy(caseSensitive) ? undefined : ignoreCase)
  const seen: unknown[] = []
  return items.filter((x) => {
    const k = key(x)
    if (!isScalar(k)) throw templateError(`unhashable type: '${pyType(k)}'`)
    if (inList(seen, k)) return false
    seen.push(k)
    return true
  })
}

export function mergeHash(x: Record<string, unknown>, y: Record<string, unknown>, recursive: boolean, listMerge: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...x }
  for (const [k, yv] of Object.entries(y)) {
    if (!Object.hasOwn(out, k)) {
      out[k] = yv
      continue
    }
    const xv = out[k]
    if (isMapping(xv) && isMapping(yv)) out[k] = recursive ? mergeHash(xv, yv, recursive, listMerge) : yv
    else if (Array.isArray(xv) && Array.isArray(yv) && !(xv instanceof PyTuple) && !(yv instanceof PyTuple)) {
      if (listMerge === 'replace') out[k] = yv
      else if (listMerge === 'append') out[k] = [...xv, ...yv]
      else if (listMerge === 'prepend') out[k] = [...yv, ...xv]
      else if (listMerge === 'append_rp') out[k] = [...xv.filter((z) => !inList(yv, z)), ...yv]
      else if (listMerge === 'prepend_rp') out[k] = [...yv, ...xv.filter((z) => !inList(yv, z))]
      // 'keep': x's list stays
    } else out[k] = yv
  }
  return out
}

/** Ansible's flatten: nulls dropped (None, 'None', 'null'), levels counted down. */
function flatten(l: unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = []
  for (const x of l) {
    if (skipNulls && (x === null || x === undefined || x === 'None' || x === 'null')) continue
    if (Array.isArray(x)) {
      if (levels === null) out.push(...flatten(x, null, skipNulls))
      else if (levels >= 1) out.push(...flatten(x, levels - 1, skipNulls))
      else out.push(x)
    } else out.push(x)
  }
  return out
}

function subelements(obj: unknown, path: unknown, skipMissing: boolean): unknown[] {
  const elements = isMapping(obj) ? Object.values(obj) : Array.isArray(obj) ? obj : undefined
  if (!elements) throw templateError('obj must be a list of dicts or a nested dict')
  const keys = Array.isArray(path) ? path : typeof path === 'string' ? path.split('.') : undefined
  if (!keys) throw templateError('subelements must be a list or a string')
  const out: unknown[] = []
  for (const el of elements) {
    let values: unknown = el
    for (const k of keys) {
      if (!isMapping(values)) throw templateError(`the key ${pystr(k)} should point to a dictionary, got '${pystr(values)}'`)
      if (!Object.hasOwn(values, String(k))) {
        if (skipMissing) {
          values = []
          break
        }
        throw templateError(`could not find ${repr(k)} key in iterated item ${repr(values)}`)
      }
      values = values[String(k)]
    }
    if (!Array.isArray(values)) throw templateError(`the key ${repr(keys[keys.length - 1])} should point to a list, got ${repr(values)}`)
    for (const v of values) out.push(tuple([el, v]))
  }
  return out
}

function product(lists: unknown[][], repeat: number): unknown[] {
  const pools: unknown[][] = []
  for (let r = 0; r < repeat; r++) pools.push(...lists)
  let result: unknown[][] = [[]]
  for (const pool of pools) result = result.flatMap((prefix) => pool.map((x) => [...prefix, x]))
  return result.map((r) => tuple(r))
}

function permutations(pool: unknown[], r: number): unknown[] {
  const out: unknown[] = []
  const pick = (prefix: number[]) => {
    if (prefix.length === r) {
      out.push(tuple(prefix.map((i) => pool[i])))
      return
    }
    for (let i = 0; i < pool.length; i++) if (!prefix.includes(i)) pick([...prefix, i])
  }
  if (r <= pool.length) pick([])
  return out
}

function combinations(pool: unknown[], r: number): unknown[] {
  const out: unknown[] = []
  const pick = (start: number, prefix: unknown[]) => {
    if (prefix.length === r) {
      out.push(tuple(prefix))
      return
    }
    for (let i = start; i < pool.length; i++) pick(i + 1, [...prefix, pool[i]])
  }
  if (r <= pool.length) pick(0, [])
  return out
}

const SIZE_RANGES: Array<[string, number]> = [
  ['Y', 2 ** 80],
  ['Z', 2 ** 70],
  ['E', 2 ** 60],
  ['P', 2 ** 50],
  ['T', 2 ** 40],
  ['G', 2 ** 30],
  ['M', 2 ** 20],
  ['K', 2 ** 10],
  ['B', 1],
]

function humanReadable(size: number, isbits: boolean, unit: unknown): string {
  const base = isbits ? 'bits' : 'Bytes'
  // SIZE_RANGES is a non-empty constant and the loop always assigns; this only seeds the types.
  let [suffix, limit] = SIZE_RANGES[SIZE_RANGES.length - 1]!
  for (const [s, l] of SIZE_RANGES) {
    ;[suffix, limit] = [s, l]
    if ((unit === null && size >= l) || (unit !== null && String(unit).toUpperCase() === s[0])) break
  }
  const label = limit !== 1 ? suffix + base[0] : base
  return `${formatFloat(size / limit, 'f', 2)} ${label}`
}

function humanToBytes(input: unknown, defaultUnit: unknown, isbits: boolean): number {
  const text = pystr(input)
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(text)
  const fail = () => templateError(`human_to_bytes() can't interpret following string: ${text}`)
  if (!m || m[1] === '' || m[1] === '.') throw fail()
  const n = Number(m[1])
  const unit = m[2] ?? (defaultUnit === null ? undefined : String(defaultUnit))
  if (unit === undefined) return Math.round(n)
  const range = SIZE_RANGES.find(([s]) => s === unit[0]?.toUpperCase())
  if (!range) throw fail()
  const cls = isbits ? 'b' : 'B'
  if (unit.length > 1 && !unit.toLowerCase().includes(isbits ? 'bit' : 'byte') && unit[1] !== cls) throw fail()
  return Math.round(n * range[1])
}

function rekeyOnMember(data: unknown, key: unknown, duplicates: unknown): Record<string, unknown> {
  if (duplicates !== 'error' && duplicates !== 'overwrite')
    throw templateError(`duplicates parameter to rekey_on_member has unknown value: ${pystr(duplicates)}`)
  const items = isMapping(data) ? Object.values(data) : Array.isArray(data) ? data : undefined
  if (!items) throw templateError('Type is not a valid list, set, or dict')
  if (key === undefined) throw templateError("rekey_on_member() missing 1 required positional argument: 'key'")
  if (isMapping(key) || Array.isArray(key)) throw templateError(`unhashable type: '${pyType(key)}'`)
  const out: Record<string, unknown> = {}
  for (const item of items) {
    if (!isMapping(item)) throw templateError('List item is not a valid dict')
    const k = pystr(key)
    if (!Object.hasOwn(item, k)) throw templateError(`Key ${k} was not found`)
    const newKey = pystr(item[k])
    if (Object.hasOwn(out, newKey) && duplicates === 'error') throw templateError(`Key ${newKey} is not unique, cannot correctly turn into dict`)
    out[newKey] = item
  }
  return out
}

const numeric = (name: string, v: unknown): number => {
  const n = num(v)
  if (n === undefined) throw templateError(`${name}() can only be used on numbers: must be real number, not ${pyType(v)}`)
  return n
}

export const collectionFilters: Record<string, Filter> = {
  unique: (v, args, kw) => unique(v, arg<unknown>(args, kw, 0, 'case_sensitive', null), arg<unknown>(args, kw, 1, 'attribute', null)),
  union: (v, args) => union(v, args[0]),
  intersect: (v, args) => {
    const has = member(v, args[0])
    return uniq(iterate(v).filter((x) => has(x)))
  },
  difference: (v, args) => {
    const has = member(v, args[0])
    return uniq(iterate(v).filter((x) => !has(x)))
  },
  symmetric_difference: (v, args) => {
    if (isScalar(v) && isScalar(args[0])) {
      const [a, b] = [iterate(v), iterate(args[0])]
      return uniq([...a, ...b]).filter((x) => !(inList(a, x) && inList(b, x)))
    }
    const has = member(v, args[0])
    const isect = iterate(v).filter((x) => has(x))
    return union(v, args[0]).filter((x) => !inList(isect, x))
  },
  combine: (v, args, kw) => {
    const { recursive = false, list_merge: listMerge = 'replace', ...rest } = kw
    if (Object.keys(rest).length) throw templateError("'recursive' and 'list_merge' are the only valid keyword arguments")
    if (!['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'].includes(String(listMerge)))
      throw templateError("merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'")
    const dicts = flatten([v, ...args], 1, true)
    for (const d of dicts) {
      strict(d)
      expect('combine', isMapping(d), 'dicts', d)
    }
    if (!dicts.length) return {}
    return (dicts as Record<string, unknown>[]).reduce((a, b) => mergeHash(a, b, truthy(recursive), String(listMerge)))
  },
  dict2items: (v, args, kw) => {
    if (!isMapping(v)) throw templateError(`dict2items requires a dictionary, got ${pyType(v)} instead.`)
    const kn = pystr(arg(args, kw, 0, 'key_name', 'key'))
    const vn = pystr(arg(args, kw, 1, 'value_name', 'value'))
    return Object.entries(v).map(([k, x]) => ({ [kn]: k, [vn]: x }))
  },
  items2dict: (v, args, kw) => {
    if (!Array.isArray(v)) throw templateError(`items2dict requires a list, got ${pyType(v)} instead.`)
    const kn = arg<unknown>(args, kw, 0, 'key_name', 'key')
    const vn = arg<unknown>(args, kw, 1, 'value_name', 'value')
    const out: Record<string, unknown> = {}
    for (const i of v) {
      // item[key_name]: a dict's key, or a list's / tuple's index
      const [k, x] = [getitem(i, kn), getitem(i, vn)]
      if (k instanceof Undef || x instanceof Undef) {
        // Python's item[key]: a KeyError from a mapping, a TypeError from anything else; both messages show the whole list
        const need = isMapping(i) ? `each dictionary in the list to contain the keys '${pystr(kn)}' and '${pystr(vn)}'` : 'a list of dictionaries'
        throw templateError(`items2dict requires ${need}, got ${repr(v)} instead.`)
      }
      out[pystr(k)] = x
    }
    return out
  },
  flatten: (v, args, kw) => {
    const levels = arg<unknown>(args, kw, 0, 'levels', null)
    return flatten(iterate(v), levels === null ? null : Number(levels), truthy(arg(args, kw, 1, 'skip_nulls', true)))
  },
  subelements: (v, args, kw) => subelements(v, arg(args, kw, 0, 'subelements', undefined), truthy(arg(args, kw, 1, 'skip_missing', false))),
  extract: (v, args, kw) => {
    const container = arg<unknown>(args, kw, 0, 'container', undefined)
    const more = arg<unknown>(args, kw, 1, 'morekeys', null)
    const keys = more === null ? [v] : Array.isArray(more) ? [v, ...more] : [v, more]
    return keys.reduce((acc: unknown, k) => getitem(acc, k), container)
  },
  zip: (v, args) => {
    const lists = [iterate(v), ...args.map(iterate)]
    const n = Math.min(...lists.map((l) => l.length))
    return Array.from({ length: n }, (_x, i) => tuple(lists.map((l) => l[i])))
  },
  zip_longest: (v, args, kw) => {
    const lists = [iterate(v), ...args.map(iterate)]
    const fill = Object.hasOwn(kw, 'fillvalue') ? kw.fillvalue : null
    const n = Math.max(...lists.map((l) => l.length))
    return Array.from({ length: n }, (_x, i) => tuple(lists.map((l) => (i < l.length ? l[i] : fill))))
  },
  product: (v, args, kw) => product([iterate(v), ...args.map(iterate)], Number(kw.repeat ?? 1)),
  permutations: (v, args, kw) => {
    const pool = iterate(v)
    const r = arg<unknown>(args, kw, 0, 'r', null)
    return permutations(pool, r === null ? pool.length : Number(r))
  },
  combinations: (v, args, kw) => combinations(iterate(v), Number(arg(args, kw, 0, 'r', undefined))),
  rekey_on_member: (v, args, kw) => rekeyOnMember(v, arg(args, kw, 0, 'key', undefined), arg(args, kw, 1, 'duplicates', 'error')),
  random: (v, args, kw) => {
    const start = arg<unknown>(args, kw, 0, 'start', null)
    const step = arg<unknown>(args, kw, 1, 'step', null)
    const seed = arg<unknown>(args, kw, 2, 'seed', null)
    const r = seed === null ? systemRandom : new PyRandom(seed)
    if (typeof v === 'number' && Number.isInteger(v)) return r.randrange(truthy(start) ? Number(start) : 0, v, truthy(step) ? Number(step) : 1)
    if (typeof v === 'string' || Array.isArray(v) || isMapping(v)) {
      if (truthy(start) || truthy(step)) throw templateError('start and step can only be used with integer values')
      const items = iterate(v)
      if (!items.length) throw templateError('Cannot choose from an empty sequence')
      return items[r.randbelow(items.length)]
    }
    throw templateError('random can only be used on sequences and integers')
  },
  shuffle: (v, args, kw) => {
    const seed = arg<unknown>(args, kw, 0, 'seed', null)
    const items = [...iterate(v)]
    ;(truthy(seed) ? new PyRandom(seed) : systemRandom).shuffle(items)
    return items
  },
  log: (v, args, kw) => {
    const x = numeric('log', v)
    const base = arg<unknown>(args, kw, 0, 'base', null)
    if (x <= 0) throw templateError('math domain error')
    if (base === null) return mkFloat(Math.log(x))
    const b = numeric('log', base)
    return mkFloat(b === 10 ? Math.log10(x) : Math.log(x) / Math.log(b))
  },
  pow: (v, args) => mkFloat(numeric('pow', v) ** numeric('pow', args[0])),
  root: (v, args, kw) => {
    const x = numeric('root', v)
    const base = numeric('root', arg(args, kw, 0, 'base', 2))
    if (x < 0) throw templateError('root() can only be used on numbers: math domain error')
    return mkFloat(base === 2 ? Math.sqrt(x) : x ** (1 / base))
  },
  human_readable: (v, args, kw) => {
    const n = num(v) ?? num(Number(pystr(v)))
    if (n === undefined || Number.isNaN(n)) throw templateError(`human_readable() can't interpret following string: ${pystr(v)}`)
    return humanReadable(n, truthy(arg(args, kw, 0, 'isbits', false)), arg<unknown>(args, kw, 1, 'unit', null))
  },
  human_to_bytes: (v, args, kw) => humanToBytes(v, arg<unknown>(args, kw, 0, 'default_unit', null), truthy(arg(args, kw, 1, 'isbits', false))),
  split: (v, args, kw) => callMethod(pystr(v), 'split', [arg(args, kw, 0, 'sep', null), arg(args, kw, 1, 'maxsplit', -1)]),
}
