/** Vault password sources: files, scripts, client scripts, prompts, and Ansible's order and labels. */
import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, describe, it } from 'node:test'
import { vaultConfig } from '../../../engine/vault/config.js'
import { loadVaultSecrets, splitVaultId } from '../../../engine/vault/secrets.js'
import { Vault } from '../../../engine/vault/vault.js'

const dir = mkdtempSync(join(tmpdir(), 'acplay-vault-secrets-'))
const file = (name: string, text: string, mode = 0o600) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  chmodSync(p, mode)
  return p
}
const summary = (s: { id: string; password: Buffer; source: string }[]) => s.map((x) => `${x.id}=${x.password.toString()}`)

describe('vault password sources', () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('a file: surrounding whitespace and newlines are stripped; an empty one is an error', async () => {
    const f = file('pw', '  s3cret pass \r\n\n')
    assert.deepEqual(summary((await loadVaultSecrets({ passwordFiles: [f] })).secrets), ['default=s3cret pass'])
    await assert.rejects(loadVaultSecrets({ passwordFiles: [file('empty', '\n')] }), /Invalid vault password was provided from file \(.*empty\): it is empty/)
    await assert.rejects(loadVaultSecrets({ passwordFiles: [join(dir, 'missing')] }), /The vault password file .*missing was not found/)
  })

  it("an executable prints the password (only CR/LF stripped); a '*-client' script gets --vault-id LABEL", async () => {
    const script = file('pass.sh', '#!/bin/sh\nprintf " from script \\n"\n', 0o700)
    const client = file(
      'keyring-client.py',
      '#!/bin/sh\n[ "$1" = --vault-id ] || exit 3\ncase "$2" in dev) echo dev-pw;; default) echo default-pw;; *) echo "no $2" >&2; exit 2;; esac\n',
      0o700,
    )
    const r = await loadVaultSecrets({ vaultIds: [`script@${script}`, `dev@${client}`], passwordFiles: [client] })
    assert.deepEqual(summary(r.secrets), ['script= from script ', 'dev=dev-pw', 'default=default-pw'])
    await assert.rejects(
      loadVaultSecrets({ vaultIds: [`prod@${client}`] }),
      /Vault password client script .*keyring-client\.py did not find a secret for vault-id=prod: no prod/,
    )
    const failing = file('fail.sh', '#!/bin/sh\nexit 7\n', 0o700)
    await assert.rejects(loadVaultSecrets({ passwordFiles: [failing] }), /Vault password script .*fail\.sh returned non-zero \(7\)/)
  })

  it("Ansible's order: vault_identity_list, --vault-id, --vault-password-file, the configured file, then the prompt", async () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => file(`pw-${n}`, `pw-${n}\n`))
    const questions: string[] = []
    const r = await loadVaultSecrets({
      identityList: [`listed@${a}`],
      vaultIds: [`cli@${b}`, 'asked@prompt'],
      passwordFiles: [c!],
      configPasswordFile: d,
      askVaultPass: true,
      ask: async (q) => {
        questions.push(q)
        return `${q.length}-answer `
      },
    })
    assert.deepEqual(summary(r.secrets), ['listed=pw-a', 'cli=pw-b', 'asked=24-answer', 'default=pw-c', 'default=pw-d', 'default=16-answer'])
    assert.deepEqual(questions, ['Vault password (asked): ', 'Vault password: '])
  })

  it('a new password is asked twice and must match; an empty answer or end of input is an error', async () => {
    const answers = (xs: (string | undefined)[]) => async () => xs.shift()
    const ok = await loadVaultSecrets({ askVaultPass: true, newPassword: true, ask: answers(['n1', 'n1']) })
    assert.deepEqual(summary(ok.secrets), ['default=n1'])
    await assert.rejects(loadVaultSecrets({ askVaultPass: true, newPassword: true, ask: answers(['n1', 'n2']) }), /Passwords do not match/)
    await assert.rejects(loadVaultSecrets({ askVaultPass: true, ask: answers(['  ']) }), /Invalid vault password was provided \(empty\)/)
    await assert.rejects(loadVaultSecrets({ vaultIds: ['x@prompt'], ask: answers([undefined]) }), /end of input \(ctrl-d\) at the vault password prompt \(x\)/)
  })

  it('one failing source among working ones is a warning; a password file may itself be vaulted with an earlier secret', async () => {
    const first = file('first', 'first-pw\n')
    const vaulted = file('vaulted-pw', new Vault([{ id: 'default', password: Buffer.from('first-pw'), source: 't' }]).encrypt('inner-pw\n'))
    const r = await loadVaultSecrets({ vaultIds: [first, `inner@${vaulted}`, `gone@${join(dir, 'nope')}`] })
    assert.deepEqual(summary(r.secrets), ['default=first-pw', 'inner=inner-pw'])
    assert.equal(r.warnings.length, 1)
    assert.match(r.warnings[0]!, /^Error getting vault password file \(gone\): The vault password file .*nope was not found$/)
    await assert.rejects(loadVaultSecrets({ vaultIds: ['a;b@x'] }), /not a valid vault id: the character ';' is not allowed/)
  })

  it('splits label@source at the first @ only', () => {
    assert.deepEqual(splitVaultId('dev@/p/a@b'), ['dev', '/p/a@b'])
    assert.deepEqual(splitVaultId('/p/file'), [undefined, '/p/file'])
  })

  it('settings from the environment win over ansible.cfg; a cfg path is relative to the cfg file', () => {
    const cfgDir = mkdtempSync(join(dir, 'cfg-'))
    writeFileSync(
      join(cfgDir, 'ansible.cfg'),
      '[defaults]\nvault_password_file = secrets/pw\nvault_identity_list = dev@dev.pw, prod@prompt\nvault_id_match = True\n[other]\nvault_password_file = no\n',
    )
    const env = { ANSIBLE_CONFIG: join(cfgDir, 'ansible.cfg') }
    assert.deepEqual(vaultConfig(cfgDir, env), {
      identityList: ['dev@dev.pw', 'prod@prompt'],
      passwordFile: join(cfgDir, 'secrets/pw'),
      strictIdMatch: true,
      encryptVaultId: undefined,
      askVaultPass: false,
    })
    const over = vaultConfig(cfgDir, { ...env, ANSIBLE_VAULT_PASSWORD_FILE: 'env.pw', ANSIBLE_VAULT_IDENTITY_LIST: 'x@y', ANSIBLE_VAULT_ID_MATCH: 'false' })
    assert.deepEqual([over.passwordFile, over.identityList, over.strictIdMatch], [resolve('env.pw'), ['x@y'], false])
  })
})
