/** What every part of a play's run shares: options, reporters, the masker, modules, the play; and how results are recorded. */
import { taskLabel } from '../playbook/module-task.js'
import type { ReadAhead } from '../fact-cache.js'
import type { Inventory } from '../inventory/types.js'
import type { Play, Playbook, Handler } from '../playbook/types.js'
import { maskResult } from '../report/mask-diff.js'
import type { AwaitedHook, HostResult, Reporter, TaskRef } from '../report/types.js'
import type { Masker } from '../secrets.js'
import type { Retainer } from '../report/retain.js'
import type { ModuleSpec } from '../../modules/types.js'
import type { HostState } from './host-state.js'
import type { RunOptions } from './options.js'
import type pLimit from 'p-limit'

export interface RunContext {
  opts: RunOptions
  inventory: Inventory
  playbook: Playbook
  modules: Record<string, ModuleSpec>
  masker: Masker
  reporters: Reporter[]
  hosts: Map<string, HostState>
  results: HostResult[]
  /** keeps the large texts of results bounded over a fleet (report/retain.ts) */
  retainer: Retainer
  limit: ReturnType<typeof pLimit>
  /** --start-at-task: true once the named task was reached (gate.ts) */
  started: boolean
  /** every host's answers read ahead, and how far ahead to read */
  readAhead: ReadAhead
  /** every host's state, made on first use (delegate_to another host uses its connection) */
  hostState?: (name: string) => HostState
  /** set when the run is interrupted (SIGINT, SIGTERM, the caller's AbortSignal): why */
  interrupted?: string
  /** how many hosts failed in the last batch that ran (Ansible's TaskQueueManager._failed_hosts; play.ts) */
  lastBatchFailed?: number
  /** the warnings shown so far: Ansible's Display shows the same text once per run */
  warned: Set<string>
  /** --step: ask before each task, until answered (c)ontinue (step.ts) */
  stepping?: boolean
}

export interface PlayContext {
  run: RunContext
  play: Play
  /** play vars + vars_files, templated lazily per host */
  playVars: Record<string, unknown>
  varsFiles: Record<string, unknown>
  /** all roles' defaults and vars, merged in load order (a task's own role still wins) */
  roleDefaults: Record<string, unknown>
  roleVars: Record<string, unknown>
  handlers: Handler[]
  hostNames: string[]
  /** the hosts of the current `serial` batch (ansible_play_batch) */
  batch?: string[]
  /** force_handlers: handlers a host was notified of run even after it failed (handlers.ts) */
  forceHandlers: boolean
  /** meta: end_play; any_errors_fatal or max_fail_percentage broke the play */
  ended: boolean
  /** the play's hosts failed out (any_errors_fatal, max_fail_percentage, a whole batch failed): the playbook stops here, as Ansible's break_play */
  failedOut?: boolean
  /** hosts whose secret-looking variables are registered with the masker */
  secretsMasked: Set<string>
  /** strategy free: each templated task name as rendered for the first host that reached it (gate.ts shownName) */
  freeNames: WeakMap<object, string>
  /** strategy free: a throttled task's limit, shared by the hosts' lanes (linear.ts throttled) */
  freeThrottles: WeakMap<object, <T>(f: () => Promise<T>) => Promise<T>>
}

export function emit<K extends Exclude<keyof Reporter, AwaitedHook>>(ctx: RunContext, hook: K, ...args: Parameters<NonNullable<Reporter[K]>>): void {
  // everything a reporter sees passes the masker (results are masked where they are recorded)
  if (hook === 'onWarning') {
    args = args.map((a) => (typeof a === 'string' ? ctx.masker.mask(a) : a)) as typeof args
    if (!firstTime(ctx.warned, args.join('\0'))) return
  }
  for (const r of ctx.reporters) {
    const fn = r[hook] as ((...a: unknown[]) => void) | undefined
    fn?.apply(r, args)
  }
}

/**
 * A warning Ansible shows from a task's worker process: once per task and host (the worker's
 * Display has its own set of texts shown), not once per run. `shown` is the task run's.
 */
export function warnInTask(ctx: RunContext, shown: Set<string>, text: string): void {
  const masked = ctx.masker.mask(text)
  if (!firstTime(shown, masked)) return
  for (const r of ctx.reporters) r.onWarning?.(masked)
}

function firstTime(shown: Set<string>, key: string): boolean {
  if (shown.has(key)) return false
  shown.add(key)
  return true
}

/** Like emit, but waits for hooks that return a promise (a renderer finishing its frame). */
export async function emitAsync<K extends AwaitedHook>(ctx: RunContext, hook: K, ...args: Parameters<NonNullable<Reporter[K]>>): Promise<void> {
  for (const r of ctx.reporters) {
    const fn = r[hook] as ((...a: unknown[]) => unknown) | undefined
    await fn?.apply(r, args)
  }
}

/** A host's result of a task: masked, kept for the recap, and shown. */
export function record(pc: PlayContext, r: HostResult): void {
  const masked = pc.run.retainer.result(maskResult(pc.run.masker, r))
  pc.run.results.push(masked)
  emit(pc.run, 'onHostResult', masked)
}

export function taskRef(
  t: { name?: string; action?: string; module?: string; pos?: HostResult['task']['pos']; role?: { name: string; fqcn?: string } },
  handler = false,
): TaskRef {
  // a collection's role is shown by its FQCN, as Ansible's TASK [acme.tools.db : ...] lines
  const action = t.action ?? t.module
  return {
    name: taskLabel(t) ?? 'task',
    ...(t.name === undefined ? { unnamed: true } : {}),
    ...(action !== undefined ? { action } : {}),
    pos: t.pos,
    role: t.role?.fqcn ?? t.role?.name,
    handler,
  }
}
