/** Text pieces shared by the plain and TTY reporters: Ansible-shaped headings and result lines. */
import { contentDiffLines } from './difflib.js'
import type { FileDiff } from '../../modules/types.js'
import { pyWrap } from '../vars/py-textwrap.js'
import { ansibleJson } from './ansible-json.js'
import { failureText } from './failure.js'
import { shownResult } from './shown-result.js'
import type { HostResult, TaskRef, WarningKind } from './types.js'

export const heading = (text: string, width = 80) => `${text} ${'*'.repeat(Math.max(3, width - text.length - 1))}`

export const taskTitle = (t: TaskRef) => `${t.handler ? 'RUNNING HANDLER' : 'TASK'} [${t.role ? `${t.role} : ` : ''}${t.name}]`

const LABEL: Record<HostResult['status'], string> = { ok: 'ok', changed: 'changed', failed: 'fatal', skipped: 'skipping', unreachable: 'fatal' }

/** What Ansible shows of a no_log result (TaskResult.clean_copy): this, and whether it changed. */
export const CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"

/** The width Ansible's Display wraps warnings to: 79 columns, or the terminal's less one when stdout is a wider terminal. */
export const displayColumns = (): number => Math.max(79, process.stdout.isTTY ? process.stdout.columns - 1 : 0)

/**
 * A warning as Ansible's Display prints it (on stderr), wrapped as it wraps them: textwrap.wrap at
 * `columns`, a deprecation's whitespace kept at the breaks and the whole trimmed.
 */
export function warningLine(msg: string, kind: WarningKind = 'warning', columns = displayColumns()): string {
  if (kind === 'deprecation') return pyWrap(`[DEPRECATION WARNING]: ${msg}`, columns, false).join('\n').trim()
  return pyWrap(`[WARNING]: ${msg}`, columns).join('\n')
}

/**
 * Ansible's lines for a polled `async` job, before the task's own: each poll that found it running,
 * then its end. Its callback prints them as they come, without a banner: under the free strategy
 * they come before the banner a result of another task brings (plain.ts).
 */
export function asyncLines(r: HostResult): string[] {
  const p = r.polled
  if (!p) return []
  const polls = Array.from({ length: p.unfinished }, () => `ASYNC POLL on ${r.host}: jid=${p.jid} started=1 finished=0`)
  return [...polls, `ASYNC ${p.failed ? 'FAILED' : 'OK'} on ${r.host}: jid=${p.jid}`]
}

/**
 * `changed: [web1] => (item=x)` plus indented details (change summaries, reason with -v, message).
 * A change carries its diff only where the task ran in diff mode (--diff, or its `diff` keyword).
 */
export function resultLines(r: HostResult, verbosity: number): string[] {
  // under no_log Ansible's censored result has lost its item too: `(item=None)`
  const label = r.hidden ? 'None' : r.item
  const item = r.item !== undefined ? ` => (item=${label})` : ''
  // Ansible names the delegate on every line but a skip's
  const host = r.delegate !== undefined && r.status !== 'skipped' ? `${r.host} -> ${r.delegate}` : r.host
  const lines: string[] = []
  if (r.status === 'failed' || r.status === 'unreachable') {
    // Ansible's _dump_results leaves a result's `diff` out below -vvv (copy's failures carry one)
    const { diff: _diff, ...brief } = r.result ?? { msg: r.msg ?? '' }
    const censored = r.beforeAction ? { censored: CENSORED } : { censored: CENSORED, changed: r.failedChanged === true }
    const shown = r.hidden ? censored : verbosity >= 3 ? (r.result ?? { msg: r.msg ?? '' }) : brief
    // debug's and assert's results Ansible dumps indented, as they are (no streams to lay out)
    const { json, lines: details } =
      r.verboseAlways && !r.hidden ? { json: ansibleJson(shownResult(shown, r.task.action), 4), lines: [] } : failureText(shown, verbosity > 0)
    // Ansible: `failed: [web1] (item=x) => {...}` for a loop item, `fatal: [web1]: FAILED! => {...}` for a task
    if (r.status === 'failed' && r.item !== undefined) lines.push(`failed: [${host}] (item=${label}) => ${json}`, ...details)
    else lines.push(`${LABEL[r.status]}: [${host}]${item}: ${r.status === 'unreachable' ? 'UNREACHABLE!' : 'FAILED!'} => ${json}`, ...details)
    if (r.ignored) lines.push('...ignoring')
    return lines
  }
  if (r.included) return [`included: ${r.included.join(', ')} for ${r.host}${item}`]
  if (r.output !== undefined && !r.hidden) {
    // Ansible's `ok: [host] => {...}`: a mapping output is the result itself (debug's `var:`,
    // assert), unless it is debug's `msg:` (whose msg is the mapping's JSON): that is shown as msg
    const mapping = typeof r.output === 'object' && r.output !== null && !Array.isArray(r.output)
    const shown = mapping && r.msg !== JSON.stringify(r.output) ? { ...r.output, ...r.itemVars } : { msg: r.output }
    lines.push(`${LABEL[r.status]}: [${host}]${item} => ${ansibleJson(shown, 4)}`)
  } else {
    // Ansible ends a skipped item's line with a space (`skipping: [h] => (item=x) `)
    const end = r.status === 'skipped' && item ? ' ' : ''
    lines.push(`${r.mayChange ? 'may change' : LABEL[r.status]}: [${host}]${item}${end}`)
  }
  if (r.hidden) return lines
  // check mode: why the prediction is not exact (or what an exact one waits for) is always shown
  if (r.status === 'changed' && r.reason && (r.mayChange || verbosity > 0)) lines.push(`  ${r.reason}`)
  if (r.status === 'ok' && r.reason && verbosity > 0) lines.push(`  ok: ${r.reason}`)
  if (r.status === 'skipped' && r.reason && verbosity > 0) lines.push(`  ${r.reason}`)
  for (const c of r.changes) {
    lines.push(`  - ${c.summary}`)
    if (c.diff) lines.push(...renderDiff(c.diff).map((l) => `    ${l}`))
  }
  return lines
}

/** A unified diff with Ansible's before/after headers, attribute changes first. */
export function renderDiff(d: FileDiff): string[] {
  const out: string[] = []
  for (const [attr, [before, after]] of Object.entries(d.attrs ?? {})) {
    out.push(`--- before: ${d.path} (${attr}: ${before})`, `+++ after: ${d.path} (${attr}: ${after})`)
  }
  if (d.before !== d.after) {
    out.push(...contentDiffLines(d.path, d.before, d.after))
  }
  return out
}
