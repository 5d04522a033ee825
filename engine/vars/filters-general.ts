/**
 * community.general's filters, by FQCN (json_query and random_mac also by their short names, as
 * Ansible routes them: filters.ts). Each behaves as the collection's Python does, its errors
 * included (recorded in test/fixtures/jinja/cases.yml).
 */
import { crc32 } from 'node:zlib'
import jmespath from 'jmespath'
import { arg, type Filter } from './filter-types.js'
import { mergeHash } from './filters-collections.js'
import { iterate } from './jinja/runtime.js'
import { csvRows } from './lookups/csv-read.js'
import { eq, isMapping, mkFloat, PyFloat, PyObj, PyTuple, pystr, pyType, repr, truthy } from './py.js'
import { PyRandom, systemRandom } from './py-random.js'
import { loose } from './py-version.js'
import { templateError } from './undefined.js'

const GENERAL = 'community.general.'

/** What jmespath sees: JSON data (a Python float as a number, a tuple as a list). */
function jsonData(v: unknown): unknown {
  if (v instanceof PyFloat) return v.v
  if (v instanceof PyObj) return pystr(v)
  if (Array.isArray(v)) return v.map(jsonData)
  if (isMapping(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonData(x)]))
  return v
}

function jsonQuery(data: unknown, expr: unknown): unknown {
  try {
    return jmespath.search(jsonData(data) as Parameters<typeof jmespath.search>[0], pystr(expr))
  } catch (e) {
    throw templateError(`JMESPathError in json_query filter plugin:\n${(e as Error).message}`)
  }
}

/** Python's dict(): from pairs. */
function dictOf(pairs: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  iterate(pairs).forEach((p, i) => {
    const kv = typeof p === 'string' ? [...p] : iterate(p)
    if (kv.length !== 2) throw templateError(`dictionary update sequence element #${i} has length ${kv.length}; 2 is required`)
    out[pystr(kv[0])] = kv[1]
  })
  return out
}

function counter(seq: unknown): Record<string, number> {
  if (typeof seq !== 'string' && !Array.isArray(seq))
    throw templateError(`Argument for community.general.counter must be a sequence (string or list). ${pystr(seq)} is <class '${pyType(seq)}'>`)
  const out: Record<string, number> = {}
  for (const x of typeof seq === 'string' ? [...seq] : seq) {
    if (x !== null && typeof x === 'object' && !(x instanceof PyTuple))
      throw templateError(`community.general.counter needs a sequence with hashable elements (int, float or str) - unhashable type: '${pyType(x)}'`)
    const k = pystr(x)
    out[k] = (out[k] ?? 0) + 1
  }
  return out
}

function groupbyAsDict(seq: unknown, attribute: unknown): Record<string, unknown> {
  if (!Array.isArray(seq)) throw templateError('Input is not a sequence')
  const out: Record<string, unknown> = {}
  seq.forEach((el, i) => {
    if (!isMapping(el)) throw templateError(`Sequence element #${i} is not a mapping`)
    const key = pystr(attribute)
    if (!Object.hasOwn(el, key)) throw templateError(`Attribute not contained in element #${i} of sequence`)
    const at = pystr(el[key])
    if (Object.hasOwn(out, at)) throw templateError(`Multiple sequence entries have attribute value ${repr(el[key])}`)
    out[at] = el
  })
  return out
}

/** lists_mergeby(list1, list2, ..., index): merged by `index`, later lists winning, sorted by it. */
function listsMergeby(value: unknown, args: unknown[], kw: Record<string, unknown>): unknown {
  const extra = Object.keys(kw).filter((k) => k !== 'recursive' && k !== 'list_merge')
  if (extra.length) throw templateError("'recursive' and 'list_merge' are the only valid keyword arguments.")
  const terms = [value, ...args]
  if (terms.length < 2) throw templateError('At least one list and index are needed.')
  const lists: unknown[][] = []
  for (const sub of terms.slice(0, -1)) {
    if (!Array.isArray(sub))
      throw templateError(
        `All arguments before the argument index for community.general.lists_mergeby must be lists. ${pystr(sub)} is <class '${pyType(sub)}'>`,
      )
    // [list1, list2] | lists_mergeby('index') is the lists themselves
    if (sub.length && sub.every((l) => Array.isArray(l) || typeof l === 'string')) lists.push(...(sub as unknown[][]))
    else if (sub.length) lists.push(sub)
  }
  if (!lists.length) return []
  if (lists.length === 1) return lists[0]
  const index = terms[terms.length - 1]
  if (typeof index !== 'string')
    throw templateError(`First argument after the lists for community.general.lists_mergeby must be string. ${pystr(index)} is <class '${pyType(index)}'>`)
  const recursive = truthy(kw.recursive ?? false)
  const listMerge = pystr(kw.list_merge ?? 'replace')
  return lists.reduceRight((result, list) => mergeBy(list, result, index, recursive, listMerge))
}

function mergeBy(x: unknown[], y: unknown[], index: string, recursive: boolean, listMerge: string): unknown[] {
  const byIndex = new Map<string, { key: unknown; merged: Record<string, unknown> }>()
  for (const el of [...x, ...y]) {
    if (!isMapping(el)) throw templateError(`Elements of list arguments for lists_mergeby must be dictionaries. ${pystr(el)} is <class '${pyType(el)}'>`)
    if (!Object.hasOwn(el, index)) continue
    const k = repr(el[index])
    const entry = byIndex.get(k) ?? { key: el[index], merged: {} }
    entry.merged = mergeHash(entry.merged, el, recursive, listMerge)
    byIndex.set(k, entry)
  }
  return [...byIndex.values()].sort((a, b) => (eq(a.key, b.key) ? 0 : pyLess(a.key, b.key) ? -1 : 1)).map((e) => e.merged)
}

const pyLess = (a: unknown, b: unknown): boolean => {
  if (typeof a === typeof b && (typeof a === 'string' || typeof a === 'number')) return (a as string | number) < (b as string | number)
  throw templateError(`'<' not supported between instances of '${pyType(b)}' and '${pyType(a)}'`)
}

function randomMac(value: unknown, seed: unknown): string {
  if (typeof value !== 'string') throw templateError(`Invalid value type (<class '${pyType(value)}'>) for random_mac (${pystr(value)})`)
  const prefix = value.toLowerCase()
  const items = prefix.split(':')
  if (items.length > 5) throw templateError(`Invalid value (${prefix}) for random_mac: 5 colon(:) separated items max`)
  const err = items
    .map((m) => (!m ? 'empty item' : /^[a-f0-9]{2}/.test(m) ? '' : `${m} not hexa byte`))
    .filter(Boolean)
    .join(',')
  if (err) throw templateError(`Invalid value (${prefix}) for random_mac: ${err}`)
  // Python's randint(0x1000000000, 0xFFFFFFFFFF), as hex, its first digits completing the prefix
  const lo = 68719476736
  const hi = 1099511627775
  const v = seed === null || seed === undefined ? lo + systemRandom.randbelow(hi - lo + 1) : new PyRandom(seed).randrange(lo, hi + 1, 1)
  const rest = v.toString(16).slice(0, 2 * (6 - items.length))
  return prefix + rest.replace(/(..)/g, ':$1')
}

const UNIT_FACTORS: Record<string, number[]> = {
  ms: [],
  s: [1000],
  m: [1000, 60],
  h: [1000, 60, 60],
  d: [1000, 60, 60, 24],
  w: [1000, 60, 60, 24, 7],
  mo: [1000, 60, 60, 24, 30],
  y: [1000, 60, 60, 24, 365],
}
const SHORT_UNIT: Record<string, string> = {
  millisecond: 'ms',
  msec: 'ms',
  msecond: 'ms',
  sec: 's',
  second: 's',
  hour: 'h',
  min: 'm',
  minute: 'm',
  day: 'd',
  week: 'w',
  month: 'mo',
  year: 'y',
}
const product = (fs: number[]) => fs.reduce((a, b) => a * b, 1)
const shortUnit = (u: string) => SHORT_UNIT[u.replace(/s+$/, '')] ?? u

/** to_time_unit('1h 30m', 's'): a human duration in a unit (a float, as Python's division gives). */
function toTimeUnit(human: unknown, unit: string, kw: Record<string, unknown>): unknown {
  const text = pystr(human)
  if (text === '0') return 0
  const target = shortUnit(unit)
  const factors: Record<string, number[]> = { ...UNIT_FACTORS }
  if (!Object.hasOwn(factors, target))
    throw templateError(
      `to_time_unit() can not convert to the following unit: ${target}. Available units (singular or plural): ${Object.keys(SHORT_UNIT).join(', ')}. Available short units: ${Object.keys(UNIT_FACTORS).join(', ')}`,
    )
  const { year, month, ...rest } = kw
  if (year !== undefined) factors.y = [...factors.y!.slice(0, -1), Number(year)]
  if (month !== undefined) factors.mo = [...factors.mo!.slice(0, -1), Number(month)]
  if (Object.keys(rest).length) throw templateError(`to_time_unit() got unknown keyword arguments: ${Object.keys(rest).join(', ')}`)
  let ms = 0
  for (const part of text.split(/\s+/).filter(Boolean)) {
    const m = /^(-?\d+)(\w+)/.exec(part)
    const u = m ? shortUnit(m[2]!) : ''
    if (!m || !Object.hasOwn(factors, u)) throw templateError(`to_time_unit() can not interpret following string: ${text}`)
    ms += Number(m[1]) * product(factors[u]!)
  }
  return mkFloat(Number((ms / product(factors[target]!)).toFixed(12)))
}

function fromCsv(data: unknown, kw: Record<string, unknown>, args: unknown[]): Record<string, unknown>[] {
  const dialect = pystr(arg(args, kw, 0, 'dialect', 'excel'))
  if (!['excel', 'excel-tab', 'unix'].includes(dialect)) throw templateError(`Dialect "${dialect}" is not supported by your version of python.`)
  for (const k of ['skipinitialspace', 'strict'])
    if (truthy(kw[k] ?? false)) throw templateError(`from_csv: ${k} is not supported by acplay (the excel and unix dialects' reading is)`)
  const delimiter = kw.delimiter !== undefined && kw.delimiter !== null ? pystr(kw.delimiter) : dialect === 'excel-tab' ? '\t' : ','
  const rows = csvRows(pystr(data), delimiter).filter((r) => r.length > 0)
  const given = arg<unknown>(args, kw, 1, 'fieldnames', null)
  const names = given === null ? (rows.shift() ?? []) : iterate(given).map(pystr)
  // csv.DictReader: a short row's missing fields are None
  return rows.map((r) => Object.fromEntries(names.map((n, i) => [n, i < r.length ? r[i] : null])))
}

const timeUnit =
  (unit: string): Filter =>
  (v, _args, kw) =>
    toTimeUnit(v, unit, kw)

export const generalFilters: Record<string, Filter> = {
  [`${GENERAL}json_query`]: (v, args, kw) => jsonQuery(v, arg(args, kw, 0, 'expr', '')),
  [`${GENERAL}dict`]: (v) => dictOf(v),
  [`${GENERAL}dict_kv`]: (v, args, kw) => ({ [pystr(arg(args, kw, 0, 'key', null))]: v }),
  [`${GENERAL}counter`]: (v) => counter(v),
  [`${GENERAL}groupby_as_dict`]: (v, args, kw) => groupbyAsDict(v, arg(args, kw, 0, 'attribute', null)),
  [`${GENERAL}lists_mergeby`]: listsMergeby,
  [`${GENERAL}version_sort`]: (v, args, kw) => {
    const reverse = truthy(arg(args, kw, 0, 'reverse', false))
    return [...iterate(v)].sort((a, b) => (reverse ? -1 : 1) * loose(pystr(a), pystr(b)))
  },
  [`${GENERAL}unicode_normalize`]: (v, args, kw) => {
    if (typeof v !== 'string') throw templateError(`<class '${pyType(v)}'> is not a valid input type`)
    const form = pystr(arg(args, kw, 0, 'form', 'NFC'))
    if (!['NFC', 'NFD', 'NFKC', 'NFKD'].includes(form)) throw templateError(`${form} is not a valid form`)
    return v.normalize(form)
  },
  [`${GENERAL}crc32`]: (v) => {
    if (typeof v !== 'string') throw templateError(`Invalid value type (<class '${pyType(v)}'>) for crc32 (${repr(v)})`)
    return crc32(Buffer.from(v, 'utf8')).toString(16)
  },
  [`${GENERAL}random_mac`]: (v, args, kw) => randomMac(v, arg(args, kw, 0, 'seed', null)),
  [`${GENERAL}from_csv`]: (v, args, kw) => fromCsv(v, kw, args),
  [`${GENERAL}to_time_unit`]: (v, args, kw) => {
    const { unit, ...rest } = kw
    return toTimeUnit(v, pystr(args[0] ?? unit ?? 'ms'), rest)
  },
  [`${GENERAL}to_milliseconds`]: timeUnit('ms'),
  [`${GENERAL}to_seconds`]: timeUnit('s'),
  [`${GENERAL}to_minutes`]: timeUnit('m'),
  [`${GENERAL}to_hours`]: timeUnit('h'),
  [`${GENERAL}to_days`]: timeUnit('d'),
  [`${GENERAL}to_weeks`]: timeUnit('w'),
  [`${GENERAL}to_months`]: timeUnit('mo'),
  [`${GENERAL}to_years`]: timeUnit('y'),
}
