/**
 * Ansible's Linux network facts (facts/network/linux.py): interfaces from /sys/class/net (in
 * listing order), addresses from `ip addr show primary|secondary` (one run each for all devices,
 * split per device: the same lines Ansible's per-device runs print), the default route's interface
 * from `ip route get`; plus the dns, fibre_channel_wwn, iscsi and nvme collectors.
 * Not provided: ethtool's features/timestamping (Ansible runs ethtool per interface when installed).
 */
import { basename, type CmdResult, type Collector, content, type Facts, lines, type Raw, splitlines, words } from './raw.js'

const NET = '/sys/class/net'
const TYPES: Record<string, string> = { '1': 'ether', '32': 'infiniband', '512': 'ppp', '772': 'loopback', '65534': 'tunnel' }
const V4_TARGET = '8.8.8.8'
const V6_TARGET = '2404:6800:400a:800::1012'

const DEVICE_READS = [
  'E:.',
  'F:address',
  'F:mtu',
  'F:operstate',
  'R:device/driver/module',
  'F:type',
  'E:bridge',
  'D:brif',
  'F:bridge/bridge_id',
  'F:bridge/stp_state',
  'E:bonding',
  'F:bonding/slaves',
  'F:bonding/mode',
  'F:bonding/miimon',
  'F:bonding/lacp_rate',
  'F:bonding/primary',
  'E:bonding/all_slaves_active',
  'F:bonding/all_slaves_active',
  'E:bonding_slave',
  'F:bonding_slave/perm_hwaddr',
  'L:device',
  'F:speed',
  'F:flags',
]

/** `ip addr show` output split into each device's block (the header's name, before any @peer). */
export function splitIpAddr(out: string): Map<string, string> {
  const blocks = new Map<string, string>()
  let current: string | undefined
  for (const line of splitlines(out)) {
    const head = /^\d+:\s+([^:@\s]+)(@\S*)?:/.exec(line)
    if (head) {
      current = head[1]!
      blocks.set(current, '')
    }
    if (current !== undefined) blocks.set(current, `${blocks.get(current)}${line}\n`)
  }
  return blocks
}

function defaultRoute(out: CmdResult | null | undefined, target: string): Facts {
  const iface: Facts = {}
  if (!out?.[1]) return iface
  const w = words(splitlines(out[1])[0] ?? '')
  if (w[0] !== target) return iface
  for (let i = 0; i < w.length - 1; i++) {
    if (w[i] === 'dev') iface.interface = w[i + 1]
    else if (w[i] === 'src') iface.address = w[i + 1]
    else if (w[i] === 'via' && w[i + 1] !== target) iface.gateway = w[i + 1]
  }
  return iface
}

const ip4 = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0)
const dotted = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')

type Iface = Record<string, unknown>

export const network: Collector = {
  name: 'network',
  factIds: ['interfaces', 'default_ipv4', 'default_ipv6', 'all_ipv4_addresses', 'all_ipv6_addresses'],
  requires: ['distribution', 'platform'],
  reads: () => [
    { which: 'ip' },
    { cmd: 'ip_route4', argv: ['ip', '-4', 'route', 'get', V4_TARGET] },
    { cmd: 'ip_route6', argv: ['ip', '-6', 'route', 'get', V6_TARGET] },
    { cmd: 'ip_primary', argv: ['ip', 'addr', 'show', 'primary'] },
    { cmd: 'ip_secondary', argv: ['ip', 'addr', 'show', 'secondary'] },
    { each: NET, items: DEVICE_READS },
  ],
  collect(raw) {
    if (!raw.w.ip) return {}
    const def4 = defaultRoute(raw.c.ip_route4, V4_TARGET)
    const def6 = defaultRoute(raw.c.ip_route6, V6_TARGET)
    const interfaces = new Map<string, Iface>()
    const all4: string[] = []
    const all6: string[] = []
    const primary = raw.c.ip_primary?.[0] === 0 ? splitIpAddr(raw.c.ip_primary[1]) : new Map<string, string>()
    const secondary = raw.c.ip_secondary?.[0] === 0 ? splitIpAddr(raw.c.ip_secondary[1]) : new Map<string, string>()
    // Ansible's loop variable: it carries over to the next device when one has no address file
    let macaddress: string | undefined
    for (const device of raw.d[NET] ?? []) {
      const p = `${NET}/${device}`
      if (device.startsWith('.') || !raw.e[`${p}/.`]) continue
      const at = (rel: string) => raw.f[`${p}/${rel}`]
      const dev: Iface = { device }
      interfaces.set(device, dev)
      if (at('address') != null) {
        macaddress = content(raw, `${p}/address`, '')
        if (macaddress && macaddress !== '00:00:00:00:00:00') dev.macaddress = macaddress
      }
      if (at('mtu') != null) dev.mtu = Number.parseInt(content(raw, `${p}/mtu`, ''), 10)
      if (at('operstate') != null) dev.active = content(raw, `${p}/operstate`) !== 'down'
      const module = raw.r[`${p}/device/driver/module`]
      if (module) dev.module = basename(module)
      if (at('type') != null) dev.type = TYPES[content(raw, `${p}/type`, '')] ?? 'unknown'
      if (raw.e[`${p}/bridge`]) {
        dev.type = 'bridge'
        dev.interfaces = (raw.d[`${p}/brif`] ?? []).filter((n) => !n.startsWith('.'))
        if (at('bridge/bridge_id') != null) dev.id = content(raw, `${p}/bridge/bridge_id`, '')
        if (at('bridge/stp_state') != null) dev.stp = content(raw, `${p}/bridge/stp_state`) === '1'
      }
      if (raw.e[`${p}/bonding`]) {
        dev.type = 'bonding'
        dev.slaves = words(content(raw, `${p}/bonding/slaves`, ''))
        dev.mode = words(content(raw, `${p}/bonding/mode`, ''))[0]
        dev.miimon = words(content(raw, `${p}/bonding/miimon`, ''))[0]
        dev.lacp_rate = words(content(raw, `${p}/bonding/lacp_rate`, ''))[0]
        const prim = content(raw, `${p}/bonding/primary`)
        if (prim) {
          dev.primary = prim
          if (raw.e[`${p}/bonding/all_slaves_active`]) dev.all_slaves_active = content(raw, `${p}/bonding/all_slaves_active`) === '1'
        }
      }
      if (raw.e[`${p}/bonding_slave`]) dev.perm_macaddress = content(raw, `${p}/bonding_slave/perm_hwaddr`, '')
      const link = raw.l[`${p}/device`]
      if (link) dev.pciid = basename(link)
      const speed = content(raw, `${p}/speed`)
      if (speed !== undefined) dev.speed = Number.parseInt(speed, 10)
      const flags = content(raw, `${p}/flags`)
      if (flags !== undefined) dev.promisc = (Number.parseInt(flags, 16) & 0x0100) > 0

      const parse = (output: string, isSecondary: boolean) => {
        for (const line of splitlines(output)) {
          if (!line) continue
          const w = words(line)
          if (w[0] === 'inet') {
            let address: string
            let prefix: string
            let broadcast = ''
            if (w[1]!.includes('/')) {
              ;[address, prefix] = w[1]!.split('/') as [string, string]
              if (w.length > 3 && w[2] === 'brd') broadcast = w[3]!
            } else {
              address = w[1]!
              prefix = '32'
            }
            const bits = Number(prefix)
            const mask = bits === 0 ? 0 : (2 ** 32 - 2 ** (32 - bits)) >>> 0
            const net = (ip4(address) & mask) >>> 0
            const entry = { address, broadcast, netmask: dotted(mask), network: dotted(net), prefix }
            const iface = w[w.length - 1]!
            if (iface !== device) interfaces.set(iface, {})
            const target = interfaces.get(iface)!
            if (!isSecondary && !('ipv4' in target)) target.ipv4 = entry
            else target.ipv4_secondaries = [...((target.ipv4_secondaries as unknown[]) ?? []), { ...entry }]
            if (isSecondary) {
              dev.ipv4_secondaries ??= []
              if (device !== iface) (dev.ipv4_secondaries as unknown[]).push({ ...entry })
            }
            if (def4.address === address) {
              Object.assign(def4, {
                broadcast,
                netmask: entry.netmask,
                network: entry.network,
                prefix,
                macaddress,
                mtu: dev.mtu,
                type: dev.type ?? 'unknown',
                alias: iface,
              })
            }
            if (!address.startsWith('127.')) all4.push(address)
          } else if (w[0] === 'inet6') {
            let address: string
            let prefix: string
            let scope: string
            if (w[2] === 'peer') {
              address = w[1]!
              prefix = w[3]!.split('/')[1]!
              scope = w[5]!
            } else {
              ;[address, prefix] = w[1]!.split('/') as [string, string]
              scope = w[3]!
            }
            dev.ipv6 = [...((dev.ipv6 as unknown[]) ?? []), { address, prefix, scope }]
            if (def6.address === address) Object.assign(def6, { prefix, scope, macaddress, mtu: dev.mtu, type: dev.type ?? 'unknown' })
            if (address !== '::1') all6.push(address)
          }
        }
      }
      const prim = primary.get(device)
      if (prim !== undefined) parse(prim, false)
      const sec = secondary.get(device)
      if (sec !== undefined) parse(sec, true)
    }
    const f: Facts = {}
    const names: string[] = []
    for (const [name, dev] of interfaces) {
      names.push(name.replace(/:/g, '_'))
      f[name.replace(/:/g, '_')] = dev
    }
    return { interfaces: names, ...f, default_ipv4: def4, default_ipv6: def6, all_ipv4_addresses: all4, all_ipv6_addresses: all6 }
  },
}

export const fibreChannelWwn: Collector = {
  name: 'fibre_channel_wwn',
  reads: () => [{ each: '/sys/class/fc_host', items: ['F:port_name'] }],
  collect(raw) {
    const wwn: string[] = []
    for (const host of raw.d['/sys/class/fc_host'] ?? []) {
      if (host.startsWith('.')) continue
      for (const line of lines(raw, `/sys/class/fc_host/${host}/port_name`)) wwn.push(line.trimEnd().slice(2))
    }
    return { fibre_channel_wwn: wwn }
  },
}

/** The first line of `path` (comments and blank lines skipped) that starts with `prefix`. */
function firstLine(raw: Raw, path: string, prefix: string): string | undefined {
  for (const line of splitlines(content(raw, path, ''))) {
    if (line.startsWith('#') || line.startsWith(';') || line.trim() === '') continue
    if (line.startsWith(prefix)) return line
  }
  return undefined
}

export const iscsi: Collector = {
  name: 'iscsi',
  reads: () => [{ file: '/etc/iscsi/initiatorname.iscsi' }],
  collect: (raw) => ({ iscsi_iqn: firstLine(raw, '/etc/iscsi/initiatorname.iscsi', 'InitiatorName=')?.split('=').slice(1).join('=') ?? '' }),
}

export const nvme: Collector = {
  name: 'nvme',
  reads: () => [{ file: '/etc/nvme/hostnqn' }],
  collect: (raw) => ({ hostnqn: firstLine(raw, '/etc/nvme/hostnqn', 'nqn.') ?? '' }),
}
