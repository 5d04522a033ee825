/** postgres_db on a real Debian host with PostgreSQL 15: as root and as deploy with become. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { postgresDb } from '../../modules/postgres/db.js'
import { postgresUser } from '../../modules/postgres/user.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { envs, sql } from './postgres-helpers.js'

describe('postgres_db on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['pg'])
  const H = 'pg'
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`
  const dbRow = (name: string) =>
    sql(bed(), H, `SELECT pg_get_userbyid(datdba) || '|' || pg_encoding_to_char(encoding) FROM pg_database WHERE datname = ${lit(name)}`)

  for (const [i, { label, env }] of envs(bed, H).entries()) {
    describe(label, () => {
      const owner = `airflow${i}`
      const db = `airflowdb${i}`
      const args = { name: db, owner, encoding: 'UTF8', template: 'template0' }

      it('check mode plans against an owner an earlier check-mode task would create; without it, fails clearly', async () => {
        const effects = new EffectStore()
        const u = await checkRun(postgresUser, { name: owner, password: 'pw' }, { ...env(), effects })
        assert.equal(u.status, 'changed')
        const d = await checkRun(postgresDb, args, { ...env(), effects })
        assert.equal(d.status, 'changed', d.msg)
        assert.deepEqual(
          d.changes.map((c) => c.summary),
          [`create database ${db} owned by ${owner}`],
        )
        const alone = await checkRun(postgresDb, args, env())
        assert.equal(alone.status, 'failed')
        assert.match(alone.msg!, new RegExp(`owner role ${owner} does not exist`))
        assert.equal(await dbRow(db), '', 'check mode created nothing')
        assert.equal(await sql(bed(), H, `SELECT count(*) FROM pg_roles WHERE rolname = ${lit(owner)}`), '0')
      })

      it('creates the database owned by the role (CREATE DATABASE outside a transaction), re-runs ok', async () => {
        assert.equal((await realRun(postgresUser, { name: owner, password: 'pw' }, env())).status, 'changed')
        const { again } = await assertConverges(postgresDb, args, env())
        assert.equal(again.reason, `database ${db} exists, owned by ${owner}, encoding UTF8`)
        assert.equal(await dbRow(db), `${owner}|UTF8`)
      })

      it('an owner changed by hand is detected in check mode and changed back (ALTER DATABASE ... OWNER TO)', async () => {
        await sql(bed(), H, `ALTER DATABASE ${db} OWNER TO postgres`)
        const c = await checkRun(postgresDb, args, env())
        assert.deepEqual(
          c.changes.map((x) => x.summary),
          [`change owner of database ${db} from postgres to ${owner}`],
        )
        assert.equal(await dbRow(db), 'postgres|UTF8')
        assert.equal((await realRun(postgresDb, args, env())).status, 'changed')
        assert.equal(await dbRow(db), `${owner}|UTF8`)
        assert.equal((await checkRun(postgresDb, args, env())).status, 'ok')
      })

      it('refuses to change the encoding of an existing database, naming the argument', async () => {
        const r = await realRun(postgresDb, { ...args, encoding: 'LATIN1' }, env())
        assert.equal(r.status, 'failed')
        assert.match(r.msg!, /exists with encoding UTF8; PostgreSQL cannot change it to LATIN1/)
        assert.equal((await realRun(postgresDb, { ...args, encoding: 'utf-8' }, env())).status, 'ok', 'utf-8 is UTF8')
      })

      it('drops the database with state=absent (owner, encoding, template ignored, as community.postgresql)', async () => {
        await assertConverges(postgresDb, { name: db, state: 'absent', owner, encoding: 'UTF-8', template: 'template0' }, env())
        assert.equal(await dbRow(db), '')
      })

      it('rejects bad arguments before touching the host', async () => {
        const e = env()
        const before = e.conn.execCount
        for (const [a, re] of [
          [{ name: db, encodings: 'UTF8' }, /unknown argument 'encodings'/],
          [{ owner }, /missing required argument 'name'/],
          [{ name: db, state: 'dump' }, /state=dump is not supported yet/],
          [{ name: db, target: '/tmp/x.sql' }, /argument 'target' of module postgres_db is not supported yet/],
          [{ name: db, conn_limit: 'lots' }, /argument 'conn_limit' must be an integer/],
        ] as [Record<string, unknown>, RegExp][]) {
          const r = await realRun(postgresDb, a, e)
          assert.equal(r.status, 'failed')
          assert.match(r.msg!, re)
        }
        assert.equal(e.conn.execCount, before)
      })
    })
  }

  it('conn_limit and tablespace on creation and changed later; force drops a database in use', async () => {
    const env = envs(bed, H)[0]!.env
    await bed().exec(H, 'mkdir -p /srv/pgts && chown postgres: /srv/pgts')
    await sql(bed(), H, "CREATE TABLESPACE fast LOCATION '/srv/pgts'")
    const row = () =>
      sql(bed(), H, "SELECT datconnlimit || '|' || (SELECT spcname FROM pg_tablespace WHERE oid = dattablespace) FROM pg_database WHERE datname = 'limited'")
    await assertConverges(postgresDb, { name: 'limited', conn_limit: '5', tablespace: 'fast' }, env())
    assert.equal(await row(), '5|fast')
    const c = await checkRun(postgresDb, { name: 'limited', conn_limit: '-1', tablespace: 'pg_default' }, env())
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      ['change the connection limit of database limited from 5 to -1', 'move database limited to tablespace pg_default'],
    )
    await assertConverges(postgresDb, { name: 'limited', conn_limit: '-1', tablespace: 'pg_default' }, env())
    assert.equal(await row(), '-1|pg_default')
    // a session holds the database open: DROP fails without force, succeeds with it
    const holder = bed().exec(H, "cd / && runuser -u postgres -- psql -X -q -d limited -c 'SELECT pg_sleep(30)'")
    await new Promise((r) => setTimeout(r, 1000))
    assert.equal((await realRun(postgresDb, { name: 'limited', state: 'absent' }, env())).status, 'failed')
    await assertConverges(postgresDb, { name: 'limited', state: 'absent', force: true }, env())
    await holder
  })

  it('creates a database with a hostile name owned by a role with a hostile name', async () => {
    const env = envs(bed, H)[1]!.env
    const role = `a"; DROP ROLE x; --`
    const db = `d'b"; DROP DATABASE postgres; -- $(id)`
    await realRun(postgresUser, { name: role }, env())
    const { again } = await assertConverges(postgresDb, { name: db, owner: role }, env())
    assert.match(again.reason!, /^database .* exists, owned by a"; DROP ROLE x; --/)
    assert.equal(await dbRow(db), `${role}|UTF8`)
    assert.equal(await sql(bed(), H, `SELECT count(*) FROM pg_database WHERE datname = 'postgres'`), '1')
  })
})
