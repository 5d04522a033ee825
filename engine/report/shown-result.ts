/**
 * What Ansible's default and minimal callbacks do to a result before they dump it: TaskResult's
 * clean_copy, `_clean_results` (debug shows its msg alone, or its var without changed), and
 * `_ansible_verbose_always` (debug's results, assert's unless quiet: dumped indented by 4).
 */
import { toBool } from '../vars/filters-core.js'

const named = (m: string) => [m, `ansible.builtin.${m}`, `ansible.legacy.${m}`]
const DEBUG = new Set(named('debug'))
const ASSERT = new Set(named('assert'))
const DEBUG_ALLOWED = new Set(['msg', 'exception', 'warnings', 'deprecations'])
const HIDE_IN_DEBUG = new Set(['changed', 'failed', 'skipped', 'invocation', 'skip_reason'])

export const isDebug = (action: string | undefined): boolean => action !== undefined && DEBUG.has(action)

/** TaskResult.clean_copy: what every callback gets (the tree callback's file keeps debug's other keys); less the `diff` their _dump_results drops below -vvv. */
export function cleanCopy(data: Record<string, unknown>): Record<string, unknown> {
  const { failed: _f, skipped: _s, diff: _d, ...rest } = data
  return rest
}

/** The callback's _clean_results after clean_copy: debug keeps its msg alone, or its var without changed. */
export function shownResult(data: Record<string, unknown>, action: string | undefined): Record<string, unknown> {
  const rest = cleanCopy(data)
  if (!isDebug(action)) return rest
  const keep = 'msg' in rest ? (k: string) => DEBUG_ALLOWED.has(k) : (k: string) => !HIDE_IN_DEBUG.has(k)
  return Object.fromEntries(Object.entries(rest).filter(([k]) => keep(k)))
}

/** Results Ansible marks `_ansible_verbose_always`: its callbacks indent them by 4 even where they print one line. */
export function verboseAlways(action: string, args: Readonly<Record<string, unknown>>): boolean {
  return DEBUG.has(action) || (ASSERT.has(action) && !toBool(args.quiet ?? false))
}
