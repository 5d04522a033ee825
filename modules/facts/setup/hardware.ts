/**
 * Ansible's Linux hardware facts (facts/hardware/linux.py): processor from /proc/cpuinfo, memory
 * from /proc/meminfo, DMI from /sys (dmidecode where /sys has none), uptime, LVM, mounts (statvfs,
 * findmnt for bind mounts, lsblk / udevadm for UUIDs).
 * Not provided: `devices` and `device_links` (Ansible walks /sys/block and runs lspci/sg_inq).
 */
import { type CmdResult, type Collector, content, type Facts, lines, type Raw, splitlines, words } from './raw.js'

const DMI = '/sys/devices/virtual/dmi/id'
const FORM_FACTOR = [
  'Unknown',
  'Other',
  'Unknown',
  'Desktop',
  'Low Profile Desktop',
  'Pizza Box',
  'Mini Tower',
  'Tower',
  'Portable',
  'Laptop',
  'Notebook',
  'Hand Held',
  'Docking Station',
  'All In One',
  'Sub Notebook',
  'Space-saving',
  'Lunch Box',
  'Main Server Chassis',
  'Expansion Chassis',
  'Sub Chassis',
  'Bus Expansion Chassis',
  'Peripheral Chassis',
  'RAID Chassis',
  'Rack Mount Chassis',
  'Sealed-case PC',
  'Multi-system',
  'CompactPCI',
  'AdvancedTCA',
  'Blade',
  'Blade Enclosure',
  'Tablet',
  'Convertible',
  'Detachable',
  'IoT Gateway',
  'Embedded PC',
  'Mini PC',
  'Stick PC',
]
/** fact: [file under /sys/devices/virtual/dmi/id, dmidecode -s keyword] */
const DMI_KEYS: Record<string, [string, string]> = {
  bios_date: ['bios_date', 'bios-release-date'],
  bios_vendor: ['bios_vendor', 'bios-vendor'],
  bios_version: ['bios_version', 'bios-version'],
  board_asset_tag: ['board_asset_tag', 'baseboard-asset-tag'],
  board_name: ['board_name', 'baseboard-product-name'],
  board_serial: ['board_serial', 'baseboard-serial-number'],
  board_vendor: ['board_vendor', 'baseboard-manufacturer'],
  board_version: ['board_version', 'baseboard-version'],
  chassis_asset_tag: ['chassis_asset_tag', 'chassis-asset-tag'],
  chassis_serial: ['chassis_serial', 'chassis-serial-number'],
  chassis_vendor: ['chassis_vendor', 'chassis-manufacturer'],
  chassis_version: ['chassis_version', 'chassis-version'],
  form_factor: ['chassis_type', 'chassis-type'],
  product_name: ['product_name', 'system-product-name'],
  product_serial: ['product_serial', 'system-serial-number'],
  product_uuid: ['product_uuid', 'system-uuid'],
  product_version: ['product_version', 'system-version'],
  system_vendor: ['sys_vendor', 'system-manufacturer'],
}

function cpuFacts(raw: Raw, collected: Facts): Facts {
  const f: Facts = {}
  let xen = !!raw.e['/proc/xen']
  if (!xen) {
    const first = lines(raw, '/sys/hypervisor/type')[0]
    if (first !== undefined && first.trim() === 'xen') xen = true
  }
  if (raw.f['/proc/cpuinfo'] == null) return f
  let xenParavirt = false
  let i = 0
  let vendorIds = 0
  let modelNames = 0
  let processors = 0
  let physid: unknown = 0
  let coreid: unknown = 0
  const sockets = new Map<unknown, number>()
  const cores = new Map<unknown, number>()
  const processor: string[] = []
  f.processor = processor
  for (const line of lines(raw, '/proc/cpuinfo')) {
    const colon = line.indexOf(':')
    const key = (colon < 0 ? line : line.slice(0, colon)).trim()
    const val = colon < 0 ? '' : line.slice(colon + 1).trim()
    if (xen && key === 'flags' && !val.includes('vme')) xenParavirt = true
    if (['model name', 'Processor', 'vendor_id', 'cpu', 'Vendor', 'processor'].includes(key)) {
      processor.push(val)
      if (key === 'vendor_id') vendorIds++
      if (key === 'model name') modelNames++
      if (key === 'processor') processors++
      i++
    } else if (key === 'physical id') {
      physid = val
      if (!sockets.has(physid)) sockets.set(physid, 1)
    } else if (key === 'core id') {
      coreid = val
      // (sic) Ansible tests `sockets` here
      if (!sockets.has(coreid)) cores.set(coreid, 1)
    } else if (key === 'cpu cores') sockets.set(physid, Number.parseInt(val, 10))
    else if (key === 'siblings') cores.set(coreid, Number.parseInt(val, 10))
    else if (key === '# processors') f.processor_cores = Number.parseInt(val, 10)
    else if (key === 'ncpus active') i = Number.parseInt(val, 10)
  }
  if (vendorIds > 0 && vendorIds === modelNames) i = vendorIds
  const arch = String(collected.ansible_architecture ?? '')
  if (['armv', 'aarch', 'ppc'].some((p) => arch.startsWith(p))) i = processors
  if (arch === 's390x') return f
  if (xenParavirt) {
    Object.assign(f, { processor_count: i, processor_cores: i, processor_threads_per_core: 1, processor_vcpus: i })
    return f
  }
  f.processor_count = sockets.size ? sockets.size : i
  const socketValues = [...sockets.values()]
  f.processor_cores = socketValues.length && socketValues[0] ? socketValues[0] : 1
  const coreValues = [...cores.values()]
  f.processor_threads_per_core = Math.floor((coreValues.length ? coreValues[0]! : 1) / (f.processor_cores as number))
  f.processor_vcpus = (f.processor_threads_per_core as number) * (f.processor_count as number) * (f.processor_cores as number)
  f.processor_nproc = raw.nproc ?? processors
  return f
}

const ORIGINAL_MEMORY = ['MemTotal', 'SwapTotal', 'MemFree', 'SwapFree']
const MEMORY = [...ORIGINAL_MEMORY, 'Buffers', 'Cached', 'SwapCached']

function memoryFacts(raw: Raw): Facts {
  if (raw.f['/proc/meminfo'] == null) return {}
  const f: Facts = {}
  const m: Record<string, number> = {}
  for (const line of lines(raw, '/proc/meminfo')) {
    const colon = line.indexOf(':')
    const key = colon < 0 ? line : line.slice(0, colon)
    if (!MEMORY.includes(key)) continue
    const val = Math.floor(
      Number.parseInt(
        line
          .slice(colon + 1)
          .trim()
          .split(' ')[0]!,
        10,
      ) / 1024,
    )
    if (ORIGINAL_MEMORY.includes(key)) f[`${key.toLowerCase()}_mb`] = val
    m[key.toLowerCase()] = val
  }
  const has = (...k: string[]) => k.every((x) => m[x] !== undefined)
  const nocacheFree = has('cached', 'memfree', 'buffers') ? m.cached! + m.memfree! + m.buffers! : undefined
  f.memory_mb = {
    real: { total: m.memtotal ?? null, used: has('memtotal', 'memfree') ? m.memtotal! - m.memfree! : null, free: m.memfree ?? null },
    nocache: { free: nocacheFree ?? null, used: m.memtotal !== undefined && nocacheFree !== undefined ? m.memtotal - nocacheFree : null },
    swap: {
      total: m.swaptotal ?? null,
      free: m.swapfree ?? null,
      used: has('swaptotal', 'swapfree') ? m.swaptotal! - m.swapfree! : null,
      cached: m.swapcached ?? null,
    },
  }
  return f
}

function dmiFacts(raw: Raw): Facts {
  const f: Facts = {}
  const viaSys = !!raw.e[`${DMI}/product_name`]
  for (const [key, [file, keyword]] of Object.entries(DMI_KEYS)) {
    if (viaSys) {
      const data = content(raw, `${DMI}/${file}`)
      if (data === undefined) f[key] = 'NA'
      else if (key === 'form_factor') {
        const n = Number.parseInt(data, 10)
        f[key] = FORM_FACTOR.at(n) ?? `unknown (${data})`
      } else f[key] = data
    } else {
      const out = raw.c[`dmidecode_${keyword}`]
      f[key] =
        out && out[0] === 0
          ? splitlines(out[1])
              .filter((l) => !l.startsWith('#'))
              .join('')
          : 'NA'
    }
  }
  return f
}

function lvmFacts(raw: Raw): Facts {
  if (raw.user?.uid !== 0 || !raw.w.vgs) return { lvm: 'N/A' }
  const rows = (name: string) => (raw.c[name] ? splitlines(raw.c[name]![1]).map((l) => l.trim().split(',')) : [])
  const vgs: Facts = {}
  for (const r of rows('vgs')) vgs[r[0]!] = { size_g: r.at(-2), free_g: r.at(-1), num_lvs: r[2], num_pvs: r[1] }
  const lvs: Facts = {}
  for (const r of rows('lvs')) lvs[r[0]!] = { size_g: r[3], vg: r[1] }
  const pvs: Facts = {}
  // (Ansible maps /dev/dm-N to its /dev/mapper name with dmsetup; acplay keeps the dm name)
  for (const r of rows('pvs')) pvs[r[0]!] = { size_g: r[4], free_g: r[5], vg: r[1] }
  return { lvm: { lvs, vgs, pvs } }
}

const unescapeOctal = (s: string) => s.replace(/\\[0-9]{3}/g, (m) => String.fromCharCode(Number.parseInt(m.slice(1), 8)))

function udevUuid(out: CmdResult | undefined): string {
  if (out?.[0] !== 0) return 'N/A'
  return /ID_FS_UUID=(.*)\n/.exec(out[1])?.[1] ?? 'N/A'
}

function mountFacts(raw: Raw): Facts {
  const binds = new Set<string>()
  const findmnt = raw.c.findmnt
  if (findmnt && findmnt[0] === 0) {
    for (const line of splitlines(findmnt[1])) {
      const w = words(line)
      if (w.length >= 2 && /\]/.test(w[1]!)) binds.add(w[0]!)
    }
  }
  const uuids = new Map<string, string>()
  const lsblk = raw.c.lsblk
  if (lsblk && lsblk[0] === 0) {
    for (const line of splitlines(lsblk[1])) {
      const w = line.trim().match(/^(.*\S)\s+(\S+)$/)
      if (w && !uuids.has(w[1]!.trim())) uuids.set(w[1]!.trim(), w[2]!.trim())
    }
  }
  const m = raw.mounts!
  const results = new Map<string, Facts>()
  for (const line of splitlines(m.mtab)) {
    const fields = words(line)
    if (fields.length < 4) continue
    const [device, mount, fstype, options] = fields.map(unescapeOctal) as [string, string, string, string]
    if ((!device.startsWith('/') && !device.startsWith('\\') && !device.includes(':/')) || fstype === 'none') continue
    const info: Facts = { mount, device, fstype, options: binds.has(mount) && !/.*bind.*"/.test(options) ? `${options},bind` : options }
    const s = m.statvfs[mount]
    if (s) {
      const [frsize, blocks, bavail, bsize, files, favail] = s as [number, number, number, number, number, number]
      Object.assign(info, {
        size_total: frsize * blocks,
        size_available: frsize * bavail,
        block_size: bsize,
        block_total: blocks,
        block_available: bavail,
        block_used: blocks - bavail,
        inode_total: files,
        inode_available: favail,
        inode_used: files - favail,
      })
    }
    info.uuid = uuids.get(device) || udevUuid(m.udevadm[device]) || 'N/A'
    results.set(mount, info)
  }
  return { mounts: [...results.values()] }
}

export const hardware: Collector = {
  name: 'hardware',
  factIds: ['processor', 'processor_cores', 'processor_count', 'mounts', 'devices'],
  requires: ['platform'],
  reads: () => [
    { exists: '/proc/xen' },
    { file: '/sys/hypervisor/type' },
    { file: '/proc/cpuinfo' },
    { probe: 'NPROC' },
    { file: '/proc/meminfo' },
    { exists: `${DMI}/product_name` },
    ...Object.values(DMI_KEYS).map(([file]) => ({ file: `${DMI}/${file}` })),
    ...Object.values(DMI_KEYS).map(([, kw]) => ({ cmd: `dmidecode_${kw}`, argv: ['dmidecode', '-s', kw], unlessExists: `${DMI}/product_name` })),
    { file: '/proc/uptime' },
    { probe: 'USER' },
    { which: 'vgs' },
    ...['vgs', 'lvs', 'pvs'].map((c) => ({ cmd: c, argv: [c, '--noheadings', '--nosuffix', '--units', 'g', '--separator', ','] })),
    { cmd: 'findmnt', argv: ['findmnt', '--list', '--noheadings', '--notruncate'] },
    { cmd: 'lsblk', argv: ['lsblk', '--list', '--noheadings', '--paths', '--output', 'NAME,UUID', '--exclude', '2'] },
    { probe: 'MOUNTS' },
  ],
  collect(raw, collected) {
    const uptime = content(raw, '/proc/uptime')
    return {
      ...cpuFacts(raw, collected),
      ...memoryFacts(raw),
      ...dmiFacts(raw),
      ...(uptime ? { uptime_seconds: Math.trunc(Number.parseFloat(uptime.split(' ')[0]!)) } : {}),
      ...lvmFacts(raw),
      ...mountFacts(raw),
    }
  },
}
