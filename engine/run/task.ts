/**
 * One module task on one host: when, loop, templated args, the module (or engine action),
 * changed_when / failed_when, register, notify. Returns the result the reporters and recap see.
 */
import { isEngineAction } from '../actions/names.js'
import { AcplayError, ModuleFailure, type Location } from '../errors.js'
import { runModule, type ModuleOutcome } from '../module-runner.js'
import type { ModuleTask } from '../playbook/types.js'
import { maskResult } from '../report/mask-diff.js'
import type { HostResult } from '../report/types.js'
import { templateValue } from '../vars/template.js'
import { emit, taskRef, type PlayContext, type RunContext } from './context.js'
import { CLEAN_FACTS_ACTIONS, storeResultFacts, withResultFacts } from './host-facts.js'
import { taskArgs } from './task-args.js'
import { notify, notifyNames } from './notify.js'
import { factHosts } from './fact-hosts.js'
import { failedResult, registeredResult } from './task-result.js'
import { itemLabel, loopItem, loopItems, loopSettings, pause } from './loop.js'
import { runEngineAction } from './engine-action.js'
import { failureHidden, falseCondition, holds, ignoresErrors, ignoresUnreachable, type KeywordFailure, keywordFailure, noLog as noLogOn } from './gate.js'
import { asyncOf, runAsync } from './async-task.js'
import { delegateShown, hostModuleEnv } from './module-env.js'
import { unknownAfter } from '../unknown.js'
import { UnknownValue } from '../vars/undefined.js'
import { setEntry } from '../vars/unsafe.js'
import type { HostState } from './host-state.js'
import { taskRun, type Scope, type TaskRun } from './scope.js'
import { gatherItemWarnings, showModuleWarnings } from './module-warnings.js'

type ItemResult = HostResult & {
  registered: Record<string, unknown>
  /** the module's arguments as Ansible's result holds them: a loop item's registered result keeps them */
  invocation?: ModuleOutcome['invocation']
}

const FALSE_CONDITION = 'Conditional result was False'

/** What register keeps is unsafe data (engine/vars/unsafe.ts), but for set_fact and include_vars (Ansible's _ACTION_WITH_CLEAN_FACTS). */
const registersUnsafe = (task: ModuleTask, registered: unknown): boolean =>
  !(registered instanceof UnknownValue) && !CLEAN_FACTS_ACTIONS.has(isEngineAction(task.module) ?? '')

/** The reason of a task skipped because the run was interrupted before it started on the host. */
export const NOT_STARTED = 'not started: the run was interrupted'

/** `runOnceHosts`: run_once, the hosts of the batch (the task's facts go to each, as Ansible's get_task_hosts) */
export async function runModuleTask(
  pc: PlayContext,
  task: ModuleTask,
  host: HostState,
  scope: Scope,
  runOnceHosts?: readonly HostState[],
): Promise<HostResult> {
  const started = Date.now()
  const ref = taskRef({ ...task, role: task.role ?? scope.role })
  const base = { host: host.name, task: ref, changes: [] as HostResult['changes'] }
  const keep = pc.run.opts.moduleResults === true
  // queued for a free fork when the run was interrupted: it never started
  if (host.interrupted) return { ...base, status: 'skipped', reason: `${NOT_STARTED} (${pc.run.interrupted})`, durationMs: 0 }
  let run: TaskRun | undefined
  try {
    run = taskRun(pc, task, host, scope, runOnceHosts)
    const { where } = run
    maskSecretVars(run)
    let items: unknown[] | undefined
    try {
      items = loopItems(task, task.module, run.vars, where)
    } catch (e) {
      // check mode: a loop over a result unknown until an earlier task runs
      const after = unknownAfter(e)
      if (after !== undefined) return finish(run, unknownArgs(run, ref, after), Date.now() - started, keep)
      const skip = skipBeforeLoop(run, e)
      if (skip === undefined) throw e
      return finish(run, skip, Date.now() - started, keep)
    }
    if (items === undefined) return finish(run, await runOnce(run), Date.now() - started, keep)
    const loop = loopSettings(task, run.vars, where)
    const results: ItemResult[] = []
    const ranWith: Record<string, unknown>[] = []
    let vars = run.vars
    for (let i = 0; i < items.length; i++) {
      if (i > 0) await pause(loop.pauseMs)
      const item = loopItem(loop, items, i, vars)
      const once = await runOnce({ ...run, vars: item.vars })
      if (once.status !== 'skipped') ranWith.push(item.vars)
      vars = withItemFacts(pc.run, task, vars, once.registered)
      const registered = once.registered instanceof UnknownValue ? once.registered : { ...withInvocation(task, once), ...item.registered }
      // a failed item's result holds the item's variables, as Ansible's TaskExecutor adds them to it
      const failed = once.status === 'failed' ? { result: { ...(once.result ?? { msg: once.msg ?? '' }), ...item.registered } } : {}
      const r = { ...once, ...failed, item: itemLabel(loop, item, where), registered, itemVars: once.output === undefined ? undefined : item.registered }
      results.push(r)
      emit(pc.run, 'onItemResult', pc.run.retainer.result(maskResult(pc.run.masker, stripRegistered(r))))
      if (r.status === 'unreachable') break
    }
    return finish(run, aggregate(base, results), Date.now() - started, keep, ranWith)
  } catch (e) {
    // a notification no handler answers stops the run (notify.ts), not just this host's task
    if (e instanceof AcplayError && e.code === 'E_NO_HANDLER') throw e
    const where = { file: task.pos.file, line: task.pos.line }
    if (e instanceof KeywordFailed) {
      const { msg, hidden, ignored } = e.failure
      const failed: ItemResult = {
        ...base,
        status: 'failed',
        msg,
        hidden: hidden || undefined,
        ignored,
        beforeAction: true,
        durationMs: 0,
        registered: { failed: true, msg },
      }
      return finish({ pc, task, host, scope, vars: undefined, where }, failed, Date.now() - started, keep)
    }
    const msg = e instanceof AcplayError ? e.describe() : e instanceof Error ? e.message : String(e)
    const status = e instanceof AcplayError && e.unreachable ? 'unreachable' : 'failed'
    // raised before the action ran (a template, the loop, `when`): censored under no_log, with no `changed`, as Ansible's TaskExecutor returns it
    const hidden = run !== undefined && failureHidden(run)
    const failed: ItemResult = { ...base, status, msg, hidden: hidden || undefined, beforeAction: true, durationMs: 0, registered: { failed: true, msg } }
    return finish({ pc, task, host, scope, vars: undefined, where }, failed, Date.now() - started, keep)
  }
}

/**
 * The variables the next loop item sees: Ansible's TaskExecutor updates the loop's variables with
 * each item's set_fact / include_vars facts, so `x: "{{ x | default([]) + [item] }}"` accumulates
 * over the items (the dev-sec roles collect their users so).
 */
function withItemFacts(rc: RunContext, task: ModuleTask, vars: Record<string, unknown>, registered: Record<string, unknown>): Record<string, unknown> {
  const action = isEngineAction(task.module)
  if (action !== 'set_fact' && action !== 'include_vars') return vars
  return withResultFacts(rc, vars, action, registered instanceof UnknownValue ? undefined : registered)
}

const SECRET_NAME = /passw(or)?d|_pass$|secret|token|private_key|dsn/i
/** the key's path, not the key: shown as Ansible shows it (lookup('config', 'DEFAULT_PRIVATE_KEY_FILE') too) */
const KEY_PATH_NAMES = new Set(['ansible_ssh_private_key_file', 'ansible_private_key_file'])

/** Values of variables whose names say they are secret are masked everywhere (once per host and play). */
function maskSecretVars({ pc, host, vars, where }: TaskRun): void {
  if (pc.secretsMasked.has(host.name)) return
  pc.secretsMasked.add(host.name)
  for (const [k, v] of Object.entries(vars)) {
    if (!SECRET_NAME.test(k) || typeof v !== 'string' || KEY_PATH_NAMES.has(k)) continue
    try {
      pc.run.masker.add(templateValue(v, vars, where))
    } catch {
      // an undefined secret is reported by the task that uses it
    }
  }
}

/**
 * The handler names a changed task notifies: in a loop each item that ran templates `notify` with
 * its own variables ("restart {{ item }}"), and all of them are notified once any item changed, as
 * Ansible's TaskExecutor keeps `_ansible_notify` per item and the strategy reads it for a changed task.
 */
function notifiedNames(task: ModuleTask, scope: Scope, varsEach: readonly (Record<string, unknown> | undefined)[], where: Location): Set<string> {
  const names = [...task.notify, ...(scope.notify ?? [])]
  return new Set(varsEach.flatMap((v) => notifyNames(names, v, where)))
}

function stripRegistered(r: ItemResult): HostResult {
  const { registered: _r, invocation: _i, ...rest } = r
  return rest
}

/**
 * A loop item's result with the module's `invocation` (modules/invocation.ts): kept when the task
 * registers, where Ansible's strategy drops it from the task's own result but not from its items'.
 * It comes before `failed`, as the module's result has it before the executor adds that (a loop
 * label over the results prints them in order). no_log hides it with the rest.
 */
function withInvocation(task: ModuleTask, once: ItemResult): Record<string, unknown> {
  const invocation = task.register && !once.hidden ? once.invocation?.() : undefined
  if (!invocation) return once.registered
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(once.registered)) {
    if (k === 'failed') out.invocation = invocation
    out[k] = v
  }
  out.invocation = invocation
  return out
}

/** The loop's result from its items' (Ansible's TaskExecutor.run): no items is a skip. */
function aggregate(base: Omit<HostResult, 'status' | 'durationMs'>, results: ItemResult[]): ItemResult {
  const any = (s: string) => results.some((r) => r.status === s)
  if (results.length === 0) {
    const reason = 'No items in the list'
    return { ...base, status: 'skipped', reason, items: 0, durationMs: 0, registered: { changed: false, skipped: true, skipped_reason: reason, results: [] } }
  }
  const allSkipped = results.every((r) => r.status === 'skipped')
  const status = any('unreachable') ? 'unreachable' : any('failed') ? 'failed' : any('changed') ? 'changed' : allSkipped ? 'skipped' : 'ok'
  // changed when an item's result says so, a failed one too (a command that ran), as Ansible's TaskExecutor
  const changed = results.some((r) => r.status === 'changed' || r.failedChanged)
  // `failed` only when an item failed, as Ansible's TaskExecutor leaves it
  const registered = {
    changed,
    ...(any('failed') ? { failed: true } : {}),
    skipped: allSkipped,
    msg: any('failed') ? 'One or more items failed' : allSkipped ? 'All items skipped' : 'All items completed',
    results: results.map((r) => r.registered),
  }
  if (!(results[0]?.registered instanceof UnknownValue)) Object.assign(registered, gatherItemWarnings(registered.results))
  // check mode: "may change" when no item surely changes and one may
  const may = status === 'changed' && !results.some((r) => r.status === 'changed' && !r.mayChange)
  return {
    ...base,
    status,
    mayChange: may || undefined,
    msg: results.find((r) => r.status === 'failed' || r.status === 'unreachable')?.msg,
    changes: results.flatMap((r) => r.changes),
    failedChanged: (status === 'failed' && changed) || undefined,
    hidden: results.some((r) => r.hidden) || undefined,
    items: results.length,
    durationMs: 0,
    registered,
  }
}

/** A task that fails on a host before it runs: a boolean keyword's template rendered no boolean there. */
class KeywordFailed extends Error {
  constructor(readonly failure: KeywordFailure) {
    super(failure.msg)
  }
}

/** `until` / `retries` / `delay`: run again until the conditions hold (Ansible: retries 3, delay 5 s). */
async function runOnce(run: TaskRun): Promise<ItemResult> {
  const { task, vars, where } = run
  if (!task.until?.length) return attempt(run)
  const retries = Number(templateValue(task.retries ?? 3, vars, where))
  const delay = Number(templateValue(task.delay ?? 5, vars, where))
  for (let i = 1; ; i++) {
    const r = await attempt(run)
    // check mode: a result unknown until an earlier task runs cannot be waited on
    if (r.registered instanceof UnknownValue) return r
    const withResult = resultVars(run, r.registered)
    const done = r.status === 'skipped' || r.status === 'unreachable' || task.until.every((c) => holds(c, withResult, where, run))
    if (done) return { ...r, registered: { ...r.registered, attempts: i } }
    if (i > retries)
      return {
        ...r,
        status: 'failed',
        msg: `retries exhausted (${retries}) waiting for: ${task.until.join(' and ')}`,
        registered: { ...r.registered, attempts: i, failed: true },
      }
    await new Promise((res) => setTimeout(res, delay * 1000))
  }
}

/** What changed_when / failed_when / until are evaluated with: the task's variables, the facts the result set, the registered result. */
function resultVars({ pc, task, vars }: TaskRun, registered: Record<string, unknown>): Record<string, unknown> {
  const known = registered instanceof UnknownValue ? undefined : registered
  const withFacts = withResultFacts(pc.run, vars, isEngineAction(task.module) ?? task.module, known)
  if (!task.register) return withFacts
  const out = { ...withFacts }
  setEntry(out, task.register, registered, registersUnsafe(task, registered))
  return out
}

/** The task skipped by its false `when` (the condition is named in the reason shown). */
function skippedByWhen(run: TaskRun, cond: string): ItemResult {
  return {
    host: run.host.name,
    task: taskRef({ ...run.task, role: run.task.role ?? run.scope.role }),
    status: 'skipped',
    reason: `${FALSE_CONDITION}: ${cond}`,
    changes: [],
    durationMs: 0,
    // Ansible 2.14 registers no condition (2.15 adds it as false_condition); the reason shown keeps it
    registered: { changed: false, skipped: true, skip_reason: FALSE_CONDITION },
    hidden: hiddenSkip(run) || undefined,
  }
}

/**
 * A loop naming an undefined variable waits for `when` (Ansible's TaskExecutor keeps the loop's
 * error until the condition is known): a false one skips the task, as a RedHat-only loop over
 * RedHat-only variables on Debian. Otherwise (or when `when` itself fails) the loop's error stands.
 */
function skipBeforeLoop(run: TaskRun, e: unknown): ItemResult | undefined {
  if (!(e instanceof AcplayError) || e.code !== 'E_UNDEFINED_VAR') return undefined
  let cond: string | undefined
  try {
    cond = falseCondition(run.scope, run.task, run.vars, run.where)
  } catch {
    return undefined
  }
  return cond === undefined ? undefined : skippedByWhen(run, cond)
}

async function attempt(run: TaskRun): Promise<ItemResult> {
  const { pc, task, host, scope, vars, where } = run
  const ref = taskRef({ ...task, role: task.role ?? scope.role })
  // check mode: a `when` on a value unknown until an earlier task runs: the task "may run"
  let mayRun: string | undefined
  let falseCond: string | undefined
  try {
    falseCond = falseCondition(scope, task, vars, where, run)
  } catch (e) {
    mayRun = unknownAfter(e)
    if (mayRun === undefined) throw e
  }
  if (falseCond !== undefined) return skippedByWhen(run, falseCond)
  // thrown, so a loop stops at it and the task fails with this message alone, as Ansible's TaskExecutor
  const bad = keywordFailure(run)
  if (bad !== undefined) throw new KeywordFailed(bad)
  let args: Record<string, unknown>
  try {
    args = taskArgs(run)
  } catch (e) {
    const after = unknownAfter(e)
    if (after === undefined) throw e
    return unknownArgs(run, ref, after)
  }
  const noLog = noLogOn(run)
  const action = isEngineAction(task.module)
  let outcome: ModuleOutcome & { output?: unknown }
  if (action) {
    outcome = await runEngineAction(run, action, args)
  } else {
    outcome = await runHostModule(run, args, mayRun)
    for (const h of factHosts(run)) storeResultFacts(pc.run, h, outcome.data)
  }
  if (mayRun !== undefined) {
    const then = outcome.reason ?? outcome.msg ?? outcome.changes.map((c) => c.summary).join(', ')
    outcome = { ...outcome, unknown: outcome.unknown ?? mayRun, reason: `may run (its when needs the result of task '${mayRun}')${then ? `: ${then}` : ''}` }
    if (outcome.status === 'changed') outcome.mayChange = true
  }
  if (noLog) for (const v of Object.values(args)) pc.run.masker.add(typeof v === 'string' ? v : undefined)
  let registered = outcome.unknown !== undefined ? (new UnknownValue(outcome.unknown) as unknown as Record<string, unknown>) : registeredResult(outcome)
  let status = outcome.status
  let mayChange = outcome.mayChange
  const withResult = resultVars(run, registered)
  if (status !== 'unreachable' && status !== 'skipped' && outcome.unknown !== undefined && (task.changed_when?.length || task.failed_when?.length)) {
    // check mode: changed_when / failed_when on a result unknown until it runs: it may change (never
    // "failed"), unless changed_when decides without the result (`changed_when: false`)
    mayChange = status === 'changed' || undefined
    if (task.changed_when?.length && status === 'changed') {
      try {
        const changed = task.changed_when.every((c) => holds(c, withResult, where, run))
        if (!changed) {
          status = 'ok'
          mayChange = undefined
        }
      } catch (e) {
        if (unknownAfter(e) === undefined) throw e
      }
    }
  } else if (status !== 'unreachable' && status !== 'skipped') {
    let judging: 'changed' | 'failed' = 'changed'
    try {
      if (task.changed_when?.length) {
        const changed = task.changed_when.every((c) => holds(c, withResult, where, run))
        if (status !== 'failed') status = changed ? 'changed' : 'ok'
        registered = { ...registered, changed }
      }
      judging = 'failed'
      if (task.failed_when?.length) {
        const failed = task.failed_when.every((c) => holds(c, withResult, where, run))
        status = failed ? 'failed' : registered.changed ? 'changed' : 'ok'
        registered = { ...registered, failed_when_result: failed, failed }
      }
    } catch (e) {
      // as Ansible's TaskExecutor: a condition that cannot be judged fails the task, which keeps the
      // module's result and says why under changed_when_result / failed_when_result
      if (!(e instanceof AcplayError) || unknownAfter(e) !== undefined) throw e
      status = 'failed'
      registered = { ...registered, failed: true, [`${judging}_when_result`]: e.message }
    }
  }
  return {
    host: host.name,
    task: ref,
    status,
    delegate: delegateShown(run),
    mayChange: (status === 'changed' && mayChange) || undefined,
    msg: outcome.msg,
    reason: outcome.reason,
    changes: outcome.changes,
    output: outcome.output,
    polled: outcome.polled,
    verboseAlways: outcome.verboseAlways,
    result: failedResult(status, registered, noLog),
    failedChanged: (status === 'failed' && registered.changed === true) || undefined,
    hidden: noLog || undefined,
    durationMs: 0,
    registered,
    invocation: outcome.invocation,
  }
}

/** no_log on a skipped task: Ansible templates it after `when`, so one that cannot be templated hides nothing */
function hiddenSkip(run: TaskRun): boolean {
  try {
    return noLogOn(run)
  } catch {
    return false
  }
}

async function runHostModule(run: TaskRun, args: Record<string, unknown>, mayRun?: string): Promise<ModuleOutcome> {
  let timeoutMs: number | undefined
  try {
    const { mod, lacked, env } = hostModuleEnv(run)
    if (!mod) {
      const e = new AcplayError('E_UNSUPPORTED_MODULE', lacked ?? `module '${run.task.module}' is not supported by acplay (yet)`, run.where)
      return { status: 'failed', msg: e.describe(), changes: [], data: {} }
    }
    const background = asyncOf(run)
    if (background) return await runAsync(mod, args, { ...env, mayRun }, background)
    timeoutMs = env.timeoutMs
    return timedOut(await runModule(mod, args, { ...env, mayRun }), run, timeoutMs)
  } catch (e) {
    if (e instanceof AcplayError && e.unreachable) return { status: 'unreachable', msg: e.describe(), changes: [], data: {} }
    if (e instanceof AcplayError) return timedOut({ status: 'failed', msg: e.describe(), changes: [], data: {} }, run, timeoutMs)
    if (e instanceof ModuleFailure) return { status: 'failed', msg: e.message, changes: [], data: e.data }
    throw e
  }
}

/** The task keyword `timeout` ran out: the failure in Ansible's TaskExecutor's words. */
function timedOut(out: ModuleOutcome, run: TaskRun, timeoutMs: number | undefined): ModuleOutcome {
  if (out.status !== 'failed' || !timeoutMs || !/^E_TIMEOUT:/.test(out.msg ?? '')) return out
  return {
    ...out,
    msg: `The ${run.task.action ?? run.task.module} action failed to execute in the expected time frame (${Math.floor(timeoutMs / 1000)}) and was terminated`,
  }
}

/**
 * Check mode, a task whose arguments need a value unknown until task `after` runs: a module "may
 * change"; set_fact sets its names to unknown values; other engine actions are ok.
 */
function unknownArgs(run: TaskRun, ref: HostResult['task'], after: string): ItemResult {
  const { pc, task, host } = run
  const action = isEngineAction(task.module)
  const reason = `its arguments need the result of task '${after}', unknown until it has run`
  const base = { host: host.name, task: ref, changes: [], durationMs: 0, registered: new UnknownValue(after) as unknown as Record<string, unknown> }
  if (!action) return { ...base, status: 'changed', mayChange: true, reason: `may change: ${reason}` }
  if (action === 'set_fact' && pc.run.opts.check)
    for (const k of Object.keys(task.args)) {
      if (k === 'cacheable') continue
      // its names are templates too ("{{ item.key }}"); one that needs an unknown value sets nothing known
      let name: string
      try {
        name = String(templateValue(k, run.vars, run.where))
      } catch (e) {
        if (unknownAfter(e) === undefined) throw e
        continue
      }
      for (const h of factHosts(run)) setEntry(h.facts, name, new UnknownValue(after), false)
    }
  return { ...base, status: 'ok', reason }
}

/** The result's consequences on the host: register, notify, failed or unreachable (unless ignore_errors). */
function finish(
  { pc, task, host, scope, vars, where }: Pick<TaskRun, 'pc' | 'task' | 'host' | 'scope' | 'where'> & { vars: TaskRun['vars'] | undefined },
  r: ItemResult,
  durationMs: number,
  /** RunOptions.moduleResults: the result carries what register keeps (acplay adhoc prints it) */
  keepData: boolean,
  /** a loop's items that ran (not skipped): `notify` is templated with each one's variables */
  itemVars?: readonly Record<string, unknown>[],
): HostResult {
  // no_log hides them too (Ansible's censored result keeps no warnings)
  if (!r.hidden && !(r.registered instanceof UnknownValue)) showModuleWarnings(pc, r.registered)
  // what a host answered is unsafe data: never templated again (engine/vars/unsafe.ts)
  if (task.register) setEntry(host.facts, task.register, r.registered, registersUnsafe(task, r.registered))
  // check mode: a notification from a task that may change makes the handler "may run", unless a sure one came too
  if (r.status === 'changed') for (const n of notifiedNames(task, scope, itemVars ?? [vars], where)) notify(pc, host, n, r.mayChange === true, where)
  // a keyword that rendered no boolean has decided it already (gate.ts keywordFailure)
  let ignored = r.ignored ?? false
  if (r.ignored === undefined && (r.status === 'failed' || r.status === 'unreachable')) {
    try {
      ignored = r.status === 'failed' ? ignoresErrors(task, scope, vars, where) : ignoresUnreachable(pc.play, task, scope, vars, where)
    } catch (e) {
      r = { ...r, msg: `${r.msg}; ${e instanceof AcplayError ? e.describe() : String(e)}` }
    }
  }
  const result: HostResult = { ...stripRegistered(r), durationMs, ignored: ignored || undefined }
  if (keepData && !(r.registered instanceof UnknownValue)) result.data = r.registered
  if (r.status === 'unreachable' && !result.ignored) host.unreachable = true
  else if (r.status === 'failed' && !result.ignored) host.failed = true
  return result
}
