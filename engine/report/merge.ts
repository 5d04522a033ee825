/**
 * `acplay report merge`: the audit reports of the parts of a fleet's run (`--slice K/N` on N
 * controllers, or runs over disjoint inventories) joined into one report, as if one controller had
 * run them all: hosts, recap and drift together, exit codes computed from the joined recap.
 *
 * Refused: parts of different playbooks (path or plays), of check and real runs mixed, with --diff
 * on some only, with a host in two parts, and slices that do not add up (two parts claiming the same
 * slice, different N, or a part missing: a CI job that failed to report must not pass as in sync).
 * Hosts come out sorted by name (the parts cannot tell the inventory's order).
 */
import { AcplayError } from '../errors.js'
import { AUDIT_FORMAT, AUDIT_VERSION, type AuditHost, type AuditReport } from './audit-json.js'
import { detailedExitCode, type HostDrift, taskLabel } from './drift-table.js'
import { byName, exitCode } from './recap.js'

export interface ReportPart {
  /** where it was read from, for messages */
  file: string
  report: AuditReport
}

export const mergeError = (msg: string, file?: string) => new AcplayError('E_MERGE', msg, file ? { file } : {})

/** The fields a merge relies on, checked so a wrong file fails with its name, not a TypeError. */
export function asAuditReport(data: unknown, file: string): AuditReport {
  const r = data as Partial<AuditReport> | null
  if (!r || typeof r !== 'object' || r.format !== AUDIT_FORMAT) throw mergeError(`not an acplay audit report (format is not '${AUDIT_FORMAT}')`, file)
  if (r.version !== AUDIT_VERSION) throw mergeError(`audit report version ${String(r.version)}; this acplay reads version ${AUDIT_VERSION}`, file)
  for (const k of ['plays', 'hosts', 'recap', 'warnings'] as const) if (!Array.isArray(r[k])) throw mergeError(`'${k}' is not a list`, file)
  for (const k of ['playbook', 'startedAt', 'finishedAt'] as const) if (typeof r[k] !== 'string') throw mergeError(`'${k}' is not a string`, file)
  return r as AuditReport
}

function sameRun(parts: ReportPart[]): void {
  const [first, ...rest] = parts
  const playsOf = (r: AuditReport) => JSON.stringify(r.plays.map((p) => p.name))
  for (const p of rest) {
    const a = first!.report
    const b = p.report
    if (b.playbook !== a.playbook) throw mergeError(`a part of another playbook: ${b.playbook} (${first!.file} ran ${a.playbook})`, p.file)
    if (playsOf(b) !== playsOf(a)) throw mergeError(`its plays differ from ${first!.file}'s: not the same playbook`, p.file)
    if (b.check !== a.check) throw mergeError(`${b.check ? 'a check run' : 'a real run'}, ${first!.file} is ${a.check ? 'a check run' : 'a real run'}`, p.file)
    if (b.diff !== a.diff) throw mergeError(`--diff ${b.diff ? 'on' : 'off'}, ${first!.file} has it ${a.diff ? 'on' : 'off'}`, p.file)
  }
}

function slicesAddUp(parts: ReportPart[]): void {
  const sliced = parts.filter((p) => p.report.slice)
  if (sliced.length === 0) return
  if (sliced.length !== parts.length) throw mergeError(`a whole run mixed with --slice parts`, parts.find((p) => !p.report.slice)!.file)
  const n = sliced[0]!.report.slice!.count
  const seen = new Map<number, string>()
  for (const p of sliced) {
    const s = p.report.slice!
    if (s.count !== n) throw mergeError(`--slice ${s.index}/${s.count}, ${sliced[0]!.file} is a part of ${n}`, p.file)
    if (seen.has(s.index)) throw mergeError(`slice ${s.index}/${n} again (also ${seen.get(s.index)})`, p.file)
    seen.set(s.index, p.file)
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !seen.has(i))
  if (missing.length) throw mergeError(`slice ${missing.map((i) => `${i}/${n}`).join(', ')} missing: its hosts would be left out of the report`)
}

function disjointHosts(parts: ReportPart[]): void {
  const owner = new Map<string, string>()
  for (const p of parts) {
    for (const h of [...p.report.hosts.map((x) => x.host), ...p.report.recap.map((x) => x.host)]) {
      const other = owner.get(h)
      if (other !== undefined && other !== p.file) throw mergeError(`host ${h} is in two parts (also ${other}): the parts overlap`, p.file)
      owner.set(h, p.file)
    }
  }
}

export function mergeAuditReports(parts: ReportPart[]): AuditReport {
  if (parts.length === 0) throw mergeError('no reports to merge')
  sameRun(parts)
  slicesAddUp(parts)
  disjointHosts(parts)
  const reports = parts.map((p) => p.report)
  const first = reports[0]!
  const hosts = reports.flatMap((r) => r.hosts).sort((a, b) => byName(a.host, b.host))
  const recap = reports.flatMap((r) => r.recap).sort((a, b) => byName(a.host, b.host))
  const startedAt = reports.map((r) => r.startedAt).sort()[0]!
  const finishedAt = reports
    .map((r) => r.finishedAt)
    .sort()
    .at(-1)!
  const drifted = hosts.filter((h) => h.drift > 0)
  return {
    format: AUDIT_FORMAT,
    version: AUDIT_VERSION,
    playbook: first.playbook,
    check: first.check,
    diff: first.diff,
    startedAt,
    finishedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    exitCode: exitCode(recap),
    detailedExitCode: detailedExitCode({ recap }),
    parts: parts.length,
    plays: first.plays.map((play, i) => ({
      name: play.name,
      hosts: reports.flatMap((r) => r.plays[i]?.hosts ?? []).sort(byName),
    })),
    drift: first.check ? { hosts: drifted.length, tasks: drifted.reduce((n, h) => n + h.drift, 0) } : { hosts: 0, tasks: 0 },
    hosts,
    recap,
    warnings: [...new Set(reports.flatMap((r) => r.warnings))],
  }
}

/** The drift table's rows from a report (what `driftByHost` gives for a live run). */
export function driftOfReport(r: AuditReport): HostDrift[] {
  const byHost = new Map<string, AuditHost>(r.hosts.map((h) => [h.host, h]))
  return r.recap.map((rc) => ({
    host: rc.host,
    tasks: (byHost.get(rc.host)?.tasks ?? []).filter((t) => t.status === 'changed').map((t) => taskLabel({ name: t.task, role: t.role, handler: t.handler })),
    mayChange: (byHost.get(rc.host)?.tasks ?? [])
      .filter((t) => t.status === 'changed' && t.mayChange)
      .map((t) => taskLabel({ name: t.task, role: t.role, handler: t.handler })),
    failed: rc.failed,
    unreachable: rc.unreachable > 0,
  }))
}

/** What `acplay report merge` exits with: `acplay check`'s codes for check parts, ansible-playbook's for real runs. */
export function mergedExitCode(r: AuditReport): number {
  return r.check ? r.detailedExitCode : r.exitCode
}
