/**
 * ansible.utils' ip address filters (ipaddr, ipv4, ipv6, ...), by FQCN: filters.ts routes their short names.
 *
 * They give what ansible.utils 2.x gives on python-netaddr 0.8 (Debian's ansible 2.14), quirks included:
 * a query that does not hold gives None (a bad value gives False), an int value is an address that
 * queries echo as 'a.b.c.d/32', and IPv6 addresses below 2**32 that come out of arithmetic print as
 * IPv4 (netaddr.IPAddress(int)). IPv6 sizes and ints beyond 2**53 lose precision: ints are JS numbers.
 * The address arithmetic is in ip-address.ts.
 */
import { arg, type Filter } from './filter-types.js'
import {
  autoAddr,
  type EUI,
  formatAddr,
  formatMac,
  IPNetwork,
  type IPVersion,
  isHostmask,
  isLinkLocal,
  isLoopback,
  isMulticast,
  isNetmask,
  isPrivate,
  maxInt,
  mergeCidrs,
  modifiedEui64,
  parseAddress,
  parseEui,
  parseNetwork,
  pyFloatable,
  pyInt,
  reverseDns,
  spanningCidr,
} from './ip-address.js'
import { isInt, PyTuple, pystr, pyType, truthy } from './py.js'
import { templateError } from './undefined.js'

/** An ipaddr() value once parsed: the network, whether it was written as an address or a network, and the value itself. */
interface Subject {
  v: IPNetwork
  vtype: 'address' | 'network'
  value: unknown
}

/** ipaddr's parse of a value: a digit string or int is an address, 'int/prefix' a network; else netaddr's parse. */
function subject(value: unknown, version: IPVersion | 0 = 0): Subject | undefined {
  if (!truthy(value) || value === true) return undefined
  const digits = isInt(value) && value >= 0 ? BigInt(value) : typeof value === 'string' && /^\d+$/.test(value) ? BigInt(value) : undefined
  if (digits !== undefined) {
    const v = (version !== 6 ? IPNetwork.fromInt(4, digits, 32n) : undefined) ?? IPNetwork.fromInt(6, digits, 128n)
    return v && { v, vtype: 'address', value: String(v) }
  }
  if (typeof value !== 'string') return undefined
  const v = parseNetwork(value)
  if (v) return { v, vtype: value.split('/').length === 2 ? 'network' : 'address', value }
  const parts = value.split('/').map(pyInt)
  if (parts.length !== 2 || parts[0] === undefined || parts[1] === undefined) return undefined
  const n = IPNetwork.fromInt(4, parts[0], parts[1]) ?? IPNetwork.fromInt(6, parts[0], parts[1])
  return n && { v: n, vtype: 'network', value: String(n) }
}

const num = (n: bigint) => Number(n)
/** The first and last usable addresses: all of a 2-address network, else without the ends. */
const usable = (v: IPNetwork): [bigint, bigint] => (v.size === 2n ? [v.first, v.last] : [v.first + 1n, v.last - 1n])
const onNetwork = (s: Subject) => {
  if (s.vtype === 'address') throw templateError('Not a network address')
  return s.v
}
/** The address `step` away, when it is a usable one of a network of two or more. */
function stepUsable(v: IPNetwork, step: bigint): string | null {
  if (v.size < 2n) return null
  const [first, last] = usable(v)
  const n = v.value + step
  if (n < 0n || n > maxInt(6)) throw templateError(`failed to detect a valid IP address from ${n}`)
  return first <= n && n <= last ? autoAddr(n) : null
}
/** Whether `ip/prefix` names a host in it rather than the network address (IPv4 /31 and IPv6 have no such doubt). */
const namesHost = (v: IPNetwork) => v.value !== v.network || v.broadcast === undefined

function toV4(v: IPNetwork): string | false {
  // ::a.b.c.d and ::ffff:a.b.c.d, with the prefix less 96
  const value = v.value <= maxInt(4) ? v.value : v.value <= 0xffffffffffffn ? v.value - 0xffff00000000n : -1n
  const n = IPNetwork.fromInt(4, value, BigInt(v.prefix - 96))
  return n ? String(n) : false
}

const isPublic = (v: IPNetwork) => {
  const ip = v.host
  return !isMulticast(ip) && !isPrivate(ip) && !isLoopback(ip) && !isNetmask(ip) && !isHostmask(ip)
}
const SIX_TO_FOUR = parseNetwork('2002::/16')!

/** 6to4: an IPv4 host's 2002::/48 network; an IPv6 value back when it is in 2002::/16. */
function sixToFour({ v, vtype, value }: Subject): unknown {
  if (v.version === 4) {
    if (v.size > 1n && v.value === v.network) return false
    if (!isPublic(v) && !isPrivate(v.host)) return false
    const hex2 = (shift: bigint) => ((v.value >> shift) & 0xffn).toString(16).padStart(2, '0')
    return `2002:${hex2(24n)}${hex2(16n)}:${hex2(8n)}${hex2(0n)}::1/48`
  }
  if (vtype === 'address') return SIX_TO_FOUR.contains(v) ? value : false
  return v.value !== v.network && SIX_TO_FOUR.contains(v.host) ? value : false
}

type Query = (s: Subject) => unknown
const addressPrefix: Query = ({ v }) => (v.size > 2n && (v.value === v.network || v.value === v.broadcast) ? false : String(v))
const ipQuery: Query = ({ v }) => (v.size === 1n || namesHost(v) || v.version === 6 ? v.ip : null)
const ipPrefix = (v: IPNetwork) => v.size === 2n || (v.size > 1n && v.value !== v.network)
const hostmask: Query = ({ v }) => formatAddr(v.hostmask, v.version)
const network: Query = ({ v }) => formatAddr(v.network, v.version)
const subnet: Query = ({ v }) => String(v.cidr)
const loopback: Query = ({ v, value }) => (isLoopback(v) ? value : null)

/** ipaddr's named queries (ansible.utils' query_func_map; its broken 'v4' and 'v6' are left out). */
const QUERIES: Record<string, Query> = {
  '': ({ v, vtype }) => (vtype === 'address' ? v.ip : String(v)),
  '6to4': sixToFour,
  address: ipQuery,
  ip: ipQuery,
  'address/prefix': addressPrefix,
  gateway: addressPrefix,
  gw: addressPrefix,
  'host/prefix': addressPrefix,
  hostnet: addressPrefix,
  router: addressPrefix,
  bool: () => true,
  broadcast: ({ v }) => (v.size > 2n ? formatAddr(v.broadcast!, v.version) : null),
  cidr: ({ v }) => String(v),
  first_usable: (s) => {
    const v = onNetwork(s)
    return v.size === 2n ? autoAddr(v.network) : v.size > 1n ? autoAddr(v.network + 1n) : null
  },
  host: ({ v }) => (v.size === 1n || namesHost(v) ? String(v) : null),
  hostmask,
  wildcard: hostmask,
  int: ({ v, vtype }) => (vtype === 'address' ? num(v.value) : `${v.value}/${v.prefix}`),
  'ip/prefix': ({ v }) => (ipPrefix(v) ? String(v) : null),
  ip_netmask: ({ v }) => (ipPrefix(v) ? `${v.ip} ${formatAddr(v.netmask, v.version)}` : null),
  ipv4: (s) => (s.v.version === 6 ? toV4(s.v) : s.value),
  ipv6: ({ v, value }) => (v.version === 4 ? String(new IPNetwork(6, 0xffff00000000n + v.value, v.prefix + 96)) : value),
  last_usable: (s) => {
    const v = onNetwork(s)
    return v.size > 1n ? autoAddr(usable(v)[1]) : null
  },
  'link-local': ({ v, value }) => (isLinkLocal(v.host) ? value : null),
  lo: loopback,
  loopback,
  multicast: ({ v, value }) => (isMulticast(v) ? value : null),
  net: ({ v }) => (v.size > 1n && v.value === v.network ? String(v) : null),
  next_usable: (s) => stepUsable(onNetwork(s), 1n),
  netmask: ({ v }) => formatAddr(v.netmask, v.version),
  network,
  network_id: network,
  'network/prefix': subnet,
  subnet,
  network_netmask: ({ v }) => `${formatAddr(v.network, v.version)} ${formatAddr(v.netmask, v.version)}`,
  network_wildcard: ({ v }) => `${formatAddr(v.network, v.version)} ${formatAddr(v.hostmask, v.version)}`,
  peer: (s) => {
    const v = onNetwork(s)
    if (v.size === 2n) return autoAddr(v.value ^ 1n)
    if (v.size !== 4n) throw templateError('Not a point-to-point network')
    if (v.value % 4n === 0n) throw templateError('Network address of /30 has no peer')
    if (v.value % 4n === 3n) throw templateError('Broadcast address of /30 has no peer')
    return autoAddr(v.value ^ 3n)
  },
  prefix: ({ v }) => v.prefix,
  previous_usable: (s) => stepUsable(onNetwork(s), -1n),
  private: ({ v, value }) => (isPrivate(v) ? value : null),
  public: ({ v, value }) => (isPublic(v) ? value : null),
  range_usable: (s) => {
    const v = onNetwork(s)
    return v.size > 1n ? usable(v).map(autoAddr).join('-') : null
  },
  revdns: ({ v }) => reverseDns(v),
  size: ({ v }) => num(v.size),
  size_usable: ({ v }) => (v.size === 1n ? 0 : v.size === 2n ? 2 : num(v.size - 2n)),
  type: ({ v }) => (v.size === 1n || v.value !== v.network ? 'address' : 'network'),
  unicast: ({ v, value }) => (isMulticast(v) ? null : value),
  version: ({ v }) => v.version,
  wrap: ({ v, vtype, value }) => (v.version === 4 ? value : vtype === 'address' ? `[${v.ip}]` : `[${v.ip}]/${v.prefix}`),
}

/** An index query: the nth address of the network (from the end when negative), with its prefix. */
function nthQuery({ v, vtype }: Subject, query: string): unknown {
  if (v.size === 1n) return vtype === 'address' ? v.ip : String(v)
  const i = pyInt(query)
  if (i === undefined || i < -v.size || i >= v.size) return false
  return `${formatAddr(i < 0n ? v.last + i + 1n : v.first + i, v.version)}/${v.prefix}`
}

/**
 * ipaddr(value, query): False when value is no address or network (or not of `version`), else the
 * query's answer. A query that is itself a network ('10.0.0.0/8') asks whether value lies in it.
 */
function ipaddr(value: unknown, query: string, version: IPVersion | 0, alias: string): unknown {
  if (Array.isArray(value)) return value.map((x) => ipaddr(x, query, version, 'ipaddr')).filter(truthy)
  const s = subject(value, version)
  if (!s) return false
  const lookup = query && !Object.hasOwn(QUERIES, query) && !/^\d+$/.test(query) ? parseNetwork(query) : undefined
  if (version && s.v.version !== version) return false
  if (lookup) return lookup.cidr.contains(s.v) ? s.value : null
  if (Object.hasOwn(QUERIES, query)) return QUERIES[query]!(s)
  if (pyFloatable(query)) return nthQuery(s, query)
  throw templateError(`${alias}: unknown filter type: ${query}`)
}

// --- arguments, converted as ansible.utils' argument specs convert them ---

/** A `type: str` argument: None stays None, other scalars become their str(). */
const strArg = (v: unknown): string | null => (v === null || v === undefined ? null : pystr(v))
/** Argument i (or name=) of a filter, as a `type: str`. */
const str = (args: unknown[], kw: Record<string, unknown>, i: number, name: string, dflt: string | null) => strArg(arg<unknown>(args, kw, i, name, dflt))

/** A `type: int` argument: ints, and strs that int() takes. */
function intArg(name: string, v: unknown): bigint | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'boolean') return v ? 1n : 0n
  const n = isInt(v) ? BigInt(v) : typeof v === 'string' ? pyInt(v) : undefined
  if (n === undefined) {
    throw templateError(
      `argument '${name}' is of type <class '${pyType(v)}'> and we were unable to convert to int: <class '${pyType(v)}'> cannot be converted to an int`,
    )
  }
  return n
}

/** A `type: list, elements: str` argument: a str is split on commas. */
function strListArg(name: string, v: unknown): string[] | null {
  if (v === null || v === undefined) return null
  if (Array.isArray(v) && !(v instanceof PyTuple)) return v.map((x) => strArg(x) ?? 'None')
  if (typeof v === 'string') return v.split(',')
  if (typeof v === 'number') return [pystr(v)]
  throw templateError(
    `argument '${name}' is of type <class '${pyType(v)}'> and we were unable to convert to list: <class '${pyType(v)}'> cannot be converted to a list`,
  )
}

/** ipaddr, ipv4 and ipv6 take a str, a list or an int. */
function checkValue(filter: string, v: unknown, also: (v: unknown) => boolean): void {
  const ok = typeof v === 'string' || (Array.isArray(v) && !(v instanceof PyTuple)) || also(v)
  if (!ok) throw templateError(`Unrecognized type <<class '${pyType(v)}'>> for ${filter} filter <value>`)
}
const intOrBool = (v: unknown) => isInt(v) || typeof v === 'boolean'

/** The query argument: '' when not given, else its str() (None is no query ipaddr knows). */
function queryArg(args: unknown[], kw: Record<string, unknown>, alias: string): string {
  const q = arg<unknown>(args, kw, 0, 'query', '')
  if (q === null || q === undefined) throw templateError(`${alias}: unknown filter type: None`)
  return pystr(q)
}

/** ipaddr (version and alias as arguments), ipv4 and ipv6. */
function versionFilter(name: string, version: IPVersion | 0): Filter {
  return (value, args, kw) => {
    checkValue(name, value, intOrBool)
    const alias = version ? name : (str(args, kw, 2, 'alias', name) ?? name)
    const v = version || Number(intArg('version', arg(args, kw, 1, 'version', null)) ?? 0)
    return ipaddr(value, queryArg(args, kw, alias), v === 4 || v === 6 ? v : 0, alias)
  }
}

/** ipwrap: IPv6 addresses (and networks) in brackets; anything else comes back as it was. */
function ipwrap(value: unknown, query: string): unknown {
  try {
    if (Array.isArray(value)) return value.map((x) => (truthy(ipaddr(x, query, 0, 'ipwrap')) ? ipaddr(x, 'wrap', 0, 'ipaddr') : x))
    const r = ipaddr(value, query, 0, 'ipwrap')
    return truthy(r) ? ipaddr(r, 'wrap', 0, 'ipaddr') : value
  } catch {
    return value
  }
}

function ipmath(value: string | null, amount: bigint | null): string {
  const ip = value === null ? undefined : value.includes('/') ? parseNetwork(value) : parseAddress(value)
  if (!ip) throw templateError(`You must pass a valid IP address; ${value} is invalid`)
  if (amount === null) throw templateError('You must pass an integer for arithmetic; None is not a valid integer')
  const n = ip.value + amount
  if (n < 0n || n > maxInt(ip.version)) throw templateError('result outside valid IP address boundary!')
  return formatAddr(n, ip.version)
}

/** ipsubnet(size): a network's count of subnets of that size, or an address's enclosing network of it. */
function ipsubnetBySize(value: IPNetwork, size: number, index: bigint | null): string | false {
  const width = value.width
  if (size > width) return false
  if (value.size === 1n) {
    // the address's enclosing networks from /size down to /(width - 1), picked by a Python list index
    const supernets = width - size
    let i = index ?? 0n
    if (index !== null && (index > BigInt(width + 1) - index || index < BigInt(size - width))) return false
    if (i < 0n) i += BigInt(supernets)
    if (i < 0n || i >= BigInt(supernets)) throw templateError('list index out of range')
    return String(new IPNetwork(value.version, value.value, size + Number(i)).cidr)
  }
  if (index === null) {
    if (size < value.prefix) throw templateError(`Requested subnet size of ${size} is invalid`)
    return String(2n ** BigInt(size - value.prefix))
  }
  // fewer than one subnet when size is above the prefix: only index 0 fits
  const subnets = size >= value.prefix ? 2n ** BigInt(size - value.prefix) : 1n
  const i = index < 0n ? index + subnets : index
  if (i < 0n || i >= subnets || (size < value.prefix && index !== 0n)) return false
  const text = `${autoAddr(value.network + (i << BigInt(width - size)))}/${size}`
  const n = parseNetwork(text)
  if (!n) throw templateError(`invalid IPNetwork ${text}`)
  return String(n)
}

/** ipsubnet(network): the 1-based position of value among that network's subnets of value's size. */
function ipsubnetPosition(value: IPNetwork, query: string): string {
  const q = subject(query)
  if (!q) throw templateError(`You must pass a valid subnet or IP address; ${query} is invalid`)
  const shift = value.width - q.v.prefix
  if (shift < 0) throw templateError('negative shift count')
  if (value.value >> BigInt(shift) !== q.v.value >> BigInt(shift)) throw templateError(`${value} is not in the subnet ${q.v.cidr}`)
  if (value.prefix < q.v.prefix) throw templateError("unsupported operand type(s) for <<: 'float' and 'int'")
  const hostBits = BigInt(value.width - value.prefix)
  const bits = (2n ** BigInt(value.prefix - q.v.prefix) - 1n) << hostBits
  return String(((value.value & bits) >> hostBits) + 1n)
}

function ipsubnet(value: string | null, query: string, index: bigint | null): string | false {
  const s = subject(value)
  if (!s) return false
  const net = s.v.cidr
  if (!query) return String(net)
  if (/^\d+$/.test(query)) return ipsubnetBySize(net, Number(query), index)
  return ipsubnetPosition(net, query)
}

function nthhost(value: string | null, query: string | null): string | false {
  const s = subject(value)
  if (!s || !query) return false
  const v = s.v
  const n = pyInt(query)
  if (n === undefined || n >= v.size) return false
  if (n < -v.size) throw templateError('index out range for address range size!')
  return formatAddr(n < 0n ? v.last + n + 1n : v.first + n, v.version)
}

/** next_nth_usable / previous_nth_usable: None when the address `offset` away is not a usable one. */
function nthUsable(value: string | null, offset: bigint | null | boolean, sign: bigint): string | false | null {
  const s = subject(value)
  if (!s) return false
  if (offset === null || typeof offset === 'boolean') throw templateError('Must pass in an integer')
  return stepUsable(s.v, sign * offset)
}

/** next/previous_nth_usable's offset: an int (a bool passes the argument spec, then fails the filter's own check). */
function offsetArg(args: unknown[], kw: Record<string, unknown>): bigint | boolean | null {
  const v = arg<unknown>(args, kw, 0, 'offset', null)
  return typeof v === 'boolean' ? v : intArg('offset', v)
}

/**
 * The address range that network_in_usable, network_in_network and reduce_on_network compare, as
 * ansible.utils works it out from 'network' (or 'first_usable') to 'broadcast' (or 'last_usable'): a
 * network of one or two addresses counts as just its first, and a bad value as 0..0 (False).
 */
function span(value: string | null, usableOnly: boolean): [bigint, bigint] {
  const v = subject(value)?.v.cidr
  if (!v) return [0n, 0n]
  if (usableOnly) return v.size === 1n ? [v.value, v.value] : usable(v)
  return [v.first, v.size > 2n ? v.last : v.first]
}
function within(inner: [bigint, bigint], outer: [bigint, bigint]): boolean {
  const inside = (n: bigint) => outer[0] <= n && n <= outer[1]
  return inside(inner[0]) && inside(inner[1])
}

const netaddrError = (e: unknown) => templateError(`cidr_merge: error in netaddr:\n${e instanceof Error ? e.message : String(e)}`)
function toNetwork(s: string): IPNetwork {
  const n = parseNetwork(s)
  if (!n) throw netaddrError(`invalid IPNetwork ${s}`)
  return n
}

function cidrMerge(value: string[] | null, action: string | null): unknown {
  if (value === null) throw templateError('cidr_merge: expected iterable, got None')
  if (action === 'merge') return mergeCidrs(value.map(toNetwork)).map(String)
  if (action !== 'span') throw templateError(`cidr_merge: invalid action '${action}'`)
  if (value.length === 0) return null
  if (value.length === 1) return String(toNetwork(value[0]!))
  const nets = value.map(toNetwork)
  try {
    return String(spanningCidr(nets))
  } catch (e) {
    throw netaddrError(e)
  }
}

function ip4Hex(value: string | null, delimiter: string): string {
  if (value === null) throw templateError("'NoneType' object has no attribute 'split'")
  const numbers = value.split('.').map((p) => {
    const n = pyInt(p)
    if (n === undefined) throw templateError(`invalid literal for int() with base 10: '${p}'`)
    return n < 0n ? `-${(-n).toString(16)}` : n.toString(16).padStart(2, '0')
  })
  if (numbers.length < 4) throw templateError(`Replacement index ${numbers.length} out of range for positional args tuple`)
  return numbers.slice(0, 4).join(delimiter)
}

/** hwaddr's formats: [words, hex digits per word, separator, uppercase, zero-padded]. */
const MAC_FORMATS: Record<string, [number, number, string, boolean, boolean]> = {
  bare: [1, 12, '', true, true],
  cisco: [3, 4, '.', false, true],
  eui48: [6, 2, '-', true, true],
  win: [6, 2, '-', true, true],
  linux: [6, 2, ':', false, true],
  unix: [6, 1, ':', false, false],
  pgsql: [2, 6, ':', false, true],
  postgresql: [2, 6, ':', false, true],
  psql: [2, 6, ':', false, true],
}

/** hwaddr: a MAC address checked ('' gives it back, None when it is none) or written in one of MAC_FORMATS. */
function hwaddr(value: string | null, query: string, alias: string): unknown {
  const eui: EUI | undefined = value === null ? undefined : parseEui(value)
  if (!eui && query !== '' && query !== 'bool') throw templateError(`${alias}: not a hardware address: ${value}`)
  if (query === '') return eui ? value : null
  if (query === 'bool') return eui ? true : null
  if (query === 'int') return num(eui!.value)
  const format = Object.hasOwn(MAC_FORMATS, query) ? MAC_FORMATS[query] : undefined
  if (!format) throw templateError(`${alias}: unknown filter type: ${query}`)
  try {
    return formatMac(eui!, ...format)
  } catch (e) {
    throw templateError((e as Error).message)
  }
}

function slaac(value: string | null, mac: string | null): string | false {
  const s = subject(value)
  if (s?.v.version !== 6 || !mac) return false
  const eui = hwaddr(mac, '', 'slaac') === null ? undefined : parseEui(mac)
  return eui ? formatAddr(s.v.network + modifiedEui64(eui), 6) : false
}

export const ipFilters: Record<string, Filter> = {
  'ansible.utils.ipaddr': versionFilter('ipaddr', 0),
  'ansible.utils.ipv4': versionFilter('ipv4', 4),
  'ansible.utils.ipv6': versionFilter('ipv6', 6),
  'ansible.utils.ipwrap': (value, _args, kw) => {
    // its positional arguments are dropped: only query= reaches it
    checkValue('ipwrap', value, (v) => typeof v === 'boolean')
    return ipwrap(value, strArg(kw.query ?? '') ?? 'None')
  },
  'ansible.utils.ipmath': (value, args, kw) => ipmath(strArg(value), intArg('amount', arg(args, kw, 0, 'amount', null))),
  'ansible.utils.ipsubnet': (value, args, kw) => ipsubnet(strArg(value), str(args, kw, 0, 'query', '') ?? '', intArg('index', arg(args, kw, 1, 'index', null))),
  'ansible.utils.nthhost': (value, args, kw) => nthhost(strArg(value), str(args, kw, 0, 'query', null)),
  'ansible.utils.network_in_usable': (value, args, kw) => within(span(str(args, kw, 0, 'test', null), false), span(strArg(value), true)),
  'ansible.utils.network_in_network': (value, args, kw) => within(span(str(args, kw, 0, 'test', null), false), span(strArg(value), false)),
  'ansible.utils.next_nth_usable': (value, args, kw) => nthUsable(strArg(value), offsetArg(args, kw), 1n),
  'ansible.utils.previous_nth_usable': (value, args, kw) => nthUsable(strArg(value), offsetArg(args, kw), -1n),
  'ansible.utils.cidr_merge': (value, args, kw) => cidrMerge(strListArg('value', value), str(args, kw, 0, 'action', 'merge')),
  'ansible.utils.reduce_on_network': (value, args, kw) => {
    const network = span(str(args, kw, 0, 'network', null), false)
    const addresses = strListArg('value', value)
    if (addresses === null) throw templateError("'NoneType' object is not iterable")
    return addresses.filter((a) => within(span(a, false), network))
  },
  'ansible.utils.ip4_hex': (value, args, kw) => ip4Hex(strArg(value), str(args, kw, 0, 'delimiter', '') ?? 'None'),
  'ansible.utils.slaac': (value, args, kw) => slaac(strArg(value), str(args, kw, 0, 'query', null)),
  'ansible.utils.hwaddr': (value, args, kw) => hwaddr(strArg(value), str(args, kw, 0, 'query', '') ?? '', str(args, kw, 1, 'alias', 'hwaddr') ?? 'hwaddr'),
  'ansible.utils.macaddr': (value, args, kw) => hwaddr(strArg(value), str(args, kw, 0, 'query', '') ?? '', 'macaddr'),
}
