/**
 * openssl_csr on real hosts, side by side with ansible-playbook (community.crypto 2.14 with
 * python3-cryptography on its host; acplay uses the host's openssl): CSRs signed by an RSA key, an
 * Ed25519 key with a passphrase and an ECC key, with SANs, key usages, basic constraints, OCSP Must
 * Staple, subject_ordered and a mode; a CSR removed. The same subjects, extensions, signature
 * algorithms and keys (each CSR's public key is its private key's), the same changed counts, check
 * mode predicting the first run; drift (a subject changed by hand, a key replaced under its CSR)
 * repaired alike; and Ansible's own module, run on acplay's host, finds acplay's CSRs as it wants them.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { opensslCsr } from '../../modules/openssl-csr.js'
import { hostConnections } from '../helpers/connections.js'
import { ansibleModule, SideBySide } from '../helpers/differential.js'
import { realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const ONE = {
  path: '/etc/ssl/c/one.csr',
  privatekey_path: '/etc/ssl/c/rsa.key',
  common_name: 'www.example.com',
  subject_alt_name: ['DNS:www.example.com', 'DNS:example.com', 'IP:10.231.0.1', 'IP:2001:db8::1'],
  key_usage: ['digitalSignature', 'keyEncipherment'],
  key_usage_critical: true,
  extended_key_usage: ['serverAuth', 'clientAuth'],
  mode: '0640',
}
const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    key_pass: "open sesame: 1"
  tasks:
    - name: keys
      community.crypto.openssl_privatekey: { path: /etc/ssl/c/rsa.key, size: 2048 }
    - community.crypto.openssl_privatekey: { path: /etc/ssl/c/ed.key, type: Ed25519, passphrase: "{{ key_pass }}", cipher: auto }
    - community.crypto.openssl_privatekey: { path: /etc/ssl/c/ec.key, type: ECC, curve: secp256r1 }
    - name: a server CSR with SANs and usages
      community.crypto.openssl_csr: ${JSON.stringify(ONE)}
    - name: a CA CSR from a subject dict, its common name as the SAN, an Ed25519 key with a passphrase
      community.crypto.openssl_csr:
        path: /etc/ssl/c/two.csr
        privatekey_path: /etc/ssl/c/ed.key
        privatekey_passphrase: "{{ key_pass }}"
        subject: { CN: ca.example, O: "Example & Co, Ltd", OU: [ops, "sec #1"] }
        country_name: DE
        basic_constraints: ["CA:TRUE", "pathlen:0"]
        basic_constraints_critical: true
    - name: an ordered subject, sha512, OCSP Must Staple, no SAN
      community.crypto.openssl_csr:
        path: /etc/ssl/c/three.csr
        privatekey_path: /etc/ssl/c/ec.key
        subject_ordered: [{ C: FR }, { O: Acme }, { CN: three.example }]
        use_common_name_for_san: false
        digest: sha512
        ocsp_must_staple: true
    - name: a CSR removed
      community.crypto.openssl_csr: { path: /etc/ssl/c/old.csr, state: absent }
`
// subjects, extensions and signature algorithms as openssl prints them; whether each CSR's key is its private key
const STATE = `cd /etc/ssl/c && for f in *.csr; do
  echo "== $f $(stat -c '%U:%G %a' "$f")"
  openssl req -in "$f" -noout -subject -nameopt oneline
  openssl req -in "$f" -noout -verify 2>&1 | grep -o 'verify OK' || echo 'not a CSR openssl reads'
  openssl req -in "$f" -noout -text | awk '/Signature Algorithm/ && !done {print; done=1} /Requested Extensions:/{on=1;next} /Signature Algorithm/{on=0} on'
done
for p in one:rsa two:ed three:ec; do
  a=$(openssl req -in "\${p%:*}.csr" -noout -pubkey | sha256sum)
  b=$(openssl pkey -in "\${p#*:}.key" -passin 'pass:open sesame: 1' -pubout | sha256sum)
  [ "$a" = "$b" ] && echo "\${p%:*} key matches" || echo "\${p%:*} key differs"
done`

describe('openssl_csr on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['csr-a', 'csr-b'])
  const root = hostConnections(bed, 'csr-a')
  const sides = new SideBySide(bed, 'csr-a', 'csr-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['csr-a', 'csr-b']) {
      const r = await bed().exec(h, 'mkdir -p /etc/ssl/c && echo junk > /etc/ssl/c/old.csr')
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode on the fresh host predicts the run; both tools leave the same subjects, extensions and keys', async () => {
    const state = await sides.firstRun(7)
    assert.match(state, /^== one\.csr root:root 640\nsubject=CN = www\.example\.com\n.*verify OK/m)
    assert.match(
      state,
      /X509v3 Subject Alternative Name: \n\s+DNS:www\.example\.com, DNS:example\.com, IP Address:10\.231\.0\.1, IP Address:2001:DB8:0:0:0:0:0:1\n/,
    )
    assert.match(state, /subject=C = DE, CN = ca\.example, O = "Example & Co, Ltd", OU = ops, OU = sec #1\n/)
    assert.match(state, /X509v3 Basic Constraints: critical\n\s+CA:TRUE, pathlen:0\n/)
    assert.match(
      state,
      /subject=C = FR, O = Acme, CN = three\.example\nverify OK\n\s+TLS Feature: \n\s+status_request\n\s+Signature Algorithm: ecdsa-with-SHA512\n/,
    )
    assert.match(state, /DNS:ca\.example\n.*\n.*CA:TRUE, pathlen:0\n\s+Signature Algorithm: ED25519\n/)
    assert.match(state, /one key matches\ntwo key matches\nthree key matches/)
    assert.doesNotMatch(state, /old\.csr/)
    // Ansible's module, on acplay's host, wants nothing changed in acplay's CSR
    const theirs = await ansibleModule(bed(), 'csr-a', 'community.crypto.openssl_csr', JSON.stringify(ONE))
    assert.equal(theirs.changed, false, JSON.stringify(theirs))
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a subject changed by hand and a key replaced under its CSR: found in check mode, repaired alike', async () => {
    await sides.drift(
      `set -e; cd /etc/ssl/c; openssl req -new -key rsa.key -subj /CN=other.example -out one.csr
       openssl genpkey -quiet -algorithm ED25519 -out ed.key`,
      3,
    )
    assert.match(await sides.state('csr-a'), /^== one\.csr root:root 640\nsubject=CN = www\.example\.com$/m)
  })

  it("failures in Ansible's words: a key that does not open, a SAN without its type", async () => {
    const noPass = await realRun(opensslCsr, { path: '/etc/ssl/c/one.csr', privatekey_path: '/etc/ssl/c/ed.key', common_name: 'x' }, root())
    const theirs = await ansibleModule(
      bed(),
      'csr-b',
      'community.crypto.openssl_csr',
      'path=/etc/ssl/c/one.csr privatekey_path=/etc/ssl/c/ed.key common_name=x',
    )
    assert.equal(noPass.status, 'failed')
    assert.equal(noPass.msg, theirs.msg)
    const san = await realRun(opensslCsr, { path: '/etc/ssl/c/x.csr', privatekey_path: '/etc/ssl/c/rsa.key', subject_alt_name: ['www.example.com'] }, root())
    const theirSan = await ansibleModule(
      bed(),
      'csr-b',
      'community.crypto.openssl_csr',
      'path=/etc/ssl/c/x.csr privatekey_path=/etc/ssl/c/rsa.key subject_alt_name=www.example.com',
    )
    assert.equal(san.msg, theirSan.msg)
  })
})
