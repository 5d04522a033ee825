/**
 * Runs one module invocation on one host: validate args, plan, and (unless check mode) apply.
 * The run loop and the module tests both go through here, so tests exercise the real path.
 */
import { AcplayError, ChangedWhileRead, ModuleFailure } from './errors.js'
import { commandLine } from './apply-plan.js'
import { appliedOutcome, applyPlan, controllerSteps, nothingRan, parseFact } from './apply-outcome.js'
import { EffectStore } from './effects.js'
import type { Become, Connection, ExecOptions, ExecResult } from './connection/types.js'
import { validateParams } from '../modules/schema.js'
import { factKey, type Change, type FileDiff, type ModuleContext, type ModuleSpec, type Plan } from '../modules/types.js'
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
  render?: (text: string) => string
  /** for error messages: the task's file:line */
  where?: { file?: string; line?: number; col?: number; task?: string }
  /** the run's read-ahead (engine/fact-cache.ts): answers a fact once instead of a round trip, and hears of every apply */
  readAhead?: ReadAheadView
  /** the task keyword `timeout`: every command of the task must be done this long after it starts */
  timeoutMs?: number
}

/** The exec options of one command: become, and what is left of the task's time. */
function execOptions(env: ModuleEnv, deadline: number | undefined): ExecOptions {
  if (deadline === undefined || !env.timeoutMs) return { become: env.become }
  return { become: env.become, timeoutMs: Math.max(1, deadline - Date.now()), limitS: env.timeoutMs / 1000 }
}

export function moduleContext(env: ModuleEnv, deadline = env.timeoutMs ? Date.now() + env.timeoutMs : undefined): ModuleContext {
  const effects = env.effects ?? new EffectStore()
  const exec = (script: string) => env.conn.exec(script, execOptions(env, deadline))
  return {
    host: env.conn.host,
    check: env.check,
    diff: env.diff,
    vars: env.vars ?? {},
    run: (cmd) => exec(`${commandLine(cmd)}\n`),
    async fact(fact, ...args) {
      const key = factKey(fact, args)
      if (env.check && effects.has(fact.name, key)) return effects.get(fact.name, key) as never
      const ahead = env.readAhead?.take?.(fact.name, key, env.become?.user)
      if (ahead) return ahead.value as never
      return readFact(
        () => exec(`${commandLine(fact.command(...args))}\n`),
        (out) => parseFact(fact, out, args),
      )
    },
    effect: (fact, key) => (env.check ? effects.get(fact, key) : undefined),
    ssh: env.conn.sshTarget,
    become: env.become?.user,
    findFile: env.findFile ?? ((p) => p),
    render: env.render ?? ((t) => t),
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
  for (const [name, def] of Object.entries(mod.params)) if (def.secret || (def.secretIf && params[def.secretIf] === true)) env.masker?.add(params[name])
  if (env.check && mod.checkMode === 'none') {
    return { status: 'skipped', reason: `skipped in check mode (${mod.name} does not support check mode, as in Ansible)`, changes: [], data: { skipped: true } }
  }

  const deadline = env.timeoutMs ? Date.now() + env.timeoutMs : undefined
  let plan: Plan
  try {
    plan = await mod.plan(params as never, moduleContext(env, deadline))
  } catch (e) {
    return failure(e, mod)
  }
  if (plan.kind === 'ok') return { status: 'ok', reason: plan.reason, changes: [], data: plan.data ?? {} }

  const changes = summarize(plan.changes, env.diff)
  if (env.check) {
    if (mod.checkMode === 'skip') return { status: 'skipped', reason: 'skipped in check mode (the command would run)', changes: [], data: {} }
    env.effects?.record(plan.changes.flatMap((c) => c.effects ?? []))
    return { status: 'changed', changes, data: plan.data ?? {} }
  }
  env.readAhead?.changing()
  // a plan of controller steps only (fetch, synchronize) sends nothing to the host
  const onHost = plan.changes.some((c) => c.commands.length > 0 || c.upload)
  const out = onHost ? await applyPlan(env.conn, plan.changes, execOptions(env, deadline)) : nothingRan()
  const result = appliedOutcome(mod, params, out, changes, plan.data)
  return result.status === 'failed' ? result : controllerSteps(mod, plan.changes, result)
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
