/** Handlers run at flush points, in the order they are defined, on the hosts that notified them. */
import { setting, sourceFor } from '../config/settings.js'
import { emit, emitAsync, record, taskRef, type PlayContext, type RunContext } from './context.js'
import { handlerHosts } from './gate.js'
import type { HostState } from './host-state.js'
import type { Handler, Play, Task } from '../playbook/types.js'
import type { HostResult } from '../report/types.js'
import { enter, rootScope, type Scope } from './scope.js'
import { runModuleTask } from './task.js'
import { knownNames } from './notify.js'

/** How a task list runs (linear.ts's runTasks, passed in: linear.ts calls this module, not the other way round). */
export type RunTaskList = (pc: PlayContext, tasks: readonly Task[], hosts: HostState[], scope: Scope) => Promise<void>

/**
 * force_handlers: the play's keyword (rendered), else --force-handlers, else ansible.cfg's
 * `[defaults] force_handlers` / ANSIBLE_FORCE_HANDLERS (the flag's default in Ansible).
 */
export function forceHandlers(rc: RunContext, play: Play): boolean {
  if (play.force_handlers !== undefined) return play.force_handlers === true
  return rc.opts.forceHandlers === true || setting('DEFAULT_FORCE_HANDLERS', sourceFor(rc.playbook.dir)) === true
}

/**
 * Runs the handlers `hosts` were notified of. The play's end of each section passes every host of
 * the batch: with force_handlers a host that failed earlier runs its handlers there (Ansible wraps
 * each section in a block whose `always` flushes); an explicit `meta: flush_handlers` passes the
 * active hosts only, as a failed host in Ansible waits for that `always`. A handler that fails on a
 * host ends this flush there, forced or not.
 */
export async function flushHandlers(pc: PlayContext, hosts: HostState[], runTasks: RunTaskList): Promise<void> {
  // a play that ended (meta: end_play, any_errors_fatal, max_fail_percentage) runs no handlers: Ansible breaks out of it
  if (pc.ended) return
  // the handlers notified so far are taken as a whole before the first one runs; names no handler
  // answered stay, for the warning
  const pending = new Map(hosts.map((h) => [h, new Set(h.handlers)]))
  const only = new Map(hosts.map((h) => [h, new Set(h.mayHandlers)]))
  const known = knownNames(pc.handlers)
  for (const h of hosts) {
    h.handlers.clear()
    h.mayHandlers.clear()
    for (const n of h.notified) if (known.has(n)) h.notified.delete(n)
  }
  /** check mode: a handler only tasks that "may change" notified on this host may run: its change too (engine/unknown.ts) */
  const maybe = (h: HostState, handler: Handler, r: { status: string; reason?: string }) =>
    r.status === 'changed' && only.get(h)!.has(handler)
      ? { mayChange: true, reason: `may run (notified only by tasks that may change)${r.reason ? `: ${r.reason}` : ''}` }
      : {}
  const failedHere = new Set<HostState>()
  for (const handler of pc.handlers) {
    const targets = handlerHosts(hosts, (h) => !failedHere.has(h) && pending.get(h)!.has(handler), pc.forceHandlers)
    if (targets.length === 0) continue
    if (handler.kind === 'include_tasks') {
      // an include as a handler: its tasks run on the hosts that notified it; a failed one (forced)
      // is revived for them, as a block's `always` revives it (linear.ts)
      const revived = targets.filter((h) => h.failed)
      const first = pc.run.results.length
      for (const h of revived) h.failed = false
      try {
        await runTasks(pc, [handler], targets, handlerScope(handler))
      } finally {
        for (const h of revived) h.failed = true
      }
      for (const r of pc.run.results.slice(first)) if (failedResult(r)) failedHere.add(pc.run.hosts.get(r.host)!)
      continue
    }
    const ref = taskRef({ ...handler }, true)
    emit(
      pc.run,
      'onTaskStart',
      ref,
      targets.map((h) => h.name),
    )
    const scope = handlerScope(handler)
    const results = await Promise.all(targets.map((h) => pc.run.limit(() => runModuleTask(pc, handler, h, scope))))
    for (const [i, r] of results.entries()) {
      if (failedResult(r)) failedHere.add(targets[i]!)
      record(pc, { ...r, ...maybe(targets[i]!, handler, r), task: { ...r.task, handler: true } })
    }
    await emitAsync(pc.run, 'onTaskEnd', ref)
  }
}

/** What the blocks and imports a handler was loaded through pass down to it (its when, vars, become...). */
const handlerScope = (handler: Handler): Scope => (handler.within ?? []).reduce(enter, rootScope())

/** A result that ends the host's flush: a failure not ignored, or the host unreachable. */
const failedResult = (r: HostResult) => (r.status === 'failed' && !r.ignored) || r.status === 'unreachable'

/** Notifications naming no handler are an error in Ansible; we warn once per name. */
export function unknownNotifications(pc: PlayContext, hosts: HostState[]): string[] {
  const known = knownNames(pc.handlers)
  const unknown = new Set<string>()
  for (const h of hosts) for (const n of h.notified) if (!known.has(n)) unknown.add(n)
  return [...unknown]
}
