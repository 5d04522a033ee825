/**
 * A service on a host whose service manager is not systemd, as Ansible's generic service module
 * (LinuxService) sees it, in ONE read-only round trip: the tools it would pick (service, update-rc.d,
 * ...), whether /etc/init.d/NAME is there, the /etc/rc?.d links, and whether it runs: the init
 * script's `status` (read by Ansible's rules) or, with a `pattern`, `ps auxww` matched here.
 */
import { type Command, type Fact, shScript } from '../types.js'
import { FIND_BIN_SH } from './bin-path.js'

export interface SysvState {
  /** the tools found (name -> path), searched as Ansible's get_bin_path with its extra dirs */
  bins: Record<string, string>
  initscript: boolean
  /** systemd is the running init after all (a canary directory, or PID 1 named systemd) */
  systemdBooted: boolean
  /** /etc/init/NAME.conf (upstart) */
  upstartConf: boolean
  /** /etc/rc?.d/S??NAME and K??NAME */
  sLinks: string[]
  kLinks: string[]
  /** running as Ansible decides it; null: undetermined; undefined: not asked */
  running?: boolean | null
}

const TOOLS = ['service', 'update-rc.d', 'insserv', 'chkconfig', 'initctl', 'rc-service', 'systemctl']

// $1 name, $2 how (status, ps or nothing), the rest: the task's arguments. No process per tool (a
// test each): get_bin_path's search (bin-path.ts) after the module's opt_dirs. The status output goes
// through a file: a daemon it wakes never holds our stream.
const SCRIPT = `${FIND_BIN_SH}
binpath=/sbin:/usr/sbin:/bin:/usr/bin:$binpath
n=$1 how=$2 svc=; shift 2
for b in ${TOOLS.join(' ')}; do if find_bin "$b"; then echo "bin $b $bin"; [ "$b" = service ] && svc=$bin; fi; done
[ -f "/etc/init.d/$n" ] && echo initscript
for c in /run/systemd/system/ /dev/.run/systemd/ /dev/.systemd/; do [ -e "$c" ] && echo canary; done
grep -qs systemd /proc/1/comm && echo comm-systemd
[ -e "/etc/init/$n.conf" ] && echo upstart
for l in /etc/rc?.d/S??"$n" /etc/rc?.d/K??"$n"; do if [ -e "$l" ] || [ -L "$l" ]; then echo "link $l"; fi; done
[ -f "/etc/init.d/$n" ] || exit 0
if [ "$how" = ps ]; then echo "--ps $$"; ps auxww
elif [ "$how" = status ]; then
  o=$(mktemp) || exit 1
  if [ -n "$svc" ]; then set -- "$svc" "$n" status "$@"
  else set -- "/etc/init.d/$n" status "$@"; fi
  (cd / && LANG=C LC_ALL=C LC_MESSAGES=C exec setsid -w "$@") </dev/null >"$o" 2>/dev/null
  echo "--status $?"; cat "$o"; rm -f "$o"
fi`

/** Ansible's LinuxService.get_service_status from the status command's rc and stdout (no upstart, no OpenRC). */
export function statusRunning(rc: number, stdout: string, name: string): boolean | null {
  if ([1, 2, 3, 4, 69].includes(rc)) return false
  if ((stdout.match(/\n/g) ?? []).length <= 1) {
    const clean = stdout.toLowerCase().split(name.toLowerCase()).join('')
    if (clean.includes('stop')) return false
    if (clean.includes('run')) return !clean.includes('not ')
    if (clean.includes('start') && !clean.includes('not ')) return true
    for (const dead of ['could not access pid file', 'is dead and pid file exists', 'dead but subsys locked', 'dead but pid file exists'])
      if (clean.includes(dead)) return false
  }
  if (rc === 0) return true
  if (name === 'iptables' && stdout.includes('ACCEPT')) return true
  return null
}

/** Ansible's check_ps: a line of `ps auxww` holding the pattern (and not "pattern="); our own shell's line (pid `self`) left out. */
export function psRunning(ps: string, pattern: string, self?: string): boolean {
  return ps.split('\n').some((l) => l.includes(pattern) && !l.includes('pattern=') && (self === undefined || l.split(/\s+/)[1] !== self))
}

/** Parses the script's output (pure). */
export function parseSysv(stdout: string, name: string, pattern?: string): SysvState {
  const st: SysvState = { bins: {}, initscript: false, systemdBooted: false, upstartConf: false, sLinks: [], kLinks: [] }
  const lines = stdout.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const [word, a, b] = line.split(' ')
    if (word === 'bin' && a && b) st.bins[a] = b
    else if (word === 'initscript') st.initscript = true
    else if (word === 'canary' || word === 'comm-systemd') st.systemdBooted = true
    else if (word === 'upstart') st.upstartConf = true
    else if (word === 'link' && a) (/\/S..[^/]*$/.test(a) ? st.sLinks : st.kLinks).push(a)
    else if (word === '--ps') {
      st.running = psRunning(lines.slice(i + 1).join('\n'), pattern ?? '', a)
      break
    } else if (word === '--status') {
      st.running = statusRunning(Number(a), lines.slice(i + 1).join('\n'), name)
      break
    }
  }
  return st
}

/**
 * `how`: status (the init script's), ps (with `pattern`) or '' (the running state not asked). The
 * answer depends on every argument, so the read is keyed by them all (factKey's default): a task
 * with a pattern and one without never share an answer read ahead.
 */
export const sysvService: Fact<SysvState, [name: string, how: '' | 'status' | 'ps', pattern: string, args: string[]]> = {
  name: 'sysv.service',
  command: (name, how, _pattern, args): Command => shScript(SCRIPT, name, how, ...args),
  parse(out, name, _how, pattern) {
    if (out.rc !== 0) throw new Error(`reading service ${name} failed: ${(out.stderr || out.stdout).trim()}`)
    return parseSysv(out.stdout, name, pattern)
  },
}

/** Check mode's effect of a change to a service: its state after, by name alone, so every later read of it plans against it. */
export const SYSV_PLANNED = 'sysv.service.planned'
