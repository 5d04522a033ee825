/**
 * Ansible's distribution facts (facts/system/distribution.py): a first guess from the `distro`
 * library's sources (os-release, `lsb_release -a`, the distro release file in /etc), then the
 * distribution files Ansible knows, in its order, each with its own parser; os_family from the name.
 */
import { type Collector, content, type Facts, lines, type Raw, splitlines, words } from './raw.js'

const OSDIST_LIST: { path: string; name: string; allowEmpty?: boolean }[] = [
  { path: '/etc/altlinux-release', name: 'Altlinux' },
  { path: '/etc/oracle-release', name: 'OracleLinux' },
  { path: '/etc/slackware-version', name: 'Slackware' },
  { path: '/etc/centos-release', name: 'CentOS' },
  { path: '/etc/redhat-release', name: 'RedHat' },
  { path: '/etc/vmware-release', name: 'VMwareESX', allowEmpty: true },
  { path: '/etc/openwrt_release', name: 'OpenWrt' },
  { path: '/etc/os-release', name: 'Amazon' },
  { path: '/etc/system-release', name: 'Amazon' },
  { path: '/etc/alpine-release', name: 'Alpine' },
  { path: '/etc/arch-release', name: 'Archlinux', allowEmpty: true },
  { path: '/etc/os-release', name: 'Archlinux' },
  { path: '/etc/os-release', name: 'SUSE' },
  { path: '/etc/SuSE-release', name: 'SUSE' },
  { path: '/etc/gentoo-release', name: 'Gentoo' },
  { path: '/etc/os-release', name: 'Debian' },
  { path: '/etc/lsb-release', name: 'Debian' },
  { path: '/etc/lsb-release', name: 'Mandriva' },
  { path: '/etc/sourcemage-release', name: 'SMGL' },
  { path: '/usr/lib/os-release', name: 'ClearLinux' },
  { path: '/etc/coreos/update.conf', name: 'Coreos' },
  { path: '/etc/os-release', name: 'Flatcar' },
  { path: '/etc/os-release', name: 'NA' },
]

const SEARCH_STRING: Record<string, string> = { OracleLinux: 'Oracle Linux', RedHat: 'Red Hat', Altlinux: 'ALT', SMGL: 'Source Mage GNU/Linux' }
const OS_RELEASE_ALIAS: Record<string, string> = { Archlinux: 'Arch Linux' }

const OS_FAMILY_MAP: Record<string, string[]> = {
  RedHat: [
    'RedHat',
    'RHEL',
    'Fedora',
    'CentOS',
    'Scientific',
    'SLC',
    'Ascendos',
    'CloudLinux',
    'PSBM',
    'OracleLinux',
    'OVS',
    'OEL',
    'Amazon',
    'Virtuozzo',
    'XenServer',
    'Alibaba',
    'EulerOS',
    'openEuler',
    'AlmaLinux',
    'Rocky',
    'TencentOS',
    'EuroLinux',
    'Kylin Linux Advanced Server',
  ],
  Debian: [
    'Debian',
    'Ubuntu',
    'Raspbian',
    'Neon',
    'KDE neon',
    'Linux Mint',
    'SteamOS',
    'Devuan',
    'Kali',
    'Cumulus Linux',
    'Pop!_OS',
    'Parrot',
    'Pardus GNU/Linux',
    'Uos',
    'Deepin',
    'OSMC',
  ],
  Suse: ['SuSE', 'SLES', 'SLED', 'openSUSE', 'openSUSE Tumbleweed', 'SLES_SAP', 'SUSE_LINUX', 'openSUSE Leap'],
  Archlinux: ['Archlinux', 'Antergos', 'Manjaro'],
  Mandrake: ['Mandrake', 'Mandriva'],
  Solaris: ['Solaris', 'Nexenta', 'OmniOS', 'OpenIndiana', 'SmartOS'],
  Slackware: ['Slackware'],
  Altlinux: ['Altlinux'],
  SGML: ['SGML'],
  Gentoo: ['Gentoo', 'Funtoo'],
  Alpine: ['Alpine'],
  AIX: ['AIX'],
  'HP-UX': ['HPUX'],
  Darwin: ['MacOSX'],
  FreeBSD: ['FreeBSD', 'TrueOS'],
  ClearLinux: ['Clear Linux OS', 'Clear Linux Mix'],
  DragonFly: ['DragonflyBSD', 'DragonFlyBSD', 'Gentoo/DragonflyBSD', 'Gentoo/DragonFlyBSD'],
  NetBSD: ['NetBSD'],
}
const OS_FAMILY = new Map(Object.entries(OS_FAMILY_MAP).flatMap(([family, names]) => names.map((n) => [n, family] as const)))

/** Python's shlex in posix mode with whitespace_split (how `distro` reads os-release). */
export function shlexPosix(text: string): string[] {
  const out: string[] = []
  let tok: string | null = null
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (/\s/.test(c)) {
      if (tok !== null) out.push(tok)
      tok = null
      i++
    } else if (c === '#') {
      if (tok !== null) out.push(tok)
      tok = null
      while (i < text.length && text[i] !== '\n') i++
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1)
      if (end < 0) throw new Error('No closing quotation')
      tok = (tok ?? '') + text.slice(i + 1, end)
      i = end + 1
    } else if (c === '"') {
      let s = ''
      i++
      for (;;) {
        if (i >= text.length) throw new Error('No closing quotation')
        const d = text[i]!
        if (d === '"') break
        if (d === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          s += text[i + 1]
          i += 2
          continue
        }
        s += d
        i++
      }
      tok = (tok ?? '') + s
      i++
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new Error('No escaped character')
      if (text[i + 1] !== '\n') tok = (tok ?? '') + text[i + 1]
      i += 2
    } else {
      tok = (tok ?? '') + c
      i++
    }
  }
  if (tok !== null) out.push(tok)
  return out
}

/** distro's os-release parser: lower-cased keys, plus `codename`. */
export function parseOsRelease(text: string): Record<string, string> {
  const props: Record<string, string> = {}
  let tokens: string[] = []
  try {
    tokens = shlexPosix(text)
  } catch {
    return props
  }
  for (const t of tokens) {
    const eq = t.indexOf('=')
    if (eq >= 0) props[t.slice(0, eq).toLowerCase()] = t.slice(eq + 1)
  }
  if ('version_codename' in props) props.codename = props.version_codename!
  else if ('ubuntu_codename' in props) props.codename = props.ubuntu_codename!
  else if ('version' in props) {
    const m = /(\(\D+\))|,(\s+)?\D+/.exec(props.version!)
    if (m)
      props.codename = m[0]
        .replace(/^\(+|\)+$/g, '')
        .replace(/^,+|,+$/g, '')
        .trim()
  }
  return props
}

/** distro's distro-release-file line parser (a regex over the reversed line). */
export function parseDistroReleaseLine(line: string): Record<string, string> {
  const rev = [...line.trim()].reverse().join('')
  const m = /^(?:[^)]*\)(.*)\()? *(?:STL )?([\d.+\-a-z]*\d) *(?:esaeler *)?(.+)/.exec(rev)
  const back = (s: string) => [...s].reverse().join('')
  const info: Record<string, string> = {}
  if (m) {
    info.name = back(m[3]!)
    if (m[2]) info.version_id = back(m[2])
    if (m[1]) info.codename = back(m[1])
  } else if (line) info.name = line.trim()
  return info
}

const RELEASE_IGNORE = ['debian_version', 'lsb-release', 'oem-release', 'os-release', 'system-release', 'plesk-release', 'iredmail-release']

/** What the `distro` library would say: id, version (best for centos and debian), codename. */
function distroGuess(raw: Raw) {
  const osFile = raw.f['/etc/os-release'] != null ? '/etc/os-release' : '/usr/lib/os-release'
  const os = raw.f[osFile] != null ? parseOsRelease(raw.f[osFile]!) : {}
  const lsbOut = raw.c.lsb_release
  const lsbInfo: Record<string, string> = {}
  if (lsbOut && lsbOut[0] === 0) {
    for (const line of splitlines(lsbOut[1])) {
      const i = line.indexOf(':')
      if (i < 0) continue
      lsbInfo[line.slice(0, i).replace(/ /g, '_').toLowerCase()] = line.slice(i + 1).trim()
    }
  }
  let rel: Record<string, string> = {}
  for (const name of Object.keys(raw.rel ?? {}).sort()) {
    const m = /^(\w+)[-_](release|version)$/.exec(name)
    if (RELEASE_IGNORE.includes(name) || !m) continue
    const info = parseDistroReleaseLine(raw.rel![name] ?? '')
    if ('name' in info) {
      info.id = info.name!.toLowerCase().includes('cloudlinux') ? 'cloudlinux' : m[1]!
      rel = info
      break
    }
  }
  const norm = (id: string, table: Record<string, string>) => {
    const n = id.toLowerCase().replace(/ /g, '_')
    return table[n] ?? n
  }
  const id = os.id
    ? norm(os.id, { ol: 'oracle', 'opensuse-leap': 'opensuse' })
    : lsbInfo.distributor_id
      ? norm(lsbInfo.distributor_id, {
          enterpriseenterpriseas: 'oracle',
          enterpriseenterpriseserver: 'oracle',
          redhatenterpriseworkstation: 'rhel',
          redhatenterpriseserver: 'rhel',
          redhatenterprisecomputenode: 'rhel',
        })
      : rel.id
        ? norm(rel.id, { redhat: 'rhel' })
        : ''
  const versions = [
    os.version_id ?? '',
    lsbInfo.release ?? '',
    rel.version_id ?? '',
    parseDistroReleaseLine(os.pretty_name ?? '').version_id ?? '',
    parseDistroReleaseLine(lsbInfo.description ?? '').version_id ?? '',
  ]
  const dots = (v: string) => v.split('.').length - 1
  let best = ''
  for (const v of versions) if (dots(v) > dots(best) || best === '') best = v
  let version = versions.find((v) => v !== '') ?? ''
  if (id === 'centos') version = best.split('.').slice(0, 2).join('.')
  if (id === 'debian') version = best
  let codename: string | undefined = os.version_codename ?? os.ubuntu_codename
  if (codename === undefined && id === 'ubuntu') codename = lsbInfo.codename
  if (codename === undefined) {
    codename = 'codename' in os ? os.codename! : lsbInfo.codename || rel.codename || ''
    if (codename === '') codename = undefined
  }
  let distribution = id ? id[0]!.toUpperCase() + id.slice(1).toLowerCase() : ''
  if (distribution === 'Amzn') distribution = 'Amazon'
  else if (distribution === 'Rhel') distribution = 'Redhat'
  else if (!distribution) distribution = 'OtherLinux'
  return { distribution, version, codename }
}

type Parsed = [parsed: boolean, facts: Facts]
type DistParser = (name: string, data: string, path: string, collected: Facts, raw: Raw) => Parsed

const search = (re: RegExp, s: string) => re.exec(s)?.[1]

/** OpenWrt's and Mandriva's files: DISTRIB_RELEASE="..." and DISTRIB_CODENAME="..." */
function lsbStyle(name: string, data: string, marker: string): Parsed {
  if (!data.includes(marker)) return [false, {}]
  const f: Facts = { distribution: name }
  const v = search(/DISTRIB_RELEASE="(.*)"/, data)
  if (v !== undefined) f.distribution_version = v
  const r = search(/DISTRIB_CODENAME="(.*)"/, data)
  if (r !== undefined) f.distribution_release = r
  return [true, f]
}

const PARSERS: Record<string, DistParser> = {
  Slackware(name, data) {
    if (!data.includes('Slackware')) return [false, {}]
    const f: Facts = { distribution: name }
    const v = /\w+[.]\w+\+?/.exec(data)
    if (v) f.distribution_version = v[0]
    return [true, f]
  },
  Amazon(_name, data, path) {
    if (!data.includes('Amazon')) return [false, {}]
    const f: Facts = { distribution: 'Amazon' }
    if (path === '/etc/os-release') {
      const v = search(/VERSION_ID="(.*)"/, data)
      if (v !== undefined) {
        f.distribution_version = v
        const parts = v.split('.')
        f.distribution_major_version = parts[0]
        f.distribution_minor_version = parts.length > 1 ? parts[1] : 'NA'
      }
    } else f.distribution_version = words(data).find((n) => /^\d+$/.test(n)) ?? 'NA'
    return [true, f]
  },
  OpenWrt: (name, data) => lsbStyle(name, data, 'OpenWrt'),
  Alpine: (_name, data) => [true, { distribution: 'Alpine', distribution_version: data }],
  SUSE(_name, data, path, collected, raw) {
    if (!data.toLowerCase().includes('suse')) return [false, {}]
    const f: Facts = {}
    const lower = data.toLowerCase()
    if (path === '/etc/os-release') {
      for (const line of splitlines(data)) {
        const d = /^NAME=(.*)/.exec(line)
        if (d) f.distribution = d[1]!.replace(/^"+|"+$/g, '')
        const v = /^VERSION_ID="?([0-9]+\.?[0-9]*)"?/.exec(line)
        if (v) {
          f.distribution_version = v[1]
          f.distribution_major_version = v[1]!.split('.')[0]
        }
        if (lower.includes('open')) {
          const r = /^VERSION_ID="?[0-9]+\.?([0-9]*)"?/.exec(line)
          if (r) f.distribution_release = r[1]
        } else if (lower.includes('enterprise') && line.includes('VERSION_ID')) {
          const r = /^VERSION_ID="?[0-9]+\.?([0-9]*)"?/.exec(line)
          f.distribution_release = r?.[1] ? r[1] : '0'
        }
      }
    } else if (path === '/etc/SuSE-release') {
      const ls = splitlines(data)
      if (lower.includes('open')) {
        f.distribution = words(ls[0] ?? '')[0]
        for (const line of ls) {
          const r = /CODENAME *= *([^\n]+)/.exec(line)
          if (r) f.distribution_release = r[1]!.trim()
        }
      } else if (lower.includes('enterprise')) {
        if (data.includes('Server')) f.distribution = 'SLES'
        else if (data.includes('Desktop')) f.distribution = 'SLED'
        for (const line of ls) {
          const r = /PATCHLEVEL = ([0-9]+)/.exec(line)
          if (r) {
            f.distribution_release = r[1]
            f.distribution_version = `${collected.distribution_version}.${r[1]}`
          }
        }
      }
    }
    if (raw.l['/etc/products.d/baseproduct'] != null && raw.r['/etc/products.d/baseproduct']?.endsWith('SLES_SAP.prod')) f.distribution = 'SLES_SAP'
    return [true, f]
  },
  Debian(_name, data, path, _collected, raw) {
    const f: Facts = {}
    const versionId = () => {
      const v = search(/VERSION_ID="(.*)"/, data)
      if (v !== undefined) {
        f.distribution_version = v
        f.distribution_major_version = v.split('.')[0]
      }
    }
    if (data.includes('Debian') || data.includes('Raspbian')) {
      f.distribution = 'Debian'
      const r = search(/PRETTY_NAME=[^(]+ \(?([^)]+?)\)/, data)
      if (r !== undefined) f.distribution_release = r
      // (Ansible asks dpkg for tzdata's Provides when the release is still NA: Debian testing/sid)
      for (const line of lines(raw, '/etc/debian_version')) {
        const m = /(\d+)\.(\d+)/.exec(line.trim())
        if (m) f.distribution_minor_version = m[2]
      }
    } else if (data.includes('Ubuntu')) f.distribution = 'Ubuntu'
    else if (data.includes('SteamOS')) f.distribution = 'SteamOS'
    else if ((path === '/etc/lsb-release' || path === '/etc/os-release') && (data.includes('Kali') || data.includes('Parrot'))) {
      f.distribution = data.includes('Kali') ? 'Kali' : 'Parrot'
      const r = search(/DISTRIB_RELEASE=(.*)/, data)
      if (r !== undefined) f.distribution_release = r
    } else if (data.includes('Devuan')) {
      f.distribution = 'Devuan'
      const r = search(/PRETTY_NAME="?[^("]+ \(?([^) "]+)\)?/, data)
      if (r !== undefined) f.distribution_release = r
      const v = search(/VERSION_ID="(.*)"/, data)
      if (v !== undefined) {
        f.distribution_version = v
        f.distribution_major_version = v
      }
    } else if (data.includes('Cumulus')) {
      f.distribution = 'Cumulus Linux'
      const v = search(/VERSION_ID=(.*)/, data)
      if (v !== undefined) {
        f.distribution_version = v
        f.distribution_major_version = v.split('.')[0]
      }
      const r = search(/VERSION="(.*)"/, data)
      if (r !== undefined) f.distribution_release = r
    } else if (data.includes('Mint')) {
      f.distribution = 'Linux Mint'
      versionId()
    } else if (data.includes('UOS') || data.includes('Uos') || data.includes('uos')) {
      f.distribution = 'Uos'
      const r = search(/VERSION_CODENAME="?([^"]+)"?/, data)
      if (r !== undefined) f.distribution_release = r
      versionId()
    } else if (data.includes('Deepin') || data.includes('deepin')) {
      f.distribution = 'Deepin'
      const r = search(/VERSION_CODENAME="?([^"]+)"?/, data)
      if (r !== undefined) f.distribution_release = r
      versionId()
    } else return [false, f]
    return [true, f]
  },
  Mandriva: (name, data) => lsbStyle(name, data, 'Mandriva'),
  NA(name, data, _path, collected) {
    const f: Facts = {}
    for (const line of splitlines(data)) {
      const d = /^NAME=(.*)/.exec(line)
      if (d && name === 'NA') f.distribution = d[1]!.replace(/^"+|"+$/g, '')
      const v = /^VERSION=(.*)/.exec(line)
      if (v && collected.distribution_version === 'NA') f.distribution_version = v[1]!.replace(/^"+|"+$/g, '')
    }
    return [true, f]
  },
  Coreos(_name, data, _path, collected) {
    if (String(collected.distribution).toLowerCase() !== 'coreos' || !data) return [false, {}]
    const r = /^GROUP=(.*)/.exec(data)
    return [true, r ? { distribution_release: r[1]!.replace(/^"+|"+$/g, '') } : {}]
  },
  Flatcar(_name, data, _path, collected) {
    if (String(collected.distribution).toLowerCase() !== 'flatcar' || !data) return [false, {}]
    const v = /VERSION=(.*)/.exec(data)
    if (!v) return [true, {}]
    const version = v[1]!.replace(/^"+|"+$/g, '')
    return [true, { distribution_major_version: version.split('.')[0], distribution_version: version }]
  },
  ClearLinux(name, data) {
    if (!name.toLowerCase().includes('clearlinux')) return [false, {}]
    const f: Facts = {}
    const pname = search(/NAME="(.*)"/, data)
    if (pname !== undefined) {
      if (!pname.includes('Clear Linux')) return [false, {}]
      f.distribution = pname
    }
    const v = search(/VERSION_ID=(.*)/, data)
    if (v !== undefined) f.distribution_major_version = f.distribution_version = v
    const r = search(/ID=(.*)/, data)
    if (r !== undefined) f.distribution_release = r
    return [true, f]
  },
  CentOS(_name, data) {
    if (data.includes('CentOS Stream')) return [true, { distribution_release: 'Stream' }]
    if (data.includes('TencentOS Server')) return [true, { distribution: 'TencentOS' }]
    return [false, {}]
  },
}

function parseDistFile(name: string, data: string, path: string, collected: Facts, raw: Raw): Parsed {
  data = data.replace(/^['"\\]+|['"\\]+$/g, '')
  const s = SEARCH_STRING[name]
  if (s !== undefined) {
    return [true, data.includes(s) ? { distribution: name, distribution_file_search_string: s } : { distribution: words(data)[0] }]
  }
  const alias = OS_RELEASE_ALIAS[name]
  if (alias !== undefined) return data.includes(alias) ? [true, { distribution: name }] : [false, {}]
  const parser = PARSERS[name]
  return parser ? parser(name, data, path, collected, raw) : [false, {}]
}

function processDistFiles(raw: Raw): Facts {
  const guess = distroGuess(raw)
  const version = guess.version || 'NA'
  const f: Facts = {
    distribution: guess.distribution || 'NA',
    distribution_version: version,
    distribution_release: guess.codename === undefined ? 'NA' : guess.codename,
    distribution_major_version: version.split('.')[0] || 'NA',
  }
  for (const { name, path, allowEmpty } of OSDIST_LIST) {
    const text = raw.f[path]
    const exists = allowEmpty ? text != null : typeof text === 'string' && text.length > 0
    if (!exists) continue
    if (allowEmpty) {
      Object.assign(f, { distribution: name, distribution_file_path: path, distribution_file_variety: name })
      break
    }
    const [parsed, facts] = parseDistFile(name, content(raw, path, ''), path, f, raw)
    if (parsed) {
      Object.assign(f, { distribution: name, distribution_file_path: path, distribution_file_variety: name, distribution_file_parsed: true }, facts)
      break
    }
  }
  return f
}

export const distribution: Collector = {
  name: 'distribution',
  factIds: ['distribution_version', 'distribution_release', 'distribution_major_version', 'os_family'],
  reads: () => [
    { probe: 'UNAME' },
    ...[...new Set(OSDIST_LIST.map((d) => d.path))].map((file) => ({ file })),
    { file: '/etc/debian_version' },
    { probe: 'RELFILES' },
    { cmd: 'lsb_release', argv: ['lsb_release', '-a'] },
    { link: '/etc/products.d/baseproduct' },
    { realpath: '/etc/products.d/baseproduct' },
  ],
  collect(raw) {
    const [system, , release, version] = raw.uname!
    const f: Facts = { distribution: system, distribution_release: release, distribution_version: version }
    if (system === 'Linux') Object.assign(f, processDistFiles(raw))
    f.os_family = OS_FAMILY.get(String(f.distribution)) ?? f.distribution
    return f
  },
}
