/**
 * Does this task run, on which hosts, and how: the one place that answers. The linear strategy,
 * a module task, read-ahead, includes, handlers and the listings all ask here, so what read-ahead
 * reads for a task is what the task itself would read, and a rule changed here holds everywhere.
 */
import { isEngineAction, ONCE_PER_BATCH } from '../actions/names.js'
import type { Become } from '../connection/types.js'
import type { Location } from '../errors.js'
import type { Inventory } from '../inventory/types.js'
import type { Play, TaskKeywords } from '../playbook/types.js'
import type { TaskRef } from '../report/types.js'
import { toBool } from '../vars/filters-core.js'
import { truthy } from '../vars/py.js'
import { evaluate, templateValue } from '../vars/template.js'
import type { PlayContext, RunContext } from './context.js'
import type { HostState } from './host-state.js'
import type { RunOptions } from './options.js'
import type { Scope, TaskRun } from './scope.js'
import { selectedByTags } from './tags.js'

/** A play's hosts: its pattern, within --limit. */
export function playHosts(inventory: Inventory, play: Play, opts: RunOptions): string[] {
  return inventory.select(play.hosts, opts.limit)
}

/** The hosts still in the play: not failed, not unreachable, not ended (meta: end_host). */
export function activeHosts(hosts: readonly HostState[]): HostState[] {
  return hosts.filter((h) => h.active)
}

/** A batch's hosts: all but those that failed or became unreachable (meta: end_host lasts one batch). */
export function batchHosts(hosts: readonly HostState[]): HostState[] {
  return hosts.filter((h) => h.active || h.ended)
}

/** --tags / --skip-tags against a task's tags together with those it inherits (play, blocks, roles). */
export function tagged(opts: RunOptions, tags: readonly string[]): boolean {
  return selectedByTags(tags, opts.tags, opts.skipTags)
}

/** Whether --tags / --skip-tags select the task, with its own tags and its play's, blocks' and roles'. */
export function selected(pc: PlayContext, scope: Scope, task: TaskKeywords): boolean {
  return tagged(pc.run.opts, [...pc.play.tags, ...scope.tags, ...task.tags])
}

/** --start-at-task: nothing runs (or is read ahead) before the named task is reached. */
export function started(rc: RunContext): boolean {
  return rc.started
}

/** Whether the task `ref` runs as far as --start-at-task is concerned; reaching the named task starts the run. */
function reachStart(rc: RunContext, ref: TaskRef): boolean {
  if (rc.started) return true
  if (ref.name !== rc.opts.startAtTask && `${ref.role} : ${ref.name}` !== rc.opts.startAtTask) return false
  rc.started = true
  return true
}

/**
 * The hosts a module task runs on, out of the active `hosts`: none when its tags are not selected
 * or --start-at-task is not reached yet; the first alone with run_once.
 */
export function moduleTaskHosts(pc: PlayContext, task: TaskKeywords, scope: Scope, ref: TaskRef, hosts: HostState[]): HostState[] {
  if (!selected(pc, scope, task)) return []
  if (!reachStart(pc.run, ref)) return []
  // add_host and pause bypass the host loop in Ansible: once per batch, like run_once
  const once = task.run_once || ('module' in task && ONCE_PER_BATCH.has(isEngineAction(String(task.module)) ?? ''))
  return once ? hosts.slice(0, 1) : hosts
}

/** The handlers' hosts: the active ones among those that notified it. */
export function handlerHosts(hosts: readonly HostState[], notified: (h: HostState) => boolean): HostState[] {
  return activeHosts(hosts).filter(notified)
}

/** The first `when` that is false on this host (the enclosing blocks' and roles' first, then the task's), or undefined when all hold. */
export function falseCondition(scope: Scope, task: TaskKeywords, vars: Record<string, unknown>, where: Location): string | undefined {
  return [...scope.when, ...task.when].find((cond) => !truthy(evaluate(cond, vars, where)))
}

/** How a module task runs on a host: become (task > blocks and roles > play > ansible_become vars > CLI), check mode, diff. */
export interface RunModes {
  become?: Become
  check: boolean
  diff: boolean
}

export function runModes({ pc, task, host, scope, vars, where }: TaskRun): RunModes {
  const opts = pc.run.opts
  const becomeOn = toBool(task.become ?? scope.become ?? pc.play.become ?? vars.ansible_become ?? opts.become)
  const becomeUser = String(
    templateValue(task.become_user ?? scope.become_user ?? pc.play.become_user ?? vars.ansible_become_user ?? opts.becomeUser ?? 'root', vars, where),
  )
  const check = task.check_mode ?? scope.check_mode ?? pc.play.check_mode ?? !!opts.check
  // Check mode: a user that an earlier (unapplied) task would create cannot be become'd yet;
  // the plan only reads, so it reads as root instead of failing.
  const asUser = check && becomeOn && becomeUser !== 'root' && host.effects.has('user.info', becomeUser) ? 'root' : becomeUser
  return {
    become: becomeOn ? { user: asUser } : undefined,
    check,
    diff: (task.diff ?? scope.diff ?? !!opts.diff) && !toBool(task.no_log ?? scope.no_log),
  }
}
