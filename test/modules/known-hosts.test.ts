/**
 * known_hosts on real hosts: acplay on n1, Debian's ansible-playbook on n2 with the same tasks; the
 * files agree (hashed names compared without their random salt) and so does `changed`, step by step.
 * Check mode predicts each run; a hand-deleted entry is put back; ssh itself accepts what was written.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ModuleOutcome } from '../../engine/module-runner.js'
import { knownHosts } from '../../modules/known-hosts.js'
import { differential } from '../helpers/ansible-diff.js'
import { checkRun, predictThenRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

// hashed host fields carry a fresh random salt on every write
const unsalt = (s: string) => s.replace(/\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+/g, '|1|SALT|HASH')
const normalize = (o: ModuleOutcome) => JSON.parse(unsalt(JSON.stringify({ status: o.status, msg: o.msg, changes: o.changes, data: o.data })))

describe('known_hosts on a real host (differential against ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['n1', 'n2'])
  const [root, deploy] = osEnvs(bed, 'n1')
  const keys: string[] = []
  const key = (i: number) => keys[i]!.split(' ').slice(0, 2).join(' ')

  it('converges like ansible-playbook: same file, same changed per step; check mode predicts each run', async () => {
    // the hosts' own host keys are the keys under test
    for (const t of ['ed25519', 'ecdsa', 'rsa']) keys.push(await sh(bed(), 'n1', `cat /etc/ssh/ssh_host_${t}_key.pub`))
    const other = await sh(bed(), 'n2', 'cat /etc/ssh/ssh_host_ed25519_key.pub')
    const setup = `rm -f /root/.ssh/known_hosts*; mkdir -p /srv/kh; printf '%s\\n' '@revoked web1 ${key(0)}' 'web1,10.0.0.1 ${other.split(' ').slice(0, 2).join(' ')}' '# kept' > /srv/kh/known; chmod 0640 /srv/kh/known`
    await Promise.all([sh(bed(), 'n1', setup), sh(bed(), 'n2', setup)])
    const steps: Record<string, unknown>[] = [
      { name: 'db1', key: `db1 ${key(0)}` },
      { name: 'db1', key: `db1 ${key(0)}` },
      // the same type, another key: replaced
      { name: 'DB1', key: `db1 ${other}` },
      { name: 'db1', key: `db1 ${key(1)}` },
      { name: 'db2', key: `db2 ${key(0)}`, hash_host: true },
      { name: 'db2', key: `db2 ${key(0)}`, hash_host: true },
      { name: '[db3]:2222', key: `[db3]:2222 ${key(2)}` },
      { name: 'db1', key: `db1 ${key(2)}`, state: 'absent' },
      { name: 'db1', state: 'absent' },
      { name: 'db1', state: 'absent' },
      { name: 'web1', key: `web1 ${key(0)}`, path: '/srv/kh/known' },
      { name: 'web1', key: `web1 ${key(0)}`, path: '/srv/kh/known' },
      { name: 'db4', key: `db5 ${key(0)}` },
      { name: 'db4,db5', key: `db4 ${key(0)}` },
    ]
    const run = async (args: Record<string, unknown>) => (await predictThenRun(knownHosts, args, root!.env(), normalize)).applied
    await differential(bed(), 'n2', { module: 'ansible.builtin.known_hosts', mine: steps, run })
    const files = (h: string) =>
      sh(bed(), h, 'cat /root/.ssh/known_hosts /srv/kh/known; stat -c "%n %a %U" /root/.ssh/known_hosts /root/.ssh/known_hosts.old /srv/kh/known')
    assert.equal(unsalt(await files('n1')), unsalt(await files('n2')))
  })

  it('what acplay writes, ssh trusts: n1 connects to n2 by a hashed name with strict host key checking', async () => {
    const n2 = bed().hosts.find((h) => h.name === 'n2')!
    const args = {
      name: n2.address,
      key: `${n2.address} ${(await sh(bed(), 'n2', 'cat /etc/ssh/ssh_host_ed25519_key.pub')).split(' ').slice(0, 2).join(' ')}`,
      hash_host: true,
    }
    await predictThenRun(knownHosts, args, root!.env(), normalize)
    const r = await bed().exec('n1', `ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=5 root@${n2.address} true 2>&1; true`)
    // the key is trusted (no host key complaint); authentication itself is not set up
    assert.match(r.stdout, /Permission denied/)
    assert.doesNotMatch(r.stdout, /Host key verification failed|REMOTE HOST IDENTIFICATION/)
  })

  it('check mode on a fresh user predicts the run (become); a deleted entry is put back', async () => {
    await sh(bed(), 'n1', 'useradd -m carol && mkdir -m 0700 ~carol/.ssh && chown carol: ~carol/.ssh')
    const env = { ...deploy!.env(), become: { user: 'carol' } }
    const args = { name: 'git.internal', key: `git.internal ${key(0)}` }
    assert.equal((await checkRun(knownHosts, args, env)).status, 'changed')
    assert.equal(await sh(bed(), 'n1', 'test -e ~carol/.ssh/known_hosts && echo yes || echo no'), 'no')
    const { applied } = await predictThenRun(knownHosts, args, env, normalize)
    assert.equal(applied.data.path, '/home/carol/.ssh/known_hosts')
    assert.equal(await sh(bed(), 'n1', 'stat -c "%a %U" ~carol/.ssh/known_hosts'), '644 carol')
    assert.equal((await realRun(knownHosts, args, env)).status, 'ok')
    await sh(bed(), 'n1', ': > ~carol/.ssh/known_hosts')
    assert.equal((await checkRun(knownHosts, args, env)).status, 'changed', 'drift seen')
    await predictThenRun(knownHosts, args, env, normalize)
    assert.equal(await sh(bed(), 'n1', 'cat ~carol/.ssh/known_hosts'), `git.internal ${key(0)}`)
  })
})
