/**
 * replace on real hosts: acplay on r1, Debian's ansible-playbook on r2 with the same tasks; the end
 * states and `changed` must agree. Check mode on the fresh file predicts the run; drift is repaired.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { replace } from '../../modules/replace.js'
import { differential } from '../helpers/ansible-diff.js'
import { assertPredicts, checkRun, predictThenRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const CONF = ['# app', 'port=80', 'host=old.example', '[backend]', 'port=8080', 'host=old.example', '[end]', 'host=old.example', ''].join('\n')
const F = '/srv/rep/app.conf'

describe('replace on a real host (differential against ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['r1', 'r2'])
  const [root, deploy] = osEnvs(bed, 'r1')
  const setup = (h: string) => sh(bed(), h, `mkdir -p /srv/rep && printf %s '${CONF}' > ${F} && chmod 0640 ${F} && ln -sfn app.conf /srv/rep/link.conf`)
  const state = (h: string) => sh(bed(), h, `cat ${F}; stat -c '%a %U:%G %F' ${F} /srv/rep/link.conf`)

  const steps = [
    // inside [backend] .. [end] only, with a back-reference; through the symlink
    { path: '/srv/rep/link.conf', regexp: '^host=old\\.(\\w+)$', replace: 'host=new.\\1', after: '\\[backend\\]', before: '\\[end\\]' },
    // the same again: nothing left to replace
    { path: '/srv/rep/link.conf', regexp: '^host=old\\.(\\w+)$', replace: 'host=new.\\1', after: '\\[backend\\]', before: '\\[end\\]' },
    // everywhere, and the mode
    { path: F, regexp: '^port ?= ?(?P<p>\\d+)$', replace: 'port = \\g<p>', mode: '0600' },
    // attributes only
    { path: F, regexp: 'nothing-matches', mode: '0644' },
    // before/after that match nothing: ok, with Ansible's message
    { path: F, regexp: 'x', after: 'no-such-section' },
  ]

  it('converges like ansible-playbook: same end state, same changed and msg per step; check mode predicts each run', async () => {
    await Promise.all([setup('r1'), setup('r2')])
    const run = async (args: Record<string, unknown>) => (await predictThenRun(replace, args, root!.env())).applied
    await differential(bed(), 'r2', { module: 'ansible.builtin.replace', mine: steps, run, sameMsg: true })
    assert.equal(await state('r1'), await state('r2'))
    assert.equal(await sh(bed(), 'r1', `sed -n 6p ${F}; sed -n 8p ${F}`), 'host=new.example\nhost=old.example')
  })

  it('check mode on the fresh file shows the diff the run makes and changes nothing; drift is repaired', async () => {
    await setup('r1')
    const args = { path: F, regexp: '^port=80$', replace: 'port=81' }
    const c = await checkRun(replace, args, { ...deploy!.env(), diff: true })
    assert.equal(c.status, 'changed')
    assert.equal(c.changes.at(-1)!.diff?.after, CONF.replace('port=80\n', 'port=81\n'))
    assert.equal(await sh(bed(), 'r1', `cat ${F}`), CONF.trimEnd())
    await assertPredicts(replace, args, deploy!.env())
    await sh(bed(), 'r1', `sed -i 's/^port=81$/port=80/' ${F}`)
    const d = await checkRun(replace, args, deploy!.env())
    assert.equal(d.status, 'changed', 'drift seen')
    assert.equal((await realRun(replace, args, deploy!.env())).data.msg, '1 replacements made')
    assert.equal((await checkRun(replace, args, deploy!.env())).status, 'ok')
  })

  it('fails as Ansible does on a missing file or a directory; bad regular expressions before touching the host', async () => {
    for (const [args, re] of [
      [{ path: '/srv/rep/none', regexp: 'a' }, /^Path \/srv\/rep\/none does not exist !$/],
      [{ path: '/srv/rep', regexp: 'a' }, /^Path \/srv\/rep is a directory !$/],
      [{ path: F, regexp: '(' }, /argument 'regexp' is not a valid regular expression/],
      [{ path: F, regexp: 'a', validate: 'true' }, /argument 'validate' must contain %s/],
      [{ path: F }, /missing required argument 'regexp'/],
    ] as const) {
      const r = await realRun(replace, args, root!.env())
      assert.equal(r.status, 'failed', JSON.stringify(args))
      assert.match(r.msg!, re)
    }
  })
})
