/**
 * debconf answers: a package's selections as `debconf-show` prints them (passwords show as
 * "(password omitted)"), and, for a password question, a sha256 digest of the stored value read with
 * debconf-get-selections: the value itself never leaves the host.
 */
import { shScript, type Fact } from '../types.js'

export const debconfSelections: Fact<Record<string, string>, [string]> = {
  name: 'debconf.selections',
  key: (pkg) => pkg,
  command: (pkg) => shScript('command -v debconf-show >/dev/null || { echo "debconf-show not found" >&2; exit 1; }; exec debconf-show -- "$1"', pkg),
  parse(out, pkg) {
    if (out.rc !== 0) throw new Error(`debconf-show ${pkg} failed: ${out.stderr.trim() || `exit ${out.rc}`}`)
    const selections: Record<string, string> = {}
    for (const line of out.stdout.split('\n')) {
      const colon = line.indexOf(':')
      if (colon < 0) continue
      selections[line.slice(0, colon).replace(/^[\s*]+|[\s*]+$/g, '')] = line.slice(colon + 1).trim()
    }
    return selections
  },
}

// $1 package, $2 question: the digest of the stored password, 'none' when there is none, 'unknown' without debconf-get-selections
const PASSWORD = `command -v debconf-get-selections >/dev/null || { echo unknown; exit 0; }
v=$(debconf-get-selections | awk -F'\\t' -v p="$1" -v q="$2" '$1 == p && $2 == q && $3 == "password" { print $4; f = 1; exit } END { if (!f) exit 3 }') || { echo none; exit 0; }
printf '%s' "$v" | sha256sum | cut -d' ' -f1`

/** sha256 (hex) of the stored password; null when none is stored or it cannot be read. */
export const debconfPassword: Fact<string | null, [string, string]> = {
  name: 'debconf.password',
  key: (pkg, question) => `${pkg} ${question}`,
  command: (pkg, question) => shScript(PASSWORD, pkg, question),
  parse(out, pkg) {
    if (out.rc !== 0) throw new Error(`cannot read the debconf database for ${pkg}: ${out.stderr.trim() || `exit ${out.rc}`}`)
    const d = out.stdout.trim()
    return /^[0-9a-f]{64}$/.test(d) ? d : null
  },
}
