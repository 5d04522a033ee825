/** Shared assertions for module tests: check mode, apply, then re-plan must be ok. */
import assert from 'node:assert/strict'
import { runModule, type ModuleEnv, type ModuleOutcome } from '../../engine/module-runner.js'
import type { ModuleSpec } from '../../modules/types.js'

type Env = Omit<ModuleEnv, 'check' | 'diff'> & { diff?: boolean }

export const checkRun = (mod: ModuleSpec, args: Record<string, unknown>, env: Env) => runModule(mod, args, { diff: true, ...env, check: true })

export const realRun = (mod: ModuleSpec, args: Record<string, unknown>, env: Env) => runModule(mod, args, { diff: true, ...env, check: false })

/** Fresh state: check reports changed, apply changes, a fresh plan is ok (with a reason), check on the converged host is ok. */
export async function assertConverges(
  mod: ModuleSpec,
  args: Record<string, unknown>,
  env: Env,
): Promise<{ check: ModuleOutcome; applied: ModuleOutcome; again: ModuleOutcome }> {
  const check = await checkRun(mod, args, env)
  assert.equal(check.status, 'changed', `check mode should report changed: ${check.msg ?? check.reason}`)
  const applied = await realRun(mod, args, env)
  assert.equal(applied.status, 'changed', `apply failed: ${applied.msg}`)
  const again = await realRun(mod, args, env)
  assert.equal(again.status, 'ok', `re-plan after apply should be ok, got ${again.status}: ${JSON.stringify(again.changes)}`)
  assert.ok(again.reason && again.reason.length > 0, 'every ok carries a reason')
  const checkAgain = await checkRun(mod, args, env)
  assert.equal(checkAgain.status, 'ok', 'check mode on a converged host is ok')
  return { check, applied, again }
}

type Normalize = (o: ModuleOutcome) => unknown
// a failure's message may differ in check mode, as in Ansible ("... must exist ... in check mode")
const outcome: Normalize = (o) => (o.status === 'failed' ? { status: o.status } : { status: o.status, msg: o.msg, changes: o.changes, data: o.data })

/**
 * Check mode on the current state predicts exactly what the run then does: same status, same
 * changes (summaries and diffs), return values and message. `normalize` drops what legitimately
 * differs between the two (a backup file's timestamp).
 */
export async function predictThenRun(mod: ModuleSpec, args: Record<string, unknown>, env: Env, normalize: Normalize = outcome) {
  const check = await checkRun(mod, args, { ...env, diff: true })
  const applied = await realRun(mod, args, { ...env, diff: true })
  assert.equal(applied.status, check.status, `check said ${check.status}, the run was ${applied.status}: ${applied.msg ?? ''}`)
  assert.deepEqual(normalize(applied), normalize(check), 'check mode predicts the run exactly')
  return { check, applied }
}

/** predictThenRun, then the re-plan is ok (converged). */
export async function assertPredicts(
  mod: ModuleSpec,
  args: Record<string, unknown>,
  env: Env,
  normalize: Normalize = outcome,
): Promise<{ check: ModuleOutcome; applied: ModuleOutcome; again: ModuleOutcome }> {
  const { check, applied } = await predictThenRun(mod, args, env, normalize)
  const again = await realRun(mod, args, env)
  assert.equal(again.status, 'ok', `re-plan after apply should be ok, got ${again.status}: ${JSON.stringify(again.changes)} ${again.msg ?? ''}`)
  return { check, applied, again }
}
