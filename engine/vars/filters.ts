/**
 * The filter and test registry templates are compiled against: Jinja2's builtins and Ansible's
 * (ansible.builtin.*, also by their FQCN). Every filter refuses an undefined value or argument
 * (naming the variable) except default/d/mandatory; tests accept an undefined value where
 * Jinja's would not touch it (defined, none, string, number, ...), as AnsibleUndefined behaves.
 */
import type { Filter, FilterCtx, FilterFn, Test, TestFn } from './filter-types.js'
import { collectionFilters } from './filters-collections.js'
import { coreFilters } from './filters-core.js'
import { dataFilters } from './filters-data.js'
import { generalFilters } from './filters-general.js'
import { hashFilters } from './filters-hash.js'
import { ipFilters } from './filters-ip.js'
import { jinjaFilters } from './filters-jinja.js'
import { timeFilters } from './filters-time.js'
import { tests } from './tests.js'
import { ipTests } from './tests-ip.js'
import { strict, templateError } from './undefined.js'
import { hasPythonPlugins, pythonFilter, pythonTest } from '../library/python-plugins.js'

export const filters: Record<string, Filter> = { ...jinjaFilters, ...coreFilters, ...dataFilters, ...collectionFilters, ...hashFilters, ...timeFilters }

const LENIENT_FILTERS = new Set(['default', 'd', 'mandatory', 'type_debug', 'items'])
const LENIENT_TESTS = new Set([
  'defined',
  'undefined',
  'none',
  'boolean',
  'true',
  'false',
  'integer',
  'float',
  'number',
  'string',
  'mapping',
  'callable',
  'sameas',
])

const filterCache = new Map<string, FilterFn>()
const testCache = new Map<string, TestFn>()

const ctx: FilterCtx = {
  filter: (name) => {
    const f = lookupFilter(name)
    if (!f) throw templateError(`no filter named '${name}'`)
    return f
  },
  test: (name) => {
    const t = lookupTest(name)
    if (!t) throw templateError(`no test named '${name}'`)
    return t
  },
}

/** `ansible.builtin.to_json` and `ansible.legacy.to_json` are `to_json`. */
const shortName = (name: string) => name.replace(/^ansible\.(?:builtin|legacy)\./, '')

/**
 * Collections' filters by FQCN. A short name finds one only where Ansible routes it
 * (ansible_builtin_runtime.yml: json_query, ipaddr, ...); ansible.netcommon's ip filters are
 * ansible.utils' (netcommon redirects them there).
 */
const byFqcn: Record<string, Filter> = { ...generalFilters, ...ipFilters }
const ROUTES: Record<string, string> = Object.fromEntries([
  ...['json_query', 'random_mac'].map((n) => [n, `community.general.${n}`]),
  ...'cidr_merge ipaddr ipmath ipwrap ipv4 ipv6 ipsubnet next_nth_usable network_in_network network_in_usable reduce_on_network nthhost previous_nth_usable slaac hwaddr'
    .split(' ')
    .map((n) => [n, `ansible.utils.${n}`]),
])
function filterImpl(name: string): Filter | undefined {
  if (Object.hasOwn(filters, name)) return filters[name]
  const fq = (Object.hasOwn(ROUTES, name) ? ROUTES[name]! : name).replace(/^ansible\.netcommon\./, 'ansible.utils.')
  if (Object.hasOwn(byFqcn, fq)) return byFqcn[fq]
  return fromAnsible(name) ? (value, args, kw) => pythonFilter(name, value, args, kw) : undefined
}

/** A collection's filter or test acplay lacks (by FQCN) runs in the controller's Ansible (engine/library/python-plugins.ts). */
const fromAnsible = (name: string) => /^\w+\.\w+\.\w+$/.test(name) && hasPythonPlugins()

function checkArgs(args: unknown[], kw: Record<string, unknown>): void {
  for (const a of args) strict(a)
  for (const k in kw) strict(kw[k])
}

export function lookupFilter(fullName: string): FilterFn | undefined {
  let fn = filterCache.get(fullName)
  if (fn) return fn
  const name = shortName(fullName)
  const impl = filterImpl(name)
  if (!impl) return undefined
  fn = LENIENT_FILTERS.has(name)
    ? (value, args, kw) => impl(value, args, kw, ctx)
    : (value, args, kw) => {
        strict(value)
        checkArgs(args, kw)
        return impl(value, args, kw, ctx)
      }
  filterCache.set(fullName, fn)
  return fn
}

/**
 * Collections' tests (ansible.utils' IP tests), by FQCN only: ansible_builtin_runtime.yml routes no
 * short name to them, and ansible.netcommon has no test plugins to redirect (only its ip filters).
 */
const testsByFqcn: Record<string, Test> = ipTests
function testImpl(name: string): Test | undefined {
  if (Object.hasOwn(tests, name)) return tests[name]
  if (Object.hasOwn(testsByFqcn, name)) return testsByFqcn[name]
  return fromAnsible(name) ? (value, args, kw) => pythonTest(name, value, args, kw) : undefined
}

export function lookupTest(fullName: string): TestFn | undefined {
  let fn = testCache.get(fullName)
  if (fn) return fn
  const name = shortName(fullName)
  const impl = testImpl(name)
  if (!impl) return undefined
  const lenient = LENIENT_TESTS.has(name)
  fn = (value, args, kw) => {
    if (!lenient) strict(value)
    checkArgs(args, kw)
    return impl(value, args, kw, ctx)
  }
  testCache.set(fullName, fn)
  return fn
}
