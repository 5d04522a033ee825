/**
 * openssl_privatekey on real hosts, side by side with ansible-playbook (community.crypto 2.14 with
 * python3-cryptography on its host; acplay uses the host's openssl): RSA at the default size, ECC,
 * Ed25519 with a passphrase, PKCS#8 by request, a raw X25519 key, a key removed, hand-made keys kept
 * (regenerate's default and never); the same key types, sizes, curves, formats and attributes, the
 * same changed counts, check mode predicting the first run; drift (a key deleted, a key of another
 * type, a passphrase that no longer opens the key, a mode widened) repaired alike. Keys are random:
 * the state compared is what they are, not their bytes.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { Masker } from '../../engine/secrets.js'
import { opensslPrivatekey } from '../../modules/openssl-privatekey.js'
import { hostConnections } from '../helpers/connections.js'
import { ansibleModule, SideBySide } from '../helpers/differential.js'
import { realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    key_pass: "open sesame: 1"
  tasks:
    - name: RSA at the default size, group-readable
      community.crypto.openssl_privatekey: { path: /etc/ssl/k/rsa.key, mode: "0640", group: ssl-cert }
    - name: ECC
      community.crypto.openssl_privatekey: { path: /etc/ssl/k/ec.key, type: ECC, curve: secp384r1 }
    - name: Ed25519 with a passphrase
      community.crypto.openssl_privatekey: { path: /etc/ssl/k/ed.key, type: Ed25519, passphrase: "{{ key_pass }}", cipher: auto }
    - name: PKCS#8 asked for
      community.crypto.openssl_privatekey: { path: /etc/ssl/k/p8.key, size: 2048, format: pkcs8 }
    - name: raw X25519
      community.crypto.openssl_privatekey: { path: /etc/ssl/k/x.raw, type: X25519, format: raw }
    - name: a key removed
      community.crypto.openssl_privatekey: { path: /etc/ssl/k/old.key, state: absent }
    - name: a hand-made key of the wanted kind is kept
      community.crypto.openssl_privatekey: { path: /etc/ssl/k/hand.key, size: 2048 }
    - name: regenerate never keeps a key of another size
      community.crypto.openssl_privatekey: { path: /etc/ssl/k/never.key, regenerate: never }
`
const SEED = `set -e
mkdir -p /etc/ssl/k && getent group ssl-cert >/dev/null || groupadd ssl-cert
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out /etc/ssl/k/old.key
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 | openssl pkey -traditional -out /etc/ssl/k/hand.key
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:1024 | openssl pkey -traditional -out /etc/ssl/k/never.key
chmod 0600 /etc/ssl/k/*.key`
// what each key is (never its bytes), its first line, attributes; the hand-made ones by their hash
const STATE = `cd /etc/ssl/k && for f in *; do
  printf '%s %s ' "$f" "$(stat -c '%U:%G %a' "$f")"
  if [ "$f" = x.raw ]; then wc -c < "$f"; continue; fi
  printf '%s ' "$(head -n1 "$f")"
  openssl pkey -in "$f" -passin 'pass:open sesame: 1' -pubout 2>/dev/null | openssl pkey -pubin -noout -text | grep -E '^(Public-Key|ED25519|ASN1 OID)' | tr '\\n' ' '; echo
done; sha256sum hand.key never.key | cut -c1-16`

describe('openssl_privatekey on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['pk-a', 'pk-b'])
  const root = hostConnections(bed, 'pk-a')
  const sides = new SideBySide(bed, 'pk-a', 'pk-b', PLAYBOOK, STATE)
  let seeded: Record<string, string> = {}
  before(async () => {
    // both hosts start from the same hand-made keys, so their hashes compare
    const a = await bed().exec('pk-a', SEED)
    assert.equal(a.rc, 0, a.stderr)
    const keys = await bed().exec('pk-a', 'cd /etc/ssl/k && for f in hand.key never.key; do echo "$f $(base64 -w0 "$f")"; done')
    seeded = Object.fromEntries(
      keys.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ') as [string, string]),
    )
    const copy = Object.entries(seeded)
      .map(([f, b]) => `echo ${b} | base64 -d > /etc/ssl/k/${f}`)
      .join('\n')
    const b = await bed().exec('pk-b', `${SEED}\n${copy}\nchmod 0600 /etc/ssl/k/*.key`)
    assert.equal(b.rc, 0, b.stderr)
  })

  it('check mode on the fresh host predicts the run; both tools leave keys of the same kinds, formats and modes', async () => {
    const state = await sides.firstRun(6)
    assert.match(state, /^ec\.key root:root 600 -----BEGIN EC PRIVATE KEY----- Public-Key: \(384 bit\) ASN1 OID: secp384r1 $/m)
    assert.match(state, /^ed\.key root:root 600 -----BEGIN ENCRYPTED PRIVATE KEY----- ED25519 Public-Key: $/m)
    assert.match(state, /^hand\.key root:root 600 -----BEGIN RSA PRIVATE KEY----- Public-Key: \(2048 bit\) $/m)
    assert.match(state, /^never\.key root:root 600 -----BEGIN RSA PRIVATE KEY----- Public-Key: \(1024 bit\) $/m)
    assert.match(state, /^p8\.key root:root 600 -----BEGIN PRIVATE KEY----- Public-Key: \(2048 bit\) $/m)
    assert.match(state, /^rsa\.key root:ssl-cert 640 -----BEGIN RSA PRIVATE KEY----- Public-Key: \(4096 bit\) $/m)
    assert.match(state, /^x\.raw root:root 600 32$/m)
    assert.doesNotMatch(state, /old\.key/)
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a key deleted, a key of another type, a passphrase that no longer opens, a mode widened: found in check mode, repaired alike', async () => {
    const check = await sides.drift(
      `set -e; cd /etc/ssl/k; rm p8.key; openssl genpkey -quiet -algorithm ED25519 -out ec.key
       openssl genpkey -quiet -algorithm ED25519 -out ed.key; chmod 0644 hand.key`,
      4,
    )
    assert.doesNotMatch(check.stdout + check.stderr, /open sesame|BEGIN/)
    const state = await sides.state('pk-a')
    assert.match(state, /^ec\.key root:root 600 -----BEGIN EC PRIVATE KEY----- Public-Key: \(384 bit\)/m)
    assert.match(state, /^ed\.key root:root 600 -----BEGIN ENCRYPTED PRIVATE KEY-----/m)
    assert.match(state, /^hand\.key root:root 600 /m)
  })

  it("regenerate=fail and a missing directory fail with Ansible's words; return_content is returned and masked", async () => {
    const args = { path: '/etc/ssl/k/never.key', regenerate: 'fail' }
    const mine = await realRun(opensslPrivatekey, args, root())
    const theirs = await ansibleModule(bed(), 'pk-b', 'community.crypto.openssl_privatekey', 'path=/etc/ssl/k/never.key regenerate=fail')
    assert.equal(mine.status, 'failed')
    assert.equal(mine.msg, theirs.msg)
    const noDir = await realRun(opensslPrivatekey, { path: '/nonexistent/k.key' }, root())
    const theirNoDir = await ansibleModule(bed(), 'pk-b', 'community.crypto.openssl_privatekey', 'path=/nonexistent/k.key')
    assert.equal(noDir.msg, theirNoDir.msg)
    const masker = new Masker()
    const shown = await realRun(opensslPrivatekey, { path: '/etc/ssl/k/hand.key', size: 2048, return_content: true }, { ...root(), masker })
    assert.equal(shown.status, 'ok')
    assert.equal(shown.data.privatekey, Buffer.from(seeded['hand.key']!, 'base64').toString('utf8'))
    assert.doesNotMatch(masker.mask(JSON.stringify(shown.data)), /BEGIN RSA PRIVATE KEY/)
    // a new key's content comes back from the write, masked too
    const made = await realRun(opensslPrivatekey, { path: '/etc/ssl/k/new.key', type: 'Ed25519', return_content: true }, { ...root(), masker })
    assert.equal(made.status, 'changed')
    assert.match(String(made.data.privatekey), /^-----BEGIN PRIVATE KEY-----\n/)
    assert.doesNotMatch(masker.mask(JSON.stringify(made.data)), /BEGIN PRIVATE KEY/)
  })
})
