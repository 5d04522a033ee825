/**
 * htpasswd on real hosts, side by side with ansible-playbook (community.general 6.6 with passlib on
 * its host; acplay needs nothing there): users added to a new file and to a hand-made one with
 * comments and a blank line, another scheme, a user removed, owner and mode; the same users, the same
 * changed counts, check mode predicting the first run; each tool's hashes check with the other's.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { htpasswd } from '../../modules/htpasswd.js'
import { hostConnections } from '../helpers/connections.js'
import { SideBySide } from '../helpers/differential.js'
import { realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    admin_password: "s3cret: with spaces"
  tasks:
    - name: a new file, in a new directory
      community.general.htpasswd: { path: /etc/web/htpasswd, name: admin, password: "{{ admin_password }}", owner: root, group: www-data, mode: "0640" }
    - name: a second user, sha512
      htpasswd: { path: /etc/web/htpasswd, name: deploy, password: deploy-pw, crypt_scheme: sha512_crypt }
    - name: a hand-made file keeps its comments; a stale password is replaced in place
      htpasswd: { path: /etc/web/old, name: bob, password: new-bob }
    - name: a user removed
      htpasswd: { path: /etc/web/old, name: carol, state: absent }
    - name: already there (its hash made by htpasswd -b)
      htpasswd: { path: /etc/web/old, name: dave, password: dave-pw }
    - name: a missing user of a missing file is not present
      htpasswd: { path: /etc/web/none, name: x, state: absent }
`
const SEED = `mkdir -p /etc/web && printf '# made by hand\\nbob:%s\\n\\ncarol:plain\\n' "$(python3 -c 'from passlib.hash import apr_md5_crypt; print(apr_md5_crypt.hash("old-bob"))')" > /etc/web/old
python3 -c 'from passlib.hash import apr_md5_crypt; print("dave:" + apr_md5_crypt.hash("dave-pw"))' >> /etc/web/old`
// the users, their hash schemes and whether each password checks (passlib on the host is the judge)
const STATE = `stat -c '%n %U:%G %a' /etc/web /etc/web/htpasswd /etc/web/old; grep -c '' /etc/web/old; sed 's/:.*//' /etc/web/htpasswd /etc/web/old; grep '^#' /etc/web/old
python3 - <<'PY'
from passlib.apache import HtpasswdFile
for path, user, pw in [('/etc/web/htpasswd', 'admin', 's3cret: with spaces'), ('/etc/web/htpasswd', 'deploy', 'deploy-pw'), ('/etc/web/old', 'bob', 'new-bob'), ('/etc/web/old', 'dave', 'dave-pw')]:
    h = HtpasswdFile(path).get_hash(user).decode()
    print(user, h.split('$')[1] if h.startswith('$') else h[:5], HtpasswdFile(path).check_password(user, pw))
PY`

describe('htpasswd on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['htp-a', 'htp-b'])
  const root = hostConnections(bed, 'htp-a')
  const sides = new SideBySide(bed, 'htp-a', 'htp-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['htp-a', 'htp-b']) {
      const r = await bed().exec(h, SEED)
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode on the fresh host predicts the run; both tools leave the same users, schemes and files', async () => {
    const state = await sides.firstRun(4)
    assert.equal(
      state,
      '/etc/web root:root 755\n/etc/web/htpasswd root:www-data 640\n/etc/web/old root:root 644\n3\nadmin\ndeploy\n# made by hand\nbob\ndave\n# made by hand\n' +
        'admin apr1 True\ndeploy 6 True\nbob apr1 True\ndave apr1 True\n',
    )
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a password changed and the mode widened by hand: the password is found in check mode, the mode is set again but (as Ansible) not counted', async () => {
    const check = await sides.drift(
      `python3 -c 'from passlib.apache import HtpasswdFile as F; f = F("/etc/web/htpasswd"); f.set_password("admin", "other"); f.save()' && chmod 0666 /etc/web/htpasswd`,
      1,
    )
    assert.match(await sides.state('htp-a'), /\/etc\/web\/htpasswd root:www-data 640\n/)
    // the diff of a file of password hashes shows neither the password nor a hash
    assert.doesNotMatch(check.stdout + check.stderr, /s3cret|\$apr1\$|\$6\$/)
  })

  it("a file that is not an htpasswd file fails with passlib's words; create=false on a missing file too", async () => {
    await bed().exec('htp-a', "printf 'a:b:c\\n' > /etc/web/bad")
    const bad = await realRun(htpasswd, { path: '/etc/web/bad', name: 'u', password: 'p' }, root())
    assert.equal(bad.status, 'failed')
    assert.match(bad.msg!, /malformed htpasswd file \(error reading line 1\)/)
    const missing = await realRun(htpasswd, { path: '/etc/web/missing', name: 'u', password: 'p', create: false }, root())
    assert.match(missing.msg!, /Destination \/etc\/web\/missing does not exist/)
  })
})
