/** openssl_privatekey: the key fact from recorded output, Ansible's keep/regenerate/convert rules, and plans from facts. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fingerprints, keyFormat, publicKeyInfo } from '../../../modules/crypto/keys.js'
import { genpkeyArgs, keyAction, wantedFormat, type KeyWant } from '../../../modules/crypto/privatekey-plan.js'
import { parsePrivateKey, privateKeyFact } from '../../../modules/facts/crypto.js'
import { opensslPrivatekey } from '../../../modules/openssl-privatekey.js'
import { validateParams } from '../../../modules/schema.js'
import { fakeCtx } from './fake-ctx.js'
import { statsOutput } from './stats-output.js'

// public keys (DER, base64) as `openssl pkey -pubout -outform DER | base64 -w0` printed them
const RSA1024 =
  'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDN4ExRc3wwrbGAL7J3fEbimQmaxhGhqlRcvPaCOJJ9deRTjEdLGJzUpzLapcpqEtY0Vadj2WsXH6cryM9KAaQXUXQGZD/TFxwVNLR3DWiZVtJYWw68wkCrRuWCTvgsQdJ1tQhiJRqxdsUxK6PMc3N/lPGRJX5GQVuew8UJB1x3nQIDAQAB'
const P256 = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEcmPAlgdLPVum4M2EuhKTopFKuKBPVUJhv1jzq/28uKNNhFQ0Cai4vKM3avaLJdtkEQiXsVM/wQrx+N7GceVORA=='
const ED25519 = 'MCowBQYDK2VwAyEA/oSf3i+Q6OVrPOIoZPL7V+IHwq3adhhOOm2SvGzEu7U='

const want = (w: Partial<KeyWant>): KeyWant => ({
  type: 'RSA',
  size: 1024,
  format: 'auto_ignore',
  formatMismatch: 'regenerate',
  regenerate: 'full_idempotence',
  ...w,
})
const rsaKey = parsePrivateKey(`first -----BEGIN RSA PRIVATE KEY-----\nencrypted 0\npub ${RSA1024}\n`)

describe('openssl_privatekey', () => {
  it('reads the fact: format, encryption, the public key (type, size, curve); a key that does not open has none', () => {
    assert.deepEqual(
      { ...rsaKey, pub: { ...rsaKey.pub, der: '' } },
      { exists: true, format: 'pkcs1', encrypted: false, pub: { type: 'RSA', size: 1024, der: '' } },
    )
    assert.equal(publicKeyInfo(P256)?.curve, 'secp256r1')
    assert.equal(publicKeyInfo(ED25519)?.type, 'Ed25519')
    assert.deepEqual(parsePrivateKey('first -----BEGIN ENCRYPTED PRIVATE KEY-----\nencrypted 1\n'), { exists: true, format: 'pkcs8', encrypted: true })
    assert.deepEqual(parsePrivateKey('absent\n'), { exists: false })
    assert.deepEqual(parsePrivateKey('notfile\n'), { exists: true, notFile: true })
    assert.equal(keyFormat('\u0000?x'), 'raw')
    assert.equal(keyFormat('-----BEGIN CERTIFICATE-----'), 'unknown-pem')
  })

  it('keeps the passphrase off the command line and out of the fact key', () => {
    const cmd = privateKeyFact.command('/k', 's3cret phrase', 'Ed25519', false)
    assert.equal(cmd.stdin, 's3cret phrase')
    assert.doesNotMatch(cmd.argv.join(' '), /s3cret/)
    const key = privateKeyFact.key!('/k', 's3cret phrase', 'Ed25519', false)
    assert.doesNotMatch(key, /s3cret/)
    assert.notEqual(key, privateKeyFact.key!('/k', 'other', 'Ed25519', false))
  })

  it("fingerprints as Ansible's get_fingerprint_of_bytes (recorded from community.crypto 2.14)", () => {
    const fp = fingerprints(ED25519)
    assert.equal(Object.keys(fp).length, 14)
    assert.equal(fp.sha256, '18:97:90:37:1b:e6:45:88:72:d3:1d:2a:56:33:a3:12:80:ff:07:35:46:6a:fe:a3:71:04:ec:0d:51:ac:15:ee')
    assert.equal(fp.shake_128, 'ca:a6:e9:29:5e:f0:fb:b1:f6:cc:12:8b:df:9e:4b:a0:7d:f1:87:1e:d4:d2:89:db:3f:d0:b8:9f:56:bd:3c:88')
    assert.equal(fp.blake2s, '00:eb:86:bb:59:25:73:0c:ca:b9:50:0f:f9:9f:ff:c6:8c:33:3f:ec:bc:24:2f:54:51:fa:52:55:0f:0e:33:7a')
  })

  it("decides as Ansible's needs_regeneration / needs_conversion", () => {
    assert.equal(keyAction(want({}), rsaKey), 'keep')
    assert.equal(keyAction(want({ size: 2048 }), rsaKey), 'regenerate')
    assert.equal(keyAction(want({ size: 2048, regenerate: 'never' }), rsaKey), 'keep')
    assert.throws(() => keyAction(want({ size: 2048, regenerate: 'fail' }), rsaKey), /Key has wrong type and\/or size/)
    assert.equal(keyAction(want({ regenerate: 'always' }), rsaKey), 'regenerate')
    assert.equal(keyAction(want({}), { exists: false }), 'regenerate')
    // a key that does not open with the passphrase given (or without one)
    const locked = { exists: true, format: 'pkcs1' as const, encrypted: true }
    assert.equal(keyAction(want({}), locked), 'regenerate')
    assert.throws(() => keyAction(want({ regenerate: 'partial_idempotence' }), locked), /Unable to read the key/)
    assert.throws(() => keyAction(want({ regenerate: 'never' }), locked), /Unable to read the key/)
    // format: only when asked for (auto_ignore is the default)
    assert.equal(keyAction(want({ format: 'pkcs8' }), rsaKey), 'regenerate')
    assert.equal(keyAction(want({ format: 'pkcs8', formatMismatch: 'convert' }), rsaKey), 'convert')
    assert.equal(keyAction(want({ format: 'auto' }), rsaKey), 'keep')
    assert.throws(() => keyAction(want({ format: 'pkcs8', regenerate: 'fail' }), rsaKey), /Key has wrong format/)
    const ec = parsePrivateKey(`first -----BEGIN EC PRIVATE KEY-----\nencrypted 0\npub ${P256}\n`)
    assert.equal(keyAction(want({ type: 'ECC', curve: 'secp256r1' }), ec), 'keep')
    assert.equal(keyAction(want({ type: 'ECC', curve: 'secp384r1' }), ec), 'regenerate')
    assert.equal(keyAction(want({ type: 'Ed25519' }), ec), 'regenerate')
    assert.equal(wantedFormat({ format: 'auto', type: 'Ed25519' }), 'pkcs8')
    assert.deepEqual(genpkeyArgs({ type: 'ECC', size: 0, curve: 'secp256r1' }).slice(0, 4), ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1'])
    assert.throws(() => genpkeyArgs({ type: 'DSA', size: 2048 }), /type=DSA is not supported by acplay/)
  })

  const params = (raw: Record<string, unknown>) => validateParams(opensslPrivatekey, { path: '/etc/ssl/site.key', ...raw })
  const FILE = (mode: string) => ({ stat: `regular file|${mode}|root|root|0|0|887|5|2049|1`, sha: 'ab'.repeat(32) })
  const DIR = { stat: 'directory|755|root|root|0|0|4096|3|2049|2' }
  const ctx = (mode: string | undefined, keyOut: string, raw: Record<string, unknown> = {}) =>
    fakeCtx({
      [JSON.stringify(['path.stats', ['/etc/ssl/site.key', '/etc/ssl']])]: statsOutput('root', 'root', [mode ? FILE(mode) : 'absent', DIR]),
      [JSON.stringify(['crypto.privatekey', '/etc/ssl/site.key', raw.passphrase, 'Ed25519', raw.return_content === true])]: keyOut,
    })

  it('plans: ok for the wanted key at 0600, a chmod for another mode, a new key otherwise; the fingerprint is the existing key’s', async () => {
    const keyOut = `first -----BEGIN RSA PRIVATE KEY-----\nencrypted 0\npub ${RSA1024}\n`
    const ok = await opensslPrivatekey.plan(params({ size: 1024 }), ctx('600', keyOut))
    assert.equal(ok.kind, 'ok')
    assert.deepEqual({ ...ok.data, fingerprint: undefined }, { filename: '/etc/ssl/site.key', size: 1024, type: 'RSA', fingerprint: undefined })
    assert.equal((ok.data!.fingerprint as Record<string, string>).sha256, fingerprints(RSA1024).sha256)
    const chmod = await opensslPrivatekey.plan(params({ size: 1024 }), ctx('644', keyOut))
    assert.ok(chmod.kind === 'change')
    assert.deepEqual(chmod.changes[0]!.commands, [{ argv: ['chmod', '--', '0600', '/etc/ssl/site.key'] }])
    const bigger = await opensslPrivatekey.plan(params({}), ctx('600', keyOut))
    assert.ok(bigger.kind === 'change')
    assert.match(bigger.changes[0]!.summary, /make a RSA 4096-bit private key at \/etc\/ssl\/site.key \(secret content, mode 0600\)/)
    assert.deepEqual(bigger.changes[0]!.commands[0]!.argv.slice(-4), ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'])
    assert.equal(bigger.changes[0]!.commands[0]!.stdin, '')
  })

  it('plans: a passphrase travels on stdin only; cipher other than auto fails as Ansible; state=absent removes with a backup', async () => {
    const raw = { passphrase: 'pass phrase', cipher: 'auto', type: 'Ed25519' }
    const fresh = await opensslPrivatekey.plan(params(raw), ctx(undefined, 'absent\n', raw))
    assert.ok(fresh.kind === 'change')
    const cmd = fresh.changes[0]!.commands[0]!
    assert.equal(cmd.stdin, 'pass phrase')
    assert.doesNotMatch(JSON.stringify(cmd.argv) + fresh.changes[0]!.summary, /pass phrase/)
    const bad = { passphrase: 'pass phrase', cipher: 'aes256', type: 'Ed25519' }
    await assert.rejects(opensslPrivatekey.plan(params(bad), ctx(undefined, 'absent\n', bad)), /can only use "auto" for cipher option/)
    const keyOut = `first -----BEGIN RSA PRIVATE KEY-----\nencrypted 0\npub ${RSA1024}\n`
    const gone = await opensslPrivatekey.plan(params({ state: 'absent', backup: true }), ctx('600', keyOut, { state: 'absent' }))
    assert.ok(gone.kind === 'change')
    assert.equal(gone.changes.length, 2)
    assert.deepEqual(gone.changes[1]!.commands, [{ argv: ['rm', '-f', '--', '/etc/ssl/site.key'] }])
    assert.match(String(gone.data?.backup_file), /^\/etc\/ssl\/site\.key\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/)
    const none = await opensslPrivatekey.plan(params({ state: 'absent' }), ctx(undefined, 'absent\n'))
    assert.equal(none.kind, 'ok')
    assert.throws(() => params({ type: 'ECC' }), /type is "ECC" but these are missing: curve/)
  })

  it('return_content: the key joins the data and the plan names it a secret', async () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIK\n-----END PRIVATE KEY-----\n'
    const keyOut = `first -----BEGIN PRIVATE KEY-----\nencrypted 0\npub ${ED25519}\ncontent ${Buffer.from(pem).toString('base64')}\n`
    const raw = { type: 'Ed25519', return_content: true }
    const plan = await opensslPrivatekey.plan(params(raw), ctx('600', keyOut, raw))
    assert.equal(plan.kind, 'ok')
    assert.equal(plan.data?.privatekey, pem)
    assert.deepEqual(plan.secrets, [pem])
    const out = opensslPrivatekey.interpret!(params(raw), {
      rc: 0,
      stdout: `acplay-pub ${ED25519}\nacplay-content ${Buffer.from(pem).toString('base64')}\n`,
      stderr: '',
      startUs: 0,
      endUs: 0,
    })
    assert.deepEqual(out?.secrets, [pem])
    assert.equal((out!.data!.fingerprint as Record<string, string>).md5, fingerprints(ED25519).md5)
  })
})
