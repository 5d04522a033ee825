/**
 * git_config on real hosts, side by side with community.general.git_config (ansible-playbook):
 * system, global (the become user's ~/.gitconfig) and local settings set, one read back, one
 * unset, the whole list; re-runs and a setting changed by hand.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: a system setting
      community.general.git_config: { name: safe.directory, value: /srv/app }
    - name: a global setting of root
      git_config: { name: user.email, scope: global, value: deploy@example.com }
    - name: a setting of one repository
      git_config: { name: core.fileMode, scope: local, repo: /srv/app, value: "false" }
    - name: unset
      git_config: { name: pull.rebase, scope: global, state: absent }
    - name: read back
      git_config: { name: user.email, scope: global }
      register: email
    - name: every global setting
      git_config: { list_all: true, scope: global }
      register: all
    - name: what was read
      copy: { content: "{{ email.config_value }} {{ all.config_values | dictsort }}\\n", dest: /root/read.txt }
`
const STATE = `cat /etc/gitconfig; echo ==; cat /root/.gitconfig; echo ==; git config -f /srv/app/.git/config core.fileMode; cat /root/read.txt`

describe('git_config on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['gc-a', 'gc-b'])
  const sides = new SideBySide(bed, 'gc-a', 'gc-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['gc-a', 'gc-b']) {
      const r = await bed().exec(h, 'git init -q /srv/app && git config --global pull.rebase true')
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode on the fresh host predicts the run; both tools leave the same settings and read the same', async () => {
    const state = await sides.firstRun(5)
    assert.match(state, /\[safe\]\n\tdirectory = \/srv\/app\n==\n/)
    assert.match(state, /^deploy@example\.com \[\('user\.email', 'deploy@example\.com'\)\]$/m)
    assert.doesNotMatch(state, /rebase/)
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a setting changed by hand is found in check mode; both tools set it back', async () => {
    await sides.drift('git config --system safe.directory /elsewhere', 1)
  })
})
