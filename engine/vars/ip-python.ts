/**
 * IPv4 and IPv6 addresses and networks as Python's ipaddress module parses and classifies them:
 * what ansible.utils' IP *tests* run on (its filters run on python-netaddr: ip-address.ts).
 *
 * ipaddress is stricter than netaddr: no partial IPv4 ('10/8', '1.2.3'), no leading zeros, a
 * network must have no host bits set ('10.1.1.1/8' is no network), an IPv6 mask is a prefix length
 * only; an IPv6 address may carry a %scope, which takes part in comparing network addresses. The
 * is_private / is_global tables are Python 3.11's as Debian ships it (with the CVE-2024-4032 fix:
 * 192.0.0.9, 2001:20::/28, ... are global, an IPv4-mapped address is what its IPv4 address is).
 */
import { formatAddr, type IPVersion, maskPrefix, maxInt, parseV4, parseV6 } from './ip-address.js'

export interface PyAddress {
  version: IPVersion
  ip: bigint
  /** IPv6's %scope, if written */
  scope?: string
}

/** An ipaddress.IPv4Network / IPv6Network: its network address (scope included) and prefix length. */
export interface PyNetwork {
  address: PyAddress
  prefix: number
}

const width = (version: IPVersion) => (version === 4 ? 32 : 128)
const hostmask = (n: PyNetwork) => (1n << BigInt(width(n.address.version) - n.prefix)) - 1n
const netmask = (n: PyNetwork) => maxInt(n.address.version) ^ hostmask(n)
const broadcast = (n: PyNetwork) => n.address.ip | hostmask(n)

function v4Address(s: string): PyAddress | undefined {
  const ip = s.includes('/') ? undefined : parseV4(s)
  return ip === undefined ? undefined : { version: 4, ip }
}

/** IPv6Address: the text before the first '%' is the address; a scope must follow, with no second '%'. */
function v6Address(s: string): PyAddress | undefined {
  if (s.includes('/')) return undefined
  const pct = s.indexOf('%')
  const scope = pct < 0 ? undefined : s.slice(pct + 1)
  if (scope !== undefined && (scope === '' || scope.includes('%'))) return undefined
  const ip = parseV6(pct < 0 ? s : s.slice(0, pct))
  return ip === undefined ? undefined : { version: 6, ip, ...(scope === undefined ? {} : { scope }) }
}

/** ipaddress.ip_address(s): IPv4 tried first. */
export const ipAddress = (s: string): PyAddress | undefined => v4Address(s) ?? v6Address(s)

/** A prefix length ('24', '024'), or for IPv4 a netmask (255.255.255.0) or else a hostmask (0.0.0.255). */
function maskToPrefix(mask: string, version: IPVersion): number | undefined {
  if (/^[0-9]+$/.test(mask)) return Number(mask) <= width(version) ? Number(mask) : undefined
  if (version === 6) return undefined
  const n = parseV4(mask)
  return n === undefined ? undefined : maskPrefix(n, 4)
}

/** ipaddress.ip_network(s) (strict): an address with an optional /mask, host bits unset; IPv4 tried first. */
export function ipNetwork(s: string): PyNetwork | undefined {
  const parts = s.split('/')
  if (parts.length > 2) return undefined
  const address = ipAddress(parts[0]!)
  if (!address) return undefined
  const prefix = parts.length === 1 ? width(address.version) : maskToPrefix(parts[1]!, address.version)
  if (prefix === undefined) return undefined
  const net = { address, prefix }
  return (address.ip & netmask(net)) === address.ip ? net : undefined
}

/** str(network.netmask) and str(network.hostmask). */
export const netmaskText = (n: PyNetwork) => formatAddr(netmask(n), n.address.version)
export const hostmaskText = (n: PyNetwork) => formatAddr(hostmask(n), n.address.version)

/** IPv6 addresses compare equal only with the same scope (Python's IPv6Address.__eq__). */
const addressLe = (a: PyAddress, b: PyAddress) => a.ip < b.ip || (a.ip === b.ip && a.scope === b.scope)

/** ansible.utils' _is_subnet_of: same version, and b's range covers a's. */
export function isSubnetOf(a: PyNetwork, b: PyNetwork): boolean {
  return a.address.version === b.address.version && addressLe(b.address, a.address) && broadcast(b) >= broadcast(a)
}

const nets = (...cidrs: string[]) => cidrs.map((c) => ipNetwork(c)!)
const inAny = (a: PyAddress, list: PyNetwork[]) => list.some((n) => n.address.version === a.version && (a.ip & netmask(n)) === n.address.ip)

const V4 = {
  private: nets(
    '0.0.0.0/8',
    '10.0.0.0/8',
    '127.0.0.0/8',
    '169.254.0.0/16',
    '172.16.0.0/12',
    '192.0.0.0/24',
    '192.0.0.170/31',
    '192.0.2.0/24',
    '192.168.0.0/16',
    '198.18.0.0/15',
    '198.51.100.0/24',
    '203.0.113.0/24',
    '240.0.0.0/4',
    '255.255.255.255/32',
  ),
  privateExceptions: nets('192.0.0.9/32', '192.0.0.10/32'),
  shared: nets('100.64.0.0/10'),
  reserved: nets('240.0.0.0/4'),
  multicast: nets('224.0.0.0/4'),
  loopback: nets('127.0.0.0/8'),
}
const V6 = {
  private: nets('::1/128', '::/128', '::ffff:0:0/96', '64:ff9b:1::/48', '100::/64', '2001::/23', '2001:db8::/32', '2002::/16', 'fc00::/7', 'fe80::/10'),
  privateExceptions: nets('2001:1::1/128', '2001:1::2/128', '2001:3::/32', '2001:4:112::/48', '2001:20::/28', '2001:30::/28'),
  reserved: nets(
    '::/8',
    '100::/8',
    '200::/7',
    '400::/6',
    '800::/5',
    '1000::/4',
    '4000::/3',
    '6000::/3',
    '8000::/3',
    'a000::/3',
    'c000::/3',
    'e000::/4',
    'f000::/5',
    'f800::/6',
    'fe00::/9',
  ),
  multicast: nets('ff00::/8'),
}

/** IPv6Address.ipv4_mapped / .teredo / .sixtofour: whether the address has one. */
export const ipv4Mapped = (a: PyAddress): PyAddress | undefined =>
  a.version === 6 && a.ip >> 32n === 0xffffn ? { version: 4, ip: a.ip & 0xffffffffn } : undefined
export const isTeredo = (a: PyAddress) => a.version === 6 && a.ip >> 96n === 0x20010000n
export const isSixToFour = (a: PyAddress) => a.version === 6 && a.ip >> 112n === 0x2002n

export function isPrivate(a: PyAddress): boolean {
  const mapped = ipv4Mapped(a)
  if (mapped) return isPrivate(mapped)
  const t = a.version === 4 ? V4 : V6
  return inAny(a, t.private) && !inAny(a, t.privateExceptions)
}
/** is_global: not private, and for IPv4 not shared address space (100.64.0.0/10, neither private nor global). */
export const isGlobal = (a: PyAddress) => !(a.version === 4 && inAny(a, V4.shared)) && !isPrivate(a)
export const isReserved = (a: PyAddress) => inAny(a, a.version === 4 ? V4.reserved : V6.reserved)
export const isMulticast = (a: PyAddress) => inAny(a, a.version === 4 ? V4.multicast : V6.multicast)
/** IPv4's 127.0.0.0/8; IPv6 has one loopback address, ::1 (an IPv4-mapped 127.x is not one in 3.11). */
export const isLoopback = (a: PyAddress) => (a.version === 4 ? inAny(a, V4.loopback) : a.ip === 1n)
export const isUnspecified = (a: PyAddress) => a.ip === 0n
