/**
 * `acplay check` end to end with ansible_connection=local: detailed exit codes (0 in sync, 2 drift,
 * 1 error, 4 unreachable), the drift table in plain output, --report on `run`, and that
 * `run --check` keeps ansible-playbook's exit codes.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { AuditReport } from '../../engine/report/audit-json.js'
import { auditSchemaErrors } from '../helpers/audit-schema.js'
import { acplay } from '../helpers/cli.js'

let dir: string
const inv = () => join(dir, 'hosts.ini')
const site = () => join(dir, 'site.yml')

describe('acplay check: exit codes and the drift table', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-check-'))
    writeFileSync(inv(), '[local]\nlocalhost ansible_connection=local\n\n[down]\nunreach ansible_host=127.0.0.1 ansible_port=1 ansible_user=nobody\n')
    const task = (n: number) => `    - name: file ${n}\n      copy:\n        dest: ${dir}/f${n}.txt\n        content: "${n}\\n"\n`
    writeFileSync(site(), `- name: files\n  hosts: local\n  tasks:\n${[1, 2, 3, 4, 5].map(task).join('')}`)
    writeFileSync(join(dir, 'fails.yml'), '- hosts: local\n  tasks:\n    - fail: { msg: broken on purpose }\n')
    writeFileSync(join(dir, 'down.yml'), '- hosts: down\n  tasks:\n    - ping:\n')
    writeFileSync(join(dir, 'bad.yml'), '- hosts: local\n  tasks:\n    - no_such_module: {}\n')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('2 when tasks would change, with a drift table after the recap; nothing is touched', async () => {
    const r = await acplay(['check', site(), '-i', inv()])
    assert.equal(r.code, 2, r.stdout + r.stderr)
    assert.ok(!existsSync(join(dir, 'f1.txt')))
    const table = r.stdout.slice(r.stdout.indexOf('DRIFT (check mode)'))
    assert.ok(r.stdout.indexOf('PLAY RECAP') < r.stdout.indexOf('DRIFT (check mode)'))
    assert.match(table, /\nlocalhost +5 +drift +file 1, file 2, file 3, \+2 more\n/)
    assert.match(table, /drift: 5 task\(s\) would change on 1 of 1 audited host\(s\)/)
    assert.match(r.stdout, /\+1\n/, 'check implies --diff')
  })

  it('run --check keeps Ansible exit codes (0 with drift) and also prints the table', async () => {
    const r = await acplay(['run', '--check', site(), '-i', inv()])
    assert.equal(r.code, 0)
    assert.match(r.stdout, /DRIFT \(check mode\)/)
  })

  it('run --report writes the audit; then check exits 0 in sync', async () => {
    const report = join(dir, 'run.json')
    const r = await acplay(['run', site(), '-i', inv(), '--report', report])
    assert.equal(r.code, 0, r.stdout + r.stderr)
    assert.ok(!r.stdout.includes('DRIFT'), 'no drift table in a real run')
    const doc = JSON.parse(readFileSync(report, 'utf8')) as AuditReport
    assert.deepEqual(auditSchemaErrors(doc), [])
    assert.equal(doc.check, false)
    assert.equal(doc.hosts[0]!.tasks.filter((t) => t.status === 'changed').length, 5)
    const again = await acplay(['check', site(), '-i', inv(), '--report', join(dir, 'check.json')])
    assert.equal(again.code, 0, again.stdout)
    assert.match(again.stdout, /no drift on 1 audited host\(s\)/)
    const audit = JSON.parse(readFileSync(join(dir, 'check.json'), 'utf8')) as AuditReport
    assert.ok(
      audit.hosts[0]!.tasks.every((t) => t.status === 'ok' && t.reason),
      'every ok carries its reason',
    )
  })

  it('1 when a task fails, or when the playbook does not load (run keeps 2 and 4)', async () => {
    assert.equal((await acplay(['check', join(dir, 'fails.yml'), '-i', inv()])).code, 1)
    assert.equal((await acplay(['run', '--check', join(dir, 'fails.yml'), '-i', inv()])).code, 2)
    const bad = await acplay(['check', join(dir, 'bad.yml'), '-i', inv()])
    assert.equal(bad.code, 1, bad.stderr)
    assert.match(bad.stderr, /^ERROR! E_/)
    assert.equal((await acplay(['run', join(dir, 'bad.yml'), '-i', inv()])).code, 4)
  })

  it('4 when a host is unreachable, and the table says it was not audited', async () => {
    const r = await acplay(['check', join(dir, 'down.yml'), '-i', inv()])
    assert.equal(r.code, 4)
    assert.match(r.stdout, /unreach +0 +UNREACHABLE/)
    assert.match(r.stdout, /no drift on 0 audited host\(s\); 1 unreachable \(not audited\)/)
  })

  it('5 for a report file that is neither .json nor .xml, before any host is touched', async () => {
    const r = await acplay(['check', site(), '-i', inv(), '--report', join(dir, 'audit.txt')])
    assert.equal(r.code, 5)
    assert.match(r.stderr, /must end in \.json \(audit\) or \.xml \(JUnit\)/)
  })
})
