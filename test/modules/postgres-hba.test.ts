/** postgres_hba on a real Debian host with PostgreSQL 15: edits one rule in place and reloads. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { postgresHba } from '../../modules/postgres/hba.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { envs } from './postgres-helpers.js'

describe('postgres_hba on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['pg'])
  const H = 'pg'
  const FILE = '/etc/postgresql/15/main/pg_hba.conf'
  const read = async (f = FILE) => (await bed().exec(H, `cat ${f}`)).stdout
  const attrs = async (f = FILE) => (await bed().exec(H, `stat -c '%U:%G %a' ${f}`)).stdout.trim()
  const [root, deploy] = envs(bed, H)
  const rule = { contype: 'host', databases: 'airflow', users: 'airflow', source: '10.231.0.0/16', method: 'scram-sha-256' }
  const LINE = 'host    airflow         airflow         10.231.0.0/16           scram-sha-256'
  let original = ''

  it('check mode on a fresh host reports the rule and leaves the file untouched', async () => {
    original = await read()
    const r = await checkRun(postgresHba, rule, root!.env())
    assert.equal(r.status, 'changed', r.msg)
    assert.equal(r.changes[0]!.summary, `add rule host airflow airflow 10.231.0.0/16 scram-sha-256 in ${FILE}; reload PostgreSQL`)
    assert.equal(r.changes[0]!.diff!.before, original)
    assert.equal(r.changes[0]!.diff!.after, `${original + LINE}\n`)
    assert.equal(await read(), original)
  })

  it('adds the rule (dest found from the server), keeps every other line, owner and mode; re-run ok', async () => {
    const { again } = await assertConverges(postgresHba, rule, deploy!.env())
    assert.equal(again.reason, `${FILE} has rule host airflow airflow 10.231.0.0/16 scram-sha-256`)
    assert.equal(await read(), `${original + LINE}\n`)
    assert.equal(await attrs(), 'postgres:postgres 640')
  })

  it('replaces the method of an existing rule in place and reloads PostgreSQL by itself', async () => {
    const login = `psql -X -A -t -w -h 127.0.0.1 -U postgres -d postgres -c 'select 1'`
    assert.notEqual((await bed().exec(H, login)).rc, 0, 'no password: scram refuses')
    const trust = { contype: 'host', databases: 'all', users: 'all', source: '127.0.0.1/32', method: 'trust' }
    const r = await realRun(postgresHba, trust, root!.env())
    assert.equal(r.changes[0]!.summary, `change rule host all all 127.0.0.1/32 trust in ${FILE}; reload PostgreSQL`)
    const after = await read()
    const trusted = original.replace(
      /^host +all +all +127\.0\.0\.1\/32 +scram-sha-256$/m,
      'host    all             all             127.0.0.1/32            trust',
    )
    assert.equal(after, `${trusted + LINE}\n`)
    assert.equal((await bed().exec(H, login)).stdout.trim(), '1', 'the reload applied the rule')
    await realRun(postgresHba, { ...trust, method: 'scram-sha-256' }, root!.env())
    assert.notEqual((await bed().exec(H, login)).rc, 0)
  })

  it('detects a rule edited by hand in check mode and repairs it', async () => {
    await bed().exec(H, `sed -i 's#^host    airflow .*#host airflow airflow 10.231.0.0/16 md5#' ${FILE}`)
    const c = await checkRun(postgresHba, rule, root!.env())
    assert.equal(c.status, 'changed')
    assert.match(c.changes[0]!.diff!.before, /^host airflow airflow 10.231.0.0\/16 md5$/m)
    assert.equal((await realRun(postgresHba, rule, root!.env())).status, 'changed')
    assert.equal((await checkRun(postgresHba, rule, root!.env())).status, 'ok')
  })

  it('removes the rule with state=absent, restoring the original file, with a backup', async () => {
    const r = await realRun(postgresHba, { ...rule, state: 'absent', backup: true }, root!.env())
    assert.equal(r.status, 'changed', r.msg)
    assert.equal(await read(), original)
    assert.equal(await read(r.data.backup_file as string), `${original + LINE}\n`)
    const again = await realRun(postgresHba, { ...rule, state: 'absent' }, root!.env())
    assert.equal(again.reason, `${FILE} has no rule host airflow airflow 10.231.0.0/16`)
  })

  it('creates a missing dest with create: true (owner postgres, mode 0640); without it fails', async () => {
    const dest = '/etc/postgresql/15/main/other hba.conf'
    const no = await realRun(postgresHba, { ...rule, dest }, root!.env())
    assert.equal(no.status, 'failed')
    assert.match(no.msg!, /does not exist \(set create: true/)
    await assertConverges(postgresHba, { ...rule, dest, create: true, contype: 'local', source: undefined, method: 'peer' }, deploy!.env())
    assert.equal(await read(`'${dest}'`), 'local   airflow         airflow                                 peer\n')
    assert.equal(await attrs(`'${dest}'`), 'postgres:postgres 640')
    // the file arguments: mode on an unchanged file is a change of its own
    await assertConverges(postgresHba, { ...rule, dest, create: true, contype: 'local', source: undefined, method: 'peer', mode: '0600' }, root!.env())
    assert.equal(await attrs(`'${dest}'`), 'postgres:postgres 600')
    const r = await realRun(postgresHba, { ...rule, dest, comment: 'x' }, root!.env())
    assert.match(r.msg!, /argument 'comment' of module postgres_hba is not supported yet/)
  })

  it('rejects bad and hostile arguments before touching the host', async () => {
    const e = root!.env()
    const before = e.conn.execCount
    for (const [a, re] of [
      [{ ...rule, contype: 'local' }, /'source' .* must not be given for contype=local/],
      [{ ...rule, source: undefined }, /contype is "host" but these are missing: source/],
      [{ ...rule, users: 'air flow' }, /argument 'users': "air flow" cannot be written/],
      [{ ...rule, databases: 'x"; #' }, /argument 'databases'/],
      [{ ...rule, source: '10.0.0.0/8\nhost all all 0.0.0.0/0 trust' }, /argument 'source'/],
      [{ ...rule, method: 'letmein' }, /method.*one of/],
      [{ ...rule, netmask: '255.0.0.0' }, /'source' \(a CIDR\) and 'netmask' conflict/],
      [{ ...rule, options: 'map' }, /argument 'options'/],
    ] as [Record<string, unknown>, RegExp][]) {
      const r = await realRun(postgresHba, a, e)
      assert.equal(r.status, 'failed', JSON.stringify(a))
      assert.match(r.msg!, re)
    }
    assert.equal(e.conn.execCount, before)
  })
})
