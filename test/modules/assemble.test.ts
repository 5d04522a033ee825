/**
 * assemble on real hosts, side by side with ansible-playbook: fragments on the host (hidden ones,
 * one without a final newline, a delimiter, a mode), fragments from the controller's files/ with a
 * regexp, validate and backup; re-runs, and a fragment added by hand. Same changed counts and bytes.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const DIR = '/etc/acplay-frag'
const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: fragments on the host
      assemble: { src: ${DIR}/conf.d, dest: ${DIR}/app.conf, mode: "0640", delimiter: "# --" }
    - name: fragments from the controller
      ansible.builtin.assemble: { src: frags, dest: ${DIR}/hosts.conf, remote_src: false, regexp: "\\\\.conf$" }
    - name: validated, with a backup
      assemble: { src: ${DIR}/conf.d, dest: ${DIR}/checked.conf, validate: "grep -q first %s", backup: true, ignore_hidden: true }
`
const FILES = {
  'files/frags/10-web.conf': 'web 10.0.0.1\n',
  'files/frags/20-db.conf': 'db 10.0.0.2\n',
  'files/frags/README': 'not a fragment\n',
}
const SEED = `set -e; mkdir -p ${DIR}/conf.d; cd ${DIR}/conf.d
printf 'first\\n' > 01-first; printf 'second, no newline' > 02-second; printf 'hidden\\n' > .hidden`
const STATE = `cd ${DIR} && for f in app.conf hosts.conf checked.conf; do echo "== $f $(stat -c '%a' $f)"; cat -A $f; done; ls checked.conf.* 2>/dev/null | wc -l`

describe('assemble on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['as-a', 'as-b'])
  const sides = new SideBySide(bed, 'as-a', 'as-b', PLAYBOOK, STATE, FILES)
  before(async () => {
    for (const h of ['as-a', 'as-b']) assert.equal((await bed().exec(h, SEED)).rc, 0)
  })

  it('check mode on the fresh host predicts the run; both tools write the same files', async () => {
    const state = await sides.firstRun(3)
    assert.match(state, /^== app\.conf 640\nhidden\$\n# --\$\nfirst\$\n# --\$\nsecond, no newline== hosts/m)
    assert.match(state, /== hosts\.conf 644\nweb 10\.0\.0\.1\$\ndb 10\.0\.0\.2\$\n== /m)
    assert.match(state, /== checked\.conf 644\nfirst\$\nsecond, no newline0\n$/, 'no backup of a new file')
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a fragment added by hand is found in check mode; both tools assemble again (one backup)', async () => {
    const state = (await sides.drift(`printf 'third\\n' > ${DIR}/conf.d/03-third`, 2)) && (await sides.sameState())
    assert.match(state, /second, no newline\$\n# --\$\nthird\$\n== hosts/)
    assert.match(state, /second, no newline\$\nthird\$\n1\n$/)
  })
})
