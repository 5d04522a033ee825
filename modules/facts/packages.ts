/**
 * The installed packages as Ansible's package_facts reports them with its apt manager (python-apt),
 * in ONE command without Python: dpkg-query for name, version, architecture and section, and
 * `apt-cache policy` for the origin: the Origin (o=) of the Release of the first source apt lists for
 * the installed version ('' for the dpkg status file). The per-package policy names the source, the
 * global `apt-cache policy` gives each source's release line (flat repositories have it only there).
 */
import { shScript, type Fact } from '../types.js'

export interface PackageFact {
  name: string
  version: string
  arch: string
  category: string
  origin: string
  source: 'apt'
}

const SCRIPT = `export LC_ALL=C
command -v dpkg-query >/dev/null || { echo none; exit 0; }
native=$(dpkg --print-architecture)
echo "apt $native"
q=$(dpkg-query -W -f='\${Package}\\t\${Architecture}\\t\${Version}\\t\${Section}\\t\${db:Status-Abbrev}\\n') || exit
printf '%s\\n@@sources\\n' "$q"
apt-cache policy
echo @@policy
printf '%s\\n' "$q" | awk -F'\\t' -v n="$native" 'substr($5, 2, 1) !~ /[nc]/ { print ($2 == n || $2 == "all") ? $1 : $1 ":" $2 }' | xargs -r apt-cache policy --`

/** The global `apt-cache policy`: each package file ("URL DIST Packages") -> its Origin. */
export function sourceOrigins(text: string): Map<string, string> {
  const origins = new Map<string, string>()
  let source = ''
  for (const line of text.split('\n')) {
    const src = /^ -?\d+ (.+)$/.exec(line)
    if (src) {
      source = src[1]!
      origins.set(source, '')
      continue
    }
    const rel = /^\s+release (.*)$/.exec(line)
    if (rel && source) origins.set(source, /(?:^|,)o=([^,]*)/.exec(rel[1]!)?.[1] ?? '')
  }
  return origins
}

/** `apt-cache policy PKG...`: package -> the first source of its installed version. */
export function installedSources(text: string): Map<string, string> {
  const first = new Map<string, string>()
  let pkg = ''
  let state: 'seek' | 'first' | 'done' = 'done'
  for (const line of text.split('\n')) {
    const head = /^(\S+):$/.exec(line)
    if (head) [pkg, state] = [head[1]!, 'seek']
    else if (state === 'seek' && /^ \*\*\* /.test(line)) state = 'first'
    else if (state === 'first') {
      const src = /^\s+-?\d+ (.+)$/.exec(line)
      if (src) first.set(pkg, src[1]!)
      state = 'done'
    }
  }
  return first
}

/** null: no dpkg on the host. */
export const installedPackages: Fact<Record<string, PackageFact[]> | null> = {
  name: 'packages.installed',
  command: () => shScript(SCRIPT),
  parse(out) {
    if (out.rc !== 0) throw new Error(`cannot list the installed packages: ${out.stderr.trim() || `exit ${out.rc}`}`)
    const [head = '', ...rest] = out.stdout.split('\n')
    if (head === 'none') return null
    const native = head.slice(4)
    const [list = '', policies = ''] = rest.join('\n').split('\n@@sources\n')
    const [global = '', policy = ''] = policies.split('\n@@policy\n')
    const origins = sourceOrigins(global)
    const sources = installedSources(policy)
    const packages: Record<string, PackageFact[]> = {}
    for (const line of list.split('\n')) {
      const [pkg = '', arch = '', version = '', section = '', abbrev = ''] = line.split('\t')
      if (!pkg || /[nc]/.test(abbrev.charAt(1))) continue
      const name = arch === native || arch === 'all' ? pkg : `${pkg}:${arch}`
      const p: PackageFact = { name, version, arch, category: section, origin: origins.get(sources.get(name) ?? '') ?? '', source: 'apt' }
      packages[name] = [...(packages[name] ?? []), p]
    }
    return packages
  },
}
