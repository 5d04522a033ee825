/**
 * The linear strategy: every active host finishes task N before any starts N+1. Hosts run in
 * parallel up to `forks` (one p-limit for the whole run). Blocks, rescue/always, includes and
 * meta tasks are handled here; a single module task is run by task.ts.
 */
import type { Task } from '../playbook/types.js'
import { emit, emitAsync, record, taskRef, type PlayContext } from './context.js'
import { activeHosts, moduleTaskHosts } from './gate.js'
import { flushHandlers } from './handlers.js'
import type { HostResult } from '../report/types.js'
import type { HostState } from './host-state.js'
import { loadInclude } from './includes.js'
import { enter, type Scope } from './scope.js'
import { readAhead } from './read-ahead.js'
import { runModuleTask } from './task.js'

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
        for (const { hosts: group, tasks: loaded, scope: inner } of await loadInclude(pc, task, active, scope)) {
          await runTasks(pc, loaded, group, inner)
        }
        break
      case 'meta':
        if (task.action === 'flush_handlers') await flushHandlers(pc, active)
        if (task.action === 'end_play') pc.ended = true
        if (task.action === 'end_host') for (const h of active) h.ended = true
        if (task.action === 'clear_host_errors') for (const h of hosts) h.failed = false
        break
    }
  }
}

async function runOneTask(pc: PlayContext, task: Extract<Task, { kind: 'module' }>, hosts: HostState[], scope: Scope): Promise<void> {
  const rc = pc.run
  const ref = taskRef({ ...task, role: task.role ?? scope.role })
  const targets = moduleTaskHosts(pc, task, scope, ref, hosts)
  if (targets.length === 0) return
  emit(
    rc,
    'onTaskStart',
    ref,
    targets.map((h) => h.name),
  )
  const results = await Promise.all(targets.map((h) => rc.limit(() => runModuleTask(pc, task, h, scope))))
  if (task.run_once) {
    // run_once: the other hosts see the same registered result, as in Ansible
    const first = targets[0]!
    for (const h of hosts.slice(1)) if (task.register) h.facts[task.register] = first.facts[task.register]
  }
  for (const r of results) record(pc, r)
  await emitAsync(rc, 'onTaskEnd', ref)
}

/**
 * What a rescue sees, as Ansible sets them (non-persistent facts, so they outlast the rescue):
 * `ansible_failed_task` (its name and action) and `ansible_failed_result` (the failed result, masked).
 */
function setFailedFacts(h: HostState, results: readonly HostResult[]): void {
  let last: HostResult | undefined
  for (const r of results) if (r.host === h.name && r.status === 'failed') last = r
  if (!last) return
  h.facts.ansible_failed_task = { name: last.task.name, ...(last.task.role ? { role: last.task.role } : {}) }
  h.facts.ansible_failed_result = { ...last.result, failed: true, ...(last.msg !== undefined ? { msg: last.msg } : {}) }
}

async function runBlock(pc: PlayContext, block: Extract<Task, { kind: 'block' }>, hosts: HostState[], outer: Scope): Promise<void> {
  const scope = enter(outer, block)
  const firstResult = pc.run.results.length
  await runTasks(pc, block.block, hosts, scope)
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
