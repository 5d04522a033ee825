/**
 * What a failure on the host tells, with Ansible's result keys, so an operator reads why and
 * `register` sees the same: an applied plan that failed names the command that failed (the plan
 * script's step mark), its rc, stdout and stderr; a fact read that failed names the read, its rc
 * and stderr (not its stdout: a read's output can hold a file's content).
 */
import { failedStep, planApply, type PlanStep } from './apply-plan.js'
import { shellJoin } from './connection/quote.js'
import type { Connection, ExecOptions, ExecResult } from './connection/types.js'
import { AcplayError, ChangedWhileRead, ModuleFailure } from './errors.js'
import type { ModuleOutcome } from './module-runner.js'
import type { Masker } from './secrets.js'
import type { Applied, Change, Command, Fact, ModuleSpec, Validation } from '../modules/types.js'
import { copiedFields, lookupFailure } from '../modules/files/owner-lookup.js'

/** Now, in microseconds since the epoch. */
export const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000)

/** Runs a plan's changes as one script; a failure says which command failed. */
export async function applyPlan(conn: Connection, changes: readonly Change[], opts: ExecOptions): Promise<Applied> {
  const { script, steps, input } = planApply(changes)
  const startUs = nowUs()
  const raw = await conn.exec(script, { ...opts, input })
  return appliedFrom({ ...raw, startUs, endUs: nowUs() }, steps)
}

/** A plan script's output (run now, or as a background job: engine/run/async-task.ts), read by its step marks. */
export function appliedFrom(raw: ExecResult & { startUs: number; endUs: number }, steps: readonly PlanStep[]): Applied {
  const { out, step, validation } = failedStep(raw, steps)
  return { ...out, failedCommand: step && 'command' in step ? step.command : undefined, ...(validation ? { validation } : {}) }
}

const stripEnd = (s: string) => s.replace(/[\r\n]+$/, '')
const lines = (s: string) => (s === '' ? [] : s.split(/\r?\n/))

/** A command as text: its argv, quoted (never its stdin, which may carry content or secrets). */
export const commandText = (cmd: Command) => shellJoin(cmd.argv)

/** Ansible's keys for what a command printed: trailing newlines stripped, and the lines of each. */
export function streams(out: Pick<ExecResult, 'stdout' | 'stderr'>): { stdout: string; stderr: string; stdout_lines: string[]; stderr_lines: string[] } {
  const stdout = stripEnd(out.stdout)
  const stderr = stripEnd(out.stderr)
  return { stdout, stderr, stdout_lines: lines(stdout), stderr_lines: lines(stderr) }
}

/** The result of a plan that had nothing to run on the host (controller steps only). */
export const nothingRan = (): Applied => ({ rc: 0, stdout: '', stderr: '', startUs: nowUs(), endUs: nowUs() })

/** What an applied plan came to: the module's own reading of the output (interpret), else its exit code. */
export function appliedOutcome(
  mod: ModuleSpec,
  params: Record<string, unknown>,
  out: Applied,
  changes: ModuleOutcome['changes'],
  planData: Record<string, unknown> = {},
  masker?: Masker,
  /** the plan's changes, as the module made them (what ran) */
  planned: readonly Change[] = [],
): ModuleOutcome {
  // an owner or group the host does not know: Ansible's failure whatever the module (copy's action,
  // template's through it, adds its checksum and its empty list of diffs)
  const unknownName = lookupFailure(out.stderr)
  if (unknownName) {
    return { status: 'failed', msg: unknownName.msg, changes, data: { ...copiedFields(planData.checksum), ...unknownName.data } }
  }
  const o = mod.interpret?.(params as never, out, planned)
  if (o) {
    for (const s of o.secrets ?? []) masker?.add(s)
    const data = { ...planData, ...o.data }
    if (o.failed) return { status: 'failed', msg: o.msg, changes, data }
    if (o.changed === false) return { status: 'ok', reason: o.msg ?? 'the commands ran and changed nothing', changes: [], data }
    return { status: 'changed', msg: o.msg, changes, data }
  }
  if (out.rc !== 0) return applyFailed(mod, params, out, changes, planData)
  return { status: 'changed', changes, data: planData }
}

/** After the host's part: the plan's controller steps (fetch, synchronize), whose results join the data. */
export async function controllerSteps(mod: ModuleSpec, planned: readonly Change[], result: ModuleOutcome): Promise<ModuleOutcome> {
  for (const c of planned) {
    if (!c.controller) continue
    try {
      result.data = { ...result.data, ...(await c.controller()) }
    } catch (e) {
      const msg = e instanceof ModuleFailure ? e.message : `module ${mod.name} failed on the controller: ${e instanceof Error ? e.message : String(e)}`
      return { status: 'failed', msg, changes: result.changes, data: { ...result.data, ...(e instanceof ModuleFailure ? e.data : {}) } }
    }
  }
  return result
}

/** The outcome of a plan whose script failed: the module's message (else the end of stderr) and what failed (else the module's own data). */
export function applyFailed(
  mod: ModuleSpec,
  params: Record<string, unknown>,
  out: Applied,
  changes: ModuleOutcome['changes'],
  /** what the plan returned (copy's checksum of the new content) */
  planData: Record<string, unknown> = {},
): ModuleOutcome {
  // a validate that refused a file: Ansible's lineinfile, replace, blockinfile and assemble say so
  // with its rc and stderr (copy and template return its outputs: their failureMsg and failureData)
  const v = out.validation
  const tail = (out.stderr.trim() || out.stdout.trim() || `exit code ${out.rc}`).split('\n').slice(-20).join('\n')
  const refused = v && !v.notStarted ? `failed to validate: rc:${v.rc} error:${v.stderr}` : undefined
  const msg = mod.failureMsg?.(params as never, out) ?? v?.notStarted?.msg ?? refused ?? tail
  const cmd = out.failedCommand ? { cmd: commandText(out.failedCommand) } : {}
  const data = v ? (v.notStarted ? validatorNotStarted(v) : {}) : { ...cmd, rc: out.rc, ...streams(out) }
  return { status: 'failed', msg, changes, data: mod.failureData?.(params as never, out, planData) ?? data }
}

/** A validator that could not start: Ansible's run_command fails with the command, the errno as rc and empty outputs. */
export function validatorNotStarted(v: Validation): Record<string, unknown> {
  return { cmd: v.notStarted?.cmd, rc: v.rc, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] }
}

/** A fact's answer; a read that cannot be parsed fails the task with the read, its rc and stderr. */
export function parseFact<T, A extends unknown[]>(fact: Fact<T, A>, out: ExecResult, args: A): T {
  try {
    return fact.parse(out, ...args)
  } catch (e) {
    if (e instanceof ModuleFailure || e instanceof AcplayError || e instanceof ChangedWhileRead) throw e
    const { stderr, stderr_lines } = streams(out)
    // a fact's own script is named by the fact; a plain command is shown as it ran
    const command = fact.command(...args)
    throw new ModuleFailure(`reading ${fact.name} failed: ${e instanceof Error ? e.message : String(e)}`, {
      fact: fact.name,
      fact_args: args,
      ...(command.inline ? {} : { cmd: commandText(command) }),
      rc: out.rc,
      stderr,
      stderr_lines,
    })
  }
}
