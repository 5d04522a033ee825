/**
 * x509_certificate (providers selfsigned and ownca) on real hosts, side by side with ansible-playbook
 * (community.crypto 2.14 with python3-cryptography on its host; acplay uses the host's openssl):
 * certificates from a CSR and an RSA key, from an Ed25519 key with a passphrase and no CSR, with
 * always_create and sha512, a certificate removed; two leaves signed by the first as their CA
 * (ownca: with and without an authority key identifier, sha384, 90 days). The same subjects,
 * issuers, extensions, key identifiers, signature algorithms, validity lengths and keys, the same
 * changed counts, check mode predicting the first run; drift (the CSR's subject changed by hand, a
 * certificate deleted; the CA key replaced, so its CSR, certificates and leaves follow) found in
 * check mode and repaired alike; and Ansible's own module, run on acplay's host, keeps acplay's
 * certificates.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { hostConnections } from '../helpers/connections.js'
import { ansibleModule, SideBySide } from '../helpers/differential.js'
import { realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { x509Certificate } from '../../modules/x509-certificate.js'

const ONE = {
  path: '/etc/ssl/x/one.crt',
  privatekey_path: '/etc/ssl/x/rsa.key',
  csr_path: '/etc/ssl/x/rsa.csr',
  provider: 'selfsigned',
  selfsigned_not_after: '+365d',
}
const TWO = {
  path: '/etc/ssl/x/two.crt',
  privatekey_path: '/etc/ssl/x/ed.key',
  privatekey_passphrase: 'open sesame: 1',
  provider: 'selfsigned',
}
const LEAF = {
  path: '/etc/ssl/x/leafa.crt',
  csr_path: '/etc/ssl/x/leaf.csr',
  ownca_path: '/etc/ssl/x/one.crt',
  ownca_privatekey_path: '/etc/ssl/x/rsa.key',
  ownca_not_after: '+90d',
  provider: 'ownca',
}
const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - community.crypto.openssl_privatekey: { path: /etc/ssl/x/rsa.key, size: 2048 }
    - community.crypto.openssl_privatekey: { path: /etc/ssl/x/ed.key, type: Ed25519, passphrase: "open sesame: 1", cipher: auto }
    - community.crypto.openssl_csr:
        path: /etc/ssl/x/rsa.csr
        privatekey_path: /etc/ssl/x/rsa.key
        common_name: www.example.com
        subject_alt_name: [DNS:www.example.com, IP:10.231.0.9]
        key_usage: [digitalSignature, keyEncipherment]
        extended_key_usage: [serverAuth]
    - name: a certificate for the CSR, a year long
      community.crypto.x509_certificate: ${JSON.stringify(ONE)}
    - name: an Ed25519 certificate without a CSR
      community.crypto.x509_certificate: ${JSON.stringify(TWO)}
    - name: always a key identifier of its own, sha512
      community.crypto.x509_certificate:
        path: /etc/ssl/x/three.crt
        privatekey_path: /etc/ssl/x/rsa.key
        csr_path: /etc/ssl/x/rsa.csr
        provider: selfsigned
        selfsigned_digest: sha512
        selfsigned_create_subject_key_identifier: always_create
        mode: "0600"
    - name: a certificate removed
      community.crypto.x509_certificate: { path: /etc/ssl/x/old.crt, state: absent }
    - community.crypto.openssl_privatekey: { path: /etc/ssl/x/leaf.key, type: ECC, curve: secp256r1, passphrase: leafpass, cipher: auto }
    - community.crypto.openssl_csr:
        path: /etc/ssl/x/leaf.csr
        privatekey_path: /etc/ssl/x/leaf.key
        privatekey_passphrase: leafpass
        common_name: leaf.example
        extended_key_usage: [clientAuth]
    - name: a leaf signed by the first certificate as its CA, 90 days
      community.crypto.x509_certificate: ${JSON.stringify(LEAF)}
    - name: another, its key checked too, sha384, no authority key identifier
      community.crypto.x509_certificate:
        path: /etc/ssl/x/leafb.crt
        csr_path: /etc/ssl/x/leaf.csr
        privatekey_path: /etc/ssl/x/leaf.key
        privatekey_passphrase: leafpass
        ownca_path: /etc/ssl/x/one.crt
        ownca_privatekey_path: /etc/ssl/x/rsa.key
        ownca_digest: sha384
        ownca_create_authority_key_identifier: false
        provider: ownca
`
// what each certificate is (never its serial or key bytes): names, extensions, whether it has a key
// identifier, its signature algorithm, its length in days, whether its key is its private key's
const STATE = `cd /etc/ssl/x && for f in *.crt; do
  echo "== $f $(stat -c '%U:%G %a' "$f")"
  openssl x509 -in "$f" -noout -subject -issuer -ext subjectAltName,keyUsage,extendedKeyUsage,basicConstraints 2>&1 || continue
  openssl x509 -in "$f" -noout -text | grep -E 'Version|Signature Algorithm' | sort -u
  echo "key identifier: $(openssl x509 -in "$f" -noout -text | grep -c 'Subject Key Identifier')"
  s=$(date -d "$(openssl x509 -in "$f" -noout -startdate | cut -d= -f2)" +%s); e=$(date -d "$(openssl x509 -in "$f" -noout -enddate | cut -d= -f2)" +%s)
  echo "valid $(( (e - s) / 86400 )) days, from $(( ($(date +%s) - s) / 3600 )) hours ago"
  echo "authority key identifier: $(openssl x509 -in "$f" -noout -text | grep -c 'Authority Key Identifier')"
done
python3 - <<'PY'
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding
for f in ('leafa.crt', 'leafb.crt'):
    try:
        ca = x509.load_pem_x509_certificate(open('one.crt', 'rb').read())
        c = x509.load_pem_x509_certificate(open(f, 'rb').read())
        ca.public_key().verify(c.signature, c.tbs_certificate_bytes, padding.PKCS1v15(), c.signature_hash_algorithm)
        print(f + ': signed by one.crt')
    except Exception:
        print(f + ': not signed by one.crt')
PY
for p in one:rsa two:ed three:rsa leafa:leaf leafb:leaf; do
  a=$(openssl x509 -in "\${p%:*}.crt" -noout -pubkey | sha256sum)
  pass='open sesame: 1'; [ "\${p#*:}" = leaf ] && pass=leafpass
  b=$(openssl pkey -in "\${p#*:}.key" -passin "pass:$pass" -pubout | sha256sum)
  [ "$a" = "$b" ] && echo "\${p%:*} key matches" || echo "\${p%:*} key differs"
done`

describe('x509_certificate (selfsigned, ownca) on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['crt-a', 'crt-b'])
  const root = hostConnections(bed, 'crt-a')
  const sides = new SideBySide(bed, 'crt-a', 'crt-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['crt-a', 'crt-b']) {
      const r = await bed().exec(h, 'mkdir -p /etc/ssl/x && echo junk > /etc/ssl/x/old.crt')
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode on the fresh host predicts the run; both tools leave the same certificates', async () => {
    const state = await sides.firstRun(11)
    assert.match(
      state,
      /^== one\.crt root:root 644\nsubject=CN = www\.example\.com\nissuer=CN = www\.example\.com\nX509v3 Subject Alternative Name: \n.*\nX509v3 Key Usage: \n\s+Digital Signature, Key Encipherment\n/m,
    )
    assert.match(state, /X509v3 Subject Alternative Name: \n\s+DNS:www\.example\.com, IP Address:10\.231\.0\.9\n/)
    assert.match(
      state,
      /Version: 3 \(0x2\)\n\s+Signature Algorithm: sha256WithRSAEncryption\nkey identifier: 1\nvalid 365 days, from 0 hours ago\nauthority key identifier: 0\n== three/,
    )
    assert.match(state, /== three\.crt root:root 600\n[\s\S]*Signature Algorithm: sha512WithRSAEncryption\n[\s\S]*valid 3650 days/)
    assert.match(
      state,
      /== two\.crt root:root 644\n(?:.*\n)*?subject=\nissuer=\n(?:.*\n)*?\s+Version: 3 \(0x2\)\n\s+Signature Algorithm: ED25519\nkey identifier: 1\nvalid 3650 days/,
    )
    assert.match(state, /one key matches\ntwo key matches\nthree key matches\nleafa key matches\nleafb key matches/)
    assert.match(
      state,
      /^== leafa\.crt root:root 644\nsubject=CN = leaf\.example\nissuer=CN = www\.example\.com\n[\s\S]*?valid 90 days, from 0 hours ago\nauthority key identifier: 1\n/m,
    )
    assert.match(state, /^== leafb\.crt [\s\S]*?Signature Algorithm: sha384WithRSAEncryption\n[\s\S]*?authority key identifier: 0\n/m)
    assert.match(state, /^leafa\.crt: signed by one\.crt\nleafb\.crt: signed by one\.crt$/m)
    assert.doesNotMatch(state, /old\.crt/)
    // Ansible's module, on acplay's host, keeps acplay's certificates
    for (const args of [ONE, TWO, LEAF]) {
      const theirs = await ansibleModule(bed(), 'crt-a', 'community.crypto.x509_certificate', JSON.stringify(args))
      assert.equal(theirs.changed, false, JSON.stringify(theirs))
    }
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it("drift: the CSR's subject changed by hand (made again; the certificates from it, whose subject it gets back, are kept) and a certificate deleted", async () => {
    await sides.drift('set -e; cd /etc/ssl/x; openssl req -new -key rsa.key -subj /CN=other.example -out rsa.csr; rm two.crt', 2)
    assert.match(await sides.state('crt-a'), /^== one\.crt root:root 644\nsubject=CN = www\.example\.com\n/m)
  })

  it('drift: the CA key replaced by another of the wanted kind (kept): the CSR, both certificates from it and the two leaves the first one signs are made again', async () => {
    await sides.drift('openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 | openssl pkey -traditional -out /etc/ssl/x/rsa.key', 5)
    const state = await sides.state('crt-a')
    assert.match(state, /one key matches\ntwo key matches\nthree key matches/)
    assert.match(state, /^leafa\.crt: signed by one\.crt\nleafb\.crt: signed by one\.crt$/m, 'the leaves are signed by the new CA key')
  })

  it("failures in Ansible's words; another provider is refused before anything runs", async () => {
    const noCsr = await realRun(x509Certificate, { ...ONE, csr_path: '/etc/ssl/x/none.csr' }, root())
    const theirs = await ansibleModule(bed(), 'crt-b', 'community.crypto.x509_certificate', JSON.stringify({ ...ONE, csr_path: '/etc/ssl/x/none.csr' }))
    assert.equal(noCsr.status, 'failed')
    assert.equal(noCsr.msg, theirs.msg)
    const wrongPass = { ...TWO, privatekey_passphrase: 'nope' }
    const mine = await realRun(x509Certificate, wrongPass, root())
    const theirPass = await ansibleModule(bed(), 'crt-b', 'community.crypto.x509_certificate', JSON.stringify(wrongPass))
    assert.equal(mine.msg, theirPass.msg)
    const acme = await realRun(x509Certificate, { ...ONE, provider: 'acme' }, root())
    assert.equal(acme.status, 'failed')
    assert.match(acme.msg!, /provider "acme" is not supported by acplay \(selfsigned and ownca are\)/)
    const wrongCa = { ...LEAF, ownca_privatekey_path: '/etc/ssl/x/leaf.key', ownca_privatekey_passphrase: 'leafpass' }
    const mineCa = await realRun(x509Certificate, wrongCa, root())
    const theirCa = await ansibleModule(bed(), 'crt-b', 'community.crypto.x509_certificate', JSON.stringify(wrongCa))
    assert.equal(mineCa.msg, theirCa.msg)
  })
})
