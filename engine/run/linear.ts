/**
 * The linear strategy: every active host finishes task N before any starts N+1. Hosts run in
 * parallel up to `forks` (one p-limit for the whole run). Blocks, rescue/always, includes and
 * meta tasks are handled here; a single module task is run by task.ts.
 */
import pLimit from 'p-limit'
import type { IncludeRoleTask, IncludeTasksTask, Task } from '../playbook/types.js'
import type { HostResult } from '../report/types.js'
import { emit, emitAsync, record, taskRef, type PlayContext } from './context.js'
import { activeHosts, failFast, moduleTaskHosts, runOnceHosts, selected, shownName, throttleOf } from './gate.js'
import type { HostState } from './host-state.js'
import { loadInclude } from './includes.js'
import { runMeta } from './meta.js'
import { enter, type Scope } from './scope.js'
import { readAhead } from './read-ahead.js'
import { stepAllows } from './step.js'
import { runModuleTask } from './task.js'
import { isUnsafeEntry, setEntry } from '../vars/unsafe.js'

export async function runTasks(pc: PlayContext, tasks: readonly Task[], hosts: HostState[], scope: Scope): Promise<void> {
  for (const [i, task] of tasks.entries()) {
    const active = activeHosts(hosts)
    if (active.length === 0 || pc.ended) return
    switch (task.kind) {
      case 'module':
        await readAhead(pc, tasks, i, active, scope)
        await runOneTask(pc, task, active, scope)
        pc.run.readAhead.taskDone()
        break
      case 'block':
        await runBlock(pc, task, active, scope)
        break
      case 'include_tasks':
      case 'include_role':
        ownTasksAfterInclude(pc, tasks.slice(i + 1), await runInclude(pc, task, active, scope))
        break
      case 'meta':
        await runMeta(pc, task, active, hosts, scope, runTasks)
        break
    }
  }
}

async function runOneTask(pc: PlayContext, task: Extract<Task, { kind: 'module' }>, hosts: HostState[], scope: Scope): Promise<void> {
  const rc = pc.run
  const { targets, once: runOnce } = moduleTaskHosts(pc, task, scope, taskRef({ ...task, role: task.role ?? scope.role }), hosts)
  if (targets.length === 0) return
  const ref = taskRef({ ...task, name: shownName(pc, task, targets[0]!, scope), role: task.role ?? scope.role })
  if (!(await stepAllows(rc, ref))) return
  emit(
    rc,
    'onTaskStart',
    ref,
    targets.map((h) => h.name),
  )
  const limit = throttled(pc, task, targets[0]!, scope)
  // run_once: the task's facts go to every host of the batch, and so does its registered result, as in Ansible
  const once = targets.length < hosts.length && targets.length === 1
  const results = await Promise.all(targets.map((h) => limit(() => rc.limit(() => runModuleTask(pc, task, h, scope, once ? hosts : undefined)))))
  if (once) {
    const first = targets[0]!
    for (const h of hosts.slice(1)) if (task.register) setEntry(h.facts, task.register, first.facts[task.register], isUnsafeEntry(first.facts, task.register))
  }
  for (const r of results) record(pc, { ...r, task: { ...r.task, name: ref.name } })
  failFast(pc, task, scope, hosts, results, runOnce)
  await emitAsync(rc, 'onTaskEnd', ref)
}

/**
 * `throttle`: at most that many hosts in the task at once. Under the free strategy each host is a lane
 * of its own, so the lanes share one limit per task, as Ansible's free strategy counts the workers
 * running the same task.
 */
function throttled(pc: PlayContext, task: Task, host: HostState, scope: Scope): <T>(f: () => Promise<T>) => Promise<T> {
  const throttle = throttleOf(pc, task, host, scope)
  if (!throttle) return (f) => f()
  if (pc.play.strategy !== 'free') return pLimit(throttle)
  const shared = pc.freeThrottles.get(task) ?? pLimit(throttle)
  pc.freeThrottles.set(task, shared)
  return shared
}

/**
 * Under the free strategy, the tasks after an include up to the next block are a copy of their own
 * for each host that included something (Ansible's PlayIterator copies the host's block to insert
 * the included tasks), so their templated names are rendered for that host (gate.ts shownName).
 */
function ownTasksAfterInclude(pc: PlayContext, rest: readonly Task[], included: HostState[]): void {
  if (pc.play.strategy !== 'free') return
  const end = rest.findIndex((t) => t.kind === 'block')
  for (const h of included) for (const t of end < 0 ? rest : rest.slice(0, end)) h.ownTasks.add(t)
}

/** An include: its result on each host (included, skipped, failed), then the included tasks, host groups by file. Returns the hosts that included tasks. */
export async function runInclude(pc: PlayContext, task: IncludeTasksTask | IncludeRoleTask, hosts: HostState[], scope: Scope): Promise<HostState[]> {
  if (!selected(pc, scope, task)) return []
  if (!(await stepAllows(pc.run, taskRef({ ...task, role: task.role ?? scope.role })))) return []
  const { targets, once } = runOnceHosts(pc, task, scope, hosts)
  const { ref, groups, results, itemResults } = loadInclude(pc, task, targets, scope)
  // an include_role that loads has no result of its own, but Ansible prints its header
  if (results.length || groups.length) {
    const shown = results.length ? results.map((r) => r.host) : groups.flatMap((g) => g.hosts.map((h) => h.name))
    emit(pc.run, 'onTaskStart', ref, shown)
    for (const r of itemResults) emit(pc.run, 'onItemResult', r)
    for (const r of results) record(pc, r)
    failFast(pc, task, scope, hosts, results, once)
    await emitAsync(pc.run, 'onTaskEnd', ref)
  }
  for (const { hosts: group, tasks: loaded, scope: inner } of groups) await runTasks(pc, loaded, activeHosts(group), inner)
  return groups.flatMap((g) => (g.tasks.length ? g.hosts : []))
}

/**
 * What a rescue sees, as Ansible sets them (non-persistent facts, so they outlast the rescue):
 * `ansible_failed_task` (its name and action) and `ansible_failed_result` (the failed result, masked).
 */
function setFailedFacts(h: HostState, results: readonly HostResult[]): void {
  let last: HostResult | undefined
  for (const r of results) if (r.host === h.name && r.status === 'failed') last = r
  if (!last) return
  const t = last.task
  h.facts.ansible_failed_task = { name: t.unnamed ? '' : t.name, action: t.action, ...(t.role ? { role: t.role } : {}) }
  h.facts.ansible_failed_result = { ...last.result, failed: true, ...(last.msg !== undefined ? { msg: last.msg } : {}) }
}

async function runBlock(pc: PlayContext, block: Extract<Task, { kind: 'block' }>, hosts: HostState[], outer: Scope): Promise<void> {
  const scope = enter(outer, block)
  const firstResult = pc.run.results.length
  await runTasks(pc, block.block, hosts, block.rescue.length ? { ...scope, rescuable: true } : scope)
  const failed = hosts.filter((h) => h.failed)
  if (block.rescue.length && failed.length) {
    // The failures inside the block are rescued: they count as rescued, not failed, in the recap.
    for (const h of failed) h.failed = false
    for (const r of pc.run.results.slice(firstResult)) if (r.status === 'failed' && failed.some((h) => h.name === r.host)) r.rescued = true
    for (const h of failed) setFailedFacts(h, pc.run.results.slice(firstResult))
    await runTasks(pc, block.rescue, failed, scope)
  }
  if (block.always.length) {
    const stillFailed = hosts.filter((h) => h.failed)
    for (const h of stillFailed) h.failed = false
    await runTasks(
      pc,
      block.always,
      hosts.filter((h) => !h.unreachable),
      scope,
    )
    for (const h of stillFailed) h.failed = true
  }
}
