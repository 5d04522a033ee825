/**
 * Notifications: which handlers a task's `notify` reaches on a host, resolved when the task
 * reports, as Ansible does; the flush (handlers.ts) runs those.
 */
import { setting, sourceFor } from '../config/settings.js'
import { AcplayError, type Location } from '../errors.js'
import { isTemplate } from '../playbook/keywords.js'
import type { Handler } from '../playbook/types.js'
import { templateValue } from '../vars/template.js'
import { emit, type PlayContext } from './context.js'
import type { HostState } from './host-state.js'
import { includeTagVars } from './scope.js'

/**
 * What notifies a handler by name: its name, `role : name` for a role's and `ns.coll.role : name`
 * for a collection's (Ansible's candidates: name, get_name() and get_name(include_role_fqcn=True)).
 */
function handlerNames(h: Handler): string[] {
  if (h.name === undefined) return []
  if (!h.role) return [h.name]
  const names = [h.name, `${h.role.name} : ${h.name}`]
  if (h.role.fqcn) names.push(`${h.role.fqcn} : ${h.name}`)
  return names
}

const unusable = new WeakSet<Handler>()

/**
 * A templated handler name (`Restart {{ service }}`) is rendered once, when a notification is
 * first looked up, with the variables that do not depend on a host (its role's, the play's), and
 * kept as its name (header too), as Ansible's search_handler_blocks_by_name does; one that cannot
 * be rendered is passed over, with Ansible's warning when it has no `listen` topic.
 */
function renderHandlerNames(pc: PlayContext): void {
  for (const h of pc.handlers) {
    if (!isTemplate(h.name) || unusable.has(h)) continue
    try {
      const vars = includeTagVars(pc, { vars: h.vars ?? {}, when: [], tags: [], role: h.role })
      h.name = String(templateValue(h.name, vars, { file: h.pos.file, line: h.pos.line, col: h.pos.col }))
    } catch (e) {
      unusable.add(h)
      const why = e instanceof AcplayError ? e.message : String(e)
      if (h.listen.length === 0)
        emit(
          pc.run,
          'onWarning',
          `Handler '${h.name}' is unusable because it has no listen topics and the name could not be templated (host-specific variables are not supported in handler names). The error: ${why}`,
        )
    }
  }
}

/** A task's `notify` names rendered with its variables on the host (Ansible templates the keyword when the task runs). */
export function notifyNames(
  names: readonly string[],
  vars: Record<string, unknown> | undefined,
  where: { file?: string; line?: number; col?: number },
): string[] {
  return names.flatMap((n) => {
    if (!vars || !isTemplate(n)) return [n]
    try {
      const v = templateValue(n, vars, where)
      // a variable holding a list of names ("{{ restart_handlers }}") notifies each
      return Array.isArray(v) ? v.map(String) : [String(v)]
    } catch {
      return [n] // left as written: the end of the play warns that nothing answered it
    }
  })
}

export const knownNames = (handlers: readonly Handler[]) => new Set(handlers.flatMap((h) => [...(unusable.has(h) ? [] : handlerNames(h)), ...h.listen]))

/**
 * A task notified `name` on `host`: the handlers it reaches now, as Ansible resolves it when the
 * task reports (search_handler_blocks_by_name, from the end): the last handler loaded with that
 * name (a role used twice has its handler run once; an include_role loaded later has its own
 * copy), and every handler that listens to it. `may`: check mode, a task that may change.
 */
export function notify(pc: PlayContext, host: HostState, name: string, may: boolean, where: Location): void {
  host.notified.add(name)
  renderHandlerNames(pc)
  let byName: Handler | undefined
  for (const h of pc.handlers) if (!unusable.has(h) && handlerNames(h).includes(name)) byName = h
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
