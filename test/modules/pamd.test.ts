/**
 * pamd on real hosts, side by side with community.general.pamd (ansible-playbook) on Debian's own
 * /etc/pam.d/common-auth, common-password, sshd and su, with the edits CIS hardening roles make:
 * every state, a backup, check mode (Ansible's too) and --diff (neither prints one), re-runs, a
 * rule reverted by hand, the results (change_count, backupdest) and the failures. The files left
 * behind are compared byte for byte, the time in Ansible's "# Updated by Ansible - TIME" masked.
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { before, describe, it } from 'node:test'
import { acplay } from '../helpers/cli.js'
import { runPlaybook, SideBySide, type PlaybookRun } from '../helpers/differential.js'
import { testDir } from '../helpers/temp-dir.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const FAILLOCK = 'new_type: auth, new_module_path: pam_faillock.so'
const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: faillock before pam_unix (only comments above it)
      community.general.pamd: { name: common-auth, type: auth, control: "[success=1 default=ignore]", module_path: pam_unix.so,
                                ${FAILLOCK}, new_control: required, module_arguments: preauth silent, state: before }
      register: r1
    - name: faillock after pam_deny (the comments before pam_permit go, as with Ansible)
      pamd: { name: common-auth, type: auth, control: requisite, module_path: pam_deny.so,
              ${FAILLOCK}, new_control: "[default=die]", module_arguments: [authfail, deny=5], state: after }
      register: r2
    - name: remember old passwords
      pamd: { name: common-password, type: password, control: "[success=1 default=ignore]", module_path: pam_unix.so,
              module_arguments: remember=5, state: args_present }
      register: r3
    - name: a key=value changed in place (two pam_env rules match)
      pamd: { name: sshd, type: session, control: required, module_path: pam_env.so, module_arguments: user_readenv=0, state: args_present }
      register: r4
    - name: no motd
      pamd: { name: sshd, type: session, control: optional, module_path: pam_motd.so, state: absent }
      register: r5
    - name: pam_mail's arguments replaced
      pamd: { name: sshd, type: session, control: optional, module_path: pam_mail.so, module_arguments: standard }
      register: r6
    - name: the control changed
      pamd: { name: sshd, type: account, control: required, module_path: pam_nologin.so, new_control: requisite }
      register: r7
    - name: only wheel may su (after pam_rootok), with a backup
      pamd: { name: su, type: auth, control: sufficient, module_path: pam_rootok.so, new_type: auth, new_control: required,
              new_module_path: pam_wheel.so, module_arguments: use_uid, state: after, backup: true }
      register: r8
    - name: readenv=1 goes from both pam_env rules
      pamd: { name: su, type: session, control: required, module_path: pam_env.so, module_arguments: readenv=1, state: args_absent }
      register: r9
    - name: no rule matches
      pamd: { name: su, type: auth, control: required, module_path: pam_nothere.so, new_control: optional }
      register: r10
    - name: results
      debug:
        msg: "{{ [r1, r2, r3, r4, r5, r6, r7, r8, r9, r10] | map(attribute='change_count') | list }}
              {{ [r1, r8, r10] | map(attribute='backupdest') | map('regex_replace', '[.][0-9]+[.][0-9@:-]+~$', '.PID.TIME~') | list }}"
`
const FILES = 'common-auth common-password sshd su'
// the files byte for byte (the mark's time masked), their modes and owners, the backups and what they hold
const STATE = `cd /etc/pam.d && for f in ${FILES}; do echo "== $f"; sed -E 's/^(# Updated by Ansible - )[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{6})?$/\\1TIME/' $f; done
stat -c '%n %a %U:%G' ${FILES}
for b in *~; do [ -e "$b" ] && echo "$b $(md5sum < "$b")"; done | sed -E 's/[.][0-9]+[.][0-9]{4}-[0-9]{2}-[0-9]{2}@[0-9:]{8}~/.PID.TIME~/'; md5sum < /root/su.orig`

const FAILING = `- hosts: all
  gather_facts: false
  tasks:
    - { name: missing file, pamd: { name: nothere, type: auth, control: required, module_path: pam_unix.so }, register: f1, ignore_errors: true }
    - name: bracketed args_present
      pamd: { name: su, type: auth, control: sufficient, module_path: pam_rootok.so, module_arguments: "[x=1]", state: args_present }
      register: f2
      ignore_errors: true
    - { name: bad control, pamd: { name: su, type: auth, control: sufficient, module_path: pam_rootok.so, new_control: requird }, register: f3, ignore_errors: true }
    - name: bad control action
      pamd: { name: su, type: auth, control: sufficient, module_path: pam_rootok.so, new_control: "[success=-1 default=ignore]" }
      register: f4
      ignore_errors: true
    - { name: indented comment, pamd: { name: indented, type: auth, control: required, module_path: pam_x.so, new_control: optional }, register: f5, ignore_errors: true }
    - { name: not a rule, pamd: { name: broken, type: auth, control: required, module_path: pam_x.so, new_control: optional }, register: f6, ignore_errors: true }
    - debug: { msg: "{{ [f1, f2, f3, f4, f5] | map(attribute='msg') | list }} {{ [f6] | map(attribute='failed') | list }}" }
      name: messages
`

/** What a debug task named `name` printed, the host's name taken out. */
function printed(run: PlaybookRun, name: string): string {
  const at = run.stdout.indexOf(`TASK [${name}]`)
  assert.ok(at >= 0, run.stdout)
  const block = run.stdout.slice(at).split('\n\n')[0]!
  return block.slice(block.indexOf('\n') + 1).replace(/^ok: \[[^\]]+\]/, 'ok')
}

const noDiff = (run: PlaybookRun) => assert.doesNotMatch(run.stdout, /^[-+]{3} |^@@ /m, run.stdout)

describe('pamd on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['pd-a', 'pd-b'])
  const sides = new SideBySide(bed, 'pd-a', 'pd-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['pd-a', 'pd-b']) {
      const r = await bed().exec(
        h,
        `cp /etc/pam.d/su /root/su.orig && printf '# t\\n  # indented\\nauth required pam_x.so\\n' > /etc/pam.d/indented &&
         printf '# t\\nauth required pam_x.so\\nxx yy\\n' > /etc/pam.d/broken`,
      )
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it("check mode --diff predicts the run's counts as Ansible's check mode does; neither prints a diff or changes a file", async () => {
    const fresh = await Promise.all([sides.state('pd-a'), sides.state('pd-b')])
    const [mine, theirs] = await Promise.all([sides.run('acplay', { check: true, diff: true }), sides.run('ansible', { check: true, diff: true })])
    assert.deepEqual(mine.recap, theirs.recap, `${mine.stdout}\n${theirs.stdout}`)
    assert.equal(mine.recap.changed, 9, mine.stdout)
    assert.equal(printed(mine, 'results'), printed(theirs, 'results'))
    for (const run of [mine, theirs]) noDiff(run)
    assert.deepEqual(await Promise.all([sides.state('pd-a'), sides.state('pd-b')]), fresh)
  })

  it('both tools change the same rules and leave the same bytes, results alike', async () => {
    const [mine, theirs] = await sides.both(9)
    const results = printed(mine, 'results')
    assert.equal(results, printed(theirs, 'results'))
    assert.match(results, /\[1, 1, 1, 2, 2, 1, 1, 1, 2, 0\] \['', '\/etc\/pam.d\/su.PID.TIME~', ''\]/)
    const state = await sides.sameState()
    assert.match(state, /^# Updated by Ansible - TIME\n/m)
    assert.match(state, /^auth {7}required pam_faillock.so preauth silent\nauth {7}\[success=1 default=ignore\] pam_unix.so nullok\n/m)
    assert.match(state, /^auth {7}requisite pam_deny.so\nauth {7}\[default=die\] pam_faillock.so authfail deny=5\nauth {7}required pam_permit.so\n/m)
    assert.match(state, /^auth {7}sufficient pam_rootok.so\nauth {7}required pam_wheel.so use_uid\n/m)
    assert.match(state, /^su 644 root:root$/m)
    assert.match(state, /^su.PID.TIME~ (\S+) {2}-\n(?:.*\n)*\1 {2}-\s*$/m, 'the backup holds the original su')
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: an argument removed by hand is found by check mode (no diff) and put back alike', async () => {
    const check = await sides.drift(`sed -i 's/ remember=5$//' /etc/pam.d/common-password`, 1)
    noDiff(check)
  })

  it("fails as Ansible does, in its words (a line that is no rule: Ansible's traceback, a clear message here)", async () => {
    const failing = (tool: 'acplay' | 'ansible') => runPlaybook(tool, bed(), tool === 'acplay' ? 'pd-a' : 'pd-b', FAILING)
    const [mine, theirs] = await Promise.all([failing('acplay'), failing('ansible')])
    assert.deepEqual(mine.recap, theirs.recap, `${mine.stdout}\n${theirs.stdout}`)
    assert.equal(mine.recap.changed, 0)
    const messages = printed(mine, 'messages')
    assert.equal(messages, printed(theirs, 'messages'))
    assert.match(
      messages,
      /Unable to open\/read PAM module file \/etc\/pam.d\/nothere with error \[Errno 2\] No such file or directory: '\/etc\/pam.d\/nothere'\./,
    )
    assert.match(messages, /Rule control action, -1, is not valid in rule auth {7}\[success=-1 default=ignore\] pam_rootok.so/)
    assert.match(messages, /Rule is not valid {3}# indented.*\[True\]/)
    // args_updated is no state of Ansible's pamd: refused when the playbook loads (Ansible: when the task runs)
    const site = join(testDir('pamd'), 'site.yml')
    writeFileSync(site, FAILING.replace('state: args_present', 'state: args_updated'))
    const refused = await acplay(['run', site, '-i', bed().inventory({ hosts: ['pd-a'] })])
    assert.notEqual(refused.code, 0)
    assert.match(refused.stdout + refused.stderr, /site\.yml:\d+:\d+: .*state.*args_updated/)
    assert.match(mine.stdout, /\/etc\/pam.d\/broken line 3 is not a PAM rule \(type control module-path \[arguments\]\): \\"xx yy\\"/)
  })
})
