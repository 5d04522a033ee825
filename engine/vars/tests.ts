/** Jinja's and Ansible's tests (`x is defined`, `result is changed`, `v is version('2.0', '>=')`). */
import { existsSync, lstatSync, statSync } from 'node:fs'
import { dirname as nodeDirname } from 'node:path'
import { arg, type Test } from './filter-types.js'
import { lookupFilter, lookupTest } from './filters.js'
import { PyCallable } from './jinja/runtime.js'
import { compare, eq, isFloat, isInt, isMapping, isNumber, num, PyObj, pyIn, pystr, pyType, truthy } from './py.js'
import { callMethod } from './py-methods.js'
import { pyRegex } from './py-regex.js'
import { loose, VERSION_TYPES } from './py-version.js'
import { isUndef, templateError } from './undefined.js'

const asDict = (test: string, v: unknown): Record<string, unknown> => {
  if (!isMapping(v)) throw templateError(`The '${test}' test expects a dictionary`)
  return v
}

/** Ansible's changed: the result's own flag, else (without one) any of a loop's results. */
function changed(v: unknown): boolean {
  const r = asDict('changed', v)
  if (Object.hasOwn(r, 'changed')) return truthy(r.changed)
  const results = r.results
  return Array.isArray(results) && isMapping(results[0]) && results.some((x) => isMapping(x) && truthy(x.changed ?? false))
}

const flag = (test: string, key: string) => (v: unknown) => truthy(asDict(test, v)[key] ?? false)
const asyncFlag = (test: string) => (v: unknown) => {
  const r = asDict(test, v)
  return Object.hasOwn(r, test) ? eq(r[test], 1) : true
}

function regex(v: unknown, pattern: unknown, kw: Record<string, unknown>, type: string): boolean {
  const src = pystr(pattern)
  const re = pyRegex(type === 'match' ? `(?:${src})` : type === 'fullmatch' ? `(?:${src})` : src, { ignorecase: kw.ignorecase, multiline: kw.multiline }, false)
  const s = pystr(v)
  if (type === 'search') return re.test(s)
  const sticky = new RegExp(type === 'fullmatch' ? `(?:${re.source})(?![\\s\\S])` : re.source, `${re.flags}y`)
  return sticky.test(s)
}

const VERSION_OPS: Record<string, string> = {
  '==': 'eq',
  '=': 'eq',
  eq: 'eq',
  '<': 'lt',
  lt: 'lt',
  '<=': 'le',
  le: 'le',
  '>': 'gt',
  gt: 'gt',
  '>=': 'ge',
  ge: 'ge',
  '!=': 'ne',
  '<>': 'ne',
  ne: 'ne',
}

function version(v: unknown, args: unknown[], kw: Record<string, unknown>): boolean {
  const other = arg<unknown>(args, kw, 0, 'version', null)
  const op = pystr(arg(args, kw, 1, 'operator', 'eq'))
  const strict = arg<unknown>(args, kw, 2, 'strict', null)
  const type = arg<unknown>(args, kw, 3, 'version_type', null)
  if (strict !== null && type !== null) throw templateError("Cannot specify both 'strict' and 'version_type'")
  if (!truthy(v)) throw templateError('Input version value cannot be empty')
  if (!truthy(other)) throw templateError('Version parameter to compare against cannot be empty')
  const typeName = truthy(strict) ? 'strict' : type === null ? 'loose' : pystr(type)
  const compareVersions = VERSION_TYPES[typeName]
  if (!compareVersions) throw templateError(`Invalid version type (${typeName}). Must be one of 'loose', 'strict', 'semver', 'semantic', 'pep440'`)
  const o = VERSION_OPS[op]
  if (!o)
    throw templateError(
      `Invalid operator type (${op}). Must be one of ${Object.keys(VERSION_OPS)
        .map((k) => `'${k}'`)
        .join(', ')}`,
    )
  let c: number
  try {
    c = compareVersions(pystr(v), pystr(other))
  } catch (e) {
    throw templateError(`Version comparison failed: ${(e as Error).message}`)
  }
  return { eq: c === 0, ne: c !== 0, lt: c < 0, le: c <= 0, gt: c > 0, ge: c >= 0 }[o as 'eq']
}

/** Ansible's boolean(): the strict conversion truthy/falsy use with convert_bool. */
function strictBool(v: unknown): unknown {
  const s = typeof v === 'string' ? v.toLowerCase() : v
  if (['y', 'yes', 'on', '1', 'true', 't', 1, 1.0, true].some((x) => eq(x, s))) return true
  if (['n', 'no', 'off', '0', 'false', 'f', 0, 0.0, false].some((x) => eq(x, s))) return false
  return v
}

function setOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return v
  if (typeof v === 'string') return [...v]
  if (isMapping(v)) return Object.keys(v)
  throw templateError(`'${pyType(v)}' object is not iterable`)
}

/** urllib.parse.urlparse's scheme and netloc, for the uri/url/urn tests. */
function urlParts(v: unknown): { scheme: string; netloc: string } | undefined {
  if (typeof v !== 'string') return undefined
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?/.exec(v)!
  return { scheme: (m[1] ?? '').toLowerCase(), netloc: m[2] ?? '' }
}

const fsTest = (fn: (p: string) => boolean) => (v: unknown) => {
  try {
    return fn(pystr(v))
  } catch {
    return false
  }
}

export const tests: Record<string, Test> = {
  defined: (v) => !isUndef(v),
  undefined: (v) => isUndef(v),
  none: (v) => v === null,
  string: (v) => typeof v === 'string',
  number: (v) => isNumber(v) || typeof v === 'boolean',
  integer: (v) => isInt(v),
  float: (v) => isFloat(v),
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  mapping: (v) => isMapping(v),
  iterable: (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v) || (v instanceof PyObj && 'pyIter' in v),
  sequence: (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v),
  callable: (v) => v instanceof PyCallable || typeof v === 'function',
  escaped: () => false,
  filter: (v) => lookupFilter(pystr(v)) !== undefined,
  test: (v) => lookupTest(pystr(v)) !== undefined,
  sameas: (v, args) => v === args[0] || (v === undefined && args[0] === null),
  eq: (v, args) => eq(v, args[0]),
  ne: (v, args) => !eq(v, args[0]),
  lt: (v, args) => compare(v, '<', args[0]),
  le: (v, args) => compare(v, '<=', args[0]),
  gt: (v, args) => compare(v, '>', args[0]),
  ge: (v, args) => compare(v, '>=', args[0]),
  in: (v, args) => pyIn(v, args[0]),
  contains: (v, args) => pyIn(args[0], v),
  divisibleby: (v, args) => {
    const [a, b] = [num(v), num(args[0])]
    if (a === undefined || b === undefined) throw templateError(`unsupported operand type(s) for %: '${pyType(v)}' and '${pyType(args[0])}'`)
    if (b === 0) throw templateError('integer division or modulo by zero')
    return a % b === 0
  },
  even: (v) => {
    const n = num(v)
    if (n === undefined) throw templateError(`unsupported operand type(s) for %: '${pyType(v)}' and 'int'`)
    return n % 2 === 0
  },
  odd: (v) => {
    const n = num(v)
    if (n === undefined) throw templateError(`unsupported operand type(s) for %: '${pyType(v)}' and 'int'`)
    return Math.abs(n % 2) === 1
  },
  lower: (v) => callMethod(pystr(v), 'islower', []) as boolean,
  upper: (v) => callMethod(pystr(v), 'isupper', []) as boolean,
  // Ansible's task result tests
  failed: flag('failed', 'failed'),
  failure: flag('failure', 'failed'),
  succeeded: (v) => !flag('succeeded', 'failed')(v),
  success: (v) => !flag('success', 'failed')(v),
  successful: (v) => !flag('successful', 'failed')(v),
  unreachable: flag('unreachable', 'unreachable'),
  reachable: (v) => !flag('reachable', 'unreachable')(v),
  changed: (v) => changed(v),
  change: (v) => changed(v),
  skipped: flag('skipped', 'skipped'),
  skip: flag('skip', 'skipped'),
  finished: asyncFlag('finished'),
  started: asyncFlag('started'),
  match: (v, args, kw) => regex(v, arg(args, kw, 0, 'pattern', ''), kw, 'match'),
  search: (v, args, kw) => regex(v, arg(args, kw, 0, 'pattern', ''), kw, 'search'),
  regex: (v, args, kw) => regex(v, arg(args, kw, 0, 'pattern', ''), kw, pystr(kw.match_type ?? 'search')),
  version: (v, args, kw) => version(v, args, kw),
  any: (v) => setOf(v).some(truthy),
  all: (v) => setOf(v).every(truthy),
  truthy: (v, args, kw) => truthy(truthy(arg(args, kw, 0, 'convert_bool', false)) ? strictBool(v) : v),
  falsy: (v, args, kw) => !truthy(truthy(arg(args, kw, 0, 'convert_bool', false)) ? strictBool(v) : v),
  vault_encrypted: () => false,
  subset: (v, args) => setOf(v).every((x) => setOf(args[0]).some((y) => eq(x, y))),
  superset: (v, args) => setOf(args[0]).every((x) => setOf(v).some((y) => eq(x, y))),
  nan: (v) => {
    const n = num(v)
    return n !== undefined && Number.isNaN(n)
  },
  uri: (v, args, kw) => {
    const p = urlParts(v)
    const schemes = arg<unknown>(args, kw, 0, 'schemes', null)
    return !!p && (!truthy(schemes) || setOf(schemes).some((s) => s === p.scheme))
  },
  url: (v, args, kw) => {
    const p = urlParts(v)
    const schemes = arg<unknown>(args, kw, 0, 'schemes', null)
    return !!p && (!truthy(schemes) || setOf(schemes).some((s) => s === p.scheme)) && (p.netloc !== '' || p.scheme === 'file')
  },
  urn: (v) => urlParts(v)?.scheme === 'urn',
  // controller-side path tests
  abs: (v) => pystr(v).startsWith('/'),
  directory: fsTest((p) => statSync(p).isDirectory()),
  file: fsTest((p) => statSync(p).isFile()),
  link: fsTest((p) => lstatSync(p).isSymbolicLink()),
  exists: fsTest((p) => existsSync(p)),
  link_exists: fsTest((p) => !!lstatSync(p)),
  same_file: (v, args) =>
    fsTest((p) => {
      const [a, b] = [statSync(p), statSync(pystr(args[0]))]
      return a.dev === b.dev && a.ino === b.ino
    })(v),
  mount: fsTest((p) => {
    const a = lstatSync(p)
    if (a.isSymbolicLink()) return false
    const parent = lstatSync(nodeDirname(p.replace(/\/+$/, '') || '/') === p ? p : `${p.replace(/\/+$/, '')}/..`)
    return a.dev !== parent.dev || a.ino === parent.ino
  }),
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
  issubset: tests.subset,
  issuperset: tests.superset,
  isnan: tests.nan,
  is_abs: tests.abs,
  is_dir: tests.directory,
  is_file: tests.file,
  is_link: tests.link,
  is_same_file: tests.same_file,
  is_mount: tests.mount,
})

/** LooseVersion comparison (the version test's default), -1 / 0 / 1. */
export const versionCompare = (a: string, b: string) => loose(a, b)
