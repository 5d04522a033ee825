/**
 * IPv4 and IPv6 addresses and networks the way python-netaddr 0.8 (what ansible.utils' ip filters
 * run on) parses, prints and counts them. Values are BigInts, so IPv6 is no special case.
 *
 * netaddr's habits kept here: a network remembers the address it was written with (192.168.1.10/24),
 * an IPv4 /31 or /32 has no broadcast address, parsing is the C library's inet_pton (glibc: no
 * leading zeros in IPv4 octets) with netaddr's partial IPv4 forms ('10/8', '192.168.1'), and IPv6
 * prints as glibc's inet_ntop does (::ffff:1.2.3.4, and ::0.1.0.2 for ::1:2).
 */

export type IPVersion = 4 | 6

const widthOf = (version: IPVersion) => (version === 4 ? 32 : 128)
export const maxInt = (version: IPVersion) => (1n << BigInt(widthOf(version))) - 1n

/** Python's int() of a str: an optional sign, digits (single underscores between), blanks around. */
export function pyInt(s: string): bigint | undefined {
  return /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(s) ? BigInt(s.trim().replace(/_/g, '')) : undefined
}

/** Whether Python's float() takes the str (ipaddr treats such a query as an index). */
export const pyFloatable = (s: string) => /^\s*[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d+(?:_\d+)*(?:e[+-]?\d+)?|\d+(?:_\d+)*\.|inf(?:inity)?|nan)\s*$/i.test(s)

/** inet_pton(AF_INET): four decimal octets, no leading zeros (Python's ipaddress.IPv4Address takes the same). */
export function parseV4(s: string): bigint | undefined {
  const parts = s.split('.')
  if (parts.length !== 4) return undefined
  let n = 0n
  for (const p of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined
    n = (n << 8n) | BigInt(p)
  }
  return n
}

/** netaddr's partial IPv4 network address: '10' is 10.0.0.0, '192.168.1' is 192.168.1.0. */
function expandPartialV4(s: string): string | undefined {
  if (s.includes(':')) return undefined
  const tokens = s.split('.').map(pyInt)
  if (tokens.length > 4 || tokens.some((t) => t === undefined)) return undefined
  while (tokens.length < 4) tokens.push(0n)
  return tokens.join('.')
}

/**
 * inet_pton(AF_INET6) as glibc: groups of 1-4 hex digits, one '::' standing for at least one group, an
 * IPv4 tail. Python's ipaddress.IPv6Address takes the same (and a %scope, which ip-python.ts splits off).
 */
export function parseV6(s: string): bigint | undefined {
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  const words: bigint[][] = []
  for (const [h, half] of halves.entries()) {
    const out: bigint[] = []
    const groups = half === '' ? [] : half.split(':')
    for (const [i, g] of groups.entries()) {
      const last = h === halves.length - 1 && i === groups.length - 1
      const v4 = last && g.includes('.') ? parseV4(g) : undefined
      if (v4 !== undefined) out.push(v4 >> 16n, v4 & 0xffffn)
      else if (/^[0-9a-f]{1,4}$/i.test(g)) out.push(BigInt(`0x${g}`))
      else return undefined
    }
    words.push(out)
  }
  const [head = [], tail = []] = words
  const n = head.length + tail.length
  if (halves.length === 1 ? n !== 8 : n > 7) return undefined
  return [...head, ...Array<bigint>(8 - n).fill(0n), ...tail].reduce((acc, w) => (acc << 16n) | w, 0n)
}

/** inet_aton, what netaddr.IPAddress('...') uses for IPv4: 1-4 parts, octal (0..) and hex (0x..), the last part fills the rest. */
function inetAton(s: string): bigint | undefined {
  const parts = s.split(/\s/, 1)[0]!.split('.')
  if (parts.length > 4) return undefined
  const nums: bigint[] = []
  for (const p of parts) {
    if (/^0x[0-9a-f]+$/i.test(p)) nums.push(BigInt(p.toLowerCase()))
    else if (/^0[0-7]*$/.test(p)) nums.push(BigInt(`0o${p}`))
    else if (/^[1-9]\d*$/.test(p)) nums.push(BigInt(p))
    else return undefined
  }
  const last = nums.pop()!
  if (nums.some((x) => x > 255n) || last >= 1n << BigInt(8 * (4 - nums.length))) return undefined
  return nums.reduce((acc, x, i) => acc | (x << BigInt(24 - 8 * i)), last)
}

const hex = (n: bigint) => n.toString(16)

export function formatAddr(n: bigint, version: IPVersion): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => (n >> s) & 0xffn).join('.')
  const words = Array.from({ length: 8 }, (_, i) => (n >> BigInt(112 - 16 * i)) & 0xffffn)
  // glibc's inet_ntop: the first longest run of two or more zero words becomes '::'
  let best = { base: -1, len: 0 }
  for (let i = 0; i < 8; ) {
    let j = i
    while (j < 8 && words[j] === 0n) j++
    if (j - i > best.len) best = { base: i, len: j - i }
    i = j === i ? i + 1 : j
  }
  if (best.len < 2) best = { base: -1, len: 0 }
  // ::a.b.c.d and ::ffff:a.b.c.d keep their IPv4 tail
  const v4tail = best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffffn))
  const group = (from: number, to: number) => words.slice(from, to).map(hex)
  if (best.base < 0) return group(0, 8).join(':')
  const head = group(0, best.base).join(':')
  const tail = v4tail ? [...group(best.base + best.len, 6), formatAddr(n & 0xffffffffn, 4)] : group(best.base + best.len, 8)
  return `${head}::${tail.join(':')}`
}

/** netaddr.IPAddress(int) with no version: a value that fits in 32 bits prints as IPv4. */
export const autoAddr = (n: bigint) => formatAddr(n, n <= maxInt(4) ? 4 : 6)

/** A netaddr.IPNetwork: an address (host bits kept) and a prefix length. */
export class IPNetwork {
  constructor(
    readonly version: IPVersion,
    readonly value: bigint,
    readonly prefix: number,
  ) {}

  /** The network from an integer and a prefix, when both fit the version. */
  static fromInt(version: IPVersion, value: bigint, prefix: bigint): IPNetwork | undefined {
    const fits = value >= 0n && value <= maxInt(version) && prefix >= 0n && prefix <= BigInt(widthOf(version))
    return fits ? new IPNetwork(version, value, Number(prefix)) : undefined
  }

  get width(): number {
    return widthOf(this.version)
  }
  get hostmask(): bigint {
    return (1n << BigInt(this.width - this.prefix)) - 1n
  }
  get netmask(): bigint {
    return maxInt(this.version) ^ this.hostmask
  }
  /** the network address, as an integer */
  get first(): bigint {
    return this.value & this.netmask
  }
  get network(): bigint {
    return this.first
  }
  get last(): bigint {
    return this.value | this.hostmask
  }
  get size(): bigint {
    return this.last - this.first + 1n
  }
  /** netaddr 0.8 gives IPv4 /31 and /32 no broadcast; IPv6 always has one. */
  get broadcast(): bigint | undefined {
    return this.version === 4 && this.prefix >= 31 ? undefined : this.last
  }
  get cidr(): IPNetwork {
    return new IPNetwork(this.version, this.first, this.prefix)
  }
  /** The address alone, as a one-address network. */
  get host(): IPNetwork {
    return new IPNetwork(this.version, this.value, this.width)
  }
  get ip(): string {
    return formatAddr(this.value, this.version)
  }
  toString(): string {
    return `${this.ip}/${this.prefix}`
  }
  /** The whole of `other` lies in this network (netaddr's `other in self`). */
  contains(other: IPNetwork): boolean {
    const shift = BigInt(this.width - this.prefix)
    return other.version === this.version && other.prefix >= this.prefix && other.value >> shift === this.value >> shift
  }
  /** netaddr's sort order: version, first address, prefix, host bits. */
  compare(other: IPNetwork): number {
    const keys = (n: IPNetwork) => [BigInt(n.version), n.first, BigInt(n.prefix), n.value - n.first]
    const [a, b] = [keys(this), keys(other)]
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1
    return 0
  }
}

const isPow2 = (x: bigint) => (x & (x - 1n)) === 0n

/**
 * The prefix length a netmask (255.255.255.0) or else hostmask (0.0.0.255) stands for; all zeros and
 * all ones are netmasks. Python's ipaddress reads an IPv4 mask the same way.
 */
export function maskPrefix(mask: bigint, version: IPVersion): number | undefined {
  const width = widthOf(version)
  const hostBits = (m: bigint) => m.toString(2).replace(/^0$/, '').length
  if (isPow2((mask ^ maxInt(version)) + 1n)) return width - hostBits(mask ^ maxInt(version))
  if (isPow2(mask + 1n)) return width - hostBits(mask)
  return undefined
}

function parseAs(version: IPVersion, s: string): IPNetwork | undefined {
  const slash = s.indexOf('/')
  const addr = slash < 0 ? s : s.slice(0, slash)
  const parse = version === 4 ? parseV4 : parseV6
  let value = parse(addr)
  if (value === undefined && version === 4) {
    const expanded = expandPartialV4(addr)
    value = expanded === undefined ? undefined : parseV4(expanded)
  }
  if (value === undefined) return undefined
  if (slash < 0) return new IPNetwork(version, value, widthOf(version))
  const maskText = s.slice(slash + 1)
  let prefix: bigint | number | undefined = pyInt(maskText)
  if (prefix === undefined) {
    const mask = parse(maskText)
    prefix = mask === undefined ? undefined : maskPrefix(mask, version)
  }
  return prefix === undefined ? undefined : IPNetwork.fromInt(version, value, BigInt(prefix))
}

/** netaddr.IPNetwork('...'): an address with an optional /prefix, /netmask or /hostmask; IPv4 tried first. */
export const parseNetwork = (s: string): IPNetwork | undefined => parseAs(4, s) ?? parseAs(6, s)

/** netaddr.IPAddress('...'): inet_aton for IPv4 (so '10.1' is 10.0.0.1), else IPv6. */
export function parseAddress(s: string): IPNetwork | undefined {
  const v4 = inetAton(s)
  if (v4 !== undefined) return new IPNetwork(4, v4, 32)
  const v6 = parseV6(s)
  return v6 === undefined ? undefined : new IPNetwork(6, v6, 128)
}

export function reverseDns(n: IPNetwork): string {
  if (n.version === 4) return `${n.ip.split('.').reverse().join('.')}.in-addr.arpa.`
  return `${[...n.value.toString(16).padStart(32, '0')].reverse().join('.')}.ip6.arpa.`
}

// netaddr's address classes; 239.0.0.0/8 is its IPRange 239.0.0.0-239.255.255.255 (administrative multicast)
const nets = (...cidrs: string[]) => cidrs.map((c) => parseNetwork(c)!)
const PRIVATE = nets('10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '239.0.0.0/8', 'fc00::/7', 'fec0::/10')
const LINK_LOCAL = nets('169.254.0.0/16', 'fe80::/10')
const MULTICAST = nets('224.0.0.0/4', 'ff00::/8')
const [LOOPBACK_V4] = nets('127.0.0.0/8')

const inAny = (list: IPNetwork[], n: IPNetwork) => list.some((c) => c.contains(n))
/** These take a whole network: it is private only when all of it is. */
export const isLinkLocal = (n: IPNetwork) => inAny(LINK_LOCAL, n)
export const isPrivate = (n: IPNetwork) => inAny(PRIVATE, n) || isLinkLocal(n)
export const isMulticast = (n: IPNetwork) => inAny(MULTICAST, n)
/** IPv6 has one loopback address, ::1. */
export const isLoopback = (n: IPNetwork) => (n.version === 4 ? LOOPBACK_V4!.contains(n.host) : n.value === 1n)
export const isNetmask = (n: IPNetwork) => isPow2((n.value ^ maxInt(n.version)) + 1n)
export const isHostmask = (n: IPNetwork) => isPow2(n.value + 1n)

/** The fewest CIDR blocks that cover first..last exactly (netaddr.iprange_to_cidrs). */
function rangeToCidrs(version: IPVersion, first: bigint, last: bigint): IPNetwork[] {
  const out: IPNetwork[] = []
  const width = widthOf(version)
  while (first <= last) {
    let bits = 0
    while (bits < width && first % (1n << BigInt(bits + 1)) === 0n && first + (1n << BigInt(bits + 1)) - 1n <= last) bits++
    out.push(new IPNetwork(version, first, width - bits))
    first += 1n << BigInt(bits)
  }
  return out
}

/** Math.min, which takes no BigInts. */
function minBig(a: bigint, b: bigint): bigint {
  if (a < b) return a
  return b
}

/** netaddr.cidr_merge: overlapping and adjacent networks joined; one left alone keeps its host bits. */
export function mergeCidrs(networks: IPNetwork[]): IPNetwork[] {
  type Range = { version: IPVersion; first: bigint; last: bigint; original?: IPNetwork }
  const cmp = (a: bigint | number, b: bigint | number) => (a < b ? -1 : a > b ? 1 : 0)
  const ranges: Range[] = networks.map((n) => ({ version: n.version, first: n.first, last: n.last, original: n }))
  ranges.sort((a, b) => cmp(a.version, b.version) || cmp(a.last, b.last) || cmp(a.first, b.first) || a.original!.compare(b.original!))
  for (let i = ranges.length - 1; i > 0; i--) {
    const [prev, cur] = [ranges[i - 1]!, ranges[i]!]
    if (prev.version === cur.version && cur.first - 1n <= prev.last) {
      ranges[i - 1] = { version: cur.version, first: minBig(prev.first, cur.first), last: cur.last }
      ranges.splice(i, 1)
    }
  }
  return ranges.flatMap((r) => (r.original ? [r.original] : rangeToCidrs(r.version, r.first, r.last)))
}

/** netaddr.spanning_cidr: the smallest network holding them all (the first two fix the version). */
export function spanningCidr(networks: IPNetwork[]): IPNetwork {
  let [min, max] = networks[0]!.compare(networks[1]!) < 0 ? [networks[0]!, networks[1]!] : [networks[1]!, networks[0]!]
  for (const n of networks.slice(2)) {
    if (n.compare(min) < 0) min = n
    if (n.compare(max) > 0) max = n
  }
  if (min.version !== max.version) throw new Error('IP sequence cannot contain both IPv4 and IPv6!')
  let ipnum = max.last
  let prefix = max.prefix
  while (prefix > 0 && ipnum > min.first) {
    prefix--
    ipnum &= -(1n << BigInt(max.width - prefix))
  }
  return new IPNetwork(min.version, ipnum, prefix)
}

// --- MAC addresses (netaddr.EUI) ---

const macFormats = (parts: Array<[number, string, string]>) =>
  parts.map(([count, sep, digits]) => new RegExp(`^${Array(count).fill(`([0-9A-F]${digits})`).join(sep)}$`, 'i'))
const EUI48_FORMATS = macFormats([
  [6, ':', '{1,2}'],
  [6, '-', '{1,2}'],
  [3, ':', '{1,4}'],
  [3, '-', '{1,4}'],
  [3, '\\.', '{1,4}'],
  [2, '-', '{5,6}'],
  [2, ':', '{5,6}'],
  [1, '', '{12}'],
  [1, '', '{11}'],
])
const EUI64_FORMATS = macFormats([
  [8, ':', '{1,2}'],
  [8, '-', '{1,2}'],
  [4, ':', '{1,4}'],
  [4, '-', '{1,4}'],
  [4, '\\.', '{1,4}'],
  [1, '', '{16}'],
])

export interface EUI {
  bits: 48 | 64
  value: bigint
}

/** netaddr.EUI('...'): a MAC (EUI-48) or EUI-64 in any of netaddr's spellings, else a plain integer. */
export function parseEui(s: string): EUI | undefined {
  // Python's `$` also matches before a final newline
  const text = s.endsWith('\n') ? s.slice(0, -1) : s
  for (const [bits, formats] of [
    [48, EUI48_FORMATS],
    [64, EUI64_FORMATS],
  ] as const) {
    for (const re of formats) {
      const m = re.exec(text)
      if (m) return { bits, value: m.slice(1).reduce((acc, w) => (acc << BigInt(bits / (m.length - 1))) | BigInt(`0x${w}`), 0n) }
    }
    const n = pyInt(s)
    if (n !== undefined && n >= 0n && n < 1n << BigInt(bits)) return { bits, value: n }
  }
  return undefined
}

/** A MAC address written in `count` words of `digits` hex digits (uppercase when `upper`), joined with `sep`. */
export function formatMac(eui: EUI, count: number, digits: number, sep: string, upper = false, pad = true): string {
  if (eui.value > 0xffffffffffffn) throw new Error(`integer out of bounds: '0x${hex(eui.value)}'!`)
  const bits = 48 / count
  const words = Array.from({ length: count }, (_, i) => (eui.value >> BigInt(48 - bits * (i + 1))) & ((1n << BigInt(bits)) - 1n))
  const text = words.map((w) => (pad ? hex(w).padStart(digits, '0') : hex(w))).join(sep)
  return upper ? text.toUpperCase() : text
}

/** The modified EUI-64 interface id of a MAC (RFC 4291): ff:fe in the middle, the universal/local bit flipped. */
export function modifiedEui64(eui: EUI): bigint {
  const eui64 = eui.bits === 48 ? ((eui.value >> 24n) << 40n) | 0xfffe000000n | (eui.value & 0xffffffn) : eui.value
  return eui64 ^ 0x0200000000000000n
}
