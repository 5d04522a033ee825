/** x509_certificate (selfsigned, ownca): Ansible's time specs, its needs_regeneration checks on a recorded certificate, the provider refusal, plans from facts. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { akiValue, asn1Time, caConfig, certDifference, selfsignedConfig, timeOption } from '../../../modules/crypto/cert-plan.js'
import { csrWant, type CsrParams } from '../../../modules/crypto/csr-plan.js'
import { keyIdentifier, parseCert, parseCsr } from '../../../modules/crypto/der.js'
import { validateParams } from '../../../modules/schema.js'
import { x509Certificate } from '../../../modules/x509-certificate.js'
import { fakeCtx } from './fake-ctx.js'
import { statsOutput } from './stats-output.js'

// made by the selfsigned writer (openssl ca -selfsign, OpenSSL 3.0) from CSR_DER and the Ed25519 key whose public key is ED25519
const CERT_DER =
  'MIICAjCCAbSgAwIBAgIUCnLQkV9/8l169bkhCc8dw5m9iE8wBQYDK2VwMEoxFjAUBgNVBAsMDWl0J3MgJEhPTUUgIzExGDAWBgNVBAMMD3d3dy5leGFtcGxlLmNvbTEKMAgGA1UECwwBYTEKMAgGA1UECwwBYjAeFw0yNjEyMDQyMjA5MTRaFw0zNjEyMDEyMjA5MTRaMEoxFjAUBgNVBAsMDWl0J3MgJEhPTUUgIzExGDAWBgNVBAMMD3d3dy5leGFtcGxlLmNvbTEKMAgGA1UECwwBYTEKMAgGA1UECwwBYjAqMAUGAytlcAMhAP6En94vkOjlazziKGTy+1fiB8Kt2nYYTjptkrxsxLu1o4GrMIGoMB0GA1UdDgQWBBTYUA0U7ELtWsST4vqw/FZmI3FOczA8BgNVHREBAf8EMjAwgg93d3cuZXhhbXBsZS5jb22HECABDbgAAAAAAAAAAAAAAAGHBAoBAgOBBWFAYi5jMA4GA1UdDwEB/wQEAwIFoDAYBgNVHSUEETAPBggrBgEFBQcDAQYDKgMEMAwGA1UdEwEB/wQCMAAwEQYIKwYBBQUHARgEBTADAgEFMAUGAytlcANBAPz7u+WSh28m94Mft22wXCvFQrEPJMSv/l7r0d1wlrx53Xw9tIduJrMAjmwkNj5ipZ90SOEapAszoW/p7sScOAY='
const CSR_DER =
  'MIIBaTCCARsCAQAwSjEWMBQGA1UECwwNaXQncyAkSE9NRSAjMTEYMBYGA1UEAwwPd3d3LmV4YW1wbGUuY29tMQowCAYDVQQLDAFhMQowCAYDVQQLDAFiMCowBQYDK2VwAyEA/oSf3i+Q6OVrPOIoZPL7V+IHwq3adhhOOm2SvGzEu7WggZ0wgZoGCSqGSIb3DQEJDjGBjDCBiTA8BgNVHREBAf8EMjAwgg93d3cuZXhhbXBsZS5jb22HECABDbgAAAAAAAAAAAAAAAGHBAoBAgOBBWFAYi5jMA4GA1UdDwEB/wQEAwIFoDAYBgNVHSUEETAPBggrBgEFBQcDAQYDKgMEMAwGA1UdEwEB/wQCMAAwEQYIKwYBBQUHARgEBTADAgEFMAUGAytlcANBAEMvS5gK4WG3qowwFrd+BsD59+O8CXMyFinSOoXf64iTjClGA4230aDZH2ceOi/dBL+wecSVfSF3jl1OYeRACAc='
const ED25519 = 'MCowBQYDK2VwAyEA/oSf3i+Q6OVrPOIoZPL7V+IHwq3adhhOOm2SvGzEu7U='
// the openssl_csr arguments CSR_DER was made from
const CSR_PARAMS: CsrParams = {
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
const OTHER_KEY = 'MCowBQYDK2VwAyEAvSRPsSzVA7nFuqGOsblw2KH4pf/Oo83rMxxxxxxxxxx='

describe('x509_certificate (selfsigned, ownca)', () => {
  const cert = parseCert(Buffer.from(CERT_DER, 'base64'))
  const csr = { info: parseCsr(Buffer.from(CSR_DER, 'base64')), verified: true }
  const check = { ski: 'create_if_not_provided' as const, ignoreTimestamps: true, notBefore: new Date(), notAfter: new Date() }

  it("reads Ansible's time specs: relative to now, or absolute", () => {
    const now = new Date(Date.UTC(2026, 0, 31, 12, 0, 0))
    assert.equal(asn1Time(timeOption('+3650d', 'x', now)), '20360129120000Z')
    assert.equal(asn1Time(timeOption('-1w2d3h4m5s', 'x', now)), '20260122085555Z')
    assert.equal(asn1Time(timeOption('+0s', 'x', now)), '20260131120000Z')
    assert.equal(asn1Time(timeOption('20300101000000Z', 'x', now)), '20300101000000Z')
    assert.equal(asn1Time(timeOption('203001010130+0100', 'x', now)), '20300101003000Z')
    assert.throws(() => timeOption('+', 'selfsigned_not_after', now), /The time spec "\+" for selfsigned_not_after is invalid/)
    assert.throws(() => timeOption('tomorrow', 'selfsigned_not_after', now), /The time spec "tomorrow" for selfsigned_not_after is invalid/)
  })

  it("keeps the certificate as Ansible's needs_regeneration does, and names what differs otherwise", () => {
    assert.deepEqual(cert.subject, csr.info.subject)
    assert.equal(certDifference(check, cert, ED25519, true, csr), undefined)
    assert.equal(certDifference(check, cert, OTHER_KEY, true, csr), 'its key')
    assert.equal(certDifference(check, cert, ED25519, false, csr), 'its signature')
    assert.equal(certDifference(check, cert, ED25519, true, { ...csr, verified: false }), 'the CSR’s key')
    const reordered = { info: { ...csr.info, subject: [...csr.info.subject].reverse() }, verified: true }
    assert.equal(certDifference(check, cert, ED25519, true, reordered), 'the subject', 'the subject compares in order')
    const fewer = { info: { ...csr.info, extensions: csr.info.extensions.slice(1) }, verified: true }
    assert.equal(certDifference(check, cert, ED25519, true, fewer), 'the extensions')
    // the key identifier: the public key's SHA-1 (RFC 5280), or none with never_create
    const ski = cert.extensions.find((e) => e.oid === '2.5.29.14')!
    assert.ok(ski.value.subarray(2).equals(keyIdentifier(Buffer.from(cert.pub, 'base64'))))
    assert.equal(certDifference({ ...check, ski: 'never_create' }, cert, ED25519, true, csr), 'the extensions')
    // timestamps only when asked
    assert.equal(certDifference({ ...check, ignoreTimestamps: false, notBefore: cert.notBefore, notAfter: cert.notAfter }, cert, ED25519, true, csr), undefined)
    assert.equal(
      certDifference({ ...check, ignoreTimestamps: false, notAfter: cert.notBefore, notBefore: cert.notBefore }, cert, ED25519, true, csr),
      'not_after',
    )
    // check mode: a CSR an earlier task is to make is compared by what it will hold
    const planned = (p: Partial<CsrParams>, pub = ED25519) => ({ planned: { want: csrWant({ ...CSR_PARAMS, ...p }), pub } })
    assert.equal(certDifference(check, cert, ED25519, true, planned({})), undefined)
    assert.equal(certDifference(check, cert, ED25519, true, planned({ common_name: 'other.example' })), 'the subject')
    assert.equal(certDifference(check, cert, ED25519, true, planned({ key_usage: ['digitalSignature'] })), 'the extensions')
    assert.equal(certDifference(check, cert, ED25519, true, planned({}, '')), 'the CSR’s key')
    // ownca: the issuer is the CA's subject, and the authority key identifier the CA's key identifier
    const asCa = { subject: cert.subject, aki: akiValue(keyIdentifier(Buffer.from(cert.pub, 'base64'))) }
    assert.equal(certDifference({ ...check, ca: { subject: cert.subject } }, cert, undefined, true, csr), undefined)
    assert.equal(certDifference({ ...check, ca: { subject: [['2.5.4.3', 'Other CA']] } }, cert, undefined, true, csr), 'the issuer')
    assert.equal(certDifference({ ...check, ca: asCa }, cert, undefined, true, csr), 'the authority key identifier')
    assert.equal(akiValue(Buffer.alloc(20, 1)).toString('hex'), `30168014${'01'.repeat(20)}`)
    assert.match(
      caConfig({ ski: false, aki: Buffer.from([1, 2]), digest: 'sha384', copy: 'copy', explicit: true }),
      /subjectKeyIdentifier = none\nauthorityKeyIdentifier = DER:01:02\n/,
    )
    assert.match(selfsignedConfig('always_create', 'sha256'), /copy_extensions = copy\n[\s\S]*subjectKeyIdentifier = hash/)
    assert.doesNotMatch(selfsignedConfig('never_create', undefined), /subjectKeyIdentifier|x509_extensions/)
  })

  it('refuses the other providers where the task is written', () => {
    const where = { file: 'site.yml', line: 7, col: 5 }
    assert.throws(
      () => validateParams(x509Certificate, { path: '/c.crt', provider: 'acme' }, where),
      (e: Error & { describe(): string }) => e.describe() === 'E_PARAM: site.yml:7:5: provider "acme" is not supported by acplay (selfsigned and ownca are)',
    )
  })

  const params = (raw: Record<string, unknown>) =>
    validateParams(x509Certificate, {
      path: '/etc/ssl/a.crt',
      provider: 'selfsigned',
      privatekey_path: '/etc/ssl/a.key',
      privatekey_passphrase: 'x',
      csr_path: '/etc/ssl/a.csr',
      ...raw,
    })
  const DIR = { stat: 'directory|755|root|root|0|0|4096|3|2049|2' }
  const ctx = (certOut: string, keyOut: string, opts: { check?: boolean } = {}) =>
    fakeCtx(
      {
        [JSON.stringify(['path.stats', ['/etc/ssl/a.crt', '/etc/ssl']])]: statsOutput('root', 'root', [
          certOut.startsWith('absent') ? 'absent' : { stat: 'regular file|644|root|root|0|0|900|5|2049|1', sha: 'ab'.repeat(32) },
          DIR,
        ]),
        [JSON.stringify(['crypto.pem', '/etc/ssl/a.crt', 'x509', false])]: certOut,
        [JSON.stringify(['crypto.pem', '/etc/ssl/a.csr', 'req', false])]: `der ${CSR_DER}\nverified\n`,
        [JSON.stringify(['crypto.privatekey', '/etc/ssl/a.key', 'x', 'Ed25519', false])]: keyOut,
      },
      opts,
    )
  const KEY = `first -----BEGIN ENCRYPTED PRIVATE KEY-----\nencrypted 1\npub ${ED25519}\n`

  it('plans: ok for the wanted certificate with its dates and serial; a new one otherwise, its dates and serial known up front', async () => {
    const ok = await x509Certificate.plan(params({}), ctx(`der ${CERT_DER}\n`, KEY))
    assert.equal(ok.kind, 'ok')
    assert.equal(ok.data?.notBefore, asn1Time(cert.notBefore))
    assert.equal(ok.data?.serial_number, BigInt(`0x${cert.serial}`).toString())
    const fresh = await x509Certificate.plan(params({ selfsigned_not_after: '+365d' }), ctx('absent\n', KEY))
    assert.ok(fresh.kind === 'change')
    const cmd = fresh.changes[0]!.commands[0]!
    assert.equal(cmd.stdin, 'x')
    assert.doesNotMatch(cmd.argv.join(' '), /-sha256/)
    assert.equal(cmd.argv.at(-4), '-startdate')
    assert.equal(cmd.argv.at(-1), fresh.data?.notAfter)
    await assert.rejects(x509Certificate.plan(params({}), ctx('absent\n', 'absent\n')), /The private key file \/etc\/ssl\/a\.key does not exist/)
    await assert.rejects(x509Certificate.plan(params({ selfsigned_version: 2 }), ctx('absent\n', KEY)), /does not support v2 certificates/)
  })
})
