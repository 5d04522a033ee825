import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { auditJsonReporter, type AuditReport } from '../../../engine/report/audit-json.js'
import { auditSchemaErrors } from '../../helpers/audit-schema.js'
import { drive, LS, result } from './fixtures.js'

const dir = mkdtempSync(join(tmpdir(), 'acplay-audit-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const diff = { path: '/etc/app.conf', before: 'a=1\n', after: 'a=2\n', attrs: { mode: ['0644', '0600'] as [string, string] } }

// a failed command's result, as the run loop records it (masked)
const FAILED = { ...LS, stderr: 'ls: ******** not found', stderr_lines: ['ls: ******** not found'] }

async function report(check: boolean): Promise<AuditReport> {
  const file = join(dir, `r-${check}.json`)
  const items = [
    result('web1', 'loop', 'ok', { item: 'x', reason: 'x is there' }),
    result('web1', 'loop', 'changed', { item: 'y', changes: [{ summary: 'create y' }] }),
  ]
  await drive(
    auditJsonReporter(file),
    ['web1', 'db1'],
    [
      result('web1', 'conf', 'changed', { changes: [{ summary: 'update /etc/app.conf', diff }] }),
      result('web1', 'user', 'ok', { reason: 'user astro exists with shell /bin/false' }),
      result('web1', 'loop', 'changed', { items: 2, changes: [{ summary: 'create y' }] }),
      result('db1', 'secret', 'failed', { hidden: true, msg: 'psql: password ********', result: FAILED, changes: [{ summary: 'set password', diff }] }),
      result('db1', 'optional', 'failed', { ignored: true, msg: 'non-zero return code', result: FAILED }),
      result('db1', 'skipped', 'skipped', { reason: 'Conditional result was False: x' }),
    ],
    { check, items },
  )
  return JSON.parse(readFileSync(file, 'utf8')) as AuditReport
}

describe('audit JSON report', () => {
  it('is valid against schema/audit-report.schema.json, in check mode and in a real run', async () => {
    assert.deepEqual(auditSchemaErrors(await report(true)), [])
    assert.deepEqual(auditSchemaErrors(await report(false)), [])
  })

  it('the schema rejects what the report must not be', async () => {
    assert.notDeepEqual(auditSchemaErrors({ format: 'acplay-audit' }), [])
    const r = await report(false)
    r.hosts.find((h) => h.host === 'db1')!.tasks[1]!.result = { ...FAILED, rc: 'two' }
    assert.match(auditSchemaErrors(r).join('\n'), /\/result\/rc must be integer/)
  })

  it('per host and task: status, drift, reasons, changes with their diffs, items, timings', async () => {
    const r = await report(true)
    assert.equal(r.detailedExitCode, 1)
    assert.deepEqual(r.drift, { hosts: 1, tasks: 2 })
    assert.deepEqual(r.plays, [{ name: 'web & <db>', hosts: ['web1', 'db1'] }])
    // hosts by name, as the recap lists them
    assert.deepEqual(
      r.hosts.map((h) => h.host),
      ['db1', 'web1'],
    )
    const [db, web] = r.hosts
    assert.equal(web!.drift, 2)
    assert.deepEqual(
      web!.tasks.map((t) => [t.task, t.status, t.drift]),
      [
        ['conf', 'changed', true],
        ['user', 'ok', false],
        ['loop', 'changed', true],
      ],
    )
    const conf = web!.tasks[0]!
    assert.deepEqual(conf.changes[0]!.diff!.attrs, { mode: ['0644', '0600'] })
    assert.match(conf.changes[0]!.diff!.text, /-a=1\n\+a=2\n/)
    assert.equal(conf.role, 'web')
    assert.equal(conf.line, 3)
    assert.equal(conf.durationMs, 12)
    assert.equal(web!.tasks[1]!.reason, 'user astro exists with shell /bin/false')
    assert.deepEqual(web!.tasks[2]!.items, [
      { item: 'x', status: 'ok', reason: 'x is there', changes: [] },
      { item: 'y', status: 'changed', changes: [{ summary: 'create y' }] },
    ])
    assert.equal(db!.failed, 1, 'the ignored failure does not count')
    assert.deepEqual(db!.tasks[1]!.result, FAILED, "a failure carries its whole result (Ansible's keys)")
  })

  it('a no_log result keeps its status only', async () => {
    const secret = (await report(true)).hosts.find((h) => h.host === 'db1')!.tasks[0]!
    assert.equal(secret.hidden, true)
    assert.deepEqual(secret.changes, [])
    assert.equal(secret.result, undefined)
    assert.match(secret.msg!, /hidden due to the no_log/)
  })

  it('a real run has no drift (its changes are applied, not found)', async () => {
    const r = await report(false)
    assert.deepEqual(r.drift, { hosts: 0, tasks: 0 })
    assert.ok(r.hosts.every((h) => h.drift === 0 && h.tasks.every((t) => !t.drift)))
  })
})
