/**
 * systemd: a unit's running state, enablement and mask, from ONE `systemctl show`.
 *
 * Order of operations (as Ansible): daemon-reexec, daemon-reload (also whenever systemd reports the
 * unit's files changed on disk), unmask, enable/disable, mask, then the state.
 *
 * Effects recorded: systemd.unit (key: the full unit name) = the unit's state after the change.
 * Read in check mode: a path.stat effect for the unit file (or its template) in a unit directory, so
 * a unit whose file an earlier task would write plans as "loaded, disabled, inactive" instead of
 * failing with "not found"; a path.stat effect on its fragment or drop-ins means a daemon-reload.
 */
import { ModuleFailure } from '../engine/errors.js'
import { NEW_UNIT } from '../engine/unknown.js'
import { pathStat } from './facts/path.js'
import { isActive, isEnabled, isMasked, systemdUnit, type UnitState } from './facts/systemd.js'
import { notYet } from './schema.js'
import { defineModule, shScript, type Change, type Command, type ModuleContext, type Plan } from './types.js'

const UNIT_TYPES = ['service', 'socket', 'timer', 'target', 'mount', 'automount', 'path', 'slice', 'scope', 'swap', 'device']
const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system']

/** "astronomer-core@scheduler" -> "astronomer-core@scheduler.service"; rejects what systemd would not accept. */
export function unitName(name: string): string {
  if (!/^[A-Za-z0-9:_.\\@-]+$/.test(name) || name.startsWith('-') || name.length > 250) {
    throw new ModuleFailure(
      `name ${JSON.stringify(name)} is not a valid systemd unit name (letters, digits, ":_.\\@-"; use systemd-escape for other characters)`,
    )
  }
  const suffix = name.slice(name.lastIndexOf('.') + 1)
  return name.includes('.') && UNIT_TYPES.includes(suffix) ? name : `${name}.service`
}

/** Unit files that would provide `unit`: the unit itself and, for an instance, its template. */
function unitFiles(unit: string): string[] {
  const m = /^([^@]+)@[^.]*\.(\w+)$/.exec(unit)
  const names = m ? [unit, `${m[1]}@.${m[2]}`] : [unit]
  return UNIT_DIRS.flatMap((d) => names.map((n) => `${d}/${n}`))
}

function effectExists(ctx: ModuleContext, path: string): boolean | undefined {
  const e = ctx.effect('path.stat', path) as { exists?: boolean } | undefined
  return e === undefined ? undefined : !!e.exists
}

// The verb and the unit are positional args. On failure the journal's last lines go to stderr, which
// becomes the task's message.
const JOURNAL_ON_FAILURE = `systemctl "$1" -- "$2" || { rc=$?; echo "systemctl $1 $2 failed (rc $rc); last journal lines:" >&2; journalctl -u "$2" -n 15 --no-pager >&2; exit $rc; }`
const act = (verb: string, unit: string): Command => shScript(JOURNAL_ON_FAILURE, verb, unit)
const ctl = (...args: string[]): Command => ({ argv: ['systemctl', ...args] })

function describe(u: UnitState): string {
  const masked = isMasked(u) ? ', masked' : ''
  return `${u.activeState} (${u.subState}), ${u.unitFileState || 'no unit file state'}${masked}`
}

export const systemd = defineModule({
  name: 'systemd',
  aliases: ['systemd_service'],
  summary: 'Manage systemd units',
  description:
    'Starts, stops, restarts or reloads a unit, enables or masks it, and reloads systemd when unit files ' +
    'changed on disk. A unit that fails to start fails the task with the last lines of its journal.',
  params: {
    name: {
      type: 'str',
      aliases: ['unit', 'service'],
      description: 'Unit name; `.service` is appended when it has no unit suffix (template instances like `astronomer-core@scheduler` work).',
    },
    state: {
      type: 'str',
      choices: ['started', 'stopped', 'restarted', 'reloaded'],
      description: 'started/stopped are idempotent; restarted and reloaded always act.',
    },
    enabled: { type: 'bool', description: 'Start the unit on boot.' },
    masked: { type: 'bool', description: 'Mask the unit (it cannot be started at all).' },
    daemon_reload: {
      type: 'bool',
      default: false,
      aliases: ['daemon-reload'],
      description: 'Run daemon-reload before anything else (done anyway when systemd reports changed unit files; without a name it always runs).',
    },
    daemon_reexec: {
      type: 'bool',
      default: false,
      aliases: ['daemon-reexec'],
      description: 'Run daemon-reexec first (only as part of a change; without a name it always runs).',
    },
    scope: notYet(
      { type: 'str', default: 'system', choices: ['system', 'user', 'global'] },
      'The systemd manager to talk to.',
      'only the system manager (scope: system) is supported',
    ),
    no_block: { type: 'bool', default: false, description: 'Do not wait for start/stop jobs to finish (--no-block).' },
    force: { type: 'bool', description: 'Override existing symlinks when enabling, disabling or masking (systemctl --force).' },
  },
  // as Ansible's systemd_service argument_spec
  requiredOneOf: [['state', 'enabled', 'masked', 'daemon_reload', 'daemon_reexec']],
  requiredBy: { state: ['name'], enabled: ['name'], masked: ['name'] },
  returns: {
    name: 'the name as given',
    state: 'with `state`: started (also for restarted and reloaded) or stopped',
    enabled: 'with `enabled`: whether it is enabled on boot after the task',
    status: "the unit's systemctl show properties read by the plan",
  },
  examples: `
- systemd:
    name: astronomer-core@scheduler
    state: started
    enabled: true
    daemon_reload: true
- service: { name: nginx, state: reloaded }
`,
  plan: (p, ctx) => planSystemd(p, ctx),
  // daemon-reload / daemon-reexec alone ran: Ansible's systemd reports changed=false for them
  interpret: (p, out) =>
    p.name === undefined && out.rc === 0 ? { failed: false, changed: false, msg: 'systemd re-read its units (not a change, as in Ansible)' } : undefined,
})

export interface SystemdParams {
  name?: string
  state?: string
  enabled?: boolean
  masked?: boolean
  daemon_reload: boolean
  daemon_reexec: boolean
  no_block: boolean
  force?: boolean
}

/** `status` as Ansible's systemd returns it: systemctl show's properties by their own names (those the plan read). */
const showProperties = (u: UnitState): Record<string, string> => ({
  LoadState: u.loadState,
  ActiveState: u.activeState,
  SubState: u.subState,
  UnitFileState: u.unitFileState,
  NeedDaemonReload: u.needDaemonReload ? 'yes' : 'no',
  FragmentPath: u.fragmentPath,
  DropInPaths: u.dropInPaths.join(' '),
})

/** The systemd plan (also the service module's, on systemd hosts). */
export async function planSystemd(p: SystemdParams, ctx: ModuleContext): Promise<Plan> {
  if (p.name === undefined) {
    // only daemon-reexec/daemon-reload (the rules make state, enabled and masked need a name)
    const commands = [...(p.daemon_reexec ? [ctl('daemon-reexec')] : []), ...(p.daemon_reload ? [ctl('daemon-reload')] : [])]
    if (commands.length === 0) return { kind: 'ok', reason: 'no unit named and no daemon-reload or daemon-reexec asked for', data: { name: null, status: {} } }
    // Ansible runs them without calling it a change (its `changed` stays false): the task is ok
    return {
      kind: 'change',
      changes: [{ summary: commands.map((c) => c.argv.join(' ')).join(', '), commands, unchanged: true }],
      data: { name: null, status: {} },
    }
  }
  if (p.masked && (p.state === 'started' || p.state === 'restarted' || p.state === 'reloaded')) {
    throw new ModuleFailure(`masked: true conflicts with state: ${p.state} (a masked unit cannot start)`)
  }
  if (p.masked && p.enabled) throw new ModuleFailure('masked: true conflicts with enabled: true')
  const unit = unitName(p.name)
  let u = await ctx.fact(systemdUnit, unit)
  const status = showProperties(u)
  // A masked unit's fragment is /dev/null, whose mtime moves with every write, so systemd keeps
  // reporting NeedDaemonReload=yes for it; unmask reloads anyway.
  let reload = u.needDaemonReload && !isMasked(u)
  if (ctx.check && [u.fragmentPath, ...u.dropInPaths].some((f) => f && effectExists(ctx, f) !== undefined)) reload = true

  // a SysV script systemd has not loaded (copied to /etc/init.d, no daemon-reload since; never a template instance): Ansible's
  // systemd finds it (sysv_exists), warns, and asks systemctl, whose enable goes through
  // systemd-sysv-install and reloads, so the start after it finds the generated unit
  const warnings: string[] = []
  if (
    u.loadState === 'not-found' &&
    !p.masked &&
    unit.endsWith('.service') &&
    !unit.includes('@') &&
    (await ctx.fact(pathStat, `/etc/init.d/${unit.slice(0, -8)}`)).exists
  ) {
    warnings.push(`The service (${p.name}) is actually an init script but the system is managed by systemd`)
    const enabled = (await ctx.run({ argv: ['systemctl', 'is-enabled', '--', unit] })).rc === 0
    u = { ...u, loadState: 'loaded', unitFileState: enabled ? 'enabled' : 'disabled' }
  }
  const coming = u.loadState === 'not-found' && ctx.check && unitFiles(unit).some((f) => effectExists(ctx, f) === true)
  // check mode: a unit the host lacks may come with a package an earlier task installs (samba's
  // smbd.service); asking registers that wait, so a plan that would fail or find it stopped "may change"
  const mayBeShipped = () => ctx.check && ctx.unknown?.(NEW_UNIT, unit)
  const missing = `Could not find the requested service ${unit}: host (no unit file on ${ctx.host}; is it installed?)`
  // Ansible's systemd masks a unit that does not exist (systemctl can), then fails once the task
  // also asks for enabled or a state; the mask stays (the hardening role masks kdump and atd so,
  // its failed_when accepting "Could not find the requested service")
  if (u.loadState === 'not-found' && p.masked && (p.enabled !== undefined || p.state !== undefined) && !coming) {
    if (ctx.check) {
      mayBeShipped()
      throw new ModuleFailure(missing)
    }
    const fail = async (): Promise<undefined> => {
      throw new ModuleFailure(missing)
    }
    const value: UnitState = { ...u, loadState: 'masked', unitFileState: 'masked' }
    const mask = [ctl(...(p.force ? ['--force'] : []), 'mask', '--', unit)]
    return { kind: 'change', changes: [{ summary: `mask ${unit}`, commands: mask, effects: [{ fact: 'systemd.unit', key: unit, value }], controller: fail }] }
  }
  // a unit only asked about (no state, enabled or masked): Ansible's systemd returns its status,
  // found or not (the hardening role reads motd-news.timer's LoadState so)
  if (u.loadState === 'not-found' && p.state === undefined && p.enabled === undefined && p.masked === undefined && !p.daemon_reload)
    return { kind: 'ok', reason: `${unit} does not exist`, data: { name: p.name, status } }
  if (u.loadState === 'not-found' && !p.masked) {
    if (!coming && !p.daemon_reload) {
      mayBeShipped()
      if (p.state === 'stopped' && !p.enabled && !p.masked)
        return { kind: 'ok', reason: `${unit} does not exist, so it is not running`, data: { name: p.name, status } }
      throw new ModuleFailure(missing)
    }
    // its file will be there by the time this runs (an earlier task writes it; daemon_reload loads it)
    u = { ...u, loadState: 'loaded', activeState: 'inactive', subState: 'dead', unitFileState: 'disabled' }
    reload = reload || !!p.daemon_reload
  }

  const force = p.force ? ['--force'] : []
  const changes: Change[] = []
  const after: UnitState = { ...u, needDaemonReload: false }
  const pre: Command[] = [...(p.daemon_reexec ? [ctl('daemon-reexec')] : []), ...(reload ? [ctl('daemon-reload')] : [])]
  // a daemon-reload alone is not a change, as in Ansible (ok, changed false)
  if (reload)
    changes.push({
      summary: `daemon-reload (${u.needDaemonReload ? `unit files of ${unit} changed on disk` : 'unit files changed'})`,
      commands: [],
      unchanged: true,
    })
  if (p.masked === false && isMasked(u)) {
    changes.push({ summary: `unmask ${unit}`, commands: [ctl('unmask', '--', unit)] })
    Object.assign(after, { loadState: 'loaded', unitFileState: 'disabled' })
  }
  if (p.enabled !== undefined && p.enabled !== isEnabled(after)) {
    if (p.enabled && isMasked(after)) throw new ModuleFailure(`${unit} is masked; set masked: false to enable it`)
    changes.push({ summary: `${p.enabled ? 'enable' : 'disable'} ${unit}`, commands: [ctl(...force, p.enabled ? 'enable' : 'disable', '--', unit)] })
    after.unitFileState = p.enabled ? 'enabled' : 'disabled'
  }
  if (p.masked === true && !isMasked(u)) {
    changes.push({ summary: `mask ${unit}`, commands: [ctl(...force, 'mask', '--', unit)] })
    Object.assign(after, { loadState: 'masked', unitFileState: 'masked' })
  }
  const active = isActive(u)
  const nb = p.no_block ? ['--no-block'] : []
  const verb = (v: string) => (nb.length ? ctl(...nb, v, '--', unit) : act(v, unit))
  if (p.state === 'started' && !active) changes.push({ summary: `start ${unit} (${u.activeState})`, commands: [verb('start')] })
  if (p.state === 'stopped' && (active || u.activeState === 'deactivating')) changes.push({ summary: `stop ${unit}`, commands: [verb('stop')] })
  if (p.state === 'restarted') changes.push({ summary: `restart ${unit}`, commands: [verb('restart')] })
  if (p.state === 'reloaded')
    changes.push({ summary: active ? `reload ${unit}` : `start ${unit} (reloaded, but ${u.activeState})`, commands: [verb(active ? 'reload' : 'start')] })
  if (p.state === 'started' || p.state === 'restarted' || p.state === 'reloaded') Object.assign(after, { activeState: 'active', subState: 'running' })
  if (p.state === 'stopped') Object.assign(after, { activeState: 'inactive', subState: 'dead' })

  // Ansible's: the name as given; state and enabled only when asked, as they are after the task (restarted, reloaded: started)
  const data = {
    name: p.name,
    ...(p.state !== undefined && { state: p.state === 'stopped' ? 'stopped' : 'started' }),
    ...(p.enabled !== undefined && { enabled: p.enabled }),
    status,
    ...(warnings.length && { warnings }),
  }
  if (changes.length === 0) {
    const reloadNote = p.daemon_reload ? '; no daemon-reload needed' : ''
    return { kind: 'ok', reason: `${unit} is ${describe(u)}${reloadNote}`, data }
  }
  changes[0] = { ...changes[0]!, commands: [...pre, ...changes[0]!.commands] }
  const attrs: Record<string, [string, string]> = {}
  for (const k of ['loadState', 'activeState', 'unitFileState'] as const) if (u[k] !== after[k]) attrs[k] = [u[k], after[k]]
  changes[changes.length - 1] = {
    ...changes[changes.length - 1]!,
    effects: [{ fact: 'systemd.unit', key: unit, value: after }],
    diff: { path: unit, before: '', after: '', attrs },
  }
  return { kind: 'change', changes, data }
}
