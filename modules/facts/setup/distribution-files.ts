/**
 * The distribution files Ansible reads after the first guess (distribution-tables.ts has them in
 * order), each with Ansible's parser for it: what it says about the name, version and release, and
 * whether it settles the question (`parsed`: the search stops at the first file that does).
 */
import { OS_RELEASE_ALIAS, SEARCH_STRING } from './distribution-tables.js'
import { type Facts, lines, type Raw, splitlines, words } from './raw.js'

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

export function parseDistFile(name: string, data: string, path: string, collected: Facts, raw: Raw): Parsed {
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
