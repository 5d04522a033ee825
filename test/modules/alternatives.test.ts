/**
 * alternatives on real hosts, side by side with community.general.alternatives (ansible-playbook):
 * a new group, a second alternative selected with a follower link, one removed, a group put back to
 * auto; re-runs, and a selection changed by hand.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const BIN = '/usr/local/lib/acplay-alt'
const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: a new group, in auto mode
      community.general.alternatives: { name: acplaytool, link: /usr/local/bin/acplaytool, path: ${BIN}/tool-a, priority: 10, state: present }
    - name: a second one, selected, with a follower
      alternatives:
        name: acplaytool
        path: ${BIN}/tool-b
        priority: 20
        subcommands: [{ name: acplaytool.conf, link: /etc/acplaytool.conf, path: ${BIN}/b.conf }]
    - name: a third one removed
      alternatives: { name: acplaytool, path: ${BIN}/tool-c, state: absent }
    - name: a group back to auto
      alternatives: { name: acplayed, path: ${BIN}/ed-y, state: auto }
`
const SEED = `set -e; mkdir -p ${BIN}; for f in tool-a tool-b tool-c b.conf ed-x ed-y; do echo "$f" > ${BIN}/$f; done
update-alternatives --quiet --install /usr/local/bin/acplaytool acplaytool ${BIN}/tool-c 5
update-alternatives --quiet --install /usr/local/bin/acplayed acplayed ${BIN}/ed-x 5
update-alternatives --quiet --install /usr/local/bin/acplayed acplayed ${BIN}/ed-y 9
update-alternatives --quiet --set acplayed ${BIN}/ed-x`
const STATE = `update-alternatives --display acplaytool; readlink -f /usr/local/bin/acplaytool /etc/acplaytool.conf; update-alternatives --query acplayed | grep -E '^(Status|Value):'`

describe('alternatives on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['alt-a', 'alt-b'])
  const sides = new SideBySide(bed, 'alt-a', 'alt-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['alt-a', 'alt-b']) {
      const r = await bed().exec(h, SEED)
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode on the fresh host predicts the run; both tools leave the same groups', async () => {
    const state = await sides.firstRun(4)
    assert.match(state, /^acplaytool - manual mode\n {2}link best version is \/usr\/local\/lib\/acplay-alt\/tool-b$/m)
    assert.doesNotMatch(state, /tool-c - priority/)
    assert.match(
      state,
      /^\/usr\/local\/lib\/acplay-alt\/tool-b\n\/usr\/local\/lib\/acplay-alt\/b\.conf\nStatus: auto\nValue: \/usr\/local\/lib\/acplay-alt\/ed-y\n$/m,
    )
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a selection changed by hand is found in check mode; both tools select again', async () => {
    await sides.drift(`update-alternatives --quiet --set acplaytool ${BIN}/tool-a`, 1)
  })
})
