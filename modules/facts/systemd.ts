/** One systemd unit's state: a single `systemctl show` (one round trip, read-only; several units in one). */
import type { Fact } from '../types.js'

export interface UnitState {
  /** loaded, not-found, masked, bad-setting, error */
  loadState: string
  /** active, inactive, failed, activating, deactivating, reloading */
  activeState: string
  subState: string
  /** enabled, disabled, static, masked, indirect, generated, ... ('' when unknown) */
  unitFileState: string
  /** the unit's file or a drop-in changed on disk since systemd last loaded it */
  needDaemonReload: boolean
  fragmentPath: string
  dropInPaths: string[]
}

export const UNIT_PROPERTIES = ['Id', 'LoadState', 'ActiveState', 'SubState', 'UnitFileState', 'NeedDaemonReload', 'FragmentPath', 'DropInPaths'] as const

/** Parses `systemctl show -p ...` output (Key=Value lines; pure). */
export function parseUnitState(stdout: string): UnitState {
  const props: Record<string, string> = {}
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) props[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return {
    loadState: props.LoadState ?? '',
    activeState: props.ActiveState ?? '',
    subState: props.SubState ?? '',
    unitFileState: props.UnitFileState ?? '',
    needDaemonReload: props.NeedDaemonReload === 'yes',
    fragmentPath: props.FragmentPath ?? '',
    dropInPaths: (props.DropInPaths ?? '').split(/\s+/).filter(Boolean),
  }
}

export const isActive = (u: UnitState) => ['active', 'reloading', 'activating'].includes(u.activeState)
/** As Ansible: static, indirect, generated, alias and enabled-runtime units count as enabled. */
export const isEnabled = (u: UnitState) =>
  ['enabled', 'enabled-runtime', 'static', 'indirect', 'generated', 'alias', 'linked', 'linked-runtime'].includes(u.unitFileState)
export const isMasked = (u: UnitState) => u.loadState === 'masked' || u.unitFileState === 'masked' || u.unitFileState === 'masked-runtime'

export const systemdUnit: Fact<UnitState, [string]> = {
  name: 'systemd.unit',
  key: (unit) => unit,
  command: (unit) => ({ argv: ['systemctl', 'show', '-p', UNIT_PROPERTIES.join(','), '--', unit] }),
  // several units in one systemctl: a block of properties per unit, in argument order, blank-line separated
  batch: {
    command: (reads) => ({ argv: ['systemctl', 'show', '-p', UNIT_PROPERTIES.join(','), '--', ...reads.map(([u]) => u)] }),
    parse(out, reads) {
      const blocks = out.stdout.replace(/\n+$/, '').split(/\n\n/)
      if (out.rc !== 0 || blocks.length !== reads.length) throw new Error(`systemctl show failed: ${(out.stderr || out.stdout).trim()}`)
      return blocks.map(parseUnitState)
    },
  },
  parse(out, unit) {
    if (out.rc !== 0) throw new Error(`systemctl show ${unit} failed: ${(out.stderr || out.stdout).trim()}`)
    return parseUnitState(out.stdout)
  },
}
