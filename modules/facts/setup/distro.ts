/**
 * The first guess at a Linux distribution, as the Python `distro` library makes it for Ansible: from
 * os-release (read with posix shlex), `lsb_release -a` and the distro release file in /etc, its id,
 * version (the most precise one for centos and debian) and codename.
 */
import { type Raw, splitlines } from './raw.js'

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
export function distroGuess(raw: Raw) {
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
