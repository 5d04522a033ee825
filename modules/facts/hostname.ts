/**
 * The host's names as systemd's hostnamectl reports them (transient = the running kernel hostname,
 * static = /etc/hostname), and what Python's socket.getfqdn() would make of a name: the first name
 * with a dot among what its first address resolves back to, else the name itself. One command.
 */
import { shScript, type Fact } from '../types.js'

export interface HostnameState {
  /** hostnamectl works (systemd runs on the host) */
  systemd: boolean
  transient: string
  static: string
  /** the fully qualified name `name` resolves to (socket.getfqdn) */
  fqdn: string
}

const SCRIPT = `if command -v hostnamectl >/dev/null && [ -d /run/systemd/system ] && t=$(hostnamectl --transient status 2>/dev/null) && s=$(hostnamectl --static status 2>/dev/null); then
  echo systemd; printf '%s\\n%s\\n' "$t" "$s"
else echo none; hostname; cat /etc/hostname 2>/dev/null || echo; fi
a=$(getent ahosts "$1" 2>/dev/null | head -n 1); a=\${a%% *}
[ -n "$a" ] && getent hosts "$a" 2>/dev/null | head -n 1
true`

/** socket.getfqdn(name) from `getent hosts ADDR` of name's first address ('' when it did not resolve). */
export function fqdnOf(name: string, hostsLine: string): string {
  const names = hostsLine.trim().split(/\s+/).slice(1)
  if (names.length === 0) return name
  return names.find((n) => n.includes('.')) ?? names[0]!
}

export const hostnameState: Fact<HostnameState, [string]> = {
  name: 'hostname.state',
  key: () => '',
  command: (name) => shScript(SCRIPT, name),
  parse(out, name) {
    if (out.rc !== 0) throw new Error(`cannot read the hostname: ${out.stderr.trim() || `exit ${out.rc}`}`)
    const [kind = '', transient = '', stat = '', hosts = ''] = out.stdout.split('\n')
    return { systemd: kind === 'systemd', transient: transient.trim(), static: stat.trim(), fqdn: fqdnOf(name, hosts) }
  },
}
