/**
 * The vault format against ansible-vault's own output: the fixtures in test/fixtures/vault were
 * written by Debian's ansible-vault (ansible-core 2.14) with the password files beside them.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { decryptAes256, encryptAes256 } from '../../../engine/vault/aes256.js'
import { formatEnvelope, isVaulted, parseEnvelope } from '../../../engine/vault/envelope.js'
import { Vault, type VaultSecret } from '../../../engine/vault/vault.js'
import { ROOT } from '../../helpers/cli.js'

const FIXTURES = join(ROOT, 'test/fixtures/vault')
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8')
const password = (name: string) => Buffer.from(fixture(`password-${name}`).trim())
const secret = (id: string, pw: string | Buffer, source = `${id}-file`): VaultSecret => ({ id, password: Buffer.from(pw), source })
const DEFAULT = secret('default', password('default'))
const DEV = secret('dev', password('dev'))

/** A `!vault |` value of values.yml as vault text. */
function vaultValue(name: string): string {
  const m = new RegExp(`^${name}: !vault \\|\\n((?: {10}.*\\n)+)`, 'm').exec(fixture('values.yml'))
  assert.ok(m, `values.yml has ${name}`)
  return m[1]!.replace(/^ {10}/gm, '')
}

describe('vault format', () => {
  it("decrypts ansible-vault's 1.1 file, a 1.2 file with a vault id, and a plaintext of exactly one AES block", () => {
    const vault = new Vault([DEFAULT, DEV])
    const where = { file: 'x' }
    assert.equal(vault.decrypt(fixture('vars-1.1.yml'), where).toString(), 'db_password: "Pa%ss/w@rd:?#$ x&<\\"k>"\napi_token: tok-12345-abcde\nport: 5432\n')
    assert.equal(vault.decrypt(fixture('vars-1.2-dev.yml'), where).toString(), 'dev_only: dev value äö✓\n')
    assert.equal(vault.decrypt(fixture('block16.txt'), where).toString(), '0123456789abcdef')
    assert.equal(vault.decrypt(vaultValue('plain_default'), where).toString(), 'default-labelled value')
    assert.equal(vault.decrypt(vaultValue('dev_value'), where).toString(), 'dev-labelled value')
  })

  it('parses and writes envelopes as Ansible does: 1.1 without a label, 1.2;AES256;label with one, 80 columns', () => {
    assert.deepEqual({ ...parseEnvelope(fixture('vars-1.2-dev.yml')), payload: '' }, { version: '1.2', cipher: 'AES256', vaultId: 'dev', payload: '' })
    assert.equal(parseEnvelope(fixture('vars-1.1.yml')).vaultId, undefined)
    const payload = 'ab'.repeat(100)
    assert.equal(formatEnvelope(payload), `$ANSIBLE_VAULT;1.1;AES256\n${'ab'.repeat(40)}\n${'ab'.repeat(40)}\n${'ab'.repeat(20)}\n`)
    assert.equal(formatEnvelope(payload, 'default').split('\n')[0], '$ANSIBLE_VAULT;1.1;AES256')
    assert.equal(formatEnvelope(payload, 'prod').split('\n')[0], '$ANSIBLE_VAULT;1.2;AES256;prod')
    // a file re-formatted from ansible-vault's payload is byte for byte the file it wrote
    const original = fixture('vars-1.1.yml')
    assert.equal(formatEnvelope(parseEnvelope(original).payload), original)
    assert.equal(isVaulted(original), true)
    assert.equal(isVaulted(` ${original}`), false)
    assert.equal(isVaulted(Buffer.from(original)), true)
  })

  it('round-trips bytes of every length around the block size, and binary data', () => {
    const pw = Buffer.from('pw')
    for (let n = 0; n <= 33; n++) {
      const data = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37) % 256))
      assert.deepEqual(decryptAes256(encryptAes256(data, pw), pw), data, `length ${n}`)
    }
    assert.equal(decryptAes256(encryptAes256(Buffer.from('x'), pw), Buffer.from('other')), undefined, 'a wrong password fails the HMAC')
  })

  it('the same salt and password give the same payload; the salt is random otherwise', () => {
    const salt = Buffer.alloc(32, 7)
    const a = encryptAes256(Buffer.from('hello'), Buffer.from('pw'), salt)
    assert.equal(a, encryptAes256(Buffer.from('hello'), Buffer.from('pw'), salt))
    assert.notEqual(encryptAes256(Buffer.from('hello'), Buffer.from('pw')), encryptAes256(Buffer.from('hello'), Buffer.from('pw')))
    assert.ok(
      Buffer.from(a, 'hex')
        .toString('latin1')
        .startsWith(`${salt.toString('hex')}\n`),
      'hex(hex(salt) \\n hex(hmac) \\n hex(ciphertext))',
    )
  })

  it('a tampered ciphertext fails authentication; a mangled payload is a format error naming the file', () => {
    const vault = new Vault([DEFAULT])
    const text = vault.encrypt('top secret')
    // flip one hex digit of the inner ciphertext (flipping the outer hex could make it non-hex)
    const [header, ...body] = text.trim().split('\n')
    const inner = Buffer.from(body.join(''), 'hex').toString('latin1')
    const tampered = inner.slice(0, -1) + (inner.endsWith('0') ? '1' : '0')
    const mangled = `${header}\n${Buffer.from(tampered, 'latin1').toString('hex')}\n`
    assert.throws(
      () => vault.decrypt(mangled, { file: 'f.yml', line: 3 }),
      (e: Error & { describe(): string }) => {
        assert.match(e.describe(), /^E_VAULT: f\.yml:3: Decryption failed \(no vault secrets were found that could decrypt\)/)
        return true
      },
    )
    assert.throws(() => vault.decrypt('$ANSIBLE_VAULT;1.1;AES256\nzz\n', { file: 'g.yml' }), /not valid vault data: the vault payload is not hexadecimal/)
    assert.throws(() => vault.decrypt('$ANSIBLE_VAULT;1.1;AES128\n00\n', { file: 'g.yml' }), /vault cipher 'AES128' is not supported/)
    assert.throws(() => vault.encrypt(text), /input is already encrypted/)
  })
})

describe('vault ids', () => {
  const wrong = (id: string) => secret(id, 'nope')

  it('a 1.2 value tries the secrets labelled with its id first, then the others in the order given', () => {
    const err = (v: Vault) => {
      try {
        v.decrypt(vaultValue('dev_value'), { file: 'values.yml', line: 8 })
      } catch (e) {
        return (e as Error).message
      }
      return 'decrypted'
    }
    assert.match(err(new Vault([wrong('a'), wrong('dev'), wrong('b')])), /it is for vault id 'dev'; tried dev \(dev-file\), a \(a-file\), b \(b-file\)$/)
    assert.equal(err(new Vault([wrong('a'), DEV])), 'decrypted')
  })

  it('falls back to a secret with another label (the password is what counts), unless vault_id_match is on', () => {
    const devPasswordAsDefault = secret('default', password('dev'))
    assert.equal(new Vault([devPasswordAsDefault]).decrypt(vaultValue('dev_value'), {}).toString(), 'dev-labelled value')
    assert.throws(
      () => new Vault([devPasswordAsDefault], { strictIdMatch: true }).decrypt(vaultValue('dev_value'), { file: 'v.yml' }),
      /tried none \(vault_id_match is on\)/,
    )
    assert.equal(new Vault([DEV], { strictIdMatch: true }).decrypt(vaultValue('dev_value'), {}).toString(), 'dev-labelled value')
    // a 1.1 value counts as vault id 'default'
    assert.throws(() => new Vault([secret('x', password('default'))], { strictIdMatch: true }).decrypt(vaultValue('plain_default'), {}), /vault id 'default'/)
  })

  it('no secrets at all: the error says which options give one; errors never show a password', () => {
    assert.throws(() => new Vault([]).decrypt(fixture('vars-1.1.yml'), { file: 'v.yml' }), /no vault password was given: pass --vault-password-file FILE/)
    try {
      new Vault([secret('default', 'hunter2-wrong')]).decrypt(fixture('vars-1.1.yml'), { file: 'v.yml' })
      assert.fail('decrypted with a wrong password')
    } catch (e) {
      assert.doesNotMatch((e as Error).message, /hunter2/)
    }
  })

  it('encrypts with the only secret, or the one --encrypt-vault-id names; several without a choice is an error', () => {
    const one = new Vault([DEV])
    assert.match(one.encrypt('x'), /^\$ANSIBLE_VAULT;1\.2;AES256;dev\n/)
    assert.match(new Vault([DEFAULT]).encrypt('x'), /^\$ANSIBLE_VAULT;1\.1;AES256\n/)
    const two = new Vault([DEFAULT, DEV])
    assert.throws(() => two.encrypt('x'), /the vault ids default, dev are available to encrypt; choose one with --encrypt-vault-id/)
    assert.equal(two.decrypt(two.encrypt('y', 'dev'), {}).toString(), 'y')
    assert.throws(() => two.encrypt('x', 'prod'), /--encrypt-vault-id prod matches none of the vault ids given \(default, dev\)/)
  })

  it('revealed plaintexts reach every listener, including those that subscribe later', () => {
    const vault = new Vault([DEFAULT])
    const seen: string[] = []
    vault.decryptText(vaultValue('plain_default'), {})
    const off = vault.onReveal((s) => seen.push(s))
    vault.reveal('later')
    off()
    vault.reveal('after unsubscribing')
    assert.deepEqual(seen, ['default-labelled value', 'later'])
  })
})
