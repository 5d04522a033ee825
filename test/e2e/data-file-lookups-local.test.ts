/**
 * The csvfile and ini lookups against Debian's ansible-playbook (local connection): every case
 * is one debug task (ignore_errors) in the same playbook, run by both tools; each task's value, or
 * its failure, must be the same. Files sit in files/ beside the playbook and in a role's files/.
 */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const FILES: Record<string, string | Buffer> = {
  'files/users.csv': 'name,uid,shell\nalice,1001,/bin/bash\n"bob smith",1002,"/bin/sh"\n"quote ""x""",1003,/bin/zsh\ncarol,,/bin/false\n',
  'files/users.tsv': 'alice\t1001\t/bin/bash\nbob\t1002\t/bin/sh\n',
  'files/latin1.csv': Buffer.from('caf\xe9;1;\xe0\n', 'latin1'),
  'files/settings.ini':
    '# comment\n; another\n[DEFAULT]\nbase = /opt\n\n[global]\nuser = admin\nUser2 = Mixed\npath = %(base)s/app\npct = 100%%\n' +
    'multi = line one\n  line two\nempty =\ncolon: value with colon\n\n[db]\nhost = db.example.com\nport = 5432\nport_alt = 5433\n',
  'files/app.properties': 'server.port=8080\nserver.host = example.org\n',
  'files/noval.ini': '[mysqld]\nskip-external-locking\nuser = mysql\n',
  'files/dup.ini': '[s]\na = 1\nA = 2\n',
  'roles/r/files/role.csv': 'k,from-role\n',
  'roles/r/files/role.ini': '[s]\nk = from-role\n',
  'roles/r/tasks/main.yml':
    "- name: role csv\n  debug: { msg: \"{{ lookup('csvfile', 'k file=role.csv delimiter=,') }}\" }\n" +
    "- name: role ini\n  debug: { msg: \"{{ lookup('ini', 'k section=s file=role.ini') }}\" }\n",
}

const CASES = [
  "lookup('csvfile', 'alice file=users.csv delimiter=,')",
  "lookup('csvfile', 'alice file=users.csv delimiter=, col=2')",
  "lookup('csvfile', 'bob smith file=users.csv delimiter=,')",
  "lookup('csvfile', 'nobody file=users.csv delimiter=, default=none')",
  "lookup('csvfile', 'nobody file=users.csv delimiter=,')",
  "lookup('csvfile', 'carol file=users.csv delimiter=, col=1')",
  "lookup('csvfile', 'alice file=users.tsv')",
  "lookup('csvfile', 'bob file=users.tsv delimiter=TAB col=2')",
  "lookup('csvfile', 'bob file=users.tsv delimiter=\\\\t col=2')",
  // Ansible keeps a backslash in a template's string literal as written: '\t' is no tab here either
  "lookup('csvfile', 'bob', file='users.tsv', delimiter='\\t', col=2)",
  "lookup('csvfile', 'café file=latin1.csv delimiter=; encoding=latin-1 col=2')",
  "lookup('csvfile', 'alice', file='users.csv', delimiter=',', col=2)",
  "query('csvfile', 'alice file=users.csv delimiter=,', 'bob smith file=users.csv delimiter=,')",
  "lookup('csvfile', 'alice file=users.csv delimiter=,', 'bob smith')",
  "lookup('csvfile', 'quote \"x\" file=users.csv delimiter=,')",
  "lookup('csvfile', 'alice file=users.csv delimiter=, col=-1')",
  "lookup('csvfile', 'alice file=users.csv delimiter=, col=9')",
  "lookup('csvfile', 'alice file=missing.csv delimiter=,')",
  "lookup('ini', 'user section=global file=settings.ini')",
  "lookup('ini', 'user file=settings.ini')",
  "lookup('ini', 'USER file=settings.ini')",
  "lookup('ini', 'user2 file=settings.ini')",
  "lookup('ini', 'User2', file='settings.ini', case_sensitive=True)",
  "lookup('ini', 'user2', file='settings.ini', case_sensitive=True)",
  "lookup('ini', 'path file=settings.ini')",
  "lookup('ini', 'pct file=settings.ini')",
  "lookup('ini', 'multi file=settings.ini')",
  "lookup('ini', 'empty file=settings.ini')",
  "lookup('ini', 'colon file=settings.ini')",
  "lookup('ini', 'host section=db file=settings.ini')",
  "lookup('ini', 'port.* section=db file=settings.ini re=true')",
  "lookup('ini', 'port section=db file=settings.ini re=false')",
  "lookup('ini', 'port', section='db', file='settings.ini', re=False)",
  "lookup('ini', 'missing section=db file=settings.ini default=none')",
  "lookup('ini', 'missing section=db file=settings.ini')",
  "lookup('ini', 'server.port type=properties file=app.properties')",
  "lookup('ini', 'server.host', type='properties', file='app.properties')",
  "lookup('ini', 'user', section='mysqld', file='noval.ini', allow_no_value=True)",
  "lookup('ini', 'skip-external-locking', section='mysqld', file='noval.ini', allow_no_value=True)",
  "lookup('ini', 'base section=db file=settings.ini')",
  "query('ini', 'user', 'host section=db', file='settings.ini')",
  "lookup('ini', '.* section=DEFAULT file=settings.ini re=1')",
  "lookup('ini', 'x section=nope file=settings.ini')",
  "lookup('ini', 'a section=s file=dup.ini')",
  "lookup('ini', 'user file=missing.ini')",
  "lookup('ini', 'section=db file=settings.ini')",
]

describe('csvfile and ini lookups as ansible-playbook reads them (local)', () => {
  let dir: string
  before(() => {
    const tasks = CASES.map((expr, i) => ({ name: `case ${i}`, debug: { msg: `{{ ${expr} }}` }, ignore_errors: true }))
    // JSON is YAML: no quoting of the expressions to get wrong
    dir = localPlaybookDir('data-lookups', {
      ...FILES,
      'site.yml': JSON.stringify([{ hosts: 'localhost', gather_facts: false, roles: ['r'], tasks }], null, 1),
    })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the same value, or a failure, in both tools', async () => {
    const { ours, doc, ansible } = await runBoth(dir, ['site.yml', '-i', 'hosts.ini'])
    const theirsBy = new Map(ansible.plays[0]!.tasks.map((t) => [t.task.name, t.hosts.localhost!]))
    const names = ['r : role csv', 'r : role ini', ...CASES.map((_, i) => `case ${i}`)]
    const oursBy = new Map(doc.results.map((r) => [r.task.role ? `${r.task.role} : ${r.task.name}` : r.task.name, r]))
    let failures = 0
    for (const [i, name] of names.entries()) {
      const a = theirsBy.get(name)
      const o = oursBy.get(name)
      assert.ok(a && o, `${name}: missing (${ours.stderr})`)
      const what = i < 2 ? name : CASES[i - 2]
      assert.equal(o.status === 'failed', a.failed === true, `${what}: acplay ${o.status} ${o.msg ?? ''}, ansible ${JSON.stringify(a)}`)
      if (a.failed) {
        failures++
        // acplay says where: the playbook's file:line
        assert.match(String(o.msg), /site\.yml:\d+:\d+: lookup plugin '(csvfile|ini)' failed: /, what)
      } else assert.deepEqual(o.output, a.msg, what)
    }
    assert.equal(failures, 8, 'the error cases fail in both')
    assert.equal(theirsBy.get('r : role csv')!.msg, 'from-role')
  })
})
