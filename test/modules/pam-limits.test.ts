/**
 * pam_limits on real hosts, side by side with community.general.pam_limits (ansible-playbook):
 * Debian's own limits.conf, a new file under limits.d with a comment, use_max keeping a larger
 * value; re-runs and a value changed by hand. Same changed counts and the same bytes left behind.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: postgres may open many files
      community.general.pam_limits: { domain: postgres, limit_type: "-", limit_item: nofile, value: "65536" }
    - name: a limits.d file with a comment
      pam_limits: { dest: /etc/security/limits.d/app.conf, domain: app, limit_type: soft, limit_item: nproc, value: "4096", comment: app workers }
    - name: memlock is never lowered
      pam_limits: { dest: /etc/security/limits.d/app.conf, domain: app, limit_type: hard, limit_item: memlock, value: "1024", use_max: true }
`
const STATE = `cd /etc/security && grep -v '^#' limits.conf | grep .; echo ==; cat -A limits.d/app.conf; stat -c '%a %U:%G' limits.conf limits.d/app.conf`

describe('pam_limits on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['pl-a', 'pl-b'])
  const sides = new SideBySide(bed, 'pl-a', 'pl-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['pl-a', 'pl-b']) {
      const r = await bed().exec(
        h,
        'test -f /etc/security/limits.conf && mkdir -p /etc/security/limits.d && echo "app hard memlock unlimited" > /etc/security/limits.d/app.conf',
      )
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode on the fresh host predicts the run; both tools leave the same files', async () => {
    const state = await sides.firstRun(2)
    assert.match(state, /^postgres\t-\tnofile\t65536$/m)
    assert.match(state, /^app hard memlock unlimited\$\napp\^Isoft\^Inproc\^I4096\^I#app workers\$$/m)
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a value changed by hand is found in check mode; both tools repair it alike', async () => {
    await sides.drift(`sed -i 's/^postgres\t-\tnofile\t.*/postgres - nofile 1024/' /etc/security/limits.conf`, 1)
  })
})
