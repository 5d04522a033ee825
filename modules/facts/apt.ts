/**
 * Debian package state. `apt.package` (key = name) is the per-package fact that effects are recorded
 * under; `apt.packages` reads many packages in ONE round trip: dpkg-query for all of them, then
 * `apt-cache policy` only for those that need a candidate (not installed, or state=latest), plus the
 * age of the apt cache (for cache_valid_time).
 */
import { shScript, type Fact } from '../types.js'

export interface AptPackage {
  name: string
  /** installed; config-files = removed but not purged; broken = half-installed/unpacked */
  status: 'installed' | 'not-installed' | 'config-files' | 'broken'
  /** the installed version (for config-files: the removed one) */
  version?: string
  /** the version `apt-get install` would pick now, per the current cache; undefined: not asked or none */
  candidate?: string
  /** the versions of apt-cache policy's version table (installed and available); undefined: not asked */
  versions?: string[]
  /** a name without a candidate: the packages that provide it (a virtual package), with whether each is installed */
  providers?: { name: string; installed: boolean }[]
}

export interface AptPackages {
  packages: Record<string, AptPackage>
  /** seconds since the last successful `apt-get update` (stamp, else the lists' mtime); undefined: never (Ansible's rule: sources edited since do not count) */
  cacheAgeS?: number
  /** that time stamp (epoch seconds): Ansible's `cache_update_time` */
  cacheTime?: number
  /** check mode: an earlier task changed the sources or keys, so the candidates will differ (never read from the host) */
  sourcesChanged?: boolean
  /** check mode: an earlier apt task updates the cache first (never read from the host) */
  updatedEarlier?: boolean
}

export type AptMode = 'present' | 'latest' | 'absent'

/** Debian package names (policy 5.6.1); anything else is rejected before it reaches a host. */
export const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/

// $1: mode; $2: the default release ('' for none); the rest: names (validated, never spliced into the script).
const SCRIPT = `mode=$1; rel=$2; shift 2
q=; [ $# -eq 0 ] || q=$(dpkg-query -W -f='\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' -- "$@" 2>/dev/null) || true
printf '%s\\n' "$q"
now=$(date +%s)
# the cache's age as Ansible's apt reads it (get_cache_mtime): sources edited since do not make it stale
s=/var/lib/apt/periodic/update-success-stamp; [ -e $s ] || s=/var/lib/apt/lists
if t=$(stat -c %Y $s 2>/dev/null); then echo "@@age $((now - t)) $t"; fi
echo '@@policy'
[ "$mode" = absent ] && exit 0
for p in "$@"; do
  if [ "$mode" = latest ] || ! printf '%s\\n' "$q" | awk -F'\\t' -v p="$p" '$1 == p && $2 ~ /^ii/ { f = 1 } END { exit !f }'; then set -- "$@" "$p"; fi
  shift
done
[ $# -eq 0 ] && exit 0
# apt-get -t RELEASE pins that release at 990: the candidate apt-cache shows under the same option
if [ -n "$rel" ]; then set -- -o "APT::Default-Release=$rel" policy "$@"; else set -- policy "$@"; fi
pol=$(LC_ALL=C apt-cache "$@" 2>/dev/null) || true
printf '%s\\n' "$pol"
# a name without a candidate may be virtual: what provides it, and whether that is installed
echo '@@provides'
# no process more on the usual read, where every name has a candidate
case "$pol" in *'Candidate: (none)'*) ;; *) exit 0 ;; esac
for p in $(printf '%s\\n' "$pol" | awk '/^[^ ].*:$/ { n = substr($0, 1, length($0) - 1) } /^  Candidate: \\(none\\)$/ { print n }'); do
  for v in $(LC_ALL=C apt-cache showpkg "$p" 2>/dev/null | awk 'f && NF { print $1 } /^Reverse Provides:/ { f = 1 }' | sort -u); do
    printf '%s\\t%s\\t%s\\n' "$p" "$v" "$(dpkg-query -W -f='\${db:Status-Abbrev}' "$v" 2>/dev/null)"
  done
done`

function statusOf(abbrev: string): AptPackage['status'] {
  if (abbrev.startsWith('ii')) return 'installed'
  if (abbrev.startsWith('rc')) return 'config-files'
  if (abbrev.startsWith('un') || abbrev.startsWith('pn') || abbrev === '') return 'not-installed'
  return 'broken'
}

/** `apt-cache policy` output: "name:\n  Installed: x\n  Candidate: y\n ..." per package. */
export function parsePolicy(text: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  for (const [name, lines] of policySections(text)) {
    const cand = lines.map((l) => /^\s+Candidate:\s*(\S+)/.exec(l)).find(Boolean)
    if (cand) out[name] = cand[1] === '(none)' ? undefined : cand[1]
  }
  return out
}

/** The version tables of `apt-cache policy` (" *** 1.1 500" or "     1.0 500" lines), per package. */
export function parseVersionTables(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [name, lines] of policySections(text))
    out[name] = lines.map((l) => /^ (?:\*{3}| {3}) (\S+) -?\d+$/.exec(l)?.[1]).filter((v): v is string => v !== undefined)
  return out
}

function policySections(text: string): [string, string[]][] {
  const out: [string, string[]][] = []
  for (const l of text.split('\n')) {
    const head = /^(\S+):$/.exec(l)
    if (head) out.push([head[1]!.replace(/:[a-z0-9]+$/, ''), []])
    else out[out.length - 1]?.[1].push(l)
  }
  return out
}

export const aptPackages: Fact<AptPackages, [string[], AptMode, string?]> = {
  name: 'apt.packages',
  key: (names, mode, release) => `${mode}:${release ? `${release}:` : ''}${names.join(',')}`,
  command: (names, mode, release) => shScript(SCRIPT, mode, release ?? '', ...names),
  parse(out, names) {
    if (out.rc !== 0) throw new Error(`cannot read package state: ${out.stderr.trim() || `exit ${out.rc}`}`)
    const [head = '', rest = ''] = out.stdout.split('@@policy\n')
    const [policy = '', provides = ''] = rest.split('@@provides\n')
    const packages: Record<string, AptPackage> = {}
    for (const n of names) packages[n] = { name: n, status: 'not-installed' }
    let cacheAgeS: number | undefined
    let cacheTime: number | undefined
    for (const l of head.split('\n')) {
      const age = /^@@age (-?\d+)(?: (\d+))?$/.exec(l)
      if (age) {
        cacheAgeS = Math.max(0, Number(age[1]))
        if (age[2] !== undefined) cacheTime = Number(age[2])
      }
      const [name = '', abbrev = '', version = ''] = l.split('\t')
      if (!packages[name]) continue
      const status = statusOf(abbrev)
      packages[name] = { name, status, ...(status !== 'not-installed' && version ? { version } : {}) }
    }
    const cands = parsePolicy(policy)
    for (const [name, cand] of Object.entries(cands)) if (packages[name] && cand) packages[name]!.candidate = cand
    for (const [name, versions] of Object.entries(parseVersionTables(policy))) if (packages[name]) packages[name]!.versions = versions
    for (const l of provides.split('\n')) {
      const [name = '', provider = '', abbrev = ''] = l.split('\t')
      const pkg = packages[name]
      if (pkg && provider) pkg.providers = [...(pkg.providers ?? []), { name: provider, installed: statusOf(abbrev) === 'installed' }]
    }
    return { packages, cacheAgeS, cacheTime }
  },
}

/**
 * The names of the packages the apt cache holds a version of (installed or available), without
 * architecture-qualified ones: what Ansible's apt matches a name pattern (`apport*`) against
 * (python-apt's Cache, which drops names without versions; `apt-cache pkgnames` does too).
 */
export const aptNames: Fact<string[], []> = {
  name: 'apt.names',
  key: () => 'all',
  command: () => ({ argv: ['apt-cache', 'pkgnames'] }),
  parse(out) {
    if (out.rc !== 0) throw new Error(`cannot list the apt cache's packages: ${out.stderr.trim() || `exit ${out.rc}`}`)
    return out.stdout
      .split('\n')
      .filter((n) => n !== '' && !n.includes(':'))
      .sort()
  },
}

/** The single-package view other modules may read (and that apt records effects under). */
export const aptPackage: Fact<AptPackage, [string]> = {
  name: 'apt.package',
  key: (name) => name,
  command: (name) => aptPackages.command([name], 'present'),
  parse: (out, name) => aptPackages.parse(out, [name], 'present').packages[name]!,
}
