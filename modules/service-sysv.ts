/**
 * The service module on a host whose service manager is not systemd (containers, sysvinit hosts):
 * what Ansible's generic service module (LinuxService) does on Debian. The init script
 * /etc/init.d/NAME runs through `service NAME ACTION ARGUMENTS` (the script itself when there is no
 * `service`), detached (setsid) as Ansible daemonizes it, its output through files so a daemon it
 * starts never holds the connection's streams; `enabled` is the S links in /etc/rc?.d, changed by
 * `update-rc.d NAME defaults` (when it has no links yet), `enable` and `disable`. Whether it runs:
 * the script's status read by Ansible's rules, or `pattern` over `ps auxww`. Restart is stop, then
 * `sleep` seconds, then start. The result has Ansible's shape: name, enabled and state
 * (started/stopped) in a run; a predicted state change in check mode is only `msg`, as there.
 *
 * Effects recorded: sysv.service.planned (key: the name) = the state after the change, so later
 * tasks in check mode plan against it whatever their pattern or arguments; an init script an earlier task writes (a path.stat effect) plans as
 * present, stopped and not enabled.
 */
import { shlexSplit } from '../engine/connection/shlex.js'
import { ModuleFailure } from '../engine/errors.js'
import { NEW_UNIT } from '../engine/unknown.js'
import { pathStat } from './facts/path.js'
import { SYSV_PLANNED, type SysvState, sysvService } from './facts/sysv.js'
import { type Change, type Command, type ModuleContext, type Plan, shScript } from './types.js'

export interface SysvParams {
  name?: string
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded'
  enabled?: boolean
  sleep?: number
  pattern?: string
  arguments?: string
}

// $1 action, $2 sleep, $3 the program (`service` or the init script), $4 the name (or ''), then the
// arguments. Each call as Ansible's execute_command(daemonize=True): own session, cwd /, C locale,
// stdin /dev/null. A restart is stop, sleep, start; it fails as Ansible's does (either failing
// unless only the stop did), with the failing calls' stderr (else stdout) as the message.
export const CONTROL = `a=$1 s=$2 c=$3 n=$4; shift 4
o=$(mktemp) && e=$(mktemp) || exit 1
one() { (cd / && LANG=C LC_ALL=C LC_MESSAGES=C exec setsid -w "$c" \${n:+"$n"} "$@") </dev/null >>"$o" 2>>"$e"; }
if [ "$a" = restart ]; then
  one stop "$@"; r1=$?
  [ "$s" -gt 0 ] && sleep "$s"
  one start "$@"; r2=$?
  if [ $r1 -ne 0 ] && [ $r2 -eq 0 ]; then rc=0; else rc=$((r1 + r2)); fi
else one "$a" "$@"; rc=$?; fi
if [ $rc -ne 0 ]; then if [ -s "$e" ]; then cat "$e" >&2; else cat "$o" >&2; fi; fi
rm -f "$o" "$e"
[ $rc -eq 0 ]`

const updateRcD = (path: string, name: string, verb: string): Command => ({ argv: [path, name, verb] })

/** The service module's plan on a host not run by systemd (`manager`: its service_mgr, for messages). */
export async function planSysv(p: SysvParams, ctx: ModuleContext, manager: string): Promise<Plan> {
  const name = p.name
  if (name === undefined) throw new ModuleFailure('missing required arguments: name')
  if (p.state === undefined && p.enabled === undefined) throw new ModuleFailure('one of the following is required: state, enabled')
  let args: string[]
  try {
    args = shlexSplit(p.arguments ?? '')
  } catch (e) {
    throw new ModuleFailure(`arguments: ${(e as Error).message}`)
  }
  // the status is read for `enabled` alone too (Ansible does not need it there): a later task in
  // check mode then plans against this one's effect knowing whether it runs
  const how = p.state !== undefined && p.pattern ? 'ps' : 'status'
  let st: SysvState = (ctx.effect(SYSV_PLANNED, name) as SysvState | undefined) ?? (await ctx.fact(sysvService, name, how, p.pattern ?? '', args))

  const unsupported = (what: string) =>
    new ModuleFailure(`${name}: ${what}; acplay's service module on a host whose service manager is ${manager} handles SysV init scripts (Debian's)`)
  if (st.bins.systemctl && st.systemdBooted) throw unsupported('systemd runs here after all (use: systemd)')
  if (st.bins.initctl && st.upstartConf) throw unsupported('it is an upstart job')
  if (st.bins['rc-service']) throw unsupported('OpenRC manages this host')
  // check mode: an init script an earlier task writes (stopped, no links yet), or one a planned
  // install may ship (asking registers that wait: the plan "may change")
  if (!st.initscript && ctx.check && (await ctx.fact(pathStat, `/etc/init.d/${name}`)).exists)
    st = { ...st, initscript: true, sLinks: [], kLinks: [], running: false }
  const missing = `Could not find the requested service ${name}: host`
  if (!st.initscript) {
    if (ctx.check) ctx.unknown?.(NEW_UNIT, `${name}.service`)
    throw new ModuleFailure(missing)
  }
  const enableCmd = st.bins['update-rc.d']
  if (!enableCmd && !st.bins.insserv && !st.bins.chkconfig) throw new ModuleFailure(missing)

  const changes: Change[] = []
  const after: SysvState = { ...st }
  if (p.enabled !== undefined && p.enabled !== st.sLinks.length > 0) {
    if (!enableCmd) throw unsupported('enabling needs update-rc.d (insserv and chkconfig are not supported)')
    const commands = p.enabled
      ? [...(st.kLinks.length === 0 ? [updateRcD(enableCmd, name, 'defaults')] : []), updateRcD(enableCmd, name, 'enable')]
      : [updateRcD(enableCmd, name, 'disable')]
    changes.push({ summary: `${p.enabled ? 'enable' : 'disable'} ${name} (update-rc.d)`, commands })
    // update-rc.d's links after it: S links in the start runlevels when enabled, K links otherwise
    const all = [...st.sLinks, ...st.kLinks].map((l) => l.replace(/\/[SK](\d\d)/, '/X$1'))
    const links = all.length ? all : [`/etc/rc2.d/X01${name}`]
    Object.assign(
      after,
      p.enabled ? { sLinks: links.map((l) => l.replace('/X', '/S')), kLinks: [] } : { sLinks: [], kLinks: links.map((l) => l.replace('/X', '/K')) },
    )
  }

  if (p.state === undefined) {
    const data = { name, enabled: p.enabled }
    if (changes.length === 0) return { kind: 'ok', reason: `${name} is ${p.enabled ? 'enabled' : 'not enabled'} (rc?.d links)`, data }
    changes[changes.length - 1] = { ...changes[changes.length - 1]!, effects: [{ fact: SYSV_PLANNED, key: name, value: after }] }
    return { kind: 'change', changes, data }
  }

  const running = st.running
  if (running === null || running === undefined) throw new ModuleFailure('failed determining service state, possible typo of service name?')
  const action =
    p.state === 'restarted'
      ? 'restart'
      : p.state === 'started' && !running
        ? 'start'
        : p.state === 'reloaded'
          ? running
            ? 'reload'
            : 'start'
          : p.state === 'stopped' && running
            ? 'stop'
            : undefined
  const stateAfter = p.state === 'stopped' ? 'stopped' : 'started'
  const data: Record<string, unknown> = { name, ...(p.enabled !== undefined && { enabled: p.enabled }), state: stateAfter }
  if (action) {
    const [program, nameArg] = st.bins.service ? [st.bins.service, name] : [`/etc/init.d/${name}`, '']
    const how = p.pattern ? `pattern ${JSON.stringify(p.pattern)} ${running ? 'found' : 'not found'} in ps` : running ? 'running' : 'not running'
    changes.push({
      summary: `${action} ${name} (${how})${p.state === 'restarted' && p.sleep ? `, ${p.sleep} s between stop and start` : ''}`,
      commands: [shScript(CONTROL, action, String(p.sleep ?? 0), program, nameArg, ...args)],
    })
    after.running = p.state !== 'stopped'
  }
  if (changes.length === 0) {
    const why = p.pattern ? `a process matches ${JSON.stringify(p.pattern)}` : 'its status says so'
    return { kind: 'ok', reason: `${name} is ${running ? 'running' : 'not running'} (${why})`, data }
  }
  changes[changes.length - 1] = { ...changes[changes.length - 1]!, effects: [{ fact: SYSV_PLANNED, key: name, value: after }] }
  // Ansible's module stops at a predicted state change in check mode and returns only this
  return { kind: 'change', changes, data: ctx.check && action ? { msg: 'service state changed' } : data }
}
