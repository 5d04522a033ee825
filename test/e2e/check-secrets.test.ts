/**
 * Issue 7: secrets never appear in any output format. One playbook (ansible_connection=local in a
 * temp dir) writes a password-bearing file with copy and template, runs a no_log task, a copy with
 * `secret: true` and a debug of a DSN built with urlencode_userinfo; it runs under every output:
 * plain, --json, --report x.json, --report x.xml and the TTY reporter (under a pseudo-terminal via
 * `script`), in check mode with diffs and for real. Every output is searched for each secret in its
 * plain, percent-encoded and base64 forms: none may be found.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { shellJoin } from '../../engine/connection/quote.js'
import { encodeUserInfo } from '../../engine/secrets.js'
import { auditSchemaErrors } from '../helpers/audit-schema.js'
import { acplay, BIN, capture, type CliResult } from '../helpers/cli.js'

/** Every character a DSN or a shell mangles, like the Astronomer test password. */
const DB_PASSWORD = 'Pa%ss/w@rd:?#$ x&<"k>'
/** protected by `secret: true` on copy only (the variable name says nothing) */
const SIGNING_MATERIAL = 'SigningMaterial-Only-77'
/** protected by no_log only */
const NO_LOG_VALUE = 'NoLogOnlyValue-42'

const forms = (s: string) => [s, encodeURIComponent(s), encodeUserInfo(s), Buffer.from(s).toString('base64')]
const SECRETS = [DB_PASSWORD, SIGNING_MATERIAL, NO_LOG_VALUE].flatMap(forms)

/** The secrets (in any form) found in `text`, for the assertion message. */
const leaks = (text: string) => SECRETS.filter((s) => text.includes(s))

let dir: string

const PLAYBOOK = (out: string) => `- name: secrets stay secret
  hosts: local
  vars:
    out: ${out}
    db_url: "postgresql://airflow:{{ db_password | urlencode_userinfo }}@db.example:5432/airflow"
  tasks:
    - name: a config file with the password (copy)
      copy:
        dest: "{{ out }}/app.conf"
        content: "user=airflow\\npassword={{ db_password }}\\n"
        mode: "0600"
    - name: an env file with the DSN (template)
      template:
        src: app.env.j2
        dest: "{{ out }}/app.env"
        mode: "0600"
    - name: a key marked secret on the module
      copy:
        dest: "{{ out }}/signing.key"
        content: "{{ signing_material }}"
        secret: true
    - name: a task that must not log
      debug:
        msg: "the value is {{ nolog_value }}"
      no_log: true
    - name: a no_log task that changes something
      copy:
        dest: "{{ out }}/nolog.txt"
        content: "{{ nolog_value }}\\n"
      no_log: true
    - name: the database URL, built with urlencode_userinfo
      debug:
        msg: "connecting to {{ db_url }} as airflow with {{ db_password }}"
`

function run(args: string[]): Promise<CliResult> {
  return acplay([...args, join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini'), '-e', `@${join(dir, 'vars.json')}`])
}

/** The TTY reporter, under a pseudo-terminal (`script` from util-linux). */
function runTty(args: string[]): Promise<CliResult> {
  const cmd = shellJoin([process.execPath, BIN, ...args, join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini'), '-e', `@${join(dir, 'vars.json')}`])
  // a pty of 0 columns makes listr2 wrap every character: a secret split over lines would pass the grep
  return capture(['script', '-qec', `stty cols 200 rows 50; ${cmd}`, '/dev/null'], { env: { TERM: 'xterm' } })
}

describe('no secret in any output format', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-secrets-'))
    writeFileSync(join(dir, 'hosts.ini'), '[local]\nlocalhost ansible_connection=local\n')
    writeFileSync(join(dir, 'vars.json'), JSON.stringify({ db_password: DB_PASSWORD, signing_material: SIGNING_MATERIAL, nolog_value: NO_LOG_VALUE }))
    writeFileSync(join(dir, 'app.env.j2'), 'DSN={{ db_url }}\nPASSWORD={{ db_password }}\nAPP_NAME=airflow\n')
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK(join(dir, 'out')))
    mkdirSync(join(dir, 'out'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  const outputs: { name: string; text: string }[] = []
  const check = (name: string, r: CliResult, files: string[] = []) => {
    const texts = [r.stdout, r.stderr, ...files.map((f) => readFileSync(f, 'utf8'))]
    outputs.push({ name, text: texts.join('\n') })
    assert.deepEqual(leaks(texts.join('\n')), [], `${name} leaks a secret`)
  }

  it('check mode with diffs (everything would be created): plain, --json, --report .json/.xml, TTY', async () => {
    const json = join(dir, 'check.json')
    const xml = join(dir, 'check.xml')
    const plain = await run(['check', '-v', '--report', json, '--report', xml])
    assert.equal(plain.code, 2, plain.stdout + plain.stderr)
    assert.match(plain.stdout, /\+password=\*{8}/, 'the diff is shown, masked')
    assert.match(plain.stdout, /connecting to postgresql:\/\/airflow:\*{8}@db\.example/)
    check('check: plain + reports', plain, [json, xml])
    assert.deepEqual(auditSchemaErrors(JSON.parse(readFileSync(json, 'utf8'))), [])
    check('check: --json', await run(['check', '--json']))
    const tty = await runTty(['check', '-v'])
    assert.match(tty.stdout, /DRIFT \(check mode\)/, `the TTY reporter ran:\n${tty.stdout}`)
    assert.match(tty.stdout, /connecting to postgresql:\/\/airflow:\*{8}@db\.example/, 'the TTY shows whole lines (the grep would see a secret)')
    check('check: TTY', tty)
  })

  it('a real run with --diff, then a check of the converged state: the same formats', async () => {
    const json = join(dir, 'run.json')
    const xml = join(dir, 'run.xml')
    const real = await run(['run', '--diff', '-v', '--report', json, '--report', xml])
    assert.equal(real.code, 0, real.stdout + real.stderr)
    assert.equal(readFileSync(join(dir, 'out', 'app.conf'), 'utf8'), `user=airflow\npassword=${DB_PASSWORD}\n`, 'the real file holds the real password')
    check('run: plain + reports', real, [json, xml])
    const again = await run(['check', '-vv', '--report', json, '--report', xml])
    assert.equal(again.code, 0, again.stdout)
    check('converged check: plain + reports', again, [json, xml])
    check('converged check: --json', await run(['check', '--json']))
    check('converged check: TTY', await runTty(['check', '-vv']))
  })

  // The Masker knows the current values only; the host's file holds the old password (mask-diff.ts).
  it('a rotated password: the old value in the file does not show in the diff', async () => {
    const vars = join(dir, 'vars.json')
    const old = JSON.parse(readFileSync(vars, 'utf8')) as Record<string, string>
    writeFileSync(join(dir, 'rotated.json'), JSON.stringify({ ...old, db_password: 'Rotated-New-Secret-9' }))
    const r = await acplay(['check', join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini'), '-e', `@${join(dir, 'rotated.json')}`])
    assert.equal(r.code, 2, r.stdout + r.stderr)
    assert.match(r.stdout, /-password=\*{8}\(old\)\n\s*\+password=\*{8}\n/, 'the diff still shows that the password changes')
    assert.deepEqual(leaks(r.stdout), [], 'the old password shows in the diff')
  })

  it('every format was searched', () => {
    assert.ok(outputs.length >= 7)
  })
})
