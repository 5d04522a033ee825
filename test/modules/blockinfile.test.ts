/**
 * blockinfile on real hosts: acplay on b1, Debian's ansible-playbook on b2 with the same tasks; end
 * states and `changed`/msg agree. Check mode on the fresh host predicts each run; drift is repaired.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { blockinfile } from '../../modules/blockinfile.js'
import { lineinfile } from '../../modules/lineinfile.js'
import { differential } from '../helpers/ansible-diff.js'
import { assertPredicts, checkRun, predictThenRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const SSHD = ['Port 22', 'PermitRootLogin no', 'Subsystem sftp internal-sftp', 'UsePAM yes'].join('\n')
const F = '/srv/blk/sshd_config'

describe('blockinfile on a real host (differential against ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['b1', 'b2'])
  const [root, deploy] = osEnvs(bed, 'b1')
  // no newline at the end: the block's insertion has to add one, as Ansible does
  const setup = (h: string) => sh(bed(), h, `rm -rf /srv/blk /srv/blk-new && mkdir -p /srv/blk && printf %s '${SSHD}' > ${F}`)
  const state = (h: string) => sh(bed(), h, `cat ${F}; echo; cat /srv/blk-new/sub/hosts; stat -c '%a %U:%G' ${F} /srv/blk-new/sub/hosts`)

  const steps: Record<string, unknown>[] = [
    { path: F, block: 'Match User deploy\n  PasswordAuthentication no', insertafter: '^PermitRootLogin' },
    { path: F, block: 'Match User deploy\n  PasswordAuthentication no', insertafter: '^PermitRootLogin' },
    // the block changes in place; insertbefore no longer matters
    { path: F, block: 'Match User deploy\n  PasswordAuthentication yes', insertbefore: 'BOF' },
    { path: F, marker: '## {mark} extra', block: 'X11Forwarding no', insertbefore: '^Port', mode: '0600' },
    { path: F, marker: '## {mark} extra', state: 'absent' },
    { path: F, marker: '## {mark} extra', state: 'absent' },
    { path: '/srv/blk-new/sub/hosts', block: '10.0.0.1 a', create: true, marker: '# {mark} hosts', marker_begin: 'START', marker_end: 'STOP' },
    { path: F, block: '' },
    { path: '/srv/blk/missing', block: 'x' },
  ]

  it('converges like ansible-playbook: same end state, same changed and msg per step; check mode predicts each run', async () => {
    await Promise.all([setup('b1'), setup('b2')])
    const run = async (args: Record<string, unknown>) => (await predictThenRun(blockinfile, args, root!.env())).applied
    await differential(bed(), 'b2', { module: 'ansible.builtin.blockinfile', mine: steps, run, sameMsg: true })
    assert.equal(await state('b1'), await state('b2'))
  })

  it('check mode chains: a block written by one task is seen by the next (effects), the host untouched', async () => {
    await setup('b1')
    const effects = new EffectStore()
    const env = { ...deploy!.env(), effects }
    const args = { path: F, block: 'AllowUsers deploy' }
    assert.equal((await checkRun(blockinfile, args, env)).status, 'changed')
    assert.equal((await checkRun(blockinfile, args, env)).status, 'ok', 'the second check sees the first one')
    const line = await checkRun(lineinfile, { path: F, line: 'AllowUsers deploy' }, env)
    assert.equal(line.status, 'ok', 'lineinfile in check mode sees the block')
    assert.equal(await sh(bed(), 'b1', `cat ${F}`), SSHD)
  })

  it('drift: an edited block is put back; a removed marker means a new block', async () => {
    await setup('b1')
    const args = { path: F, block: 'AllowUsers deploy\nMaxAuthTries 3' }
    await assertPredicts(blockinfile, args, deploy!.env())
    await sh(bed(), 'b1', `sed -i 's/MaxAuthTries 3/MaxAuthTries 9/' ${F}`)
    assert.equal((await checkRun(blockinfile, args, deploy!.env())).status, 'changed')
    await assertPredicts(blockinfile, args, deploy!.env())
    assert.match(await sh(bed(), 'b1', `cat ${F}`), /# BEGIN ANSIBLE MANAGED BLOCK\nAllowUsers deploy\nMaxAuthTries 3\n# END ANSIBLE MANAGED BLOCK$/)
  })

  it('bad arguments fail before touching the host', async () => {
    for (const [args, re] of [
      [{ path: F, block: 'x', insertafter: 'a', insertbefore: 'b' }, /mutually exclusive: insertbefore, insertafter/],
      [{ path: F, block: 'x', insertafter: '(' }, /argument 'insertafter' is not a valid regular expression/],
      [{ path: '/srv/blk', block: 'x' }, /^Path \/srv\/blk is a directory !$/],
      [{ path: F, block: 'x', attributes: '+i' }, /argument 'attributes' of module blockinfile is not supported yet/],
    ] as const) {
      const r = await realRun(blockinfile, args, root!.env())
      assert.equal(r.status, 'failed', JSON.stringify(args))
      assert.match(r.msg!, re)
    }
  })
})
