/**
 * user's generate_ssh_key on real hosts, side by side with ansible-playbook: a key in the home's
 * default place (rsa, bits and comment given) and one at an absolute path in a directory that does
 * not exist yet (ed25519, Ansible's default comment with the host's name); the registered values,
 * modes and owners alike; an existing key is kept (no change), a missing one made again.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: a user with a key pair in its home
      user: { name: keyed, shell: /bin/bash, generate_ssh_key: true, ssh_key_bits: 2048, ssh_key_comment: "keyed@acplay" }
      register: k
    - name: what the result says
      copy:
        content: "{{ k.ssh_key_file }} {{ k.ssh_fingerprint.split()[0] if k.ssh_fingerprint else '-' }} {{ k.ssh_public_key.split()[0] if k.ssh_public_key else '-' }}\\n"
        dest: /root/keyed.seen
    - name: a key at an absolute path, its directory made
      user: { name: keyed, generate_ssh_key: true, ssh_key_type: ed25519, ssh_key_file: /srv/keys/deploy }
`

// the default comment names the host: the two hosts' names differ
const STATE = `for f in /home/keyed/.ssh/id_rsa /srv/keys/deploy; do
  echo "== $f"; stat -c '%n %a %U:%G' "$(dirname "$f")" "$f" "$f.pub" 2>&1
  awk '{print $1, $3, $4, $5}' "$f.pub" 2>&1 | sed "s/$(hostname)/HOST/"
  ssh-keygen -l -f "$f" 2>&1 | awk '{print $1, $NF}'
done; cat /root/keyed.seen 2>&1`

describe('user generate_ssh_key on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['ukey-a', 'ukey-b'])
  const sides = new SideBySide(bed, 'ukey-a', 'ukey-b', PLAYBOOK, STATE)

  it('check mode on the fresh host predicts the run; both tools make the same keys, modes and owners', async () => {
    const state = await sides.firstRun(3)
    assert.equal(
      state,
      [
        '== /home/keyed/.ssh/id_rsa',
        '/home/keyed/.ssh 700 keyed:keyed',
        '/home/keyed/.ssh/id_rsa 600 keyed:keyed',
        '/home/keyed/.ssh/id_rsa.pub 644 keyed:keyed',
        'ssh-rsa keyed@acplay  ',
        '2048 (RSA)',
        '== /srv/keys/deploy',
        '/srv/keys 700 keyed:keyed',
        '/srv/keys/deploy 600 keyed:keyed',
        '/srv/keys/deploy.pub 644 keyed:keyed',
        'ssh-ed25519 ansible-generated on HOST',
        '256 (ED25519)',
        '/home/keyed/.ssh/id_rsa 2048 ssh-rsa',
        '',
      ].join('\n'),
    )
  })

  it('re-runs keep the keys with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('a key removed by hand is made again by both; a lone private key is kept', async () => {
    // the lone private key is kept, so the registered public key is gone: the copy of it changes too
    await sides.drift('rm -r /srv/keys; rm /home/keyed/.ssh/id_rsa.pub', 2)
  })
})
