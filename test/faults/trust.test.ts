/**
 * Trust faults: a host key that changed, one never seen (default policy and accept-new), sudo that
 * wants a password, a become user that does not exist. Refused at once, with a message that says
 * what to do; accept-new records the keys it accepts and still refuses a changed one (as OpenSSH).
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { assertNoStackTrace, recapOf, runAcplay, scratch } from './helpers.js'

const PING = `- hosts: all
  gather_facts: false
  tasks:
    - ping:
`
const BECOME = `- hosts: all
  gather_facts: false
  tasks:
    - command: id -un
      become: true
      become_user: "{{ who }}"
`

describe('host keys and become under faults', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['k1'])
  const dir = scratch('faults-trust', { 'ping.yml': PING, 'become.yml': BECOME })
  after(() => rmSync(dir, { recursive: true, force: true }))

  /** An inventory for k1 with this known_hosts file and StrictHostKeyChecking policy (none: the default). */
  const inventory = (knownHosts: string, policy?: string, user = 'root') => {
    const h = bed().host('k1')
    const file = join(dir, `inv-${Math.random().toString(36).slice(2)}.ini`)
    const args = [`-o UserKnownHostsFile=${knownHosts}`, ...(policy ? [`-o StrictHostKeyChecking=${policy}`] : [])].join(' ')
    writeFileSync(file, `k1 ansible_host=${h.address} ansible_user=${user} ansible_ssh_private_key_file=${bed().key} ansible_ssh_common_args='${args}'\n`)
    return file
  }
  const ping = (inv: string) => runAcplay(['run', join(dir, 'ping.yml'), '-i', inv])

  it('a changed host key is refused by default and with accept-new', async () => {
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'other')])
    const otherKey = readFileSync(join(dir, 'other.pub'), 'utf8').split(' ').slice(0, 2).join(' ')
    const changed = join(dir, 'changed_known_hosts')
    writeFileSync(changed, `${bed().host('k1').address} ${otherKey}\n`)
    for (const policy of [undefined, 'yes', 'accept-new']) {
      const r = await ping(inventory(changed, policy))
      assertNoStackTrace(r)
      assert.equal(r.code, 4, `${policy}: ${r.stdout}${r.stderr}`)
      assert.match(r.stdout, /UNREACHABLE! .*E_HOSTKEY: host key for 10\.231\.\d+\.11:22 does NOT match .*refusing to connect/, String(policy))
      // at once: well under the 10 s connect timeout (a loaded machine, two test files at once, takes seconds)
      assert.ok(r.ms < 9000, `${r.ms} ms`)
    }
    assert.equal(readFileSync(changed, 'utf8'), `${bed().host('k1').address} ${otherKey}\n`, 'accept-new did not replace the recorded key')
  })

  it('an unknown host key: refused by default; accept-new connects and records it, and later runs check it', async () => {
    const empty = join(dir, 'empty_known_hosts')
    writeFileSync(empty, '')
    const refused = await ping(inventory(empty))
    assertNoStackTrace(refused)
    assert.equal(refused.code, 4)
    assert.match(refused.stdout, /E_HOSTKEY: host key for .* is not in .*empty_known_hosts; add it \(ssh-keyscan\), or set StrictHostKeyChecking=accept-new/)
    const fresh = join(dir, 'sub', 'known_hosts') // accept-new creates the file (and its directory)
    const accepted = await ping(inventory(fresh, 'accept-new'))
    assert.equal(accepted.code, 0, accepted.stdout + accepted.stderr)
    const recorded = readFileSync(fresh, 'utf8')
    const trusted = readFileSync(bed().knownHostsFile, 'utf8')
    const line = recorded.trim().split('\n')
    assert.equal(line.length, 1, recorded)
    assert.match(line[0]!, /^10\.231\.\d+\.11 ssh-ed25519 \S+$/)
    assert.ok(trusted.includes(line[0]!.split(' ')[2]!), 'the recorded key is the host key the testbed made')
    const later = await ping(inventory(fresh))
    assert.equal(later.code, 0, 'the default policy now finds the recorded key')
  })

  it('sudo that wants a password fails at once, clearly; so does an unknown become user', async () => {
    const b = bed()
    const setup = await b.exec(
      'k1',
      `id pwuser >/dev/null 2>&1 || useradd -m -s /bin/bash pwuser
install -d -m 700 -o pwuser -g pwuser ~pwuser/.ssh
install -m 600 -o pwuser -g pwuser /root/.ssh/authorized_keys ~pwuser/.ssh/authorized_keys
echo 'pwuser ALL=(ALL) ALL' > /etc/sudoers.d/pwuser && chmod 0440 /etc/sudoers.d/pwuser`,
    )
    assert.equal(setup.rc, 0, setup.stderr)
    const wants = await runAcplay(['run', join(dir, 'become.yml'), '-i', inventory(b.knownHostsFile, undefined, 'pwuser'), '-e', 'who=root'])
    assertNoStackTrace(wants)
    assert.equal(wants.code, 2, wants.stdout + wants.stderr)
    assert.match(wants.stdout, /sudo on k1 wants a password; acplay's become needs passwordless sudo \(sudo -n\) for user root/)
    assert.ok(wants.ms < 9000, `${wants.ms} ms: no waiting for a prompt`)
    const unknown = await runAcplay(['run', join(dir, 'become.yml'), '-i', inventory(b.knownHostsFile, undefined, 'deploy'), '-e', 'who=nosuchuser'])
    assertNoStackTrace(unknown)
    assert.equal(unknown.code, 2)
    assert.match(unknown.stdout, /become to nosuchuser refused on k1: sudo: unknown user nosuchuser/)
    assert.equal(recapOf(unknown.stdout, 'k1')?.failed, 1)
  })
})
