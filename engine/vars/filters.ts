/**
 * The filter and test registry our compiled templates call through `env.getFilter/getTest`.
 * Every filter refuses undefined input (naming the variable) except default/d/mandatory, and
 * every test except defined/undefined. nunjucks' own filters fill gaps we did not write
 * (indent, center, batch, round, ...).
 */
import nunjucks from 'nunjucks'
import { type Filter, type FilterCtx, splitArgs, type Test } from './filter-types.js'
import { collectionFilters } from './filters-collections.js'
import { coreFilters } from './filters-core.js'
import { dataFilters } from './filters-data.js'
import { tests } from './tests.js'
import { strict, templateError } from './undefined.js'

export const filters: Record<string, Filter> = { ...coreFilters, ...dataFilters, ...collectionFilters }

const LENIENT_FILTERS = new Set(['default', 'd', 'mandatory'])
const LENIENT_TESTS = new Set(['defined', 'undefined'])

// nunjucks' built-ins, for the Jinja filters not listed above; they take positional args only.
const builtin = (new nunjucks.Environment() as unknown as { filters: Record<string, (...a: unknown[]) => unknown> }).filters

type Callable = (this: unknown, value: unknown, ...args: unknown[]) => unknown
const filterCache = new Map<string, Callable>()
const testCache = new Map<string, Callable>()

const ctx: FilterCtx = {
  filter: (name) => {
    const f = getFilter(name)
    return (v, ...a) => f.call(undefined, v, ...a)
  },
  test: (name) => {
    const t = getTest(name)
    return (v, ...a) => t.call(undefined, v, ...a) === true
  },
}

function checkArgs(pos: unknown[], kw: Record<string, unknown>): void {
  for (const a of pos) strict(a)
  for (const a of Object.values(kw)) strict(a)
}

export function getFilter(name: string): Callable {
  let fn = filterCache.get(name)
  if (fn) return fn
  const ours = Object.hasOwn(filters, name) ? filters[name] : undefined
  const theirs = Object.hasOwn(builtin, name) ? builtin[name] : undefined
  if (ours) {
    const lenient = LENIENT_FILTERS.has(name)
    fn = function (this: unknown, value: unknown, ...rest: unknown[]) {
      const { pos, kw } = splitArgs(rest)
      if (!lenient) {
        strict(value)
        checkArgs(pos, kw)
      }
      return ours(value, pos, kw, ctx)
    }
  } else if (theirs) {
    fn = function (this: unknown, value: unknown, ...rest: unknown[]) {
      strict(value)
      for (const a of rest) strict(a)
      return theirs.call(this, value, ...rest)
    }
  } else {
    throw templateError(`no filter named '${name}'`)
  }
  filterCache.set(name, fn)
  return fn
}

export function getTest(name: string): Callable {
  let fn = testCache.get(name)
  if (fn) return fn
  const t: Test | undefined = Object.hasOwn(tests, name) ? tests[name] : undefined
  if (!t) throw templateError(`no test named '${name}'`)
  const lenient = LENIENT_TESTS.has(name)
  fn = function (this: unknown, value: unknown, ...rest: unknown[]) {
    const { pos, kw } = splitArgs(rest)
    if (!lenient) strict(value)
    checkArgs(pos, kw)
    return t(value, pos, kw, ctx)
  }
  testCache.set(name, fn)
  return fn
}

/** The `env` compiled templates receive. */
export const jinjaEnv = { opts: { autoescape: false }, getFilter, getTest }
