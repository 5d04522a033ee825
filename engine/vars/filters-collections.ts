/** Filters on lists and dicts: join, sort, map/select, dict2items, combine, set operations. */
import { arg, expect, type Filter, type FilterCtx } from './filter-types.js'
import { cmp, eq, isMapping, pystr, truthy } from './py.js'
import { pyMethod } from './py-methods.js'
import { Undef, templateError } from './undefined.js'

/** Python list(): a dict gives its keys, a string its characters. */
export function toList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v
  if (typeof v === 'string') return [...v]
  if (isMapping(v)) return Object.keys(v)
  if (v !== null && typeof v === 'object' && Symbol.iterator in v) return [...(v as Iterable<unknown>)]
  throw templateError(`'${pystr(v)}' is not iterable`)
}

/** `attribute='a.b.0'`, as Jinja's make_attrgetter; a missing step is undefined. */
function getAttr(item: unknown, path: unknown): unknown {
  let cur = item
  for (const step of String(path).split('.')) {
    if (Array.isArray(cur) && /^\d+$/.test(step)) cur = cur[Number(step)]
    else if (isMapping(cur) && Object.hasOwn(cur, step)) cur = cur[step]
    else return new Undef(String(path), `an item has no attribute '${step}'`)
  }
  return cur
}

const unique = (l: unknown[]) => l.filter((x, i) => l.findIndex((y) => eq(x, y)) === i)
const inList = (l: unknown[], x: unknown) => l.some((y) => eq(x, y))

function sortKey(caseSensitive: boolean) {
  return (v: unknown) => (!caseSensitive && typeof v === 'string' ? v.toLowerCase() : v)
}

/** select/reject/selectattr/rejectattr share this: a test name plus args, or plain truthiness. */
function selector(ctx: FilterCtx, args: unknown[], attr: boolean, keep: boolean) {
  const [test, ...rest] = attr ? args.slice(1) : args
  return (item: unknown) => {
    const v = attr ? getAttr(item, args[0]) : item
    const ok = test === undefined ? truthy(v) : ctx.test(String(test))(v, ...rest)
    return ok === keep
  }
}

function mergeDicts(a: Record<string, unknown>, b: Record<string, unknown>, recursive: boolean, listMerge: string) {
  const out: Record<string, unknown> = { ...a }
  for (const [k, v] of Object.entries(b)) {
    const old = out[k]
    if (recursive && isMapping(old) && isMapping(v)) out[k] = mergeDicts(old, v, recursive, listMerge)
    else if (Array.isArray(old) && Array.isArray(v) && listMerge !== 'replace') {
      if (listMerge === 'keep') out[k] = old
      else if (listMerge === 'append') out[k] = [...old, ...v]
      else if (listMerge === 'prepend') out[k] = [...v, ...old]
      else if (listMerge === 'append_rp') out[k] = [...old.filter((x) => !inList(v, x)), ...v]
      else if (listMerge === 'prepend_rp') out[k] = [...v, ...old.filter((x) => !inList(v, x))]
      else throw templateError(`combine: unknown list_merge '${listMerge}'`)
    } else out[k] = v
  }
  return out
}

function flatten(l: unknown[], levels: number | null): unknown[] {
  return l.flatMap((x) => (Array.isArray(x) && levels !== 0 ? flatten(x, levels === null ? null : levels - 1) : x === null ? [] : [x]))
}

export const collectionFilters: Record<string, Filter> = {
  join: (v, args, kw) => {
    const attr = arg<string | null>(args, kw, 1, 'attribute', null)
    return toList(v)
      .map((x) => pystr(attr === null ? x : getAttr(x, attr)))
      .join(pystr(arg(args, kw, 0, 'd', '')))
  },
  first: (v) => (toList(v).length ? toList(v)[0] : new Undef('first', 'the sequence is empty')),
  last: (v) => (toList(v).length ? toList(v).at(-1) : new Undef('last', 'the sequence is empty')),
  length: (v) => (isMapping(v) ? Object.keys(v).length : toList(v).length),
  list: (v) => [...toList(v)],
  unique: (v, args, kw) => {
    const attr = arg<string | null>(args, kw, 1, 'attribute', null)
    const l = toList(v)
    if (attr === null) return unique(l)
    return l.filter((x, i) => l.findIndex((y) => eq(getAttr(x, attr), getAttr(y, attr))) === i)
  },
  sort: (v, args, kw) => {
    const reverse = truthy(arg(args, kw, 0, 'reverse', false))
    const key = sortKey(truthy(arg(args, kw, 1, 'case_sensitive', false)))
    const attr = arg<string | null>(args, kw, 2, 'attribute', null)
    const get = (x: unknown) => key(attr === null ? x : getAttr(x, attr))
    const sorted = [...toList(v)].sort((a, b) => cmp(get(a), get(b)))
    return reverse ? sorted.reverse() : sorted
  },
  reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...toList(v)].reverse()),
  map: (v, args, kw, ctx) => {
    const l = toList(v)
    if (Object.hasOwn(kw, 'attribute')) {
      return l.map((x) => {
        const r = getAttr(x, kw.attribute)
        return r instanceof Undef && Object.hasOwn(kw, 'default') ? kw.default : r
      })
    }
    if (!args.length) throw templateError('map: give a filter name or attribute=')
    const f = ctx.filter(String(args[0]))
    return l.map((x) => f(x, ...args.slice(1)))
  },
  select: (v, args, _kw, ctx) => toList(v).filter(selector(ctx, args, false, true)),
  reject: (v, args, _kw, ctx) => toList(v).filter(selector(ctx, args, false, false)),
  selectattr: (v, args, _kw, ctx) => toList(v).filter(selector(ctx, args, true, true)),
  rejectattr: (v, args, _kw, ctx) => toList(v).filter(selector(ctx, args, true, false)),
  dict2items: (v, args, kw) => {
    expect('dict2items', isMapping(v), 'a dict', v)
    const kn = String(arg(args, kw, 0, 'key_name', 'key'))
    const vn = String(arg(args, kw, 1, 'value_name', 'value'))
    return Object.entries(v as Record<string, unknown>).map(([k, x]) => ({ [kn]: k, [vn]: x }))
  },
  items2dict: (v, args, kw) => {
    const kn = String(arg(args, kw, 0, 'key_name', 'key'))
    const vn = String(arg(args, kw, 1, 'value_name', 'value'))
    return Object.fromEntries(
      toList(v).map((i) => {
        if (!isMapping(i) || !Object.hasOwn(i, kn) || !Object.hasOwn(i, vn)) throw templateError(`items2dict: each item needs '${kn}' and '${vn}'`)
        return [pystr(i[kn]), i[vn]]
      }),
    )
  },
  combine: (v, args, kw) => {
    const dicts = [...(Array.isArray(v) ? v : [v]), ...args.flatMap((a) => (Array.isArray(a) ? a : [a]))]
    for (const d of dicts) expect('combine', isMapping(d), 'dicts', d)
    const rec = truthy(kw.recursive ?? false)
    const lm = String(kw.list_merge ?? 'replace')
    return (dicts as Record<string, unknown>[]).reduce((a, b) => mergeDicts(a, b, rec, lm), {})
  },
  items: (v) => (isMapping(v) ? Object.entries(v) : toList(v)),
  flatten: (v, args, kw) => flatten(toList(v), arg<number | null>(args, kw, 0, 'levels', null)),
  min: (v) => toList(v).reduce((a, b) => (cmp(b, a) < 0 ? b : a)),
  max: (v) => toList(v).reduce((a, b) => (cmp(b, a) > 0 ? b : a)),
  sum: (v, args, kw) => {
    const attr = arg<string | null>(args, kw, 0, 'attribute', null)
    return toList(v).reduce((a: number, b) => a + Number(attr === null ? b : getAttr(b, attr)), Number(arg(args, kw, 1, 'start', 0)))
  },
  union: (v, args) => unique([...toList(v), ...toList(args[0])]),
  intersect: (v, args) => unique(toList(v).filter((x) => inList(toList(args[0]), x))),
  difference: (v, args) => unique(toList(v).filter((x) => !inList(toList(args[0]), x))),
  symmetric_difference: (v, args) => {
    const a = toList(v)
    const b = toList(args[0])
    return unique([...a.filter((x) => !inList(b, x)), ...b.filter((x) => !inList(a, x))])
  },
  zip: (v, args) => {
    const lists = [toList(v), ...args.map(toList)]
    return lists[0]!.slice(0, Math.min(...lists.map((l) => l.length))).map((_x, i) => lists.map((l) => l[i]))
  },
  split: (v, args, kw) => pyMethod(pystr(v), 'split')!(arg(args, kw, 0, 'sep', null), arg(args, kw, 1, 'maxsplit', -1)),
  extract: (v, args) => {
    let r = (args[0] as Record<string, unknown>)?.[String(v)]
    for (const k of Array.isArray(args[1]) ? args[1] : args.length > 1 ? [args[1]] : []) r = (r as Record<string, unknown>)?.[String(k)]
    return r === undefined ? new Undef(String(v), 'extract: not found') : r
  },
}
collectionFilters.count = collectionFilters.length!
