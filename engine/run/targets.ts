/**
 * What Ansible says of a command line's targets (CLI.get_host_list, the inventory's
 * _enumerate_matches), one rule for `acplay run` and `acplay adhoc`: an inventory without hosts
 * warns that only the implicit localhost is there (not when the pattern is localhost); a --limit
 * that leaves none of the hosts ends the run (exit 1), where acplay ran every play on nothing and
 * exited 0; adhoc's pattern matching nothing warns "No hosts matched, nothing to do"; each part of
 * a pattern that matches nothing warns, or is an error or nothing, as host_pattern_mismatch says.
 */
import { setting, sourceFor, type SettingSource } from '../config/settings.js'
import { AcplayError } from '../errors.js'
import { LOCALHOST } from '../inventory/patterns.js'
import type { Inventory } from '../inventory/types.js'
import type { RunContext } from './context.js'
import { emit } from './context.js'
import type { RunOptions } from './options.js'

type Targets = Pick<RunOptions, 'hostPattern' | 'limit' | 'slice'>

/** Before the first play. */
export function checkTargets(rc: RunContext): void {
  checkHostList(rc.inventory, rc.opts, sourceFor(rc.playbook.dir), (m) => emit(rc, 'onWarning', m))
}

/** As a play starts: the parts of its `hosts` that match nothing. */
export function unmatchedPlayHosts(rc: RunContext, pattern: string): void {
  warnUnmatched(rc.inventory, pattern, undefined, sourceFor(rc.playbook.dir), (m) => emit(rc, 'onWarning', m))
}

/** The command line's pattern (adhoc's; ansible-playbook's is all) and --limit, as get_host_list checks them. */
export function checkHostList(inventory: Inventory, t: Targets, src: SettingSource, warn: (msg: string) => void): void {
  const pattern = t.hostPattern ?? 'all'
  if (inventory.hosts.size === 0) {
    if (!LOCALHOST.has(pattern) && setting('LOCALHOST_WARNING', src) !== false)
      warn("provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'")
    return
  }
  // a playbook's plays check their own patterns as they start
  if (t.hostPattern === undefined && !t.limit) return
  warnUnmatched(inventory, t.hostPattern ?? '', t.limit, src, warn)
  // a slice may be empty on its own (fewer hosts than parts): only a whole run's limit ends it;
  // a localhost pattern is never empty here (list_hosts falls back to the implicit localhost)
  if (t.slice || LOCALHOST.has(pattern) || inventory.select(pattern, t.limit).length > 0) return
  if (t.limit) throw new AcplayError('E_NO_HOSTS', `Specified inventory, host pattern and/or --limit leaves us with no hosts to target (--limit ${t.limit})`)
  warn('No hosts matched, nothing to do')
}

function warnUnmatched(inventory: Inventory, pattern: string, limit: string | undefined, src: SettingSource, warn: (msg: string) => void): void {
  const mode = setting('HOST_PATTERN_MISMATCH', src)
  if (mode === 'ignore') return
  for (const p of inventory.unmatched(pattern, limit)) {
    const msg = `Could not match supplied host pattern, ignoring: ${p}`
    if (mode === 'error') throw new AcplayError('E_NO_HOSTS', msg)
    warn(msg)
  }
}
