/**
 * The host's services as Ansible's service_facts gathers them, in ONE command: `service --status-all`
 * (SysV scripts), `systemctl list-units` and `list-unit-files` for services, and the ActiveState of
 * each unit file systemd has not loaded. Parsed exactly as Ansible parses them.
 */
import { shScript, type Fact } from '../types.js'

export interface ServiceFact {
  name: string
  state: string
  status?: string
  source: 'systemd' | 'sysv'
}

const SCRIPT = `export LC_ALL=C.UTF-8 LANG=C.UTF-8
if command -v service >/dev/null && ! command -v chkconfig >/dev/null && ! command -v rc-status >/dev/null; then
  echo @@sysv; service --status-all 2>/dev/null
fi
grep -q systemd /proc/1/comm 2>/dev/null && command -v systemctl >/dev/null || exit 0
units=$(systemctl list-units --no-pager --type service --all)
files=$(systemctl list-unit-files --no-pager --type service --all)
printf '@@units\\n%s\\n@@files\\n%s\\n@@show\\n' "$units" "$files"
loaded=$(printf '%s\\n' "$units" | awk '/\\.service/ { for (i = 1; i <= NF; i++) if ($i ~ /\\.service$/) { print $i; break } }')
missing=$(printf '%s\\n' "$files" | awk -v loaded="$loaded" 'BEGIN { n = split(loaded, a, "\\n"); for (i = 1; i <= n; i++) s[a[i]] } /\\.service/ && !($1 in s) { print $1 }')
# one systemctl for all but templates (systemctl show refuses those: Ansible reads them as unknown)
set --; for u in $missing; do case $u in *@.service) printf '%s 1\\n' "$u" ;; *) set -- "$@" "$u" ;; esac; done
[ $# -eq 0 ] || systemctl show --property=ActiveState -- "$@" | awk -v names="$*" 'BEGIN { split(names, n, " ") } /^ActiveState=/ { i++; print n[i], 0, $0 }'`

const BAD = ['not-found', 'masked', 'failed']

/** Parses the script's output into Ansible's services dict. */
export function parseServices(stdout: string): Record<string, ServiceFact> {
  const sec: Record<string, string[]> = {}
  let cur = ''
  for (const line of stdout.split('\n')) {
    const m = /^@@(\w+)$/.exec(line)
    if (m) cur = m[1]!
    else sec[cur] = [...(sec[cur] ?? []), line]
  }
  const services: Record<string, ServiceFact> = {}
  for (const line of sec.sysv ?? []) {
    const m = /^\s*\[ (\+|-) \]\s+(.+)$/.exec(line)
    if (m) services[m[2]!] = { name: m[2]!, state: m[1] === '+' ? 'running' : 'stopped', source: 'sysv' }
  }
  for (const line of (sec.units ?? []).filter((l) => l.includes('.service'))) {
    let fields = line.trim().split(/\s+/)
    let status = 'unknown'
    const bad = BAD.find((b) => fields.includes(b))
    if (bad) {
      status = bad
      fields = fields.slice(1)
    } else status = fields[2] ?? 'unknown'
    const name = fields[0]!
    services[name] = { name, state: fields[3] === 'running' ? 'running' : 'stopped', status, source: 'systemd' }
  }
  const shown = new Map<string, string>()
  for (const line of sec.show ?? []) {
    const [name = '', rc = '', value = ''] = line.split(' ')
    if (name) shown.set(name, rc === '0' && value !== '' ? value.replace('ActiveState=', '') : 'unknown')
  }
  for (const line of (sec.files ?? []).filter((l) => l.includes('.service'))) {
    const [name = '', status = ''] = line.trim().split(/\s+/)
    const known = services[name]
    if (!known) services[name] = { name, state: shown.get(name) ?? 'unknown', status, source: 'systemd' }
    else if (!BAD.includes(known.status ?? '')) known.status = status
  }
  return services
}

export const hostServices: Fact<Record<string, ServiceFact>> = {
  name: 'services.all',
  command: () => shScript(SCRIPT),
  parse(out) {
    if (out.rc !== 0) throw new Error(`cannot list the services: ${out.stderr.trim() || `exit ${out.rc}`}`)
    return parseServices(out.stdout)
  },
}
