/**
 * dpkg_selections on real hosts, side by side with ansible-playbook: a package held, one already on
 * install, a package dpkg does not know (changed on every run, in both tools); a hold released by
 * hand and found again.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: the ssh server is held
      ansible.builtin.dpkg_selections: { name: openssh-server, selection: hold }
    - name: already on install
      dpkg_selections: { name: postgresql-common, selection: install }
`
const STATE = 'dpkg --get-selections openssh-server postgresql-common'

describe('dpkg_selections on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['ds-a', 'ds-b'])
  const sides = new SideBySide(bed, 'ds-a', 'ds-b', PLAYBOOK, STATE)

  it('both tools hold the package and report the same; check mode on the fresh host changes nothing', async () => {
    const check = await sides.run('acplay', { check: true })
    assert.equal(check.code, 0, check.stdout + check.stderr)
    assert.equal(check.recap.changed, 1)
    assert.match((await bed().exec('ds-a', 'dpkg --get-selections openssh-server')).stdout, /\tinstall$/m)
    const [mine] = await sides.both(1)
    assert.match(mine.stdout, /openssh-server: install -> hold/)
    assert.match(await sides.sameState(), /^openssh-server\t+hold\npostgresql-common\t+install\n$/)
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a hold released by hand is found in check mode; both tools hold it again', async () => {
    await sides.drift("echo 'openssh-server install' | dpkg --set-selections", 1)
  })

  it('a package dpkg does not know stays not present: changed on every run, as in Ansible', async () => {
    const unknown = sides.playbook.replace('name: postgresql-common, selection: install', 'name: no-such-package-acplay, selection: hold')
    const other = new SideBySide(bed, 'ds-a', 'ds-b', unknown, STATE)
    await other.both(1)
    await other.both(1)
  })
})
