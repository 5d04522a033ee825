/** postgres_user on a real Debian host with PostgreSQL 15: as root and as deploy with become. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { postgresUser } from '../../modules/postgres/user.js'
import { md5Hash } from '../../modules/postgres/password.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { canLogin, envs, sql } from './postgres-helpers.js'

describe('postgres_user on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['pg'])
  const H = 'pg'
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`

  for (const [i, { label, env }] of envs(bed, H).entries()) {
    describe(label, () => {
      const name = `astro${i}`
      const pw = `s3cret ${i} %/@:?#$'"\\`
      const args = { name, password: pw, role_attr_flags: 'LOGIN,NOCREATEDB' }

      it('check mode on a fresh host reports the creation and leaves the host untouched', async () => {
        const r = await checkRun(postgresUser, args, env())
        assert.equal(r.status, 'changed', r.msg)
        assert.equal(r.changes[0]!.summary, `create role ${name} (NOCREATEDB LOGIN with password)`)
        assert.equal(await sql(bed(), H, `SELECT count(*) FROM pg_roles WHERE rolname = ${lit(name)}`), '0')
      })

      it('creates the role (changed), then re-runs ok with a reason; check on the converged host is ok', async () => {
        const { again } = await assertConverges(postgresUser, args, env())
        assert.equal(again.reason, `role ${name} exists with the requested attributes and password`)
        assert.equal(
          await sql(bed(), H, `SELECT rolcanlogin::text || rolcreatedb::text || left(rolpassword, 14) FROM pg_authid WHERE rolname = ${lit(name)}`),
          'truefalseSCRAM-SHA-256$',
        )
        assert.ok(await canLogin(bed(), H, '127.0.0.1', name, pw), 'the password works over TCP (scram)')
      })

      it('detects a password changed by hand in check mode and repairs it', async () => {
        await sql(bed(), H, `ALTER ROLE ${name} PASSWORD 'changed by hand'`)
        const c = await checkRun(postgresUser, args, env())
        assert.equal(c.status, 'changed')
        assert.deepEqual(
          c.changes.map((x) => x.summary),
          [`set password of role ${name}`],
        )
        assert.ok(await canLogin(bed(), H, '127.0.0.1', name, 'changed by hand'), 'check mode changed nothing')
        const r = await realRun(postgresUser, args, env())
        assert.equal(r.status, 'changed', r.msg)
        assert.ok(await canLogin(bed(), H, '127.0.0.1', name, pw))
        assert.equal((await realRun(postgresUser, args, env())).status, 'ok')
      })

      it('detects attribute drift (CREATEDB, conn limit, expiry) and repairs it', async () => {
        await sql(bed(), H, `ALTER ROLE ${name} CREATEDB`)
        const more = { ...args, conn_limit: 5, expires: '2031-01-01 00:00:00+00' }
        const c = await checkRun(postgresUser, more, env())
        assert.deepEqual(
          c.changes.map((x) => x.summary),
          [`alter role ${name}: NOCREATEDB CONNECTION LIMIT 5 VALID UNTIL '2031-01-01 00:00:00+00'`],
        )
        assert.equal((await realRun(postgresUser, more, env())).status, 'changed')
        assert.equal(
          await sql(
            bed(),
            H,
            `SELECT rolcreatedb::text || rolconnlimit || extract(epoch from rolvaliduntil)::bigint FROM pg_authid WHERE rolname = ${lit(name)}`,
          ),
          'false51924992000',
        )
        const ok = await realRun(postgresUser, { ...more, expires: '2031-01-01T01:00:00+01' }, env())
        assert.equal(ok.status, 'ok', 'the same instant in another notation is no change')
      })

      it('never shows the password: outcomes with diff on, check-mode summaries', async () => {
        await sql(bed(), H, `ALTER ROLE ${name} PASSWORD NULL`)
        const stored = () => sql(bed(), H, `SELECT coalesce(rolpassword, '') FROM pg_authid WHERE rolname = ${lit(name)}`)
        const outs = [await checkRun(postgresUser, args, env()), await realRun(postgresUser, args, env()), await realRun(postgresUser, args, env())]
        const text = JSON.stringify(outs)
        const verifier = await stored()
        assert.ok(verifier.startsWith('SCRAM-SHA-256$'))
        for (const secret of [pw, verifier, verifier.split('$')[2]!]) assert.ok(!text.includes(secret), 'secret leaked into an outcome')
        assert.ok(outs[0]!.changes.every((c) => !c.summary.includes(pw)))
      })

      it('accepts an md5 hash as the password and keeps it', async () => {
        const hash = md5Hash('hashed pw', `${name}md5`)
        await assertConverges(postgresUser, { name: `${name}md5`, password: hash }, env())
        assert.equal(await sql(bed(), H, `SELECT rolpassword FROM pg_authid WHERE rolname = ${lit(`${name}md5`)}`), hash)
        const plain = await realRun(postgresUser, { name: `${name}md5`, password: 'hashed pw' }, env())
        assert.equal(plain.status, 'ok', 'the plain password matching the stored md5 hash is no change')
      })

      it('drops the role with state=absent, then is ok', async () => {
        await assertConverges(postgresUser, { name: `${name}md5`, state: 'absent' }, env())
        const r = await realRun(postgresUser, { name: `${name}md5`, state: 'absent' }, env())
        assert.equal(r.reason, `role ${name}md5 does not exist`)
      })

      it('rejects bad arguments before touching the host', async () => {
        const e = env()
        const before = e.conn.execCount
        const cases: [Record<string, unknown>, RegExp][] = [
          [{ name, role_attr_flags: 'CREATEDB,BOGUS' }, /role_attr_flags.*BOGUS/],
          [{ name, role_attr_flags: ['LOGIN', 'NOLOGIN'] }, /role_attr_flags.*LOGIN and NOLOGIN/],
          [{ name, conn_limit: 'many' }, /conn_limit.*integer/],
          [{ name, passwd: 'x' }, /unknown argument 'passwd'/],
          [{ name, state: 'gone' }, /state.*present, absent/],
          [{ name, state: 'absent', password: 'x' }, /state=absent takes no password/],
          [{ name, db: 'airflow', priv: 'ALL' }, /argument 'priv' of module postgres_user is not supported yet/],
          [{ name, groups: ['admins'] }, /argument 'groups' of module postgres_user is not supported yet/],
          [{ name, connect_params: { 'x y': 1 } }, /argument 'connect_params': "x y" is not a libpq parameter name/],
        ]
        for (const [a, re] of cases) {
          const r = await realRun(postgresUser, a, e)
          assert.equal(r.status, 'failed')
          assert.match(r.msg!, re)
        }
        assert.equal(e.conn.execCount, before, 'no round trip for bad arguments')
      })
    })
  }

  it('comment, no_password_changes; connection arguments: db, login_unix_socket, ssl_mode, connect_params, session_role', async () => {
    const env = envs(bed, H)[0]!.env
    const conn = { db: 'template1', login_unix_socket: '/var/run/postgresql', ssl_mode: 'disable', connect_params: { connect_timeout: 5 }, trust_input: false }
    await assertConverges(postgresUser, { name: 'commented', comment: "it's the app", password: 'one', ...conn }, env())
    assert.equal(await sql(bed(), H, "SELECT shobj_description(oid, 'pg_authid') FROM pg_authid WHERE rolname = 'commented'"), "it's the app")
    await assertConverges(postgresUser, { name: 'commented', comment: 'changed', ...conn }, env())
    // no_password_changes: another password and a connection limit are left alone, a flag is not
    const keep = { name: 'commented', password: 'two', conn_limit: 3, role_attr_flags: 'CREATEDB', no_password_changes: true }
    const c = await checkRun(postgresUser, keep, env())
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      ['alter role commented: CREATEDB'],
    )
    await assertConverges(postgresUser, keep, env())
    assert.equal(await sql(bed(), H, "SELECT rolcreatedb::text || rolconnlimit FROM pg_authid WHERE rolname = 'commented'"), 'true-1')
    // session_role: the SQL runs as that role (a role without CREATEROLE cannot create one)
    await sql(bed(), H, 'CREATE ROLE weak NOLOGIN')
    const denied = await realRun(postgresUser, { name: 'via-weak', session_role: 'weak' }, env())
    assert.equal(denied.status, 'failed')
    assert.match(denied.msg!, /permission denied/)
    const bad = await realRun(postgresUser, { name: 'x', login_unix_socket: '/nonexistent' }, env())
    assert.match(bad.msg!, /nonexistent/)
  })

  it('creates a role with a hostile name as exactly that name (and nothing else happens)', async () => {
    const env = envs(bed, H)[0]!.env
    const hostile = `a"; DROP ROLE x; --`
    await sql(bed(), H, 'CREATE ROLE x')
    const { again } = await assertConverges(postgresUser, { name: hostile, password: `it's $(id) \`id\`; x` }, env())
    assert.equal(again.reason, `role ${hostile} exists with the requested attributes and password`)
    assert.equal(await sql(bed(), H, `SELECT string_agg(rolname, '|' ORDER BY rolname) FROM pg_roles WHERE rolname IN ('x', ${lit(hostile)})`), `${hostile}|x`)
    const multi = `line1\nline2 ' \\ :foo`
    await assertConverges(postgresUser, { name: multi }, env())
    assert.equal(await sql(bed(), H, `SELECT count(*) FROM pg_roles WHERE rolname = ${lit(multi)}`), '1')
  })
})
