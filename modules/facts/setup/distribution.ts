/**
 * Ansible's distribution facts (facts/system/distribution.py): a first guess from the `distro`
 * library's sources (os-release, `lsb_release -a`, the distro release file in /etc), then the
 * distribution files Ansible knows, in its order, each with its own parser; os_family from the name.
 *
 * Here the collector and the order of its steps; the tables in distribution-tables.ts, the first guess
 * in distro.ts, the parsers of the distribution files in distribution-files.ts.
 */
import { parseDistFile } from './distribution-files.js'
import { OS_FAMILY, OSDIST_LIST } from './distribution-tables.js'
import { distroGuess } from './distro.js'
import { type Collector, content, type Facts, type Raw } from './raw.js'

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
