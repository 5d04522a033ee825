/**
 * `--report FILE.json`: the machine-readable audit of a run, written when the run ends. Per host
 * and task: status, the reason of every ok, the planned changes with their diffs, timings; then the
 * recap and the drift counts. The shape is schema/audit-report.schema.json (the tests validate
 * real reports against it). Results reach reporters already masked; no_log results keep their
 * status only.
 */
import { renderFileDiff } from './diff.js'
import { driftByHost, detailedExitCode } from './drift-table.js'
import { withStreamLines } from './failure.js'
import { collectRun } from './run-collector.js'
import { writeReportFile } from './write-report.js'
import type { HostRecap, HostResult, Reporter } from './types.js'

export const AUDIT_FORMAT = 'acplay-audit'
export const AUDIT_VERSION = 1

export interface AuditChange {
  summary: string
  diff?: { path: string; attrs?: Record<string, [string, string]>; text: string }
}

export interface AuditItem {
  item: string
  status: HostResult['status']
  reason?: string
  msg?: string
  /** a failed item's result (Ansible's keys: cmd, rc, stdout, stderr, ...) */
  result?: Record<string, unknown>
  changes: AuditChange[]
}

export interface AuditTask {
  play: string
  task: string
  role?: string
  handler: boolean
  file?: string
  line?: number
  status: HostResult['status']
  /** changed in check mode: the host differs from what the playbook says */
  drift: boolean
  /** check mode: drift that may or may not happen (it waits for an earlier planned change) */
  mayChange?: boolean
  reason?: string
  msg?: string
  /** a failed task's result (Ansible's keys: cmd, rc, stdout, stderr, ...); absent under no_log */
  result?: Record<string, unknown>
  changes: AuditChange[]
  items?: AuditItem[]
  ignored?: boolean
  rescued?: boolean
  hidden?: boolean
  durationMs: number
}

export interface AuditHost {
  host: string
  drift: number
  /** of those, how many may change (check mode) */
  mayChange?: number
  failed: number
  unreachable: boolean
  tasks: AuditTask[]
}

export interface AuditReport {
  format: typeof AUDIT_FORMAT
  version: typeof AUDIT_VERSION
  playbook: string
  check: boolean
  diff: boolean
  startedAt: string
  finishedAt: string
  durationMs: number
  /** ansible-playbook's exit code, as `acplay run` returns it */
  exitCode: number
  /** `acplay check`'s: 0 no drift, 2 drift, 1 failed task, 4 unreachable */
  detailedExitCode: number
  /** --slice K/N: this report covers part K of N (`acplay report merge` joins the parts) */
  slice?: { index: number; count: number }
  /** `acplay report merge`: how many reports were joined into this one */
  parts?: number
  plays: { name: string; hosts: string[] }[]
  drift: { hosts: number; tasks: number; mayChange?: number }
  hosts: AuditHost[]
  recap: HostRecap[]
  warnings: string[]
}

const HIDDEN_MSG = 'the output has been hidden due to the no_log: true specified for this result'

function changesOf(r: HostResult): AuditChange[] {
  if (r.hidden) return []
  return r.changes.map((c) =>
    c.diff
      ? { summary: c.summary, diff: { path: c.diff.path, ...(c.diff.attrs ? { attrs: c.diff.attrs } : {}), text: renderFileDiff(c.diff) } }
      : { summary: c.summary },
  )
}

/** Optional keys are left out rather than set to undefined, so the file reads cleanly. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

export function auditTask(play: string, r: HostResult, check: boolean, items: readonly HostResult[] = []): AuditTask {
  return defined({
    play,
    task: r.task.name,
    role: r.task.role,
    handler: !!r.task.handler,
    file: r.task.pos?.file,
    line: r.task.pos?.line,
    status: r.status,
    drift: check && r.status === 'changed',
    mayChange: (check && r.status === 'changed' && r.mayChange) || undefined,
    reason: r.hidden ? undefined : r.reason,
    msg: r.hidden && r.msg !== undefined ? HIDDEN_MSG : r.msg,
    result: r.hidden || !r.result ? undefined : withStreamLines(r.result),
    changes: changesOf(r),
    items: items.length
      ? items.map((i) =>
          defined({
            item: i.hidden ? '(hidden)' : (i.item ?? ''),
            status: i.status,
            reason: i.hidden ? undefined : i.reason,
            msg: i.hidden && i.msg !== undefined ? HIDDEN_MSG : i.msg,
            result: i.hidden || !i.result ? undefined : withStreamLines(i.result),
            changes: changesOf(i),
          }),
        )
      : undefined,
    ignored: r.ignored || undefined,
    rescued: r.rescued || undefined,
    hidden: r.hidden || undefined,
    durationMs: r.durationMs,
  })
}

/** `mayChange: N` only where there is some: a report without unknowns keeps its shape */
const mayCount = (n: number) => (n > 0 ? { mayChange: n } : {})

export function auditJsonReporter(file: string): Reporter {
  const run = collectRun()
  return {
    ...run.hooks,
    onRunEnd: (s) => {
      const check = run.info.check
      const drift = driftByHost(s)
      const report: AuditReport = {
        format: AUDIT_FORMAT,
        version: AUDIT_VERSION,
        playbook: run.info.playbook,
        check,
        diff: run.info.diff,
        startedAt: run.startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: s.durationMs,
        exitCode: s.exitCode,
        detailedExitCode: detailedExitCode(s),
        ...(run.info.slice ? { slice: { index: run.info.slice.index, count: run.info.slice.count } } : {}),
        plays: run.plays,
        drift: check
          ? {
              hosts: drift.filter((d) => d.tasks.length > 0).length,
              tasks: drift.reduce((n, d) => n + d.tasks.length, 0),
              ...mayCount(drift.reduce((n, d) => n + (d.mayChange?.length ?? 0), 0)),
            }
          : { hosts: 0, tasks: 0 },
        hosts: drift.map((d) => {
          const tasks = run.results.filter((x) => x.result.host === d.host).map((x) => auditTask(x.play, x.result, check, x.items))
          return {
            host: d.host,
            drift: check ? d.tasks.length : 0,
            ...mayCount(check ? (d.mayChange?.length ?? 0) : 0),
            failed: d.failed,
            unreachable: d.unreachable,
            tasks,
          }
        }),
        recap: s.recap,
        warnings: run.warnings,
      }
      writeReportFile(file, `${JSON.stringify(report, null, 2)}\n`)
    },
  }
}
