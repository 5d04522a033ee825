/** Kernel parameters as `sysctl -e` prints them (`key = value`): one key, or several in one sysctl (read-ahead). */
import { shScript, type Fact } from '../types.js'

/** The value, as sysctl prints it (several fields tab-separated); null when sysctl could not read it. */
export type SysctlValue = string | null

const SCRIPT = 'LC_ALL=C exec sysctl -e -- "$@"'
// sysctl accepts a.b.c and a/b/c and prints dots
const norm = (key: string) => key.replace(/\//g, '.')

function parseAll(stdout: string): Map<string, string> {
  const values = new Map<string, string>()
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf(' = ')
    if (eq > 0) values.set(norm(line.slice(0, eq)), line.slice(eq + 3))
  }
  return values
}

export const sysctlValue: Fact<SysctlValue, [string]> = {
  name: 'sysctl.value',
  key: (name) => name,
  command: (name) => shScript(SCRIPT, name),
  // an unknown key prints nothing (-e): '' as Ansible's `sysctl -e -n` reads it; an unreadable one fails sysctl
  parse: (out, name) => (out.rc === 0 ? (parseAll(out.stdout).get(norm(name)) ?? '') : null),
  batch: {
    command: (reads) => shScript(SCRIPT, ...reads.map(([n]) => n)),
    parse(out, reads) {
      if (out.rc !== 0) throw new Error(`sysctl failed: ${out.stderr.trim()}`)
      const values = parseAll(out.stdout)
      return reads.map(([n]) => values.get(norm(n)) ?? '')
    },
  },
}
