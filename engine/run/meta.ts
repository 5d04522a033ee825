/**
 * `meta:` tasks, as Ansible's strategy runs them (plugins/strategy/__init__.py _execute_meta): most
 * are evaluated once, on the first host, and act on the whole batch or play; end_host,
 * flush_handlers and reset_connection act per host. `when` is honoured except by noop,
 * refresh_inventory and reset_connection (Ansible ignores it there too, with a warning).
 */
import type { MetaTask } from '../playbook/types.js'
import { emit, type PlayContext, taskRef } from './context.js'
import { falseCondition, selected, shownName } from './gate.js'
import { flushHandlers, type RunTaskList } from './handlers.js'
import type { HostState } from './host-state.js'
import { clearHostFacts } from './host-facts.js'
import { taskVars, type Scope } from './scope.js'

const NO_WHEN: ReadonlySet<MetaTask['action']> = new Set(['noop', 'refresh_inventory', 'reset_connection'])
/** run for each host in turn by Ansible's linear strategy; the others run once, on the first host */
const PER_HOST: ReadonlySet<MetaTask['action']> = new Set(['noop', 'reset_connection', 'end_host', 'flush_handlers'])

/** `active`: the hosts still running this task list; `all`: every host of the batch (clear_host_errors revives them). */
export async function runMeta(pc: PlayContext, task: MetaTask, active: HostState[], all: HostState[], scope: Scope, runTasks: RunTaskList): Promise<void> {
  if (!selected(pc, scope, task)) return
  const holds = (h: HostState): boolean => {
    if (NO_WHEN.has(task.action) || task.when.length + scope.when.length === 0) return true
    const where = { file: task.pos.file, line: task.pos.line, col: task.pos.col, task: task.name ?? `meta: ${task.action}`, host: h.name }
    // evaluated by Ansible's strategy itself, whose warnings show once per run
    return falseCondition(scope, task, taskVars(pc, h, scope, task), where, { pc, shown: pc.run.warned }) === undefined
  }
  if (NO_WHEN.has(task.action) && task.when.length)
    emit(pc.run, 'onWarning', `meta: ${task.action} does not support when conditionals (${task.pos.file}:${task.pos.line}); it runs anyway`)
  const first = active[0]
  // Ansible's strategy announces a meta task for each host it runs it for (its name as written, not
  // templated: `TASK [meta]` when unnamed) and prints `skipping: [host]` where its `when` is false,
  // a line the recap does not count; the announcements come before any handler a flush runs.
  // Under the free strategy it is named as templated (gate.ts shownName), and its banner printed
  // with a result only, a skip's (report/banners.ts).
  const decided = new Map<HostState, boolean>()
  const ref = taskRef({ name: task.name ?? task.written ?? 'meta', pos: task.pos, role: task.role ?? scope.role })
  const free = pc.play.strategy === 'free'
  for (const h of PER_HOST.has(task.action) ? active : active.slice(0, 1)) {
    const runsHere = holds(h)
    decided.set(h, runsHere)
    const shown = free ? { ...ref, name: shownName(pc, task, h, scope) ?? ref.name } : ref
    emit(pc.run, 'onTaskStart', shown, [])
    if (!runsHere) emit(pc.run, 'onItemResult', { host: h.name, task: shown, status: 'skipped', changes: [], durationMs: 0 })
  }
  const runs = (h: HostState) => decided.get(h) ?? holds(h)
  switch (task.action) {
    case 'noop':
    case 'refresh_inventory': // the inventory is read once per run; its sources do not change under it
      return
    case 'flush_handlers':
      return flushHandlers(pc, active.filter(runs), runTasks)
    case 'end_host':
      for (const h of active) if (runs(h)) h.ended = true
      return
    case 'reset_connection':
      await Promise.all(active.map((h) => h.reconnect()))
      return
  }
  if (!first || !runs(first)) return
  switch (task.action) {
    case 'end_play':
      pc.ended = true
      return
    case 'end_batch':
      for (const h of active) h.ended = true
      return
    case 'clear_host_errors':
      for (const h of all) {
        h.failed = false
        h.unreachable = false
      }
      return
    case 'clear_facts':
      for (const h of all) clearHostFacts(pc.run, h)
      return
  }
}
