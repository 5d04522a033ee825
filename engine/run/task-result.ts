/**
 * A task's result as Ansible gives it: what `register` stores, and what a failed task shows after
 * `FAILED! =>` (in the output, `--json` and the reports). Both come from the module's return values,
 * so an operator reads the same rc, stdout and stderr that a `register`ed variable holds.
 */
import type { ModuleOutcome } from '../module-runner.js'

/** The registered value: return values, then changed / failed / msg. A command that ran and failed changed the host (Ansible: changed true). */
export function registeredResult(o: Pick<ModuleOutcome, 'status' | 'msg' | 'data'>): Record<string, unknown> {
  // Ansible's result of a host it could not reach (seen when ignore_unreachable goes on)
  if (o.status === 'unreachable') return { changed: false, msg: o.msg ?? '', unreachable: true }
  const changed = o.status === 'changed' || (o.status === 'failed' && o.data.changed === true)
  // a job's start says `failed: 0` (async_wrapper's words), which Ansible's TaskExecutor keeps: it only adds a missing one
  const failed = o.status === 'failed' ? true : o.data.failed === 0 ? 0 : false
  const r: Record<string, unknown> = { ...o.data, changed, failed }
  // a failure's message wins; else the data's own msg does (debug's is the value itself: a dict stays
  // a dict, where its outcome's msg is the text shown)
  if (o.msg && (o.status === 'failed' || !('msg' in o.data))) r.msg = o.msg
  return r
}

/**
 * What a failed task shows: the registered value without `failed` (Ansible's callback leaves it
 * out); nothing under no_log. Without stdout_lines / stderr_lines too: the reporters split them
 * from the masked streams (engine/report/failure.ts withStreamLines), so that a secret spanning
 * lines is masked whole before it is split. Without `warnings` and `deprecations`: shown as
 * warnings above it (module-warnings.ts), and Ansible's callback takes them out of what it dumps.
 */
export function failedResult(status: string, registered: Record<string, unknown>, hidden: boolean): Record<string, unknown> | undefined {
  if (status !== 'failed' || hidden) return undefined
  const { failed: _failed, stdout_lines: _out, stderr_lines: _err, warnings: _w, deprecations: _d, ...shown } = registered
  return shown
}
