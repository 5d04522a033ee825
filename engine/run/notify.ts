/**
 * Notifications: which handlers a task's `notify` reaches on a host, resolved when the task
 * reports, as Ansible does; the flush (handlers.ts) runs those.
 */
import { setting, sourceFor } from '../config/settings.js'
import { AcplayError, type Location } from '../errors.js'
import type { Handler } from '../playbook/types.js'
import type { PlayContext } from './context.js'
import type { HostState } from './host-state.js'

/** What notifies a handler by name: its name, and `role : name` for a role's (Ansible's get_name). */
const handlerNames = (h: Handler): string[] => (h.name === undefined ? [] : h.role ? [h.name, `${h.role.name} : ${h.name}`] : [h.name])

export const knownNames = (handlers: readonly Handler[]) => new Set(handlers.flatMap((h) => [...handlerNames(h), ...h.listen]))

/**
 * A task notified `name` on `host`: the handlers it reaches now, as Ansible resolves it when the
 * task reports (search_handler_blocks_by_name, from the end): the last handler loaded with that
 * name (a role used twice has its handler run once; an include_role loaded later has its own
 * copy), and every handler that listens to it. `may`: check mode, a task that may change.
 */
export function notify(pc: PlayContext, host: HostState, name: string, may: boolean, where: Location): void {
  host.notified.add(name)
  let byName: Handler | undefined
  for (const h of pc.handlers) if (handlerNames(h).includes(name)) byName = h
  const reached = pc.handlers.filter((h) => h === byName || h.listen.includes(name))
  // Ansible raises it while processing the result: no more tasks, no recap, exit 1 (check mode's
  // "may change" is no sure change: the play's end warns of it instead)
  if (reached.length === 0 && !may && setting('ERROR_ON_MISSING_HANDLER', sourceFor(pc.run.playbook.dir)) !== false)
    throw new AcplayError(
      'E_NO_HANDLER',
      `The requested handler '${name}' was not found in either the main handlers list nor in the listening handlers list`,
      where,
    )
  for (const h of reached) {
    const sure = host.handlers.has(h) && !host.mayHandlers.has(h)
    host.handlers.add(h)
    if (may && !sure) host.mayHandlers.add(h)
    else host.mayHandlers.delete(h)
  }
}
