import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { after, describe, it } from 'node:test'
import { mergeFiles } from '../../../engine/cli/report-command.js'
import type { AcplayError } from '../../../engine/errors.js'
import { auditJsonReporter, type AuditReport } from '../../../engine/report/audit-json.js'
import { mergeAuditReports, type ReportPart } from '../../../engine/report/merge.js'
import type { HostResult } from '../../../engine/report/types.js'
import { auditSchemaErrors } from '../../helpers/audit-schema.js'
import { drive, result } from './fixtures.js'

const dir = mkdtempSync(join(tmpdir(), 'acplay-merge-'))
after(() => rmSync(dir, { recursive: true, force: true }))
let seq = 0

/** What each host does in the run: the same whether it ran alone, in a part or in the whole fleet. */
function resultsFor(host: string): HostResult[] {
  const n = Number(host.slice(1))
  return [
    result(host, 'conf', n % 2 ? 'changed' : 'ok', n % 2 ? { changes: [{ summary: 'update /etc/app.conf' }] } : { reason: 'up to date' }),
    result(host, 'user', 'ok', { reason: 'user exists' }),
    ...(n === 3 ? [result(host, 'pkg', 'failed', { msg: 'no such package' })] : []),
  ]
}

async function reportOf(hosts: string[], opts: { check?: boolean; slice?: [number, number]; playbook?: string } = {}): Promise<ReportPart> {
  const file = join(dir, `r${++seq}.json`)
  const reporter = auditJsonReporter(file)
  const start = reporter.onRunStart!
  reporter.onRunStart = (i) =>
    start({ ...i, playbook: opts.playbook ?? i.playbook, slice: opts.slice ? { index: opts.slice[0], count: opts.slice[1] } : undefined })
  await drive(reporter, hosts, hosts.flatMap(resultsFor), { check: opts.check ?? true })
  return { file, report: JSON.parse(readFileSync(file, 'utf8')) as AuditReport }
}

/** A report without what differs between runs of the same work (times, how many parts). */
function comparable(r: AuditReport): unknown {
  const { startedAt, finishedAt, durationMs, parts, ...rest } = r
  void [startedAt, finishedAt, durationMs, parts]
  return JSON.parse(JSON.stringify(rest, (k, v) => (k === 'durationMs' ? 0 : v)))
}

const refused = (parts: ReportPart[], re: RegExp) =>
  assert.throws(
    () => mergeAuditReports(parts),
    (e: AcplayError) => e.code === 'E_MERGE' && re.test(e.describe()),
  )

describe('acplay report merge', () => {
  it('joins --slice parts into the report one run over all the hosts gives, host for host', async () => {
    const all = ['h1', 'h2', 'h3', 'h4', 'h5']
    const whole = await reportOf(all)
    const parts = [await reportOf(['h2', 'h5'], { slice: [2, 2] }), await reportOf(['h1', 'h3', 'h4'], { slice: [1, 2] })]
    const merged = mergeAuditReports(parts)
    assert.deepEqual(auditSchemaErrors(merged), [])
    assert.equal(merged.parts, 2)
    assert.equal(merged.slice, undefined, 'the merged report covers every part')
    assert.deepEqual(comparable(merged), comparable(whole.report))
    assert.deepEqual(merged.drift, { hosts: 3, tasks: 3 })
    assert.equal(merged.detailedExitCode, 1, 'h3 failed a task')
    assert.equal(merged.exitCode, 2)
    assert.ok(merged.startedAt <= merged.finishedAt)
  })

  it('exits as acplay check would for the union: 2 drift, 1 failed, 4 unreachable, 0 in sync; a real run as ansible-playbook', async () => {
    const drift = mergeAuditReports([await reportOf(['h1'], { slice: [1, 2] }), await reportOf(['h2'], { slice: [2, 2] })])
    assert.equal(drift.detailedExitCode, 2)
    const clean = mergeAuditReports([await reportOf(['h2']), await reportOf(['h4'])])
    assert.equal(clean.detailedExitCode, 0, 'parts over disjoint inventories merge too')
    const down = await reportOf(['h5'])
    down.report.recap[0]!.unreachable = 1
    down.report.hosts[0]!.unreachable = true
    assert.equal(mergeAuditReports([await reportOf(['h3']), down]).detailedExitCode, 4, 'unreachable wins')
    const real = mergeAuditReports([await reportOf(['h1'], { check: false }), await reportOf(['h2'], { check: false })])
    assert.deepEqual([real.check, real.exitCode, real.drift], [false, 0, { hosts: 0, tasks: 0 }])
  })

  it('refuses parts that are not one run: other playbook, other plays, check and real mixed, --diff mixed', async () => {
    const a = await reportOf(['h1'])
    refused([a, await reportOf(['h2'], { playbook: 'other.yml' })], /another playbook: other\.yml/)
    const renamed = await reportOf(['h2'])
    renamed.report.plays[0]!.name = 'another play'
    refused([a, renamed], /plays differ/)
    refused([a, await reportOf(['h2'], { check: false })], /a real run, .* is a check run/)
    const noDiff = await reportOf(['h2'])
    noDiff.report.diff = false
    refused([a, noDiff], /--diff off/)
  })

  it('refuses overlapping hosts and slices that do not add up', async () => {
    const one = await reportOf(['h1', 'h3'], { slice: [1, 2] })
    refused([one, await reportOf(['h3', 'h2'], { slice: [2, 2] })], /host h3 is in two parts/)
    refused([one, await reportOf(['h2'], { slice: [1, 2] })], /slice 1\/2 again/)
    refused([one], /slice 2\/2 missing/)
    refused([one, await reportOf(['h2'], { slice: [2, 3] })], /--slice 2\/3, .* is a part of 2/)
    refused([one, await reportOf(['h2'])], /a whole run mixed with --slice parts/)
    refused([], /no reports/)
  })

  it('the CLI prints the joined recap and drift table, writes -o atomically, and names a bad file', async () => {
    const parts = [await reportOf(['h1', 'h3'], { slice: [1, 2] }), await reportOf(['h2'], { slice: [2, 2] })]
    const out = new PassThrough()
    let text = ''
    out.on('data', (d: Buffer) => (text += d.toString()))
    const file = join(dir, 'merged.json')
    const code = await mergeFiles(
      parts.map((p) => p.file),
      { output: file },
      out,
    )
    assert.equal(code, 1)
    assert.match(text, /^PLAY RECAP \(2 reports merged\)/)
    assert.match(text, /^h1 +: ok=2 +changed=1 /m)
    assert.match(text, /^h2 +: ok=2 +changed=0 /m)
    assert.match(text, /^DRIFT \(check mode\)/m)
    assert.match(text, /^h1 +1 +drift +web : conf$/m)
    assert.match(text, /^h3 +1 +1 failed +web : conf$/m)
    const written = JSON.parse(readFileSync(file, 'utf8')) as AuditReport
    assert.deepEqual(auditSchemaErrors(written), [])
    assert.deepEqual(
      written.hosts.map((h) => h.host),
      ['h1', 'h2', 'h3'],
    )
    const junk = join(dir, 'junk.json')
    writeFileSync(junk, '{"format": "something-else"}')
    await assert.rejects(
      mergeFiles([parts[0]!.file, junk], {}, out),
      (e: AcplayError) => e.code === 'E_MERGE' && e.describe().startsWith(`E_MERGE: ${junk}: not an acplay audit report`),
    )
    writeFileSync(junk, '{ half')
    await assert.rejects(mergeFiles([junk], {}, out), (e: AcplayError) => /not JSON/.test(e.message))
    await assert.rejects(mergeFiles([join(dir, 'missing.json')], {}, out), (e: AcplayError) => /cannot read: ENOENT/.test(e.message))
  })
})
