/**
 * Runs one module invocation on one host: validate args, plan, and (unless check mode) apply.
 * The run loop and the module tests both go through here, so tests exercise the real path.
 */
import { AcplayError, ModuleFailure } from './errors.js'
import { commandLine, planScript } from './apply-plan.js'
import { EffectStore } from './effects.js'
import type { Become, Connection } from './connection/types.js'
import { validateParams } from '../modules/schema.js'
import { factKey, type Change, type FileDiff, type ModuleContext, type ModuleSpec, type Plan } from '../modules/types.js'
import type { FactCache } from './fact-cache.js'
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
  /** facts read ahead for this host (engine/run/read-ahead.ts); answers a fact once, instead of a round trip */
  readAhead?: FactCache
  /** called before a plan is applied: the host is about to change */
  onApply?: () => void
}

export function moduleContext(env: ModuleEnv): ModuleContext {
  const effects = env.effects ?? new EffectStore()
  const exec = (script: string) => env.conn.exec(script, { become: env.become })
  return {
    host: env.conn.host,
    check: env.check,
    diff: env.diff,
    vars: env.vars ?? {},
    run: (cmd) => exec(`${commandLine(cmd)}\n`),
    async fact(fact, ...args) {
      const key = factKey(fact, args)
      if (env.check && effects.has(fact.name, key)) return effects.get(fact.name, key) as never
      const ahead = env.readAhead?.take(fact.name, key, env.become?.user)
      if (ahead) return ahead.value as never
      const out = await exec(`${commandLine(fact.command(...args))}\n`)
      return fact.parse(out, ...args)
    },
    effect: (fact, key) => (env.check ? effects.get(fact, key) : undefined),
    ssh: env.conn.sshTarget,
    become: env.become?.user,
    findFile: env.findFile ?? ((p) => p),
    render: env.render ?? ((t) => t),
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

  let plan: Plan
  try {
    plan = await mod.plan(params as never, moduleContext(env))
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
  env.onApply?.()
  // a plan of controller steps only (fetch, synchronize) sends nothing to the host
  const onHost = plan.changes.some((c) => c.commands.length > 0 || c.upload)
  const out = onHost ? await env.conn.exec(planScript(plan.changes), { become: env.become }) : { rc: 0, stdout: '', stderr: '' }
  let result: ModuleOutcome
  if (mod.interpret) {
    const o = mod.interpret(params as never, out)
    const data = { ...plan.data, ...o.data }
    if (o.failed) return { status: 'failed', msg: o.msg, changes, data }
    result =
      o.changed === false
        ? { status: 'ok', reason: o.msg ?? 'the commands ran and changed nothing', changes: [], data }
        : { status: 'changed', msg: o.msg, changes, data }
  } else if (out.rc !== 0) {
    const msg = (out.stderr.trim() || out.stdout.trim() || `exit code ${out.rc}`).split('\n').slice(-20).join('\n')
    return { status: 'failed', msg, changes, data: { rc: out.rc, stderr: out.stderr, stdout: out.stdout } }
  } else result = { status: 'changed', changes, data: plan.data ?? {} }
  for (const c of plan.changes) {
    if (!c.controller) continue
    try {
      result.data = { ...result.data, ...(await c.controller()) }
    } catch (e) {
      const msg = e instanceof ModuleFailure ? e.message : `module ${mod.name} failed on the controller: ${e instanceof Error ? e.message : String(e)}`
      return { status: 'failed', msg, changes, data: { ...result.data, ...(e instanceof ModuleFailure ? e.data : {}) } }
    }
  }
  return result
}

function failure(e: unknown, mod: ModuleSpec): ModuleOutcome {
  if (e instanceof ModuleFailure) return { status: 'failed', msg: e.message, changes: [], data: e.data }
  if (e instanceof AcplayError) {
    if (e.code === 'E_UNREACHABLE' || e.code === 'E_HOSTKEY') return { status: 'unreachable', msg: e.describe(), changes: [], data: {} }
    return { status: 'failed', msg: e.describe(), changes: [], data: {} }
  }
  const msg = e instanceof Error ? e.message : String(e)
  return { status: 'failed', msg: `module ${mod.name}${mod.file ? ` (${mod.file})` : ''} crashed in plan: ${msg}`, changes: [], data: {} }
}
