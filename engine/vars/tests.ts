/** Jinja and Ansible tests (`x is defined`, `result is changed`, `v is version('2.0', '>=')`). */
import { arg, type Test } from './filter-types.js'
import { compare, eq, isMapping, pyIn, pystr, pyType, truthy } from './py.js'
import { pyRegex } from './py-regex.js'
import { isUndef, templateError } from './undefined.js'

/** Task-result tests need a registered result; a loop's result counts if any item does. */
function resultFlag(test: string, flag: 'changed' | 'failed' | 'skipped') {
  return (v: unknown): boolean => {
    if (!isMapping(v)) throw templateError(`the '${test}' test expects a registered task result (a dict), got ${pyType(v)}`)
    if (truthy(v[flag] ?? false)) return true
    if (flag !== 'skipped' && Array.isArray(v.results)) return v.results.some((r) => isMapping(r) && truthy(r[flag] ?? false))
    return false
  }
}

/** LooseVersion-style: numbers compare as numbers, other parts as strings ('1.10' > '1.9'). */
export function versionCompare(a: string, b: string): number {
  const parts = (s: string) => (String(s).match(/\d+|[a-z]+/gi) ?? []).map((p) => (/^\d+$/.test(p) ? Number(p) : p))
  const pa = parts(a)
  const pb = parts(b)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i]
    const y = pb[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    if (x === y) continue
    if (typeof x === typeof y) return x < y ? -1 : 1
    return typeof x === 'number' ? 1 : -1 // Python 2's LooseVersion put ints before strings; newer Ansible errors
  }
  return 0
}

const VERSION_OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0,
  lt: (c) => c < 0,
  '<=': (c) => c <= 0,
  le: (c) => c <= 0,
  '>': (c) => c > 0,
  gt: (c) => c > 0,
  '>=': (c) => c >= 0,
  ge: (c) => c >= 0,
  '==': (c) => c === 0,
  '=': (c) => c === 0,
  eq: (c) => c === 0,
  '!=': (c) => c !== 0,
  '<>': (c) => c !== 0,
  ne: (c) => c !== 0,
}

const isNum = (v: unknown) => typeof v === 'number'
const succeeded = (v: unknown) => !resultFlag('succeeded', 'failed')(v)

export const tests: Record<string, Test> = {
  defined: (v) => !isUndef(v),
  undefined: (v) => isUndef(v),
  none: (v) => v === null,
  string: (v) => typeof v === 'string',
  number: isNum,
  integer: (v) => Number.isInteger(v),
  float: (v) => isNum(v) && !Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  mapping: (v) => isMapping(v),
  iterable: (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v),
  sequence: (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v),
  callable: (v) => typeof v === 'function',
  truthy: (v) => truthy(v),
  falsy: (v) => !truthy(v),
  succeeded,
  success: succeeded,
  failed: resultFlag('failed', 'failed'),
  failure: resultFlag('failure', 'failed'),
  changed: resultFlag('changed', 'changed'),
  change: resultFlag('change', 'changed'),
  skipped: resultFlag('skipped', 'skipped'),
  skip: resultFlag('skip', 'skipped'),
  match: (v, args, kw) => pyRegex(`^(?:${String(args[0])})`, kw, false).test(pystr(v)),
  search: (v, args, kw) => pyRegex(String(args[0]), kw, false).test(pystr(v)),
  regex: (v, args, kw) => {
    const type = String(kw.match_type ?? 'search')
    const src = type === 'match' ? `^(?:${String(args[0])})` : type === 'fullmatch' ? `^(?:${String(args[0])})$` : String(args[0])
    return pyRegex(src, kw, false).test(pystr(v))
  },
  version: (v, args, kw) => {
    const op = String(arg(args, kw, 1, 'operator', 'eq'))
    const check = VERSION_OPS[op]
    if (!check) throw templateError(`version: unknown operator '${op}'`)
    return check(versionCompare(pystr(v), pystr(arg(args, kw, 0, 'version', ''))))
  },
  eq: (v, args) => eq(v, args[0]),
  ne: (v, args) => !eq(v, args[0]),
  lt: (v, args) => compare(v, '<', args[0]),
  le: (v, args) => compare(v, '<=', args[0]),
  gt: (v, args) => compare(v, '>', args[0]),
  ge: (v, args) => compare(v, '>=', args[0]),
  in: (v, args) => pyIn(v, args[0]),
  contains: (v, args) => pyIn(args[0], v),
  sameas: (v, args) => v === args[0],
  divisibleby: (v, args) => Number(v) % Number(args[0]) === 0,
  even: (v) => Number(v) % 2 === 0,
  odd: (v) => Math.abs(Number(v) % 2) === 1,
  lower: (v) => pystr(v) === pystr(v).toLowerCase(),
  upper: (v) => pystr(v) === pystr(v).toUpperCase(),
  subset: (v, args) => (v as unknown[]).every((x) => pyIn(x, args[0])),
  superset: (v, args) => (args[0] as unknown[]).every((x) => pyIn(x, v)),
  all: (v) => (v as unknown[]).every(truthy),
  any: (v) => (v as unknown[]).some(truthy),
}
Object.assign(tests, {
  equalto: tests.eq,
  '==': tests.eq,
  '!=': tests.ne,
  '<': tests.lt,
  '<=': tests.le,
  '>': tests.gt,
  '>=': tests.ge,
  greaterthan: tests.gt,
  lessthan: tests.lt,
  version_compare: tests.version,
  successful: succeeded,
})
