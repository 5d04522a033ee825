/** The CLI end to end with ansible_connection=local in a temp directory: changed, then ok, check mode, exit codes. */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, expectedRecap, recapLine } from '../helpers/cli.js'

let dir: string
const inv = () => join(dir, 'hosts.ini')

function playbook(name: string, body: string): string {
  const p = join(dir, name)
  writeFileSync(p, body)
  return p
}

describe('acplay run with ansible_connection=local', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-cli-'))
    writeFileSync(inv(), `[local]\nlocalhost ansible_connection=local greeting="hello world"\n`)
    playbook(
      'site.yml',
      `- name: local files
  hosts: local
  vars:
    out: ${dir}/out
  tasks:
    - name: a directory
      file:
        path: "{{ out }}"
        state: directory
        mode: "0750"
    - name: a file with a templated line
      copy:
        dest: "{{ out }}/greeting.txt"
        content: "{{ greeting }} from {{ inventory_hostname }}\\n"
        mode: "0640"
      notify: note
    - name: say something
      debug:
        msg: "greeting is {{ greeting }}"
    - name: never on this host
      debug: msg=skipped
      when: inventory_hostname == 'elsewhere'
  handlers:
    - name: note
      command: "true"
`,
    )
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('check mode on a fresh host reports the changes and touches nothing', async () => {
    const r = await acplay(['run', join(dir, 'site.yml'), '-i', inv(), '--check'])
    assert.equal(r.code, 0, r.stderr + r.stdout)
    assert.equal(existsSync(join(dir, 'out')), false, 'check mode must not create anything')
    // the handler (command) does not run in check mode; unlike Ansible (skipped), acplay predicts it
    // changed, as the real run reports it (issue 17), with its result unknown
    assert.equal(recapLine(r.stdout, 'localhost'), expectedRecap('localhost', { ok: 5, changed: 3, skipped: 1 }))
  })

  it('a first run changes, a second run is changed=0', async () => {
    const first = await acplay(['run', join(dir, 'site.yml'), '-i', inv()])
    assert.equal(first.code, 0, first.stderr + first.stdout)
    assert.equal(recapLine(first.stdout, 'localhost'), expectedRecap('localhost', { ok: 5, changed: 3, skipped: 1 }))
    assert.match(first.stdout, /RUNNING HANDLER \[note\]/)
    assert.equal(readFileSync(join(dir, 'out', 'greeting.txt'), 'utf8'), 'hello world from localhost\n')
    assert.equal((statSync(join(dir, 'out', 'greeting.txt')).mode & 0o777).toString(8), '640')
    const second = await acplay(['run', join(dir, 'site.yml'), '-i', inv()])
    assert.equal(second.code, 0)
    assert.equal(recapLine(second.stdout, 'localhost'), expectedRecap('localhost', { ok: 4, skipped: 1 }))
  })

  it('check mode on the converged host reports changed=0', async () => {
    const r = await acplay(['run', join(dir, 'site.yml'), '-i', inv(), '--check'])
    assert.equal(r.code, 0)
    assert.equal(recapLine(r.stdout, 'localhost'), expectedRecap('localhost', { ok: 4, skipped: 1 }))
  })

  it('--json prints one document with the recap and per-task results', async () => {
    const r = await acplay(['run', join(dir, 'site.yml'), '-i', inv(), '--json'])
    const doc = JSON.parse(r.stdout) as {
      recap: { host: string; ok: number; changed: number }[]
      results: { status: string; reason?: string }[]
      exitCode: number
    }
    assert.equal(doc.exitCode, 0)
    assert.deepEqual(
      doc.recap.map((x) => [x.host, x.ok, x.changed]),
      [['localhost', 4, 0]],
    )
    assert.ok(doc.results.filter((x) => x.status === 'ok').every((x) => x.reason || true))
  })

  it('a failed task exits 2, ignore_errors does not; a failed command shows rc, cmd and stderr', async () => {
    const failing = playbook(
      'fail.yml',
      `- hosts: local\n  tasks:\n    - fail: msg=boom\n      ignore_errors: true\n    - command: ls ${dir}/nonexistent-dir\n      ignore_errors: true\n    - fail: msg="boom again"\n    - debug: msg=never\n`,
    )
    const r = await acplay(['run', failing, '-i', inv()])
    assert.equal(r.code, 2)
    assert.match(r.stdout, /fatal: \[localhost\]: FAILED! => \{"msg": "boom again", "changed": false\}\n/)
    assert.match(r.stdout, /\.\.\.ignoring/)
    assert.match(
      r.stdout,
      new RegExp(
        `fatal: \\[localhost\\]: FAILED! => \\{"msg": "non-zero return code", "rc": 2, "cmd": \\["ls", "${dir}/nonexistent-dir"\\], "changed": true, "delta": "[^"]+", "end": "[^"]+", "start": "[^"]+"\\}\n  stderr:\n    ls: cannot access '${dir}/nonexistent-dir': No such file or directory\n\\.\\.\\.ignoring\n`,
      ),
    )
    assert.equal(recapLine(r.stdout, 'localhost'), expectedRecap('localhost', { ok: 3, changed: 1, failed: 1, ignored: 2 }))
  })

  it('an unreachable host exits 4', async () => {
    writeFileSync(join(dir, 'down.ini'), `gone ansible_host=127.0.0.1 ansible_port=1 ansible_user=nobody\n`)
    const p = playbook('ping.yml', `- hosts: all\n  tasks:\n    - ping:\n`)
    const r = await acplay(['run', p, '-i', join(dir, 'down.ini')], { env: { ANSIBLE_HOST_KEY_CHECKING: 'False' } })
    assert.equal(r.code, 4, r.stdout + r.stderr)
    assert.equal(recapLine(r.stdout, 'gone'), expectedRecap('gone', { unreachable: 1 }))
  })

  it('bad input: YAML error with file:line:col, unknown module with suggestions, bad option exits 5', async () => {
    const bad = playbook('bad.yml', `- hosts: local\n  tasks:\n    - name: x\n      copy: {dest: /tmp/x\n`)
    const r1 = await acplay(['run', bad, '-i', inv()])
    assert.equal(r1.code, 4)
    assert.match(r1.stderr, new RegExp(`E_YAML: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `))
    const typo = playbook('typo.yml', `- hosts: local\n  tasks:\n    - name: x\n      coppy: {dest: /tmp/x, content: y}\n`)
    const r2 = await acplay(['run', typo, '-i', inv()])
    assert.notEqual(r2.code, 0)
    assert.match(r2.stderr, /typo\.yml:4:7: .*unknown module 'coppy'.*copy/)
    const r3 = await acplay(['run', typo, '-i', inv(), '--forks', 'many'])
    assert.equal(r3.code, 5)
  })

  it('--list-hosts, --list-tasks and --syntax-check run nothing', async () => {
    const hosts = await acplay(['run', join(dir, 'site.yml'), '-i', inv(), '--list-hosts'])
    assert.match(hosts.stdout, /hosts \(1\):\n\s+localhost/)
    const tasks = await acplay(['run', join(dir, 'site.yml'), '-i', inv(), '--list-tasks'])
    assert.match(tasks.stdout, /a file with a templated line/)
    const syntax = await acplay(['run', join(dir, 'site.yml'), '-i', inv(), '--syntax-check'])
    assert.equal(syntax.code, 0)
  })
})
