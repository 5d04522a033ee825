/** Fact parsers from recorded output, and the four planners given recorded facts. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pgDbFact, pgHbaFact, pgRoleFact, pgSettingFact } from '../../../modules/facts/postgres.js'
import { postgresDb } from '../../../modules/postgres/db.js'
import { postgresHba } from '../../../modules/postgres/hba.js'
import { postgresSet } from '../../../modules/postgres/set.js'
import { postgresUser } from '../../../modules/postgres/user.js'
import { validateParams } from '../../../modules/schema.js'
import type { ModuleSpec, Plan } from '../../../modules/types.js'
import { fakeCtx, HBA, hbaOut, ok, REC } from './postgres-fixtures.js'

const L = { user: 'postgres' }
async function plan(mod: ModuleSpec, args: Record<string, unknown>, ctx: ReturnType<typeof fakeCtx>): Promise<Plan> {
  return mod.plan(validateParams(mod, args) as never, ctx)
}
const summaries = (p: Plan) => (p.kind === 'change' ? p.changes.map((c) => c.summary) : [p.reason])

describe('postgres fact parsers (recorded output)', () => {
  it('role, db, setting, hba', () => {
    const r = pgRoleFact.parse(REC.rolePostgres, L, 'postgres', '2030-01-01')
    assert.equal(r.role.attrs!.superuser, true)
    assert.equal(r.role.password, null)
    assert.deepEqual(r.expires, { input: '2030-01-01', epoch: '1893456000.000000' })
    assert.deepEqual(pgRoleFact.parse(REC.roleAbsent, L, 'x').role, { exists: false })
    assert.deepEqual(pgDbFact.parse(REC.dbPostgres, L, 'postgres').db, {
      exists: true,
      owner: 'postgres',
      encoding: 'UTF8',
      collate: 'C.UTF-8',
      ctype: 'C.UTF-8',
      connLimit: -1,
      tablespace: 'pg_default',
    })
    assert.equal(pgDbFact.parse(REC.dbAbsent, L, 'nope', 'x').ownerExists, false)
    assert.equal(pgSettingFact.parse(REC.sharedBuffers, L, 'shared_buffers').unit, '8kB')
    const h = pgHbaFact.parse(hbaOut(HBA), L)
    assert.deepEqual([h.path, h.owner, h.group, h.mode, h.content], ['/etc/postgresql/15/main/pg_hba.conf', 'postgres', 'postgres', '0640', HBA])
    assert.deepEqual(pgHbaFact.parse(ok('/x/hba\nabsent\n'), L, '/x/hba'), { path: '/x/hba', exists: false, content: '' })
    assert.equal(pgRoleFact.key!(L, 'a"b'), 'a"b')
  })
})

describe('postgres planners given facts', () => {
  it('user: creates a role; effects let a later check-mode task see it', async () => {
    const p = await plan(postgresUser, { name: 'airflow', password: 'pw', role_attr_flags: 'LOGIN' }, fakeCtx({ 'postgres.role': REC.roleAbsent }))
    assert.deepEqual(summaries(p), ['create role airflow (LOGIN with password)'])
    assert.ok(p.kind === 'change')
    const eff = p.changes[0]!.effects![0]!
    assert.equal(eff.fact, 'postgres.role')
    assert.equal(eff.key, 'airflow')
    assert.ok(!JSON.stringify(p.changes.map((c) => [c.summary, c.commands.map((x) => x.argv)])).includes('pw'))
    assert.match(p.changes[0]!.commands[0]!.stdin!, /^CREATE ROLE "airflow" WITH LOGIN PASSWORD 'SCRAM-SHA-256\$4096:/)
  })

  it('user: ok with a reason when attributes and password match (update_password=on_create skips it)', async () => {
    const p = await plan(postgresUser, { name: 'postgres', role_attr_flags: 'SUPERUSER' }, fakeCtx({ 'postgres.role': REC.rolePostgres }))
    assert.deepEqual(p, { kind: 'ok', reason: 'role postgres exists with the requested attributes', data: { user: 'postgres', state: 'present' } })
    const q = await plan(postgresUser, { name: 'postgres', password: 'x', update_password: 'on_create' }, fakeCtx({ 'postgres.role': REC.rolePostgres }))
    assert.equal(q.kind, 'ok')
  })

  it('check mode without psql (an earlier task installs it): "would change (depends on an earlier change)"', async () => {
    const ctx = fakeCtx(
      { 'postgres.role': REC.psqlMissing, 'postgres.db': REC.psqlMissing, 'postgres.hba': REC.psqlMissing, 'postgres.setting': REC.serverDown },
      { check: true },
    )
    for (const [mod, args] of [
      [postgresUser, { name: 'airflow' }],
      [postgresDb, { name: 'airflow' }],
      [postgresHba, { contype: 'local', method: 'peer' }],
      [postgresSet, { name: 'work_mem', value: '8MB' }],
    ] as [ModuleSpec, Record<string, unknown>][]) {
      const p = await plan(mod, args, ctx)
      assert.equal(p.kind, 'change')
      assert.match(summaries(p)[0]!, /would change \(depends on an earlier change/)
    }
    await assert.rejects(plan(postgresUser, { name: 'a' }, fakeCtx({ 'postgres.role': REC.psqlMissing })), /cannot reach PostgreSQL/)
  })

  it('db: owner from an earlier check-mode effect plans normally; otherwise fails', async () => {
    const effects = { 'postgres.role:airflow': { role: { exists: true } } }
    const p = await plan(postgresDb, { name: 'airflow', owner: 'airflow' }, fakeCtx({ 'postgres.db': REC.dbAbsent }, { check: true, effects }))
    assert.deepEqual(summaries(p), ['create database airflow owned by airflow'])
    await assert.rejects(plan(postgresDb, { name: 'airflow', owner: 'airflow' }, fakeCtx({ 'postgres.db': REC.dbAbsent })), /owner role airflow does not exist/)
    const own = await plan(postgresDb, { name: 'postgres', owner: 'airflow' }, fakeCtx({ 'postgres.db': REC.dbPostgres }))
    assert.deepEqual(summaries(own), ['change owner of database postgres from postgres to airflow'])
  })

  it('db: state=absent ignores owner, encoding, locale and template, as community.postgresql', async () => {
    const args = {
      name: 'postgres',
      state: 'absent',
      owner: 'postgres',
      encoding: 'UTF-8',
      lc_collate: 'en_US.UTF-8',
      lc_ctype: 'en_US.UTF-8',
      template: 'template0',
    }
    assert.deepEqual(summaries(await plan(postgresDb, args, fakeCtx({ 'postgres.db': REC.dbPostgres }))), ['drop database postgres'])
    const gone = await plan(postgresDb, { ...args, name: 'scratch' }, fakeCtx({ 'postgres.db': REC.dbAbsent }))
    assert.deepEqual([gone.kind, summaries(gone)], ['ok', ['database scratch does not exist']])
  })

  it('hba: adds the rule at the end with a diff and a reload in the same change', async () => {
    const p = await plan(
      postgresHba,
      { databases: 'airflow', users: 'airflow', source: '10.231.0.0/16', method: 'scram-sha-256' },
      fakeCtx({ 'postgres.hba': hbaOut(HBA) }),
    )
    assert.ok(p.kind === 'change')
    const c = p.changes[0]!
    assert.equal(c.diff!.after, `${HBA}host    airflow         airflow         10.231.0.0/16           scram-sha-256\n`)
    assert.equal(c.upload!.dest, '/etc/postgresql/15/main/pg_hba.conf')
    assert.equal(c.upload!.owner, undefined, 'an existing file keeps owner and mode')
    assert.match(c.commands[0]!.stdin!, /SELECT pg_reload_conf\(\);/)
    assert.deepEqual(
      c.effects!.map((e) => e.key),
      ['(server hba_file)', '/etc/postgresql/15/main/pg_hba.conf'],
    )
  })

  it('set: listen_addresses needs a restart; shared_buffers 128MB is the running 16384 x 8kB', async () => {
    const p = await plan(postgresSet, { name: 'listen_addresses', value: '*' }, fakeCtx({ 'postgres.setting': REC.listenAddresses }))
    assert.deepEqual(summaries(p), ["set listen_addresses = '*' (was localhost); restart required"])
    assert.equal(p.data!.restart_required, true)
    const q = await plan(postgresSet, { name: 'shared_buffers', value: '128MB' }, fakeCtx({ 'postgres.setting': REC.sharedBuffers }))
    assert.deepEqual(q, {
      kind: 'ok',
      reason: 'shared_buffers is 128MB',
      data: { name: 'shared_buffers', value: '128MB', prev_value: '16384 (8kB)', context: 'postmaster', restart_required: false },
    })
  })
})
