/**
 * Runs one module invocation on one host: validate args, plan, and (unless check mode) apply.
 * The run loop and the module tests both go through here, so tests exercise the real path.
 */
import { AcplayError, ChangedWhileRead, ModuleFailure } from './errors.js'
import { becomeKey } from './connection/become.js'
import { commandLine } from './apply-plan.js'
import { appliedOutcome, applyPlan, controllerSteps, nothingRan, parseFact } from './apply-outcome.js'
import { EffectStore } from './effects.js'
import { READ_ONLY_MODULES, UnknownFact } from './unknown.js'
import type { Become, Connection, ExecOptions, ExecResult } from './connection/types.js'
import { expandPathArgs, isSecretParam, validateParams } from '../modules/schema.js'
import { invocationOf } from '../modules/invocation.js'
import { resultDiff } from '../modules/result-diff.js'
import { pathResult, pathResultCommand, withoutPathResult } from '../modules/files/path-result.js'
import { factKey, type Applied, type Change, type FileDiff, type ModuleContext, type ModuleSpec, type Plan } from '../modules/types.js'
import type { ReadAheadView } from './fact-cache.js'
import type { Masker } from './secrets.js'

export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable'

export interface ModuleOutcome {
  status: TaskStatus
  msg?: string
  /** why an ok task is ok ("user astro exists with shell /bin/false") */
  reason?: string
  changes: { summary: string; diff?: FileDiff }[]
  /** return values (what `register` stores, besides changed/failed/msg) */
  data: Record<string, unknown>
  /** check mode, status changed: the plan met an unknown (engine/unknown.ts) and may change or not ("may change") */
  mayChange?: boolean
  /** check mode: the result is unknown until this task has run (register stores an UnknownValue) */
  unknown?: string
  /** a job the task polled (`async`, poll > 0): Ansible's callback tells its polls and its end (ASYNC POLL, ASYNC OK / FAILED) */
  polled?: { jid: string; unfinished: number; failed: boolean }
  /** Ansible's `_ansible_verbose_always` (debug, assert unless quiet): a failure is shown indented (report/shown-result.ts) */
  verboseAlways?: boolean
  /** its arguments as Ansible's result holds them (modules/invocation.ts), built when a loop item's result is registered */
  invocation?: () => { module_args: Record<string, unknown> } | undefined
}

export interface ModuleEnv {
  conn: Connection
  become?: Become
  check: boolean
  diff: boolean
  vars?: Record<string, unknown>
  /** the host's check-mode overlay (one per host per run) */
  effects?: EffectStore
  masker?: Masker
  findFile?: (path: string, kind: 'files' | 'templates') => string
  searchPaths?: (kind: 'files' | 'templates') => string[]
  render?: ModuleContext['render']
  warn?: ModuleContext['warn']
  /** for error messages: the task's file:line */
  where?: { file?: string; line?: number; col?: number; task?: string }
  /** delegate_to as the task names it (templated), when delegated (ModuleContext.delegateTo) */
  delegateTo?: string
  /** ModuleContext.argsOver */
  argsOver?: (module: string) => Record<string, unknown> | undefined
  /** the run's read-ahead (engine/fact-cache.ts): answers a fact once instead of a round trip, and hears of every apply */
  readAhead?: ReadAheadView
  /** check mode: the task's `when` needs a value unknown until this task has run (it "may run") */
  mayRun?: string
  /** the task keyword `timeout`: every command of the task must be done this long after it starts */
  timeoutMs?: number
  /** `async`: the plan's host part starts as a background job (engine/run/async-task.ts) */
  background?: Background
}

/**
 * Starts a plan's host part (no changes: nothing to run) as a background job and returns the job's
 * start; `finish` turns what the job printed into the module's own outcome, for the polling task or
 * async_status once the job has ended (Ansible's return the module's result).
 */
export type Background = (
  changes: readonly Change[],
  finish: (out: Applied) => ModuleOutcome,
  summary: string,
  /** the command's `cmd` (command, shell): kept with the job for an async_status of another run */
  cmd?: unknown,
) => Promise<ModuleOutcome>

/** The exec options of one command: become, and what is left of the task's time. */
function execOptions(env: ModuleEnv, deadline: number | undefined): ExecOptions {
  if (deadline === undefined || !env.timeoutMs) return { become: env.become }
  return { become: env.become, timeoutMs: Math.max(1, deadline - Date.now()), limitS: env.timeoutMs / 1000 }
}

/** An unknown a plan ran into (check mode): the task it waits for and what it asked about. */
interface Met {
  after: string
  key: string
}

/** `met`: collects the unknowns the plan ran into (check mode). */
export function moduleContext(env: ModuleEnv, deadline = env.timeoutMs ? Date.now() + env.timeoutMs : undefined, met: Met[] = []): ModuleContext {
  const effects = env.effects ?? new EffectStore()
  const unknown = (fact: string, key: string) => {
    const after = env.check ? effects.unknown(fact, key) : undefined
    if (after !== undefined) met.push({ after, key })
    return after
  }
  const exec = (script: string) => env.conn.exec(script, execOptions(env, deadline))
  return {
    host: env.conn.host,
    check: env.check,
    diff: env.diff,
    vars: env.vars ?? {},
    delegateTo: env.delegateTo,
    argsOver: env.argsOver,
    run: (cmd) => exec(`${commandLine(cmd)}\n`),
    async fact(fact, ...args) {
      const key = factKey(fact, args)
      const after = unknown(fact.name, key)
      if (after !== undefined) throw new UnknownFact(fact.name, key, after)
      if (env.check && effects.has(fact.name, key)) return effects.get(fact.name, key) as never
      const ahead = env.readAhead?.take?.(fact.name, key, env.become && becomeKey(env.become))
      if (ahead) return ahead.value as never
      return readFact(
        () => exec(`${commandLine(fact.command(...args))}\n`),
        (out) => parseFact(fact, out, args),
      )
    },
    effect: (fact, key) => (env.check ? effects.get(fact, key) : undefined),
    effectKeys: (fact) => (env.check ? effects.keys(fact) : []),
    madeBy: (key) => (env.check ? effects.madeBy(key) : undefined),
    unknown,
    ssh: env.conn.sshTarget,
    become: env.become?.user,
    findFile: env.findFile ?? ((p) => p),
    searchPaths: env.searchPaths,
    render: env.render ?? ((t) => t),
    warn: env.warn,
  }
}

/** A read that ran into a change on the host is asked again this many times before the task fails. */
const READ_ATTEMPTS = 3

/**
 * One fact read: what the host answered, parsed. A fact that cannot be read (the host said no, or
 * changed under the read) fails the task with the fact's message; it is not the module crashing.
 */
async function readFact<T>(ask: () => Promise<ExecResult>, parse: (out: ExecResult) => T): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const out = await ask()
    try {
      return parse(out)
    } catch (e) {
      if (e instanceof ChangedWhileRead && attempt < READ_ATTEMPTS) {
        await new Promise((r) => setTimeout(r, 50 * attempt))
        continue
      }
      if (e instanceof AcplayError || e instanceof ModuleFailure) throw e
      const msg = e instanceof Error ? e.message : String(e)
      throw new ModuleFailure(
        e instanceof ChangedWhileRead ? `${msg}, ${READ_ATTEMPTS} times: something else keeps changing it (another run? acplay run --lock takes turns)` : msg,
      )
    }
  }
}

function summarize(changes: readonly Change[], showDiff: boolean) {
  return changes.map((c) => ({
    summary: c.summary,
    diff: showDiff && c.diff && !c.upload?.secret ? c.diff : undefined,
  }))
}

export async function runModule(mod: ModuleSpec, rawArgs: Record<string, unknown>, env: ModuleEnv): Promise<ModuleOutcome> {
  let params: Record<string, unknown>
  try {
    params = validateParams(mod, rawArgs, env.where)
  } catch (e) {
    if (e instanceof AcplayError) return { status: 'failed', msg: e.describe(), changes: [], data: {} }
    throw e
  }
  for (const [name, def] of Object.entries(mod.params)) if (isSecretParam(def, params)) env.masker?.add(params[name])
  if (env.check && mod.checkMode === 'none') {
    return { status: 'skipped', reason: `skipped in check mode (${mod.name} does not support check mode, as in Ansible)`, changes: [], data: { skipped: true } }
  }

  const ran: Ran = { params }
  // the module's outcome as registered: its diff (modules/result-diff.ts) and arguments joined
  const settle = (outcome: ModuleOutcome): ModuleOutcome => {
    if (outcome.unknown !== undefined) return outcome
    if (ran.plan && (outcome.status === 'ok' || outcome.status === 'changed') && !('diff' in outcome.data)) {
      const plan = ran.plan
      const diff = resultDiff(mod.name, ran.params, plan.kind === 'change' ? plan.changes : [], env.diff, outcome.data, {
        texts: plan.texts,
        found: plan.kind === 'change' ? plan.pathInfo?.found : undefined,
      })
      if (diff !== undefined) outcome.data = { ...outcome.data, diff }
    }
    return { ...outcome, invocation: () => invocationOf(mod, rawArgs, ran.params) }
  }
  const outcome = await planAndApply(mod, ran, env, settle)
  // a background job's start is the task's result; the module's own comes when the job ends
  return ran.started ? outcome : settle(outcome)
}

/** What a run settled on: the validated arguments, their paths expanded on the host before the plan, and the plan. */
interface Ran {
  params: Record<string, unknown>
  plan?: Plan
  /** the plan went to a background job (env.background) */
  started?: boolean
}

async function planAndApply(mod: ModuleSpec, ran: Ran, env: ModuleEnv, settle: (o: ModuleOutcome) => ModuleOutcome): Promise<ModuleOutcome> {
  let params = ran.params
  const deadline = env.timeoutMs ? Date.now() + env.timeoutMs : undefined
  const met: Met[] = []
  let plan: Plan
  try {
    const ctx = moduleContext(env, deadline, met)
    // Ansible's type='path' expansion on the host (a read only when a path starts with ~ or holds a $)
    params = ran.params = await expandPathArgs(mod, params, ctx)
    plan = ran.plan = await mod.plan(params as never, ctx)
  } catch (e) {
    if (env.check && (e instanceof UnknownFact || met.length > 0 || env.mayRun !== undefined))
      return metUnknown(mod, [...met, ...(env.mayRun ? [{ after: env.mayRun, key: 'its when' }] : [])], e)
    const failed = failure(e, mod)
    if (!env.background || failed.status === 'unreachable') return failed
    // Ansible's module fails inside the job it started: async_status reports the failure
    ran.started = true
    return env.background([], () => failed, mod.name)
  }
  for (const s of plan.secrets ?? []) env.masker?.add(s)
  if (env.check && met.length > 0 && plan.waitsFor === undefined) return metUnknown(mod, met, plan, env)
  if (plan.kind === 'ok') {
    const ok: ModuleOutcome = plan.skipped
      ? { status: 'skipped', reason: plan.reason, changes: [], data: { ...plan.data, skipped: true } }
      : { status: 'ok', reason: plan.reason, changes: [], data: plan.data ?? {} }
    if (!env.background) return ok
    // Ansible starts the job whatever the module will find: the task reports it started (changed)
    ran.started = true
    return env.background([], () => settle(ok), ok.reason ?? mod.name, plan.data?.cmd)
  }

  const changes = summarize(plan.changes, env.diff)
  const quiet = plan.changes.every((c) => c.unchanged)
  if (env.check) {
    const task = env.where?.task ?? mod.name
    const effects = plan.changes.flatMap((c) => c.effects ?? [])
    const unknowns = plan.changes.flatMap((c) => c.unknowns ?? [])
    // a task that may not run (its when is unknown) makes what it would change unknown instead
    if (env.mayRun !== undefined) env.effects?.record([], [...effects.map((e) => ({ fact: e.fact, key: e.key })), ...unknowns], task)
    else env.effects?.record(effects, unknowns, task)
    if (quiet) return { status: 'ok', reason: changes.map((c) => c.summary).join(', '), changes: [], data: plan.data ?? {} }
    if (mod.checkMode === 'skip') {
      // a command that would run: Ansible counts it changed when it runs; what it prints is unknown until then
      const reason = 'the command would run (check mode does not run it): changed when it runs; its result is unknown until then'
      return { status: 'changed', reason, changes, data: {}, unknown: task }
    }
    const reason = plan.waitsFor !== undefined ? `changed (predicted): waits for task '${plan.waitsFor}'` : undefined
    return { status: 'changed', reason, changes, data: { ...plan.data, ...plan.pathInfo?.found } }
  }
  env.readAhead?.changing()
  // a plan of controller steps only (fetch, synchronize) sends nothing to the host
  const onHost = plan.changes.some((c) => c.commands.length > 0 || c.upload)
  // Ansible's add_path_info: the path's lstat at the end of the same script
  const info = plan.pathInfo
  const applied = info ? [...plan.changes, { summary: `stat ${info.path}`, commands: [pathResultCommand(info.path)] }] : plan.changes
  const outcomeOf = (raw: Applied): ModuleOutcome => {
    const out = info ? { ...raw, stdout: withoutPathResult(raw.stdout) } : raw
    return appliedOutcome(mod, params, out, changes, info ? { ...plan.data, ...pathResult(raw.stdout) } : plan.data, env.masker, plan.changes)
  }
  // changes Ansible does not count (systemd's daemon-reload) leave the task ok
  const counted = (result: ModuleOutcome): ModuleOutcome =>
    quiet && result.status === 'changed' ? { status: 'ok', reason: changes.map((c) => c.summary).join(', '), changes: [], data: result.data } : result
  if (env.background) {
    if (plan.changes.some((c) => c.controller))
      return failure(new ModuleFailure(`async: ${mod.name} has steps on the controller, which a background job on the host cannot run`), mod)
    ran.started = true
    return env.background(onHost ? applied : [], (raw) => settle(counted(outcomeOf(raw))), changes.map((c) => c.summary).join(', '), plan.data?.cmd)
  }
  const result = outcomeOf(onHost ? await applyPlan(env.conn, applied, execOptions(env, deadline)) : nothingRan())
  if (result.status === 'failed' || (quiet && result.status === 'changed')) return counted(result)
  return controllerSteps(mod, plan.changes, result)
}

/**
 * Check mode, a plan that met what an earlier planned change makes unknown: it never fails for what
 * that change may provide. A module that only reads is ok with an unknown result; any other "may
 * change", and what it would have made true becomes unknown for the tasks after it.
 */
function metUnknown(mod: ModuleSpec, met: readonly Met[], got: unknown, env?: ModuleEnv): ModuleOutcome {
  const after = met[0]?.after ?? (got instanceof UnknownFact ? got.after : 'an earlier task')
  if (READ_ONLY_MODULES.has(mod.name))
    return { status: 'ok', reason: `its result is unknown until task '${after}' has run`, changes: [], data: {}, unknown: after }
  const why =
    got instanceof UnknownFact
      ? got.message
      : got instanceof Error
        ? `it would fail now (${got instanceof AcplayError ? got.describe() : got.message}), but task '${after}' runs first and may provide what it needs`
        : `it depends on ${met[0]?.key ?? 'a state'}, unknown until task '${after}' has run`
  const plan = got as Plan | undefined
  if (plan?.kind === 'change') {
    const task = env?.where?.task ?? mod.name
    env?.effects?.record(
      [],
      [...plan.changes.flatMap((c) => (c.effects ?? []).map((e) => ({ fact: e.fact, key: e.key }))), ...plan.changes.flatMap((c) => c.unknowns ?? [])],
      task,
    )
  }
  const changes = plan?.kind === 'change' ? summarize(plan.changes, false) : []
  return { status: 'changed', mayChange: true, reason: `may change: ${why}`, changes, data: {}, unknown: after }
}

function failure(e: unknown, mod: ModuleSpec): ModuleOutcome {
  if (e instanceof ModuleFailure) return { status: 'failed', msg: e.message, changes: [], data: e.data }
  if (e instanceof AcplayError) {
    if (e.unreachable) return { status: 'unreachable', msg: e.describe(), changes: [], data: {} }
    return { status: 'failed', msg: e.describe(), changes: [], data: {} }
  }
  const msg = e instanceof Error ? e.message : String(e)
  return { status: 'failed', msg: `module ${mod.name}${mod.file ? ` (${mod.file})` : ''} crashed in plan: ${msg}`, changes: [], data: {} }
}
