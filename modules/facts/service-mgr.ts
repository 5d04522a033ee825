/**
 * The host's service manager when facts were not gathered: what Ansible's service action gets by
 * running setup for `ansible_service_mgr` alone. The rule is the setup collector's (serviceMgr,
 * setup/system.ts); this reads what it reads (SERVICE_MGR_READS) with one small shell script instead
 * of the python probe, so a service task on an ungathered host costs a fork, not a python run. Of
 * the distribution the rule only asks whether it is OpenWrt (its /etc/openwrt_release).
 */
import { FIND_BIN_SH } from './bin-path.js'
import type { Raw } from './setup/raw.js'
import { serviceMgr } from './setup/system.js'
import { type Fact, shScript } from '../types.js'

const EXISTS = ['/run/systemd/system/', '/dev/.run/systemd/', '/dev/.systemd/', '/etc/init/', '/sbin/openrc', '/etc/init.d/']
/** what the script reads, in the collector's directives (a unit test holds the collector to it) */
export const SERVICE_MGR_READS = [
  { file: '/proc/1/comm' },
  { link: '/sbin/init' },
  { which: 'systemctl' },
  { which: 'initctl' },
  ...EXISTS.map((p) => ({ exists: p })),
]

// `which` as the probe's: Ansible's get_bin_path (bin-path.ts)
const SCRIPT = `${FIND_BIN_SH}
if [ -r /proc/1/comm ] && IFS= read -r c </proc/1/comm; then printf 'comm %s\\n' "$c"; fi
if l=$(readlink /sbin/init); then printf 'link %s\\n' "$l"; fi
for b in systemctl initctl; do find_bin "$b" && printf 'which %s %s\\n' "$b" "$bin"; done
for p in ${EXISTS.join(' ')}; do [ -e "$p" ] && printf 'exists %s\\n' "$p"; done
[ -e /etc/openwrt_release ] && echo openwrt
if IFS= read -r s </proc/sys/kernel/ostype; then printf 'system %s\\n' "$s"; else printf 'system %s\\n' "$(uname -s)"; fi`

/** The collector's answer from the script's output (pure). */
export function parseServiceMgr(stdout: string): string {
  const raw: Raw = { f: { '/proc/1/comm': null }, e: {}, l: { '/sbin/init': null }, r: {}, d: {}, c: {}, w: { systemctl: null, initctl: null } }
  const collected: Record<string, unknown> = {}
  for (const line of stdout.split('\n')) {
    const sp = line.indexOf(' ')
    const [word, rest] = sp < 0 ? [line, ''] : [line.slice(0, sp), line.slice(sp + 1)]
    if (word === 'comm') raw.f['/proc/1/comm'] = rest
    else if (word === 'link') raw.l['/sbin/init'] = rest
    else if (word === 'which') raw.w[rest.split(' ')[0]!] = rest.slice(rest.indexOf(' ') + 1)
    else if (word === 'exists') raw.e[rest] = true
    else if (word === 'openwrt') collected.ansible_distribution = 'OpenWrt'
    else if (word === 'system') collected.ansible_system = rest
  }
  return String(serviceMgr.collect(raw, collected).service_mgr)
}

export const serviceManagerFact: Fact<string> = {
  name: 'service.manager',
  command: () => shScript(SCRIPT),
  parse(out) {
    if (out.rc !== 0) throw new Error(`reading the service manager failed: ${(out.stderr || out.stdout).trim()}`)
    return parseServiceMgr(out.stdout)
  },
}
