/**
 * acplay vault against Debian's ansible-vault (installed by scripts/setup-test-deps.sh), both
 * ways: what `acplay vault` writes, ansible-vault (and ansible's `-e @file`) reads, and the reverse,
 * for 1.1 files, 1.2 files with vault ids, encrypt_string and rekey. Plus the sub-command's errors.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { acplay, capture } from '../helpers/cli.js'

const PLAIN = 'db_password: "Pa%ss/w@rd:?#$ x&<\\"k>"\nunicode: äö✓\n'

describe('acplay vault and ansible-vault read each other', () => {
  let dir: string
  const at = (name: string) => join(dir, name)
  const ansibleVault = (args: string[], input?: string) => capture(['ansible-vault', ...args], { cwd: dir, input })
  const vault = (args: string[], input?: string) => acplay(['vault', ...args], { cwd: dir, input })

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-vault-diff-'))
    writeFileSync(at('pw'), 'first password\n')
    writeFileSync(at('pw-dev'), 'dev password\n')
    writeFileSync(at('pw-new'), 'new password\n')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('acplay encrypts a file in place (1.1, mode 0600), ansible-vault views and decrypts it', async () => {
    writeFileSync(at('a.yml'), PLAIN)
    const enc = await vault(['encrypt', '--vault-password-file', 'pw', 'a.yml'])
    assert.equal(enc.code, 0, enc.stderr)
    const text = readFileSync(at('a.yml'), 'utf8')
    assert.match(text, /^\$ANSIBLE_VAULT;1\.1;AES256\n([0-9a-f]{80}\n)+[0-9a-f]{1,80}\n$/)
    assert.equal(statSync(at('a.yml')).mode & 0o777, 0o644, 'an existing file keeps its mode')
    const view = await ansibleVault(['view', '--vault-password-file', 'pw', 'a.yml'])
    assert.equal(view.code, 0, view.stderr)
    assert.equal(view.stdout, PLAIN)
    const out = await vault(['encrypt', '--vault-id', 'dev@pw-dev', '--output', 'b.yml', '-'], PLAIN)
    assert.equal(out.code, 0, out.stderr)
    assert.equal(statSync(at('b.yml')).mode & 0o777, 0o600, 'a new file is 0600')
    assert.match(readFileSync(at('b.yml'), 'utf8'), /^\$ANSIBLE_VAULT;1\.2;AES256;dev\n/)
    const dec = await ansibleVault(['decrypt', '--vault-id', 'dev@pw-dev', '--output', '-', 'b.yml'])
    assert.equal(dec.code, 0, dec.stderr)
    assert.equal(dec.stdout, PLAIN)
  })

  it('ansible-vault encrypts (1.1 and 1.2 with an id), acplay views, decrypts and runs with it', async () => {
    writeFileSync(at('c.yml'), PLAIN)
    assert.equal((await ansibleVault(['encrypt', '--vault-id', 'dev@pw-dev', 'c.yml'])).code, 0)
    const view = await vault(['view', '--vault-password-file', 'pw', '--vault-id', 'dev@pw-dev', 'c.yml'])
    assert.equal(view.code, 0, view.stderr)
    assert.equal(view.stdout, PLAIN)
    const dec = await vault(['decrypt', '--vault-id', 'dev@pw-dev', 'c.yml'])
    assert.equal(dec.code, 0, dec.stderr)
    assert.equal(readFileSync(at('c.yml'), 'utf8'), PLAIN)
    const str = await ansibleVault(['encrypt_string', '--vault-password-file', 'pw', '--name', 'greeting', 'hello from ansible'])
    assert.equal(str.code, 0, str.stderr)
    writeFileSync(at('vars.yml'), `${str.stdout}\n`)
    writeFileSync(at('hosts'), 'localhost ansible_connection=local\n')
    writeFileSync(at('site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - assert: { that: "greeting == \'hello from ansible\'" }\n')
    const run = await acplay(['run', 'site.yml', '-i', 'hosts', '-e', '@vars.yml', '--vault-password-file', 'pw'], { cwd: dir })
    assert.equal(run.code, 0, run.stdout + run.stderr)
  })

  it("encrypt_string: ansible's layout, and ansible reads the value with -e @file", async () => {
    const r = await vault(['encrypt_string', '--vault-id', 'dev@pw-dev', '--name', 'token', 'tok 123'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^token: !vault \|\n {10}\$ANSIBLE_VAULT;1\.2;AES256;dev\n( {10}[0-9a-f]{1,80}\n)+$/)
    const stdin = await vault(['encrypt_string', '--vault-password-file', 'pw', '--stdin-name', 'from_stdin'], 'piped value')
    assert.equal(stdin.code, 0, stdin.stderr)
    writeFileSync(at('strings.yml'), r.stdout + stdin.stdout)
    const read = await capture(
      [
        'ansible',
        'localhost',
        '-c',
        'local',
        '-m',
        'debug',
        '-a',
        'msg={{ token }}|{{ from_stdin }}',
        '-e',
        '@strings.yml',
        '--vault-id',
        'dev@pw-dev',
        '--vault-password-file',
        'pw',
      ],
      { cwd: dir, env: { ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_NOCOLOR: '1' } },
    )
    assert.equal(read.code, 0, read.stdout + read.stderr)
    assert.match(read.stdout, /"msg": "tok 123\|piped value"/)
  })

  it('rekey: ansible-vault opens the file with the new password only', async () => {
    writeFileSync(at('r.yml'), PLAIN)
    assert.equal((await vault(['encrypt', '--vault-password-file', 'pw', 'r.yml'])).code, 0)
    const rekey = await vault(['rekey', '--vault-password-file', 'pw', '--new-vault-id', 'next@pw-new', 'r.yml'])
    assert.equal(rekey.code, 0, rekey.stderr)
    assert.match(readFileSync(at('r.yml'), 'utf8'), /^\$ANSIBLE_VAULT;1\.2;AES256;next\n/)
    assert.equal((await ansibleVault(['view', '--vault-password-file', 'pw', 'r.yml'])).code, 1)
    assert.equal((await ansibleVault(['view', '--vault-id', 'next@pw-new', 'r.yml'])).stdout, PLAIN)
  })

  it('errors as ansible-vault (exit 1, the file named): wrong password, not encrypted, already encrypted', async () => {
    writeFileSync(at('plain.txt'), 'plain\n')
    const wrong = await vault(['view', '--vault-password-file', 'pw-new', 'a.yml'])
    assert.deepEqual([wrong.code, wrong.stdout], [1, ''])
    assert.match(
      wrong.stderr,
      /^ERROR! E_VAULT: a\.yml: Decryption failed \(no vault secrets were found that could decrypt\): it is for vault id 'default'; tried default \(pw-new\)\n$/,
    )
    const ansibleWrong = await ansibleVault(['view', '--vault-password-file', 'pw-new', 'a.yml'])
    assert.equal(ansibleWrong.code, wrong.code, "ansible-vault's exit code")
    const notVault = await vault(['decrypt', '--vault-password-file', 'pw', 'plain.txt'])
    assert.deepEqual([notVault.code, notVault.stderr], [1, 'ERROR! E_VAULT: plain.txt: input is not vault encrypted data\n'])
    const twice = await vault(['encrypt', '--vault-password-file', 'pw', 'a.yml'])
    assert.deepEqual([twice.code, twice.stderr], [1, 'ERROR! E_VAULT: a.yml: input is already encrypted\n'])
    const none = await vault(['encrypt', 'plain.txt'])
    assert.equal(none.code, 1)
    assert.match(none.stderr, /a vault password is needed: pass --vault-password-file FILE/)
    const two = await vault(['encrypt', '--vault-password-file', 'pw', '--vault-id', 'dev@pw-dev', 'plain.txt'])
    assert.match(two.stderr, /the vault ids dev, default are available to encrypt; choose one with --encrypt-vault-id/)
    assert.equal(readFileSync(at('plain.txt'), 'utf8'), 'plain\n', 'nothing written on an error')
  })
})
