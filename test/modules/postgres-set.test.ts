/** postgres_set on a real Debian host with PostgreSQL 15: ALTER SYSTEM, reload, restart_required. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { postgresSet } from '../../modules/postgres/set.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { envs, sql } from './postgres-helpers.js'

describe('postgres_set on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['pg'])
  const H = 'pg'
  const [root, deploy] = envs(bed, H)
  const auto = async () => (await bed().exec(H, 'cat /var/lib/postgresql/15/main/postgresql.auto.conf')).stdout

  it('sets a reloadable setting: check mode leaves the host untouched, apply reloads, re-run ok (units compared)', async () => {
    const c = await checkRun(postgresSet, { name: 'work_mem', value: '64MB' }, root!.env())
    assert.equal(c.changes[0]!.summary, "set work_mem = '64MB' (was 4096 (kB))")
    assert.doesNotMatch(await auto(), /work_mem/)
    const { applied, again } = await assertConverges(postgresSet, { name: 'work_mem', value: '64MB' }, deploy!.env())
    assert.equal(applied.data.restart_required, false)
    assert.equal(again.reason, 'work_mem is 64MB (postgresql.auto.conf)')
    assert.equal(await sql(bed(), H, 'SHOW work_mem'), '64MB', 'reloaded: a new session sees it')
    assert.equal((await realRun(postgresSet, { name: 'WORK_MEM', value: '65536kB' }, root!.env())).status, 'ok', '65536kB is 64MB')
  })

  it('detects a value changed by hand (ALTER SYSTEM) in check mode and repairs it', async () => {
    await sql(bed(), H, "ALTER SYSTEM SET work_mem = '4MB'")
    const c = await checkRun(postgresSet, { name: 'work_mem', value: '64MB' }, root!.env())
    assert.equal(c.changes[0]!.summary, "set work_mem = '64MB' (was 4MB)")
    assert.equal((await realRun(postgresSet, { name: 'work_mem', value: '64MB' }, root!.env())).status, 'changed')
    assert.match(await auto(), /^work_mem = '64MB'$/m)
  })

  it('resets a setting', async () => {
    const { applied } = await assertConverges(postgresSet, { name: 'work_mem', reset: true }, root!.env())
    assert.equal(applied.changes[0]!.summary, 'reset work_mem (was 64MB)')
    assert.doesNotMatch(await auto(), /work_mem/)
  })

  it('listen_addresses: changed with restart_required, ok (restart pending) until restarted, then ok', async () => {
    const args = { name: 'listen_addresses', value: '*' }
    const c = await checkRun(postgresSet, args, root!.env())
    assert.equal(c.changes[0]!.summary, "set listen_addresses = '*' (was localhost); restart required")
    assert.equal(c.data.restart_required, true)
    const { applied, again } = await assertConverges(postgresSet, args, root!.env())
    assert.equal(applied.data.restart_required, true)
    assert.equal(again.reason, 'listen_addresses is * (postgresql.auto.conf); not in effect until PostgreSQL restarts')
    assert.equal(again.data.restart_required, true)
    assert.equal((await bed().exec(H, 'systemctl restart postgresql')).rc, 0)
    const after = await realRun(postgresSet, args, root!.env())
    assert.equal(after.status, 'ok')
    assert.equal(after.data.restart_required, false)
    assert.equal(await sql(bed(), H, 'SHOW listen_addresses'), '*')
  })

  it('quotes the value as one literal', async () => {
    const v = `it's; SELECT 1 --\\`
    await assertConverges(postgresSet, { name: 'application_name', value: v }, root!.env())
    assert.equal(await sql(bed(), H, "SELECT setting FROM pg_file_settings WHERE name = 'application_name'"), v)
    await realRun(postgresSet, { name: 'application_name', reset: true }, root!.env())
    // db (community.postgresql's name for the database to connect to) and the socket
    const viaDb = await realRun(postgresSet, { name: 'application_name', reset: true, db: 'template1', login_unix_socket: '/var/run/postgresql' }, root!.env())
    assert.equal(viaDb.status, 'ok', viaDb.msg)
  })

  it('rejects bad arguments (unknown setting, bad name, value with reset) with the argument named', async () => {
    for (const [a, re] of [
      [{ name: 'no_such_setting', value: '1' }, /argument 'name': PostgreSQL has no setting "no_such_setting"/],
      [{ name: 'work_mem; DROP', value: '1' }, /argument 'name': .* is not a setting name/],
      [{ name: 'work_mem', value: '1MB', reset: true }, /mutually exclusive: value, reset/],
      [{ name: 'work_mem' }, /reset is false but these are missing: value/],
    ] as [Record<string, unknown>, RegExp][]) {
      const r = await realRun(postgresSet, a, root!.env())
      assert.equal(r.status, 'failed', JSON.stringify(a))
      assert.match(r.msg!, re)
    }
  })
})
