/**
 * The postgres modules side by side with Ansible's community.postgresql (Debian's ansible package)
 * on two fresh PostgreSQL 15 hosts: the same playbook, the same changed counts on the first run, on
 * re-runs and after drift, and the same roles, databases, settings and pg_hba.conf left behind.
 * The playbook is written as Ansible needs it: as the postgres user, pg_hba's dest named. Ansible's
 * modules need python3-psycopg2 on the host: the testbed image has it (acplay's need nothing).
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { runPlaybook, SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const HBA = '/etc/postgresql/15/main/pg_hba.conf'
const PLAYBOOK = `- hosts: all
  gather_facts: false
  become: true
  become_user: postgres
  tasks:
    - name: listens on every address (a restart applies it)
      community.postgresql.postgresql_set: { name: listen_addresses, value: "*" }
      notify: restart postgresql
    - name: work_mem, with a unit
      community.postgresql.postgresql_set: { name: work_mem, value: 8MB }
    - name: the airflow role logs in with a password
      community.postgresql.postgresql_user: { name: airflow, password: "pw-in-test-only", role_attr_flags: LOGIN }
    # as geerlingguy.postgresql passes them: the socket wins over localhost (peer auth, no password)
    - name: a reporting role that cannot log in but may create databases
      community.postgresql.postgresql_user:
        { name: reporting, role_attr_flags: "NOLOGIN,CREATEDB", login_host: localhost, login_unix_socket: /var/run/postgresql }
    - name: the airflow database, owned by airflow
      community.postgresql.postgresql_db: { name: airflow, owner: airflow }
    - name: a database from template0 in UTF8
      community.postgresql.postgresql_db: { name: reports, owner: reporting, template: template0, encoding: UTF8 }
    - name: airflow hosts log in with a password
      community.postgresql.postgresql_pg_hba:
        dest: ${HBA}
        contype: host
        databases: airflow
        users: airflow
        source: 10.231.0.0/16
        method: scram-sha-256
    - name: no password logins over IPv6 loopback
      community.postgresql.postgresql_pg_hba: { dest: ${HBA}, contype: host, databases: all, users: all, source: "::1/128", state: absent }
  handlers:
    - name: restart postgresql
      become_user: root
      ansible.builtin.systemd: { name: postgresql, state: restarted }
`
const STATE = `cd / && q() { runuser -u postgres -- psql -X -A -t -q -c "$1"; }
q "select rolname, rolcanlogin, rolcreatedb, rolsuper, rolpassword is not null from pg_authid where rolname in ('airflow', 'reporting') order by 1"
q "select datname, pg_get_userbyid(datdba), pg_encoding_to_char(encoding) from pg_database where datname in ('airflow', 'reports') order by 1"
echo ==; cat /var/lib/postgresql/15/main/postgresql.auto.conf
q "select name, setting, pending_restart from pg_settings where name in ('listen_addresses', 'work_mem') order by 1"
echo ==; grep -v '^#' ${HBA} | tr -s ' \\t' ' ' | grep -v '^ *$' | sort; stat -c '%U:%G %a' ${HBA}`

describe('postgres modules against community.postgresql (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['pg-mine', 'pg-theirs'])
  const sides = new SideBySide(bed, 'pg-mine', 'pg-theirs', PLAYBOOK, STATE)
  before(async () => {
    const r = await bed().exec(sides.theirs, 'python3 -c "import psycopg2"')
    assert.equal(r.rc, 0, `the image lacks python3-psycopg2: ${r.stderr}`)
  })

  it('check mode on the fresh host predicts the run; both tools leave the same roles, databases, settings and rules', async () => {
    const state = await sides.firstRun(9)
    assert.match(state, /^airflow\|t\|f\|f\|t$/m)
    assert.match(state, /^reporting\|f\|t\|f\|f$/m)
    assert.match(state, /^reports\|reporting\|UTF8$/m)
    assert.match(state, /^listen_addresses = '\*'$/m)
    assert.match(state, /^listen_addresses\|\*\|f$/m)
    assert.match(state, /^host airflow airflow 10\.231\.0\.0\/16 scram-sha-256$/m)
    assert.doesNotMatch(state, /^host all all ::1\/128/m)
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a role, an owner, a setting and a rule changed by hand are found in check mode; both tools repair them alike', async () => {
    const sql = (s: string) => `runuser -u postgres -- psql -X -q -c "${s}"`
    const check = await sides.drift(
      [
        'cd /',
        sql('alter role airflow nologin'),
        sql('alter database reports owner to airflow'),
        sql("alter system set work_mem = '4MB'"),
        sql('select pg_reload_conf()'),
        // either tool's layout of the line (acplay's spaces, Ansible's tabs)
        `sed -i -E 's#^(host\\s+airflow\\s+airflow\\s+10\\.231\\.0\\.0/16\\s+)scram-sha-256#\\1md5#' ${HBA}`,
      ].join(' && '),
      4,
    )
    assert.doesNotMatch(check.stdout, /pw-in-test-only/, 'no password in the check output')
  })

  it("a statement the server refuses fails with community.postgresql's message (geerlingguy.postgresql without its locale)", async () => {
    const playbook = `- hosts: all
  gather_facts: false
  become: true
  become_user: postgres
  tasks:
    - community.postgresql.postgresql_db: { name: nolocale, lc_collate: xx_XX.UTF-8, lc_ctype: xx_XX.UTF-8, template: template0 }
`
    const msg = async (tool: 'ansible' | 'acplay', host: string) => {
      const r = await runPlaybook(tool, bed(), host, playbook)
      assert.equal(r.recap.failed, 1, `${tool}:\n${r.stdout}`)
      const line = r.stdout.split('\n').find((l) => l.startsWith('fatal: '))
      return (JSON.parse(line!.slice(line!.indexOf('{'))) as { msg: string }).msg
    }
    const [theirs, mine] = await Promise.all([msg('ansible', sides.theirs), msg('acplay', sides.mine)])
    assert.equal(theirs, 'Database query failed: invalid locale name: "xx_XX.UTF-8"\n')
    assert.equal(mine, theirs)
  })
})
