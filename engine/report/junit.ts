/**
 * `--report FILE.xml`: JUnit XML, so CI systems show an audit natively. One <testsuite> per play,
 * one <testcase> per host and task (classname = host). In check mode a change is drift: a
 * <failure>; a failed or unreachable task is an <error>; a skipped one <skipped/>. In a real run
 * a change passes (its summaries go to <system-out>). Results arrive masked; no_log ones keep
 * their status only.
 */
import { renderFileDiff } from './diff.js'
import { taskLabel } from './drift-table.js'
import { failureDetail } from './failure.js'
import { collectRun, type CollectedResult } from './run-collector.js'
import { writeReportFile } from './write-report.js'
import type { HostResult, Reporter } from './types.js'

const HIDDEN = 'hidden (no_log: true)'

/** Text safe in XML 1.0 attributes and content: escaped, and characters XML cannot hold dropped. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

const attrs = (a: Record<string, string | number | undefined>) =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('')

const seconds = (ms: number) => (ms / 1000).toFixed(3)

/** The summaries and diffs of a result (and its items), as the body of a failure or system-out. */
function changeText(r: HostResult, items: readonly HostResult[]): string {
  if (r.hidden) return HIDDEN
  const one = (x: HostResult) => x.changes.flatMap((c) => [`- ${c.summary}`, ...(c.diff ? [renderFileDiff(c.diff).trimEnd()] : [])])
  const lines = items.length ? items.flatMap((i) => (i.hidden ? [`(item hidden)`] : i.changes.length ? [`item ${i.item ?? ''}:`, ...one(i)] : [])) : one(r)
  return lines.join('\n')
}

/** A failure's whole result: msg, rc, cmd, then stderr and stdout (not cut: a report is read in full); a loop's: its failed items'. */
function failureOf(x: CollectedResult, msg: string): string {
  const r = x.result
  if (r.hidden) return HIDDEN
  if (r.result) return failureDetail(r.result)
  const items = x.items.filter((i) => i.status === 'failed' && !i.hidden && i.result)
  return items.length ? items.map((i) => `item ${i.item ?? ''}: ${failureDetail(i.result!)}`).join('\n') : msg
}

function testcase(x: CollectedResult, check: boolean): string {
  const r = x.result
  const pos = r.task.pos
  const head = `    <testcase${attrs({ classname: r.host, name: taskLabel(r.task), time: seconds(r.durationMs), file: pos?.file, line: pos?.line })}`
  const msg = r.hidden ? HIDDEN : (r.msg ?? '')
  const detail = failureOf(x, msg)
  let body = ''
  if ((r.status === 'failed' && !r.ignored && !r.rescued) || r.status === 'unreachable') {
    body = `      <error${attrs({ message: msg.split('\n')[0], type: r.status })}>${xmlEscape(detail)}</error>\n`
  } else if (r.status === 'skipped') {
    body = `      <skipped${attrs({ message: r.reason })}/>\n`
  } else if (r.status === 'changed' && check) {
    const summaries = r.hidden ? HIDDEN : r.changes.map((c) => c.summary).join('; ')
    const text = r.mayChange ? `${r.reason ?? 'may change'}\n${changeText(r, x.items)}` : changeText(r, x.items)
    body = `      <failure${attrs({ message: `${r.mayChange ? 'may change' : 'would change'}: ${summaries}`, type: r.mayChange ? 'may-change' : 'drift' })}>${xmlEscape(text)}</failure>\n`
  } else {
    // passes: ok with its reason, a change made by a real run, an ignored or rescued failure
    const out =
      r.status === 'changed'
        ? changeText(r, x.items)
        : r.status === 'failed'
          ? `${r.ignored ? 'failed (ignored)' : 'failed (rescued)'}: ${detail}`
          : r.hidden
            ? ''
            : (r.reason ?? '')
    body = out ? `      <system-out>${xmlEscape(out)}</system-out>\n` : ''
  }
  return body ? `${head}>\n${body}    </testcase>\n` : `${head}/>\n`
}

interface Counts {
  tests: number
  failures: number
  errors: number
  skipped: number
  ms: number
}

function count(xs: readonly CollectedResult[], check: boolean): Counts {
  const c: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 }
  for (const { result: r } of xs) {
    c.tests++
    c.ms += r.durationMs
    if ((r.status === 'failed' && !r.ignored && !r.rescued) || r.status === 'unreachable') c.errors++
    else if (r.status === 'skipped') c.skipped++
    else if (r.status === 'changed' && check) c.failures++
  }
  return c
}

/** The counts as a suite's attributes, in JUnit's order. */
const counts = (c: Counts) => ({ tests: c.tests, failures: c.failures, errors: c.errors, skipped: c.skipped })

/** The whole document for the collected results (exported for unit tests). */
export function junitXml(
  run: { playbook: string; check: boolean; startedAt: Date; durationMs: number },
  results: readonly CollectedResult[],
  plays: readonly string[],
): string {
  const total = count(results, run.check)
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<testsuites${attrs({ name: `acplay ${run.check ? 'check' : 'run'} ${run.playbook}`, ...counts(total), time: seconds(run.durationMs) })}>\n`,
  ]
  // plays in run order; two plays with the same name share a suite
  const names = [...new Set(plays)]
  for (const [i, name] of names.entries()) {
    const xs = results.filter((x) => x.play === name)
    const c = count(xs, run.check)
    const timestamp = run.startedAt.toISOString().replace(/\.\d+Z$/, '')
    out.push(`  <testsuite${attrs({ name: name || `play ${i + 1}`, id: i, ...counts(c), time: seconds(c.ms), timestamp })}>\n`)
    for (const x of xs) out.push(testcase(x, run.check))
    out.push('  </testsuite>\n')
  }
  out.push('</testsuites>\n')
  return out.join('')
}

export function junitReporter(file: string): Reporter {
  const run = collectRun()
  return {
    ...run.hooks,
    onRunEnd: (s) => {
      const xml = junitXml(
        { playbook: run.info.playbook, check: run.info.check, startedAt: run.startedAt, durationMs: s.durationMs },
        run.results,
        run.plays.map((p) => p.name),
      )
      writeReportFile(file, xml)
    },
  }
}
