/**
 * openssh_keypair on real hosts, side by side with ansible-playbook (community.crypto 2.14: its
 * opensshbin backend, and with a passphrase its cryptography backend, which needs python3-bcrypt on
 * the host: installed on Ansible's host from Debian's package; acplay needs only ssh-keygen): rsa,
 * ed25519 with a comment, owner, group and mode, ecdsa with a passphrase, dsa, a pair removed; the
 * same files, modes, owners, key types, sizes and comments, the same results and changed counts,
 * check mode predicting the first run and creating nothing; drift (a new comment by hand: set back
 * without a new key; a .pub deleted: restored from the private key; a pair deleted: made again);
 * then each regenerate policy on a key of the wrong type or size, and a passphrase that does not
 * open the key, with Ansible's failure words. Keys are random: the state compared is what they are.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { before, describe, it } from 'node:test'
import { SideBySide, type PlaybookRun } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PASS = 's3cret: pass phrase'
const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    key_pass: "${PASS}"
  tasks:
    - name: rsa
      community.crypto.openssh_keypair: { path: /srv/keys/id_rsa, size: 2048 }
      register: r1
    - name: ed25519 with a comment, owner, group and mode
      community.crypto.openssh_keypair: { path: /srv/keys/id_ed25519, type: ed25519, comment: "deploy@web", owner: deploy, group: deploy, mode: "0640" }
      register: r2
    - name: ecdsa with a passphrase
      community.crypto.openssh_keypair: { path: /srv/keys/id_ecdsa, type: ecdsa, size: 384, passphrase: "{{ key_pass }}", comment: ec }
      register: r3
    - name: dsa
      openssh_keypair: { path: /srv/keys/id_dsa, type: dsa, comment: old }
      register: r4
    - name: a pair removed
      community.crypto.openssh_keypair: { path: /srv/keys/old, state: absent }
      register: r5
    - name: results
      debug:
        msg: "{{ [r1, r2, r3, r4, r5] | map(attribute='changed') | list }} {{ [r1, r2, r3, r4, r5] | map(attribute='filename') | list }} {{ [r1, r2, r3, r4, r5] | map(attribute='size') | list }} {{ [r1, r2, r3, r4, r5] | map(attribute='type') | list }} {{ [r1, r2, r3, r4, r5] | map(attribute='comment') | list }} {{ [r1, r2, r3, r4, r5] | map(attribute='public_key') | map('regex_replace', ' .*') | list }} {{ [r1, r2, r3, r4, r5] | map(attribute='fingerprint') | map('regex_replace', ':.*') | list }}"
`
const SEED = `set -e
mkdir -p /srv/keys && cd /srv/keys && ssh-keygen -q -N '' -t ed25519 -C gone -f old
ssh-keygen -q -N '' -t ed25519 -C hand -f wrongtype; ssh-keygen -q -N '' -t ecdsa -C hand -f wrongsize
cp wrongtype neverkept; cp wrongtype.pub neverkept.pub; cp wrongtype failing; cp wrongtype.pub failing.pub
ssh-keygen -q -N 'another' -t ecdsa -f locked; cp locked relocked; cp locked.pub relocked.pub`
// what each file is (never its bytes): attributes, a private key's format, size, type and whether it
// opens without the passphrase (and with it), a public key's type, field count and comment; then
// whether each .pub is its private key's
const STATE = `cd /srv/keys && for f in *; do
  printf '%s %s ' "$f" "$(stat -c '%U:%G %a' "$f")"
  case $f in
  *.pub) awk '{ print $1, NF, $3 }' "$f" ;;
  *) printf '%s %s ' "$(head -n1 "$f")" "$(ssh-keygen -l -f "$f" | awk '{ print $1, $NF }')"
     ssh-keygen -P '' -y -f "$f" >/dev/null 2>&1 && echo plain || { ssh-keygen -P '${PASS}' -y -f "$f" >/dev/null 2>&1 && echo passphrase || echo locked; } ;;
  esac
done
for f in *.pub; do k=\${f%.pub}; [ "$(ssh-keygen -P '${PASS}' -y -f "$k" 2>/dev/null | cut -d' ' -f2)" = "$(cut -d' ' -f2 "$f")" ] && echo "$k matches"; done`
const POLICIES = `- hosts: all
  gather_facts: false
  tasks:
    - name: fail on a key of another type
      community.crypto.openssh_keypair: { path: /srv/keys/failing, type: rsa, size: 2048, regenerate: fail }
      ignore_errors: true
    - name: never keeps it
      community.crypto.openssh_keypair: { path: /srv/keys/neverkept, type: rsa, size: 2048, regenerate: never }
    - name: partial_idempotence replaces it
      community.crypto.openssh_keypair: { path: /srv/keys/wrongtype, type: rsa, size: 2048 }
    - name: another size, full_idempotence
      community.crypto.openssh_keypair: { path: /srv/keys/wrongsize, type: ecdsa, size: 521, regenerate: full_idempotence }
    - name: a key another passphrase locks fails by default
      community.crypto.openssh_keypair: { path: /srv/keys/locked, type: ecdsa, passphrase: "${PASS}" }
      ignore_errors: true
    - name: and is replaced with full_idempotence
      community.crypto.openssh_keypair: { path: /srv/keys/relocked, type: ecdsa, passphrase: "${PASS}", regenerate: full_idempotence }
    - name: a locked key without a passphrase fails too
      community.crypto.openssh_keypair: { path: /srv/keys/locked, type: ecdsa, regenerate: never }
      ignore_errors: true
`

/** The results task's line, and every failure's message, as printed. */
function shown(run: PlaybookRun): string[] {
  const results = /"msg": "(\[.*)"/.exec(run.stdout.slice(run.stdout.indexOf('TASK [results]')))?.[1] ?? ''
  const failures = [...run.stdout.matchAll(/FAILED! => .*"msg": "([^"]*)"/g)].map((m) => m[1]!)
  return [results, ...failures].filter(Boolean)
}

/** ssh-keygen's fingerprint of each private key, to tell a key kept from a key made again. */
async function fingerprints(bed: () => { exec(h: string, s: string): Promise<{ stdout: string }> }, host: string): Promise<string> {
  return (await bed().exec(host, `cd /srv/keys && for f in id_rsa id_ed25519 neverkept; do [ -e $f ] && ssh-keygen -l -f $f | cut -d' ' -f2; done`)).stdout
}

describe('openssh_keypair on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['ssk-a', 'ssk-b'])
  const sides = new SideBySide(bed, 'ssk-a', 'ssk-b', PLAYBOOK, STATE)
  const policies = new SideBySide(bed, 'ssk-a', 'ssk-b', POLICIES, STATE)
  before(async () => {
    // Ansible's cryptography backend writes encrypted OpenSSH keys with bcrypt: Debian's package on its host
    const dir = mkdtempSync(join(tmpdir(), 'acplay-bcrypt-'))
    try {
      try {
        execFileSync('apt-get', ['download', 'python3-bcrypt'], { cwd: dir, stdio: 'pipe' })
      } catch {
        // a machine whose package lists were never fetched
        execFileSync('apt-get', ['update', '-qq'], { stdio: 'pipe' })
        execFileSync('apt-get', ['download', 'python3-bcrypt'], { cwd: dir, stdio: 'pipe' })
      }
      const deb = readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.deb'))!)).toString('base64')
      const r = await bed().exec('ssk-b', `echo ${deb} | base64 -d > /tmp/bcrypt.deb && dpkg -i /tmp/bcrypt.deb >/dev/null && rm /tmp/bcrypt.deb`)
      assert.equal(r.rc, 0, r.stderr)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    // both hosts start from the same hand-made keys
    const a = await bed().exec('ssk-a', `${SEED}\ntar -C /srv -czf - keys | base64 -w0`)
    assert.equal(a.rc, 0, a.stderr)
    const b = await bed().exec('ssk-b', `mkdir -p /srv && echo ${a.stdout.trim().split('\n').pop()} | base64 -d | tar -C /srv -xzf -`)
    assert.equal(b.rc, 0, b.stderr)
  })

  it('check mode on the fresh host predicts the run and creates nothing; both tools leave the same pairs and return the same values', async () => {
    const fresh = await sides.state('ssk-a')
    const check = await sides.run('acplay', { check: true })
    assert.equal(check.code, 0, check.stdout + check.stderr)
    assert.equal(await sides.state('ssk-a'), fresh, 'check mode changed nothing')
    const [mine, theirs] = await sides.both(5)
    assert.deepEqual(check.recap, mine.recap, 'check mode predicted exactly what the run did')
    assert.deepEqual(shown(mine), shown(theirs))
    assert.equal(
      shown(mine)[0],
      "[True, True, True, True, True] ['/srv/keys/id_rsa', '/srv/keys/id_ed25519', '/srv/keys/id_ecdsa', '/srv/keys/id_dsa', '/srv/keys/old'] " +
        "[2048, 256, 384, 1024, 4096] ['rsa', 'ed25519', 'ecdsa', 'dsa', 'rsa'] ['', 'deploy@web', 'ec', 'old', 'gone'] " +
        "['ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp384', 'ssh-dss', 'ssh-ed25519'] ['SHA256', 'SHA256', 'SHA256', 'SHA256', 'SHA256']",
    )
    const state = await sides.sameState()
    assert.match(state, /^id_ed25519 deploy:deploy 640 -----BEGIN OPENSSH PRIVATE KEY----- 256 \(ED25519\) plain$/m)
    assert.match(state, /^id_ed25519\.pub deploy:deploy 640 ssh-ed25519 3 deploy@web$/m)
    assert.match(state, /^id_ecdsa root:root 600 -----BEGIN OPENSSH PRIVATE KEY----- 384 \(ECDSA\) passphrase$/m)
    assert.match(state, /^id_ecdsa\.pub root:root 644 ecdsa-sha2-nistp384 3 ec$/m)
    assert.match(state, /^id_rsa root:root 600 -----BEGIN OPENSSH PRIVATE KEY----- 2048 \(RSA\) plain$/m)
    assert.match(state, /^id_rsa\.pub root:root 644 ssh-rsa 2 $/m)
    assert.match(state, /^id_dsa root:root 600 .* 1024 \(DSA\) plain$/m)
    assert.doesNotMatch(state, /^old/m)
    for (const k of ['id_rsa', 'id_ed25519', 'id_ecdsa', 'id_dsa']) assert.match(state, new RegExp(`^${k} matches$`, 'm'))
    assert.doesNotMatch(check.stdout + check.stderr + mine.stdout + mine.stderr, /s3cret/)
  })

  it('re-runs change nothing with either tool, and return the same values; check mode on the converged host is all ok', async () => {
    const [mine, theirs] = await sides.both(0)
    assert.deepEqual(shown(mine), shown(theirs))
    const check = await sides.run('acplay', { check: true })
    assert.equal(check.recap.changed, 0, check.stdout)
  })

  it('drift: a comment changed by hand is set back without a new key, a deleted .pub is restored from its key, a deleted pair is made again', async () => {
    const before = await fingerprints(bed, 'ssk-a')
    await sides.drift(`set -e; cd /srv/keys; ssh-keygen -q -c -C 'by hand' -f id_ed25519 >/dev/null; rm id_rsa.pub; rm id_dsa id_dsa.pub; rm id_ecdsa.pub`, 4)
    assert.equal(await fingerprints(bed, 'ssk-a'), before, 'the same keys: only the comment and the .pub were written')
    const state = await sides.state('ssk-a')
    assert.match(state, /^id_ed25519\.pub deploy:deploy 640 ssh-ed25519 3 deploy@web$/m)
    // a restored .pub has no comment but the one asked for (the key's own is not copied)
    assert.match(state, /^id_rsa\.pub root:root 644 ssh-rsa 2 $/m)
    assert.match(state, /^id_ecdsa\.pub root:root 644 ecdsa-sha2-nistp384 3 ec$/m)
    assert.match(state, /^id_dsa root:root 600 .* 1024 \(DSA\) plain$/m)
    // ssh-keygen -c set the comment in the private key too, as Ansible's opensshbin backend does
    const inKey = await bed().exec('ssk-a', "ssh-keygen -P '' -y -f /srv/keys/id_ed25519 | cut -d' ' -f3")
    assert.equal(inKey.stdout.trim(), 'deploy@web')
  })

  it("each regenerate policy on the wrong key: Ansible's failures, keys kept and replaced alike; a passphrase that does not open the key", async () => {
    const kept = (await fingerprints(bed, 'ssk-a')).split('\n')[2]
    const check = await policies.run('acplay', { check: true })
    const [mine, theirs] = await policies.both(3)
    assert.deepEqual(check.recap, mine.recap, 'check mode predicted the failures and the changes')
    assert.deepEqual(shown(mine), shown(theirs))
    assert.deepEqual(shown(mine), [
      'Key has wrong type and/or size. Will not proceed. To force regeneration, call the module with `generate` set to `partial_idempotence`, `full_idempotence` or `always`, or with `force=true`.',
      'Unable to read the key. The key is protected with a passphrase or broken. Will not proceed. To force regeneration, call the module with `generate` set to `full_idempotence` or `always`, or with `force=true`.',
      'Unable to read the key. The key is protected with a passphrase or broken. Will not proceed. To force regeneration, call the module with `generate` set to `full_idempotence` or `always`, or with `force=true`.',
    ])
    const state = await policies.sameState()
    assert.equal((await fingerprints(bed, 'ssk-a')).split('\n')[2], kept, 'never kept the key')
    assert.match(state, /^failing root:root 600 .* 256 \(ED25519\) plain$/m)
    assert.match(state, /^neverkept root:root 600 .* 256 \(ED25519\) plain$/m)
    assert.match(state, /^wrongtype root:root 600 .* 2048 \(RSA\) plain$/m)
    assert.match(state, /^wrongsize root:root 600 .* 521 \(ECDSA\) plain$/m)
    assert.match(state, /^locked root:root 600 .* 256 \(ECDSA\) locked$/m)
    assert.match(state, /^relocked root:root 600 .* 256 \(ECDSA\) passphrase$/m)
    await policies.rerun(0)
  })
})
