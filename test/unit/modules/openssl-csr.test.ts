/** openssl_csr: a recorded CSR read back (subject, extensions), Ansible's _check_csr decisions, the config openssl is given, plans from facts. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { csrConfig, csrDifference, csrWant, type CsrParams } from '../../../modules/crypto/csr-plan.js'
import { generalNamesOf, OID, parseCsr } from '../../../modules/crypto/der.js'
import { normalizeAltName } from '../../../modules/crypto/names.js'
import { opensslCsr } from '../../../modules/openssl-csr.js'
import { validateParams } from '../../../modules/schema.js'
import { fakeCtx } from './fake-ctx.js'
import { statsOutput } from './stats-output.js'

// made by openssl req (OpenSSL 3.0) from csrConfig(csrWant(PARAMS)) with an Ed25519 key whose public key is ED25519
const CSR_DER =
  'MIIBaTCCARsCAQAwSjEWMBQGA1UECwwNaXQncyAkSE9NRSAjMTEYMBYGA1UEAwwPd3d3LmV4YW1wbGUuY29tMQowCAYDVQQLDAFhMQowCAYDVQQLDAFiMCowBQYDK2VwAyEA/oSf3i+Q6OVrPOIoZPL7V+IHwq3adhhOOm2SvGzEu7WggZ0wgZoGCSqGSIb3DQEJDjGBjDCBiTA8BgNVHREBAf8EMjAwgg93d3cuZXhhbXBsZS5jb22HECABDbgAAAAAAAAAAAAAAAGHBAoBAgOBBWFAYi5jMA4GA1UdDwEB/wQEAwIFoDAYBgNVHSUEETAPBggrBgEFBQcDAQYDKgMEMAwGA1UdEwEB/wQCMAAwEQYIKwYBBQUHARgEBTADAgEFMAUGAytlcANBAEMvS5gK4WG3qowwFrd+BsD59+O8CXMyFinSOoXf64iTjClGA4230aDZH2ceOi/dBL+wecSVfSF3jl1OYeRACAc='
const ED25519 = 'MCowBQYDK2VwAyEA/oSf3i+Q6OVrPOIoZPL7V+IHwq3adhhOOm2SvGzEu7U='
const PARAMS: CsrParams = {
  common_name: 'www.example.com',
  organizational_unit_name: "it's $HOME #1",
  subject: { OU: ['a', 'b'] },
  subject_alt_name: ['DNS:www.example.com', 'IP:2001:db8:0::1', 'IP:10.1.2.3', 'email:a@b.c'],
  subject_alt_name_critical: true,
  use_common_name_for_san: true,
  key_usage: ['digitalSignature', 'Key Encipherment'],
  key_usage_critical: true,
  extended_key_usage: ['serverAuth', '1.2.3.4'],
  extended_key_usage_critical: false,
  basic_constraints: ['CA:FALSE'],
  basic_constraints_critical: true,
  ocsp_must_staple: true,
  ocsp_must_staple_critical: false,
}
const BASE: CsrParams = {
  subject_alt_name_critical: false,
  use_common_name_for_san: true,
  key_usage_critical: false,
  extended_key_usage_critical: false,
  basic_constraints_critical: false,
  ocsp_must_staple: false,
  ocsp_must_staple_critical: false,
}

describe('openssl_csr', () => {
  const csr = parseCsr(Buffer.from(CSR_DER, 'base64'))

  it('reads a CSR: the subject in order, the extensions with their critical flags, the public key', () => {
    assert.deepEqual(csr.subject, [
      ['2.5.4.11', "it's $HOME #1"],
      ['2.5.4.3', 'www.example.com'],
      ['2.5.4.11', 'a'],
      ['2.5.4.11', 'b'],
    ])
    assert.equal(csr.pub, ED25519)
    assert.deepEqual(
      csr.extensions.map((e) => [e.oid, e.critical]),
      [
        [OID.subjectAltName, true],
        [OID.keyUsage, true],
        [OID.extKeyUsage, false],
        [OID.basicConstraints, true],
        [OID.tlsFeature, false],
      ],
    )
    assert.deepEqual(generalNamesOf(csr.extensions[0]!.value), ['DNS:www.example.com', 'IP:2001:db8::1', 'IP:10.1.2.3', 'email:a@b.c'])
  })

  it("keeps or remakes it as Ansible's _check_csr decides", () => {
    assert.equal(csrDifference(csrWant(PARAMS), csr), undefined)
    // the subject is a set unless subject_ordered
    assert.equal(csrDifference(csrWant({ ...PARAMS, subject: { OU: ['b', 'a'] } }), csr), undefined)
    assert.equal(csrDifference(csrWant({ ...PARAMS, common_name: 'other' }), csr), 'subject')
    assert.equal(csrDifference(csrWant({ ...PARAMS, subject_alt_name: [...PARAMS.subject_alt_name!].reverse() }), csr), undefined)
    assert.equal(csrDifference(csrWant({ ...PARAMS, subject_alt_name_critical: false }), csr), 'subjectAltName_critical')
    assert.equal(csrDifference(csrWant({ ...PARAMS, key_usage: ['digitalSignature'] }), csr), 'keyUsage')
    assert.equal(csrDifference(csrWant({ ...PARAMS, extended_key_usage: ['TLS Web Server Authentication', '1.2.3.4'] }), csr), undefined)
    assert.equal(csrDifference(csrWant({ ...PARAMS, basic_constraints: undefined }), csr), 'basicConstraints')
    assert.equal(csrDifference(csrWant({ ...PARAMS, ocsp_must_staple: false }), csr), 'ocspMustStaple')
    // without SANs, the common name is one (use_common_name_for_san)
    assert.deepEqual(csrWant({ ...BASE, common_name: 'a.example' }).san, ['DNS:a.example'])
    assert.deepEqual(csrWant({ ...BASE, common_name: 'a.example', use_common_name_for_san: false }).san, [])
  })

  it("refuses what Ansible refuses, in its words; IPs compare as Python's ipaddress writes them", () => {
    assert.equal(normalizeAltName('IP:2001:DB8:0:0::1'), 'IP:2001:db8::1')
    assert.throws(() => normalizeAltName('www.example.com'), /Cannot parse Subject Alternative Name "www.example.com" \(forgot "DNS:" prefix\?\)/)
    assert.throws(() => csrWant({ ...BASE, key_usage: ['signing'] }), /Unknown key usage "signing"/)
    assert.throws(() => csrWant({ ...BASE, extended_key_usage: ['webServer'] }), /Cannot find OID for "webServer"/)
    assert.throws(() => csrWant({ ...BASE, basic_constraints: ['CA:maybe'] }), /Unknown basic constraint value "maybe" for CA/)
    assert.throws(() => csrWant({ ...BASE, common_name: 'x', subject_ordered: [{ CN: 'y' }] }), /subject_ordered cannot be combined/)
    assert.throws(() => csrWant({ ...BASE, subject: { CN: '' } }), /Value for CN must not be an empty string/)
  })

  it('gives openssl a config with the subject in order (values escaped) and the extensions', () => {
    const conf = csrConfig(csrWant(PARAMS))
    assert.ok(conf.includes("[dn]\n0.OU = it\\'s \\$HOME \\#1\n1.CN = www.example.com\n2.OU = a\n3.OU = b\n"), conf)
    assert.match(conf, /^keyUsage = critical,digitalSignature,keyEncipherment$/m)
    assert.match(conf, /^tlsfeature = status_request$/m)
    assert.doesNotMatch(csrConfig(csrWant({ ...BASE, use_common_name_for_san: false })), /req_extensions/)
  })

  const params = (raw: Record<string, unknown>) =>
    validateParams(opensslCsr, { path: '/etc/ssl/a.csr', privatekey_path: '/etc/ssl/a.key', privatekey_passphrase: 'x', ...raw })
  const DIR = { stat: 'directory|755|root|root|0|0|4096|3|2049|2' }
  const ctx = (csrOut: string, keyOut: string) =>
    fakeCtx({
      [JSON.stringify(['path.stats', ['/etc/ssl/a.csr', '/etc/ssl']])]: statsOutput('root', 'root', [
        csrOut.startsWith('absent') ? 'absent' : { stat: 'regular file|644|root|root|0|0|700|5|2049|1', sha: 'ab'.repeat(32) },
        DIR,
      ]),
      [JSON.stringify(['crypto.pem', '/etc/ssl/a.csr', 'req', false])]: csrOut,
      [JSON.stringify(['crypto.privatekey', '/etc/ssl/a.key', 'x', 'Ed25519', false])]: keyOut,
    })
  const KEY = `first -----BEGIN ENCRYPTED PRIVATE KEY-----\nencrypted 1\npub ${ED25519}\n`
  const raw = { ...PARAMS, subject_alt_name: PARAMS.subject_alt_name } as Record<string, unknown>

  it('plans: ok for the wanted CSR, a new one when the key or the subject differs; a key that does not open fails in the run', async () => {
    const ok = await opensslCsr.plan(params(raw), ctx(`der ${CSR_DER}\nverified\n`, KEY))
    assert.equal(ok.kind, 'ok')
    assert.deepEqual(ok.data?.subject, [
      ['OU', "it's $HOME #1"],
      ['CN', 'www.example.com'],
      ['OU', 'a'],
      ['OU', 'b'],
    ])
    const otherKey = `first -----BEGIN ENCRYPTED PRIVATE KEY-----\nencrypted 1\npub MCowBQYDK2VwAyEAq4rYGnJ3CbYzqEyFnvpc9IkA6Tkj1bLT3xxxxxxxxxx=\n`
    const remade = await opensslCsr.plan(params(raw), ctx(`der ${CSR_DER}\nverified\n`, otherKey))
    assert.ok(remade.kind === 'change')
    assert.match(remade.changes[0]!.summary, /make the CSR \/etc\/ssl\/a\.csr \(its key differs\)/)
    const cmd = remade.changes[0]!.commands[0]!
    assert.equal(cmd.stdin, 'x')
    assert.doesNotMatch(cmd.argv.join(' '), /-sha256/, 'an Ed25519 key signs without a digest')
    const renamed = await opensslCsr.plan(params({ ...raw, common_name: 'other.example' }), ctx(`der ${CSR_DER}\nverified\n`, KEY))
    assert.ok(renamed.kind === 'change')
    assert.match(renamed.changes[0]!.summary, /\(subject differs\)/)
    const plain = 'first -----BEGIN PRIVATE KEY-----\nencrypted 0\n'
    await assert.rejects(opensslCsr.plan(params(raw), ctx(`der ${CSR_DER}\nverified\n`, plain)), /Wrong or empty passphrase provided for private key/)
    await assert.rejects(opensslCsr.plan(params(raw), ctx('absent\n', 'absent\n')), /\[Errno 2\] No such file or directory: '\/etc\/ssl\/a.key'/)
  })
})
