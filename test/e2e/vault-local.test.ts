/**
 * Vault end to end with ansible_connection=local: encrypted values in every place acplay reads
 * YAML (a YAML inventory, group_vars and host_vars, play vars, vars_files, -e @file, role
 * defaults and vars, include_vars) and encrypted copy/template sources. The values reach the file
 * a task writes, and no output (plain with --diff -v, --json) shows one. Password sources: files,
 * a client script, the environment, ansible.cfg, a prompt (piped and on a terminal). Errors name
 * the file (and line) and exit 1, without a stack trace.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { shellJoin } from '../../engine/connection/quote.js'
import { vaultYaml } from '../../engine/cli/vault-command.js'
import { Vault } from '../../engine/vault/vault.js'
import { spawn } from 'node:child_process'
import { acplay, BIN, type CliResult } from '../helpers/cli.js'

const PW = { default: 'default pw', dev: 'dev-pw' }
const vault = new Vault([
  { id: 'default', password: Buffer.from(PW.default), source: 't' },
  { id: 'dev', password: Buffer.from(PW.dev), source: 't' },
])
const enc = (text: string, id = 'default') => vault.encrypt(text, id)
/** Plain names on purpose: the values are masked because they were vaulted, not because of their names. */
const VALUES = {
  inv_value: 'Inv-Value-0001',
  gv_value: 'GroupVars-Value-0002',
  hv_value: 'HostVars-Value-0003',
  play_value: 'Play-Value-0004',
  file_value: 'VarsFile-Value-0005',
  extra_value: 'Extra-Value-0006',
  default_value: 'RoleDefault-Value-0007',
  role_value: 'RoleVars-Value-0008',
  incl_value: 'IncludeVars-Value-0009',
}
const COPIED = 'copied-from-a-vault-file-0010'
const TEMPLATED = 'template-literal-secret-0011'
const ALL = [...Object.values(VALUES), COPIED, TEMPLATED]

describe('vault: every place acplay reads YAML, masked in every output', () => {
  let dir: string
  const at = (rel: string) => join(dir, rel)
  const write = (rel: string, text: string, mode = 0o644) => {
    mkdirSync(dirname(at(rel)), { recursive: true })
    writeFileSync(at(rel), text, { mode })
    return at(rel)
  }
  const leaks = (text: string) => ALL.filter((v) => text.includes(v))
  const run = (args: string[], opts: { env?: Record<string, string>; input?: string } = {}) =>
    acplay([...args, at('site.yml'), '-i', at('inventory/hosts.yml'), '-e', `@${at('extra.yml')}`], { cwd: dir, ...opts })

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-vault-'))
    write('pw', `${PW.default}\n`)
    write('pw-dev', `${PW.dev}\n`)
    write(
      'inventory/hosts.yml',
      `local:\n  hosts:\n    localhost:\n      ansible_connection: local\n  vars:\n      ${vaultYaml(enc(VALUES.inv_value), 'inv_value').replace(/\n/g, '\n      ')}\n`,
    )
    write('inventory/group_vars/local.yml', `${vaultYaml(enc(VALUES.gv_value, 'dev'), 'gv_value')}\nplain_value: not a secret\n`)
    write('host_vars/localhost.yml', enc(`hv_value: ${VALUES.hv_value}\n`))
    write('vars/secret.yml', enc(`file_value: ${VALUES.file_value}\n`))
    write('extra.yml', enc(`extra_value: ${VALUES.extra_value}\n`, 'dev'))
    write('incl.yml', enc(`incl_value: ${VALUES.incl_value}\n`))
    write('roles/app/defaults/main.yml', `${vaultYaml(enc(VALUES.default_value), 'default_value')}\n`)
    write('roles/app/vars/main.yml', enc(`role_value: ${VALUES.role_value}\n`))
    write('roles/app/files/copied.txt', enc(`${COPIED}\n`))
    write('roles/app/templates/app.j2', enc(`literal=${TEMPLATED}\nplain={{ plain_value }}\n`))
    write(
      'roles/app/tasks/main.yml',
      `- copy: { src: copied.txt, dest: "{{ out }}/copied.txt" }
- template: { src: app.j2, dest: "{{ out }}/app.conf" }
`,
    )
    write(
      'site.yml',
      `- hosts: local
  gather_facts: false
  vars:
    out: ${at('out')}
    ${vaultYaml(enc(VALUES.play_value), 'play_value').replace(/\n/g, '\n    ')}
  vars_files: [vars/secret.yml]
  roles: [app]
  tasks:
    - include_vars: incl.yml
    - name: every vaulted value, in a file
      copy:
        dest: "{{ out }}/values.txt"
        content: |
${Object.keys(VALUES)
  .map((k) => `          ${k}={{ ${k} }}`)
  .join('\n')}
    - debug: { msg: "upper-cased is not masked (a derived value): {{ plain_value | upper }} / {{ play_value }}" }
`,
    )
    mkdirSync(at('out'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  const expectedValues = `${Object.entries(VALUES)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`

  it('check --diff and --json, then a real run: the files hold the values, no output shows one', async () => {
    const pws = ['--vault-password-file', at('pw'), '--vault-id', `dev@${at('pw-dev')}`]
    const check = await run(['check', '-v', ...pws])
    assert.equal(check.code, 2, check.stdout + check.stderr)
    assert.match(check.stdout, /inv_value=\*{8}\n/, `the diff shows the values masked:\n${check.stdout}`)
    assert.match(check.stdout, /\/ \*{8}"/, 'a debug message masks the value')
    assert.deepEqual(leaks(check.stdout + check.stderr), [])
    const json = await run(['check', '--json', ...pws])
    assert.equal(json.code, 2, json.stderr)
    assert.ok(JSON.parse(json.stdout), 'one JSON document')
    assert.deepEqual(leaks(json.stdout + json.stderr), [])
    const real = await run(['run', '--diff', '-v', ...pws])
    assert.equal(real.code, 0, real.stdout + real.stderr)
    assert.deepEqual(leaks(real.stdout + real.stderr), [])
    assert.equal(readFileSync(at('out/values.txt'), 'utf8'), expectedValues)
    assert.equal(readFileSync(at('out/copied.txt'), 'utf8'), `${COPIED}\n`, 'copy decrypts its src')
    assert.equal(readFileSync(at('out/app.conf'), 'utf8'), `literal=${TEMPLATED}\nplain=not a secret\n`, 'template decrypts its src')
    const again = await run(['check', ...pws])
    assert.equal(again.code, 0, again.stdout)
  })

  it('a wrong password: exit 1, the file and line named, no stack trace; none given: which option to pass', async () => {
    write('wrong', 'not it\n')
    const wrong = await run(['run', '--vault-password-file', at('wrong'), '--vault-id', `dev@${at('pw-dev')}`])
    assert.equal(wrong.code, 1, wrong.stdout + wrong.stderr)
    assert.match(
      wrong.stderr,
      new RegExp(
        `^ERROR! E_VAULT: ${at('inventory/hosts.yml')}:6:\\d+: Decryption failed \\(no vault secrets were found that could decrypt\\): it is for vault id 'default'; tried default \\(.*wrong\\), dev \\(.*pw-dev\\)\\n$`,
      ),
    )
    const none = await run(['check'])
    assert.equal(none.code, 1, none.stdout + none.stderr)
    assert.match(
      none.stderr,
      /E_VAULT: .*extra\.yml: this is encrypted with Ansible Vault but no vault password was given: pass --vault-password-file FILE, --vault-id \[LABEL@\]FILE or --ask-vault-pass/,
    )
    assert.doesNotMatch(wrong.stderr + none.stderr, /\n\s+at /)
  })

  it('ANSIBLE_VAULT_PASSWORD_FILE, a *-client script given --vault-id dev, and ansible.cfg', async () => {
    write('vault-client.sh', `#!/bin/sh\n[ "$1" = --vault-id ] && [ "$2" = dev ] && echo '${PW.dev}' && exit 0\nexit 2\n`, 0o755)
    const env = await run(['run', '--vault-id', `dev@${at('vault-client.sh')}`], { env: { ANSIBLE_VAULT_PASSWORD_FILE: at('pw') } })
    assert.equal(env.code, 0, env.stdout + env.stderr)
    write('ansible.cfg', `[defaults]\nvault_identity_list = dev@pw-dev\nvault_password_file = pw\n`)
    try {
      // the identity list is relative to the current directory (dir), the password file to ansible.cfg
      const cfg = await run(['run'])
      assert.equal(cfg.code, 0, cfg.stdout + cfg.stderr)
    } finally {
      rmSync(at('ansible.cfg'))
    }
  })

  it('--ask-vault-pass and dev@prompt read lines from a pipe, in order: --vault-id first', async () => {
    const r = await run(['run', '--ask-vault-pass', '--vault-id', 'dev@prompt'], { input: `${PW.dev}\n${PW.default}\n` })
    assert.equal(r.code, 0, r.stdout + r.stderr)
  })

  it('--ask-vault-pass on a terminal: the prompt, no echo of the password', async () => {
    const cmd = shellJoin([
      process.execPath,
      BIN,
      'run',
      at('site.yml'),
      '-i',
      at('inventory/hosts.yml'),
      '-e',
      `@${at('extra.yml')}`,
      '--ask-vault-pass',
      '--vault-id',
      `dev@${at('pw-dev')}`,
    ])
    // `script` gives the command a pseudo-terminal; the password is typed once the prompt is up
    const r = await typeAtPrompt(['script', '-qec', `stty cols 200 rows 50; ${cmd}`, '/dev/null'], 'Vault password: ', `${PW.default}\r`)
    assert.equal(r.code, 0, r.stdout)
    assert.match(r.stdout, /Vault password: /)
    assert.doesNotMatch(r.stdout, new RegExp(PW.default), 'the password is not echoed')
    assert.deepEqual(leaks(r.stdout), [])
  })
})

/** Runs `cmd`, writes `answer` to its stdin once `prompt` shows on its stdout. */
function typeAtPrompt(cmd: string[], prompt: string, answer: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { env: { ...process.env, TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let typed = false
    child.stdout.on('data', (d: Buffer) => {
      stdout += d
      if (!typed && stdout.includes(prompt)) {
        typed = true
        child.stdin.write(answer)
      }
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }))
  })
}
