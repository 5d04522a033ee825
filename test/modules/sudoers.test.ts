/**
 * sudoers on real hosts, side by side with community.general.sudoers (ansible-playbook): a user
 * rule with two commands, a group rule with runas, a password, SETENV and commands given as one
 * string, a rule written without visudo's check, an old rule removed; re-runs; drift (a mode, a
 * rule's text in a file owned by someone else, a removed and a reappeared file); failures (a rule
 * visudo refuses, a missing directory) with the same messages; a symlinked rule file written
 * through. The files (text, mode, owner) and `visudo -c` over them must match.
 * (ansible-core 2.14 resolves the module by its FQCN only: the playbooks use it.)
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const D = '/etc/sudoers.d'
const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: deploy may restart and reload the app
      community.general.sudoers:
        name: deploy-app
        user: deploy
        commands: [/usr/bin/systemctl restart app, /usr/bin/systemctl reload app]
    - name: the sudo group may run psql as postgres, with a password and its environment
      community.general.sudoers:
        name: ops-pg
        group: sudo
        runas: postgres
        nopassword: false
        setenv: true
        commands: /usr/bin/psql, /usr/bin/pg_dump
    - name: written without visudo's check
      community.general.sudoers: { name: backup, user: backup, host: ALL, commands: /usr/local/bin/backup, validation: absent }
    - name: an old rule goes
      community.general.sudoers: { name: old-rule, state: absent }
`
const STATE = `cd ${D} && for f in *; do stat -c '%n %a %U:%G' "$f"; cat "$f"; done; visudo -c`

describe('sudoers on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['sdr-a', 'sdr-b'])
  const sides = new SideBySide(bed, 'sdr-a', 'sdr-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['sdr-a', 'sdr-b']) {
      const r = await bed().exec(h, `echo 'deploy ALL=(ALL) ALL' > ${D}/old-rule && chmod 0440 ${D}/old-rule`)
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode on the fresh host predicts the run; both tools write the same files, mode 0440', async () => {
    const state = await sides.firstRun(4)
    assert.match(state, /^deploy-app 440 root:root\ndeploy ALL=NOPASSWD: \/usr\/bin\/systemctl restart app, \/usr\/bin\/systemctl reload app$/m)
    assert.match(state, /^ops-pg 440 root:root\n%sudo ALL=\(postgres\)SETENV: \/usr\/bin\/psql, {2}\/usr\/bin\/pg_dump$/m)
    assert.match(state, /^backup 440 root:root\nbackup ALL=NOPASSWD: \/usr\/local\/bin\/backup$/m)
    assert.doesNotMatch(state, /old-rule/)
    assert.match(state, /^\/etc\/sudoers\.d\/ops-pg: parsed OK$/m)
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a mode, a rule edited in a file owned by another user, a removed and a reappeared file; both repair them alike', async () => {
    const check = await sides.drift(
      `chmod 0640 ${D}/deploy-app && echo 'ops ALL=(ALL) ALL' > ${D}/ops-pg && chown nobody:nogroup ${D}/ops-pg && rm ${D}/backup && touch ${D}/old-rule`,
      4,
    )
    assert.match(check.stdout, /ops ALL=\(ALL\) ALL/, 'the diff shows the edited rule')
    // written in place as Ansible does: the owner stays
    assert.match(await sides.sameState(), /^ops-pg 440 nobody:nogroup$/m)
  })

  it('failures: a rule visudo refuses (also in check mode) and a missing directory, with the same messages', async () => {
    const playbook = `- hosts: all
  gather_facts: false
  tasks:
    - community.general.sudoers: { name: bad, user: "bad user", commands: ALL }
      register: bad
      ignore_errors: true
    - community.general.sudoers: { name: r, user: deploy, commands: ALL, sudoers_path: /etc/no-such-dir }
      register: nodir
      ignore_errors: true
    - copy: { content: "{{ bad.msg }}|{{ nodir.msg }}\\n", dest: /root/sudoers-msg.txt }
`
    const failing = new SideBySide(bed, 'sdr-a', 'sdr-b', playbook, `cat /root/sudoers-msg.txt; ls ${D}`)
    const check = await failing.run('acplay', { check: true })
    assert.match(check.stdout, /Failed to validate sudoers rule/)
    const [mine] = await failing.both(1)
    assert.equal(mine.recap.failed, 0)
    const state = await failing.sameState()
    assert.match(state, /^Failed to validate sudoers rule:\n\|\[Errno 2\] No such file or directory: '\/etc\/no-such-dir\/r'$/m)
    assert.doesNotMatch(state, /^bad$/m)
  })

  it('a rule file that is a symlink is written through, as Ansible writes it', async () => {
    const playbook = `- hosts: all
  gather_facts: false
  tasks:
    - community.general.sudoers: { name: linked, user: deploy, commands: /usr/bin/id }
`
    for (const h of ['sdr-a', 'sdr-b']) {
      const r = await bed().exec(h, `install -m 0600 /dev/null /etc/acplay-linked-rule && ln -s /etc/acplay-linked-rule ${D}/linked`)
      assert.equal(r.rc, 0, r.stderr)
    }
    const linked = new SideBySide(bed, 'sdr-a', 'sdr-b', playbook, `stat -c '%F %a' ${D}/linked /etc/acplay-linked-rule; cat /etc/acplay-linked-rule`)
    await linked.firstRun(1)
    assert.match(await linked.sameState(), /^symbolic link 777\nregular file 440\ndeploy ALL=NOPASSWD: \/usr\/bin\/id\n$/)
    await linked.rerun()
  })
})
