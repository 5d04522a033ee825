/**
 * capabilities on real hosts, side by side with community.general.capabilities (ansible-playbook):
 * two capabilities added to one file (check mode plans the second against the first's effect), one
 * removed, one of a group removed and the other then found there; re-runs; drift (capabilities
 * removed by hand); "+ep", changed on every run in both tools (getcap prints "=ep"); failures (a
 * missing file, no operator, a set setcap refuses) with the same messages; check mode on a file an
 * earlier task creates.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const BIN = '/usr/local/bin'
const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: the web app may bind low ports
      community.general.capabilities: { path: ${BIN}/webapp, capability: cap_net_bind_service=ep }
    - name: and open raw sockets
      capabilities: { path: ${BIN}/webapp, capability: CAP_NET_RAW=ep }
    - name: pinger loses cap_net_raw
      capabilities: { path: ${BIN}/pinger, capability: cap_net_raw, state: absent }
    - name: one of two goes
      capabilities: { path: ${BIN}/multi, cap: cap_net_admin, state: absent }
    - name: the other stays
      capabilities: { path: ${BIN}/multi, capability: cap_net_raw=ep }
      register: stays
    - name: what it returned
      copy: { content: "{{ stays.state }}\\n", dest: /root/caps.txt }
`
const SEED = `set -e; for f in webapp pinger multi; do cp /bin/true ${BIN}/$f; done
setcap cap_net_raw=ep ${BIN}/pinger; setcap cap_net_admin,cap_net_raw=ep ${BIN}/multi`
const STATE = `getcap -v ${BIN}/webapp ${BIN}/pinger ${BIN}/multi; cat /root/caps.txt`

describe('capabilities on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['cap-a', 'cap-b'])
  const sides = new SideBySide(bed, 'cap-a', 'cap-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['cap-a', 'cap-b']) {
      const r = await bed().exec(h, SEED)
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode on the fresh host predicts the run; both tools leave the same capabilities', async () => {
    const state = await sides.firstRun(5)
    assert.equal(state, `${BIN}/webapp cap_net_bind_service,cap_net_raw=ep\n${BIN}/pinger =\n${BIN}/multi cap_net_raw=ep\npresent\n`)
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: capabilities removed by hand are found in check mode; both tools set them again', async () => {
    await sides.drift(`setcap -r ${BIN}/webapp && setcap cap_net_raw=ep ${BIN}/pinger`, 3)
  })

  it('"+ep" changes on every run in both tools, as getcap prints "=ep"; check mode predicts it', async () => {
    const plus = `- hosts: all\n  gather_facts: false\n  tasks:\n    - capabilities: { path: ${BIN}/webapp, capability: cap_net_bind_service+ep }\n`
    const again = new SideBySide(bed, 'cap-a', 'cap-b', plus, STATE)
    await again.both(1)
    await again.rerun(1)
    assert.match(await again.sameState(), /^\/usr\/local\/bin\/webapp cap_net_bind_service,cap_net_raw=ep$/m)
  })

  it('failures: a missing file, no operator, a set setcap refuses, with the same messages', async () => {
    const playbook = `- hosts: all
  gather_facts: false
  tasks:
    - capabilities: { path: /no/such/file, capability: cap_net_raw=ep }
      register: missing
      ignore_errors: true
    - capabilities: { path: ${BIN}/multi, capability: cap_chown }
      register: noop
      ignore_errors: true
    - capabilities: { path: ${BIN}/multi, capability: cap_chown+p }
      register: refused
      ignore_errors: true
    - copy:
        content: "{{ missing.msg }}|{{ missing.stderr }}|{{ noop.msg }}|{{ refused.msg }}\\n"
        dest: /root/caps-msg.txt
`
    const failing = new SideBySide(bed, 'cap-a', 'cap-b', playbook, `cat /root/caps-msg.txt; getcap -v ${BIN}/multi`)
    const check = await failing.run('acplay', { check: true })
    assert.equal(check.code, 0, check.stdout + check.stderr)
    await failing.both(1)
    assert.equal(
      await failing.sameState(),
      "Unable to get capabilities of /no/such/file|/no/such/file (No such file or directory)\n|Couldn't find operator (one of: ('=', '-', '+'))|Unable to set capabilities of /usr/local/bin/multi\n" +
        `${BIN}/multi cap_net_raw=ep\n`,
    )
  })

  it('check mode: a capability on a file an earlier task creates is a change, not a failure', async () => {
    const playbook = `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { src: /bin/true, dest: ${BIN}/fresh, mode: "0755" }\n    - capabilities: { path: ${BIN}/fresh, capability: cap_net_raw=ep }\n    - capabilities: { path: ${BIN}/fresh, capability: cap_net_raw=ep }\n`
    const fresh = new SideBySide(bed, 'cap-a', 'cap-b', playbook, `getcap -v ${BIN}/fresh`)
    await fresh.firstRun(2)
  })
})
