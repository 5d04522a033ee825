/**
 * The bar: after the four postgres tasks on `db`, the airflow role logs in from ANOTHER host
 * over the network (scram via pg_hba) with a password full of URL and shell specials, both with a
 * conninfo + PGPASSWORD and with a percent-encoded URI. Check mode on the fresh host first reports
 * exactly the four changes with zero failures, and nothing shows the password.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { quote } from '../../engine/connection/quote.js'
import { EffectStore } from '../../engine/effects.js'
import type { ModuleOutcome } from '../../engine/module-runner.js'
import { encodeUserInfo } from '../../engine/secrets.js'
import { postgresDb } from '../../modules/postgres/db.js'
import { postgresHba } from '../../modules/postgres/hba.js'
import { postgresSet } from '../../modules/postgres/set.js'
import { postgresUser } from '../../modules/postgres/user.js'
import type { ModuleSpec } from '../../modules/types.js'
import { checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { canLogin, envs, sql } from './postgres-helpers.js'

describe('airflow database reachable from another host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['db', 'client'])
  const pw = `Pa%ss/w@rd:?#$ with space'"`
  const tasks: [ModuleSpec, Record<string, unknown>][] = [
    [postgresSet, { name: 'listen_addresses', value: '*' }],
    [postgresHba, { contype: 'host', databases: 'airflow', users: 'airflow', source: '10.231.0.0/16', method: 'scram-sha-256' }],
    [postgresUser, { name: 'airflow', password: pw, role_attr_flags: 'LOGIN' }],
    [postgresDb, { name: 'airflow', owner: 'airflow' }],
  ]
  const outcomes: ModuleOutcome[] = []
  const deploy = envs(bed, 'db')[1]!.env

  it('check mode on the fresh host: every task reports changed, none fails, the host is untouched', async () => {
    const effects = new EffectStore()
    for (const [mod, args] of tasks) {
      const r = await checkRun(mod, args, { ...deploy(), effects })
      outcomes.push(r)
      assert.equal(r.status, 'changed', `${mod.name}: ${r.msg}`)
    }
    assert.equal(await sql(bed(), 'db', "SELECT count(*) FROM pg_roles WHERE rolname = 'airflow'"), '0')
  })

  it('the run converges; then airflow logs in from the client with its password (conninfo and URI)', async () => {
    for (const [mod, args] of tasks) {
      const r = await realRun(mod, args, deploy())
      outcomes.push(r)
      assert.equal(r.status, 'changed', `${mod.name}: ${r.msg}`)
      if (mod === postgresSet) {
        assert.equal(r.data.restart_required, true)
        assert.equal((await bed().exec('db', 'systemctl restart postgresql')).rc, 0)
      }
    }
    for (const [mod, args] of tasks) {
      const again = await realRun(mod, args, deploy())
      outcomes.push(again)
      assert.equal(again.status, 'ok', `${mod.name} re-run`)
    }
    const addr = bed().host('db').address
    assert.ok(await canLogin(bed(), 'client', addr, 'airflow', pw, 'airflow'), 'conninfo + PGPASSWORD')
    const uri = `postgresql://airflow:${encodeUserInfo(pw)}@${addr}/airflow`
    const r = await bed().exec('client', `psql -X -A -t -w ${quote(uri)} -c 'select current_user, current_database()'`)
    assert.equal(r.stdout.trim(), 'airflow|airflow', r.stderr)
    const wrong = await canLogin(bed(), 'client', addr, 'airflow', `${pw}x`, 'airflow')
    assert.equal(wrong, false, 'a wrong password is refused')
  })

  it('no outcome (diff on) and no check-mode summary contains the password in any encoding', () => {
    const text = JSON.stringify(outcomes)
    for (const s of [pw, encodeUserInfo(pw), encodeURIComponent(pw), Buffer.from(pw).toString('base64')]) assert.ok(!text.includes(s))
  })
})
