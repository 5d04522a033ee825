/**
 * `meta:` tasks, as Ansible's strategy runs them (plugins/strategy/__init__.py _execute_meta): most
 * are evaluated once, on the first host, and act on the whole batch or play; end_host,
 * flush_handlers and reset_connection act per host. `when` is honoured except by noop,
 * refresh_inventory and reset_connection (Ansible ignores it there too, with a warning).
 */
import type { MetaTask } from '../playbook/types.js'
import { emit, emitAsync, taskRef, type PlayContext } from './context.js'
import { falseCondition, selected } from './gate.js'
import { flushHandlers, type RunTaskList } from './handlers.js'
import type { HostState } from './host-state.js'
import { clearHostFacts } from './host-facts.js'
import { taskVars, type Scope } from './scope.js'

const NO_WHEN: ReadonlySet<MetaTask['action']> = new Set(['noop', 'refresh_inventory', 'reset_connection'])

/** `active`: the hosts still running this task list; `all`: every host of the batch (clear_host_errors revives them). */
export async function runMeta(pc: PlayContext, task: MetaTask, active: HostState[], all: HostState[], scope: Scope, runTasks: RunTaskList): Promise<void> {
  if (!selected(pc, scope, task)) return
  const skipped: { host: string; cond: string }[] = []
  const holds = (h: HostState): boolean => {
    if (NO_WHEN.has(task.action) || task.when.length + scope.when.length === 0) return true
    const where = { file: task.pos.file, line: task.pos.line, col: task.pos.col, task: task.name ?? `meta: ${task.action}`, host: h.name }
    const cond = falseCondition(scope, task, taskVars(pc, h, scope, task), where)
    if (cond !== undefined) skipped.push({ host: h.name, cond })
    return cond === undefined
  }
  try {
    await act(pc, task, active, all, runTasks, holds, () => showSkipped(pc, task, scope, skipped))
  } finally {
    await showSkipped(pc, task, scope, skipped)
  }
}

/**
 * The hosts whose `when` was false: Ansible's strategy sends them to the callback as skipped (its
 * TASK line and `skipping: [host]`) but not to the stats, so the recap does not count them.
 */
async function showSkipped(pc: PlayContext, task: MetaTask, scope: Scope, skipped: { host: string; cond: string }[]): Promise<void> {
  if (skipped.length === 0) return
  // an unnamed one is `meta`, as Ansible's header and --list-tasks name it
  const ref = taskRef({ ...task, action: 'meta', role: task.role ?? scope.role })
  emit(
    pc.run,
    'onTaskStart',
    ref,
    skipped.map((s) => s.host),
  )
  for (const s of skipped.splice(0))
    emit(pc.run, 'onHostResult', { host: s.host, task: ref, status: 'skipped', reason: `Conditional result was False: ${s.cond}`, changes: [], durationMs: 0 })
  await emitAsync(pc.run, 'onTaskEnd', ref)
}

async function act(
  pc: PlayContext,
  task: MetaTask,
  active: HostState[],
  all: HostState[],
  runTasks: RunTaskList,
  holds: (h: HostState) => boolean,
  beforeFlush: () => Promise<void>,
): Promise<void> {
  if (NO_WHEN.has(task.action) && task.when.length)
    emit(pc.run, 'onWarning', `meta: ${task.action} does not support when conditionals (${task.pos.file}:${task.pos.line}); it runs anyway`)
  const first = active[0]
  switch (task.action) {
    case 'noop':
    case 'refresh_inventory': // the inventory is read once per run; its sources do not change under it
      return
    case 'flush_handlers': {
      const flushed = active.filter(holds)
      await beforeFlush()
      return flushHandlers(pc, flushed, runTasks)
    }
    case 'end_host':
      for (const h of active) if (holds(h)) h.ended = true
      return
    case 'reset_connection':
      await Promise.all(active.map((h) => h.reconnect()))
      return
  }
  if (!first || !holds(first)) return
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
