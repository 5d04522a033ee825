/**
 * acl on real hosts, side by side with ansible.posix.acl (ansible-playbook): an entry set by
 * etype/entity/permissions, a default entry given as `entry`, one removed, the ACL read back (the
 * registered `acl` lists, the ACL after each task, written to a file, must match too); re-runs, and
 * an entry removed by hand.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const DIR = '/srv/acl/data'
const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: an old entry goes
      acl: { path: ${DIR}, entity: nobody, etype: user, state: absent }
    - name: deploy gets a default entry
      acl: { path: ${DIR}, entry: "default:group:deploy:rwx", state: present }
    - name: www-data may read the data
      ansible.posix.acl: { path: ${DIR}, entity: www-data, etype: user, permissions: rX, state: present }
      register: set
    - name: read back
      acl: { path: ${DIR} }
      register: q
    - name: what the tasks returned
      copy: { content: "{{ set.acl }}\\n{{ set.msg }}\\n{{ q.acl }}\\n", dest: /root/acl.txt }
`
const STATE = `getfacl -p ${DIR}; cat /root/acl.txt`

describe('acl on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['acl-a', 'acl-b'])
  const sides = new SideBySide(bed, 'acl-a', 'acl-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['acl-a', 'acl-b']) {
      const r = await bed().exec(h, `mkdir -p ${DIR} && setfacl -m u:nobody:r ${DIR}`)
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode on the fresh host predicts the run; both tools leave the same ACL and return the same', async () => {
    const state = await sides.firstRun(4)
    assert.match(state, /^user:www-data:r-x$/m)
    assert.match(state, /^default:group:deploy:rwx$/m)
    assert.doesNotMatch(state, /nobody/)
    assert.match(state, /^user:www-data:rX is present$/m)
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('check mode: an ACL on a directory an earlier task creates is a change, not a failure', async () => {
    const playbook = `- hosts: all\n  gather_facts: false\n  tasks:\n    - file: { path: /srv/acl/new, state: directory }\n    - acl: { path: /srv/acl/new, entity: www-data, etype: user, permissions: rX, state: present }\n`
    const check = await new SideBySide(bed, 'acl-a', 'acl-b', playbook, STATE).run('acplay', { check: true })
    assert.equal(check.code, 0, check.stdout + check.stderr)
    assert.equal(check.recap.changed, 2, check.stdout)
  })

  it('drift: an entry removed by hand is found in check mode; both tools set it again', async () => {
    await sides.drift(`setfacl -x u:www-data ${DIR}`, 1)
  })
})
