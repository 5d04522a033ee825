/**
 * postgresql_ext side by side with community.postgresql 2.4 (Debian's ansible; python3-psycopg2 on
 * its host) on two fresh PostgreSQL 15 hosts: created at its default or a given version, updated to
 * another, created with CASCADE, dropped, `version: latest` (an update on every run, as Ansible
 * counts it); the same extensions and versions and the same changed counts, check mode predicting
 * the first run; the failures in its words.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { postgresExt } from '../../modules/postgres/ext.js'
import { hostConnections } from '../helpers/connections.js'
import { SideBySide } from '../helpers/differential.js'
import { realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  become: true
  become_user: postgres
  tasks:
    - name: at its default version
      community.postgresql.postgresql_ext: { name: pgcrypto, db: postgres }
    - name: an older version
      community.postgresql.postgresql_ext: { name: citext, db: postgres, version: "1.5" }
    - name: one made by hand at an older version, updated
      community.postgresql.postgresql_ext: { name: hstore, db: postgres, version: "1.8" }
    - name: with what it needs
      community.postgresql.postgresql_ext: { name: earthdistance, db: postgres, cascade: true }
    - name: one made by hand goes
      community.postgresql.postgresql_ext: { name: tablefunc, db: postgres, state: absent }
    - name: one that is not there stays away
      community.postgresql.postgresql_ext: { name: ltree, db: postgres, state: absent }
    - name: latest (an update on every run)
      community.postgresql.postgresql_ext: { name: pgcrypto, db: postgres, version: latest }
`
const STATE = `cd / && runuser -u postgres -- psql -X -A -t -q -c "select extname, extversion from pg_extension order by 1"`

describe('postgresql_ext against community.postgresql (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['pgx-a', 'pgx-b'])
  const sides = new SideBySide(bed, 'pgx-a', 'pgx-b', PLAYBOOK, STATE)
  const root = hostConnections(bed, 'pgx-a')
  before(async () => {
    for (const h of ['pgx-a', 'pgx-b']) {
      const r = await bed().exec(h, `cd / && runuser -u postgres -- psql -X -q -c "create extension tablefunc" -c "create extension hstore version '1.7'"`)
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode on the fresh host predicts the run; both tools leave the same extensions and versions', async () => {
    assert.equal(await sides.firstRun(6), 'citext|1.5\ncube|1.5\nearthdistance|1.1\nhstore|1.8\npgcrypto|1.3\nplpgsql|1.0\n')
  })

  it('re-runs: only version latest reports changed, with either tool', () => sides.rerun(1))

  it('drift: an extension dropped by hand is found in check mode; both tools put it back alike', async () => {
    await sides.drift('cd / && runuser -u postgres -- psql -X -q -c "drop extension citext"', 2)
  })

  it("fails in community.postgresql's words", async () => {
    const pg = { ...root(), become: { user: 'postgres' } }
    const missing = await realRun(postgresExt, { name: 'nosuch', db: 'postgres' }, pg)
    assert.equal(missing.msg, 'Extension nosuch is not available')
    const noVersion = await realRun(postgresExt, { name: 'ltree', db: 'postgres', version: '9.9' }, pg)
    assert.equal(noVersion.msg, "Passed version '9.9' is not available")
    const noPath = await realRun(postgresExt, { name: 'hstore', db: 'postgres', version: '9.9' }, pg)
    assert.match(noPath.msg!, /^Passed version '9\.9' has no valid update path from the currently installed version '1\.8'/)
  })
})
