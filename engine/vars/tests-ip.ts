/**
 * ansible.utils' IP tests (`x is ansible.utils.ipv4`, `ip is ansible.utils.in_network('10.0.0.0/8')`),
 * by FQCN, as ansible.utils 2.10 runs them: on Python's ipaddress module (ip-python.ts). A value that
 * is no string, or does not parse, is simply false; only `mac` (a regex match) refuses a non-string,
 * and in_any_network / in_one_network a `networks` that is no list. Arguments bind as the plugins'
 * Python signatures do, with Python's TypeErrors. `resolvable` (DNS) is not provided.
 */
import type { Test } from './filter-types.js'
import {
  type PyAddress,
  type PyNetwork,
  ipAddress,
  hostmaskText,
  ipNetwork,
  ipv4Mapped,
  isGlobal,
  isLoopback,
  isMulticast,
  isPrivate,
  isReserved,
  isSixToFour,
  isSubnetOf,
  isTeredo,
  isUnspecified,
  netmaskText,
} from './ip-python.js'
import { PyFloat, PyTuple, pyType } from './py.js'
import { strict, templateError } from './undefined.js'

const address = (v: unknown): PyAddress | undefined => (typeof v === 'string' ? ipAddress(v) : undefined)
const network = (v: unknown): PyNetwork | undefined => (typeof v === 'string' ? ipNetwork(v) : undefined)

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** Binds `value is name(args..., kw...)` to the plugin function `_name(params...)`, or raises Python's TypeError. */
function bind(name: string, params: string[], value: unknown, args: unknown[], kw: Record<string, unknown>): unknown[] {
  const fn = `_${name}()`
  const given = [value, ...args]
  const bound = given.slice(0, params.length)
  for (const k of Object.keys(kw)) {
    const i = params.indexOf(k)
    if (i < 0) throw templateError(`${fn} got an unexpected keyword argument '${k}'`)
    if (i < given.length) throw templateError(`${fn} got multiple values for argument '${k}'`)
    bound[i] = kw[k]
  }
  if (given.length > params.length) throw templateError(`${fn} takes ${plural(params.length, 'positional argument')} but ${given.length} were given`)
  // the tested value fills the first parameter, so at most the second one can be missing
  const missing = params.find((p, i) => i >= given.length && !Object.hasOwn(kw, p))
  if (missing !== undefined) throw templateError(`${fn} missing 1 required positional argument: '${missing}'`)
  return bound
}

/** A plugin as a Test: its Python parameter names (the tested value is the first) and its body. */
function plugin(name: string, params: string[], body: (...a: unknown[]) => boolean): [string, Test] {
  return [`ansible.utils.${name}`, (value, args, kw) => body(...bind(name, params, value, args, kw))]
}

/** A test of one address (ip_address(ip).is_private, ...): false for anything that is no address. */
const onAddress = (name: string, prop: (a: PyAddress) => boolean) =>
  plugin(name, ['ip'], (v) => {
    const a = address(v)
    return a !== undefined && prop(a)
  })
/** A test of one network or address (ip_network(ip).version == 4, ...). */
const onNetwork = (name: string, prop: (n: PyNetwork) => boolean) =>
  plugin(name, ['ip'], (v) => {
    const n = network(v)
    return n !== undefined && prop(n)
  })

function inNetwork(ip: unknown, net: unknown): boolean {
  const [a, b] = [network(ip), network(strict(net))]
  return a !== undefined && b !== undefined && isSubnetOf(a, b)
}

/** The argspec's `networks: list` (a str, number or None passes it); then Python iterates it. */
function networkList(test: string, v: unknown): unknown[] {
  if (Array.isArray(v) && !(v instanceof PyTuple)) return v
  if (typeof v === 'string') return [...v]
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat) {
    throw templateError(`'${pyType(v)}' object is not iterable`)
  }
  const cls = `<class '${pyType(v)}'>`
  throw templateError(
    `argspec validation failed for ${test} test plugin with errors: ["argument 'networks' is of type ${cls} and we were unable to convert to list: ${cls} cannot be converted to a list"]`,
  )
}
const countIn = (test: string, ip: unknown, networks: unknown) => networkList(test, networks).filter((n) => inNetwork(ip, n)).length

/** `10.0.0.0/<mask>` is a network whose netmask (or hostmask) prints as the mask itself. */
function maskTest(mask: unknown, kind: 'netmask' | 'hostmask'): boolean {
  const n = typeof mask === 'string' ? ipNetwork(`10.0.0.0/${mask}`) : undefined
  if (n === undefined) return false
  return (kind === 'netmask' ? netmaskText(n) : hostmaskText(n)) === mask
}

// IEEE EUI-48 (':' or '-'), Cisco's triple hextet, bare; Python's `$` also matches before a final newline
const MAC = /^(?:(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}|[0-9a-f]{12})\n?$/i

export const ipTests: Record<string, Test> = Object.fromEntries([
  onNetwork('ip', () => true),
  onNetwork('ipv4', (n) => n.address.version === 4),
  onNetwork('ipv6', (n) => n.address.version === 6),
  onAddress('ip_address', () => true),
  onAddress('ipv4_address', (a) => a.version === 4),
  onAddress('ipv6_address', (a) => a.version === 6),
  onAddress('ipv6_ipv4_mapped', (a) => ipv4Mapped(a) !== undefined),
  onAddress('ipv6_sixtofour', isSixToFour),
  onAddress('ipv6_teredo', isTeredo),
  onAddress('loopback', isLoopback),
  onAddress('multicast', isMulticast),
  onAddress('private', isPrivate),
  onAddress('public', isGlobal),
  onAddress('reserved', isReserved),
  onAddress('unspecified', isUnspecified),
  plugin('ipv4_netmask', ['mask'], (v) => maskTest(v, 'netmask')),
  plugin('ipv4_hostmask', ['ip'], (v) => maskTest(v, 'hostmask')),
  plugin('in_network', ['ip', 'network'], inNetwork),
  plugin('subnet_of', ['network_a', 'network_b'], inNetwork),
  plugin('supernet_of', ['network_a', 'network_b'], (a, b) => inNetwork(b, a)),
  plugin('in_any_network', ['ip', 'networks'], (ip, networks) => countIn('in_any_network', ip, networks) > 0),
  plugin('in_one_network', ['ip', 'networks'], (ip, networks) => countIn('in_one_network', ip, networks) === 1),
  plugin('mac', ['mac'], (v) => {
    if (typeof v !== 'string') throw templateError(`expected string or bytes-like object, got '${pyType(v)}'`)
    return MAC.test(v)
  }),
])
