/**
 * `~`, `~user` and `$HOME` in path arguments under `become_user`, side by side with ansible-playbook
 * on real hosts: Ansible expands them on the host for the user the task becomes (sudo -H gives its
 * HOME), so does acplay (modules/schema.ts, expandPathArgs). copy's dest (the action plugin's ~),
 * lineinfile, command's chdir/creates, file with $HOME, a named user's home, stat of ~root; the
 * same files, owners and modes, the same changed counts, re-runs that change nothing.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  become: true
  become_user: tilde
  tasks:
    - copy: { content: "rc\\n", dest: "~/.acplayrc", mode: "0600" }
    - lineinfile: { path: "~/.profile", line: "export APP=1", create: true }
    - command: { cmd: touch made, chdir: "~", creates: "~/made" }
    - file: { path: "$HOME/d", state: directory, mode: "0750" }
    # a mode: without one, Ansible's copy becoming an unprivileged user leaves its temp file's mode (0604)
    - copy: { content: "x\\n", dest: "~tilde/d/x", mode: "0644" }
    - stat: { path: "~root" }
      register: root_home
    - lineinfile: { path: "~/seen", line: "{{ root_home.stat.path }}", create: true }
`
// (Ansible's own ~/.ansible/tmp of the become user aside)
const STATE = 'cd /home/tilde && find . -path ./.ansible -prune -o -printf "%p %u %m\\n" | sort && cat .acplayrc seen && tail -n 1 .profile'

describe('~ and $HOME in path arguments under become_user (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['tilde-a', 'tilde-b'])
  const sides = new SideBySide(bed, 'tilde-a', 'tilde-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['tilde-a', 'tilde-b']) {
      const r = await bed().exec(h, 'id tilde >/dev/null 2>&1 || useradd -m -s /bin/sh tilde')
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it("the become user's home, in both tools: the same files, and check mode predicts the run", async () => {
    const state = await sides.firstRun(6)
    assert.match(state, /^\.\/\.acplayrc tilde 600$/m)
    assert.match(state, /^\.\/d\/x tilde 644$/m)
    assert.match(state, /^\.\/made tilde 644$/m)
    assert.match(state, /^rc\n\/root\nexport APP=1\n$/m)
  })

  it('re-runs change nothing with either tool', () => sides.rerun())
})
