/**
 * What a module says beside its result: its `warnings` and `deprecations` are shown as Ansible's
 * callback shows them (`[WARNING]: ...`, `[DEPRECATION WARNING]: ... This feature will be removed
 * ...` on stderr, before the task's line; the same text once per run: context.ts emit), unless
 * ansible.cfg turns them off (action_warnings, deprecation_warnings). register keeps them, as
 * Ansible's does.
 */
import { setting, sourceFor } from '../config/settings.js'
import type { PlayContext, RunContext } from './context.js'
import { emit } from './context.js'

const shown = new WeakMap<RunContext, { action: boolean; deprecation: boolean }>()

function switches(rc: RunContext): { action: boolean; deprecation: boolean } {
  let s = shown.get(rc)
  if (!s) {
    const src = sourceFor(rc.playbook.dir)
    s = { action: setting('ACTION_WARNINGS', src) !== false, deprecation: setting('DEPRECATION_WARNINGS', src) !== false }
    shown.set(rc, s)
  }
  return s
}

/** Shows the warnings and deprecations of a task's result (a loop's: its items', gathered as Ansible's TaskExecutor does). */
export function showModuleWarnings(pc: PlayContext, registered: Record<string, unknown>): void {
  const { warnings, deprecations } = registered
  if (warnings === undefined && deprecations === undefined) return
  const on = switches(pc.run)
  if (on.action) for (const w of listOf(warnings)) if (typeof w === 'string') emit(pc.run, 'onWarning', w)
  if (on.action && on.deprecation) for (const d of listOf(deprecations)) emit(pc.run, 'onWarning', deprecationText(d), 'deprecation')
}

/** A loop's result: the items' warnings and deprecations move to it (Ansible's TaskExecutor._run_loop). */
export function gatherItemWarnings(results: Record<string, unknown>[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {}
  for (const r of results)
    for (const k of ['warnings', 'deprecations'] as const) {
      if (!r[k]) continue
      out[k] = [...(out[k] ?? []), ...listOf(r[k])]
      delete r[k]
    }
  return out
}

const listOf = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v])

/** Ansible's Display.get_deprecation_message for a module's deprecation ({msg, version | date, collection_name}). */
export function deprecationText(d: unknown): string {
  const { msg, version, date, collection_name } = (typeof d === 'object' && d !== null ? d : { msg: d }) as Record<string, unknown>
  let text = String(msg ?? '').trim()
  if (text && !'!?.'.includes(text.at(-1)!)) text += '.'
  const collection = collection_name === 'ansible.builtin' ? 'ansible-core' : collection_name
  const when = date ? `in a release after ${date}.` : version ? `in version ${version}.` : 'in a future release.'
  const parts = [text, 'This feature will be removed', collection ? `from ${collection}` : '', when]
  parts.push('Deprecation warnings can be disabled by setting deprecation_warnings=False in ansible.cfg.')
  return parts.filter(Boolean).join(' ')
}
