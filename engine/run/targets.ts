/**
 * What ansible-playbook says of its targets before and as each play starts (CLI.get_host_list,
 * the inventory's _enumerate_matches): an inventory without hosts warns that only the implicit
 * localhost is there; a --limit that leaves none of its hosts ends the run (exit 1), where acplay
 * ran every play on nothing and exited 0; each part of a pattern that matches nothing warns, or is
 * an error or nothing, as ansible.cfg's host_pattern_mismatch says.
 */
import { setting, sourceFor } from '../config/settings.js'
import { AcplayError } from '../errors.js'
import type { RunContext } from './context.js'
import { emit } from './context.js'

/** Before the first play. */
export function checkTargets(rc: RunContext): void {
  const src = sourceFor(rc.playbook.dir)
  if (rc.inventory.hosts.size === 0) {
    if (setting('LOCALHOST_WARNING', src) !== false)
      emit(rc, 'onWarning', "provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'")
    return
  }
  const limit = rc.opts.limit
  if (!limit) return
  unmatched(rc, '', limit)
  // a slice may be empty on its own (fewer hosts than parts): only a whole run's limit ends it
  if (!rc.opts.slice && rc.inventory.select('all', limit).length === 0)
    throw new AcplayError('E_NO_HOSTS', `Specified inventory, host pattern and/or --limit leaves us with no hosts to target (--limit ${limit})`)
}

/** As a play starts: the parts of its `hosts` that match nothing. */
export function unmatchedPlayHosts(rc: RunContext, pattern: string): void {
  unmatched(rc, pattern)
}

function unmatched(rc: RunContext, pattern: string, limit?: string): void {
  const mode = setting('HOST_PATTERN_MISMATCH', sourceFor(rc.playbook.dir))
  if (mode === 'ignore') return
  for (const p of rc.inventory.unmatched(pattern, limit)) {
    const msg = `Could not match supplied host pattern, ignoring: ${p}`
    if (mode === 'error') throw new AcplayError('E_NO_HOSTS', msg)
    emit(rc, 'onWarning', msg)
  }
}
