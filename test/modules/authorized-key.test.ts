/**
 * authorized_key on real hosts: acplay on k1, Debian's ansible-playbook (ansible.posix) on k2 with the
 * same tasks; the files (bytes, owner, mode) and `changed` agree step by step. Check mode predicts
 * each run exactly; drift (a key deleted by hand) is repaired.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { authorizedKey } from '../../modules/authorized-key.js'
import { differential } from '../helpers/ansible-diff.js'
import { checkRun, predictThenRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

describe('authorized_key on a real host (differential against ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['k1', 'k2'])
  const [root, deploy] = osEnvs(bed, 'k1')
  let dir = ''
  const pub: string[] = []
  let url = (_h: string) => ''
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'acplay-keys-'))
    for (const n of [1, 2, 3, 4]) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `user${n}@example`, '-f', join(dir, `k${n}`)])
      pub.push(readFileSync(join(dir, `k${n}.pub`), 'utf8').trim())
    }
    writeFileSync(join(dir, 'keys.txt'), `${pub[3]}\n`)
    const served = await bed().serve(dir)
    url = (h) => `${served.urlFor(h)}keys.txt`
    const setup = `useradd -m -s /bin/bash alice && mkdir -p /srv/ak && printf '%s\\n' '# managed elsewhere' > /srv/ak/keys && chmod 0644 /srv/ak/keys`
    await Promise.all([sh(bed(), 'k1', setup), sh(bed(), 'k2', setup)])
  })
  after(() => rmSync(dir, { recursive: true, force: true }))
  const bare = (i: number) => pub[i]!.split(' ').slice(0, 2).join(' ')
  const state = (h: string) =>
    sh(bed(), h, 'cat -A ~alice/.ssh/authorized_keys /srv/ak/keys; stat -c "%n %a %U:%G" ~alice/.ssh ~alice/.ssh/authorized_keys /srv/ak/keys')

  const steps = (h: string): Record<string, unknown>[] => [
    { user: 'alice', key: pub[0] },
    { user: 'alice', key: pub[0] },
    { user: 'alice', key: pub[0], key_options: 'no-pty,from="10.0.0.1"' },
    // the same options in another order: the same key
    { user: 'alice', key: pub[0], key_options: 'from="10.0.0.1",no-pty' },
    { user: 'alice', key: bare(1), comment: 'two' },
    // no comment: Ansible writes "TYPE KEY " with a trailing space
    { user: 'alice', key: bare(2) },
    { user: 'alice', key: pub[1], state: 'absent' },
    { user: 'alice', key: `${pub[0]}\n# a comment\n${bare(2)}`, exclusive: true },
    { user: 'alice', key: `${pub[0]}\n${bare(2)}`, exclusive: true },
    { user: 'alice', key: url(h), path: '/srv/ak/keys', manage_dir: false },
    { user: 'alice', key: url(h), path: '/srv/ak/keys', manage_dir: false },
    { user: 'nobody-here', key: pub[0] },
    { user: 'alice', key: 'not a key' },
  ]

  it('converges like ansible-playbook: same files, owners, modes; same changed per step; check mode predicts each run', async () => {
    const run = async (args: Record<string, unknown>) => (await predictThenRun(authorizedKey, args, root!.env())).applied
    const d = await differential(bed(), 'k2', { module: 'ansible.posix.authorized_key', mine: steps('k1'), theirs: steps('k2'), run })
    d.theirs.forEach((t, i) => {
      if (!t.failed) assert.equal(d.mine[i]!.data.keyfile, t.result.keyfile, `step ${i} keyfile`)
    })
    const mine = await state('k1')
    assert.equal(mine, await state('k2'))
    assert.match(mine, /\/home\/alice\/\.ssh 700 alice:alice\n\/home\/alice\/\.ssh\/authorized_keys 600 alice:alice\n\/srv\/ak\/keys 600 alice:alice$/)
  })

  it('check mode on a fresh account predicts the run; drift (a key deleted by hand) is repaired; become works', async () => {
    await sh(bed(), 'k1', 'useradd -m bob')
    const args = { user: 'bob', key: `${pub[0]}\n${pub[1]}`, key_options: 'no-agent-forwarding' }
    const c = await checkRun(authorizedKey, args, deploy!.env())
    assert.equal(c.status, 'changed')
    assert.equal(await sh(bed(), 'k1', 'test -e ~bob/.ssh && echo yes || echo no'), 'no', 'check mode changes nothing')
    await predictThenRun(authorizedKey, args, deploy!.env())
    assert.equal((await realRun(authorizedKey, args, deploy!.env())).status, 'ok')
    await sh(bed(), 'k1', `sed -i '1d' ~bob/.ssh/authorized_keys`)
    assert.equal((await checkRun(authorizedKey, args, deploy!.env())).status, 'changed', 'drift seen')
    await predictThenRun(authorizedKey, args, deploy!.env())
    assert.equal(
      await sh(bed(), 'k1', 'cut -d" " -f1-3 ~bob/.ssh/authorized_keys | sort'),
      [`no-agent-forwarding ${bare(0)}`, `no-agent-forwarding ${bare(1)}`].sort().join('\n'),
    )
  })
})
