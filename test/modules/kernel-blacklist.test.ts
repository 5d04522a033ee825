/**
 * kernel_blacklist on real hosts, side by side with community.general.kernel_blacklist
 * (ansible-playbook): the default file created, an existing file with CRLF ends, comments and
 * trailing blanks rewritten as Ansible rewrites it (mode kept), a blacklisting removed, a missing
 * file created empty by state=absent; re-runs, a hand edit, --diff and a missing directory.
 * The play sets TMPDIR=/var/tmp: Ansible's module copies the file's attributes (chattr) onto a temp
 * file, which fails on the testbed's tmpfs /tmp; acplay ignores it.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { runPlaybook, SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const HEAD = `- hosts: all
  gather_facts: false
  environment: { TMPDIR: /var/tmp }
  tasks:
`
const PLAYBOOK = `${HEAD}    - community.general.kernel_blacklist: { name: nouveau }
    - community.general.kernel_blacklist: { name: floppy, blacklist_file: /etc/modprobe.d/hardening.conf }
    - community.general.kernel_blacklist: { name: bar, blacklist_file: /etc/modprobe.d/hardening.conf, state: absent }
    - community.general.kernel_blacklist: { name: cramfs, blacklist_file: /etc/modprobe.d/none.conf, state: absent }
`
const STATE = `cd /etc/modprobe.d && for f in *; do stat -c '%n %a %U' "$f"; cat -A "$f"; done`
const HARDENING = String.raw`printf '# hardening\r\nblacklist usb-storage  \r\n  blacklist   bar\n#blacklist floppy\nblacklist\tbar\nno newline   ' > /etc/modprobe.d/hardening.conf && chmod 600 /etc/modprobe.d/hardening.conf`

/** The registered result `r` the debug task prints. */
function registered(out: string): Record<string, unknown> {
  const at = out.indexOf('"r": {')
  assert.ok(at >= 0, out)
  const end = out.indexOf('\n    }\n}', at)
  const r = JSON.parse(out.slice(at + 5, end + 6)) as Record<string, unknown>
  delete r.exception
  delete r.ansible_facts
  return r
}

const diffLines = (out: string) =>
  out
    .split('\n')
    .map((l) => l.trim())
    // the unified diff's lines (acplay indents them under the change's summary, "- add ...")
    .filter((l) => /^(?:--- before|\+\+\+ after|@@ |[-+ ] {4})/.test(l))

describe('kernel_blacklist on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['kb-a', 'kb-b'])
  const sides = new SideBySide(bed, 'kb-a', 'kb-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['kb-a', 'kb-b']) {
      const r = await bed().exec(h, `mkdir -p /etc/modprobe.d && rm -f /etc/modprobe.d/* && ${HARDENING}`)
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode on the fresh host predicts the run; both tools leave the same files', async () => {
    const state = await sides.firstRun(4)
    assert.match(state, /^blacklist-ansible\.conf 644 root\nblacklist nouveau\$\n/m)
    assert.match(state, /^hardening\.conf 600 root\n# hardening\$\nblacklist usb-storage\$\n#blacklist floppy\$\nno newline\$\nblacklist floppy\$\n/m)
    assert.match(state, /^none\.conf 644 root\n(?!.)/m)
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: hand edits are found in check mode; both tools repair them alike, with the same --diff', async () => {
    const edit = `sed -i '/nouveau/d' /etc/modprobe.d/blacklist-ansible.conf && echo ' blacklist bar ' >> /etc/modprobe.d/hardening.conf`
    const check = await sides.drift(edit, 2)
    for (const h of [sides.mine, sides.theirs]) assert.equal((await bed().exec(h, edit)).rc, 0)
    const [mine, theirs] = await Promise.all([sides.run('acplay', { diff: true }), sides.run('ansible', { diff: true })])
    assert.deepEqual(diffLines(mine.stdout), diffLines(theirs.stdout), `${mine.stdout}\n${theirs.stdout}`)
    assert.deepEqual(diffLines(check.stdout), diffLines(theirs.stdout), 'check mode shows the diff the run makes')
    assert.ok(diffLines(theirs.stdout).includes('+        "blacklist nouveau"'), theirs.stdout)
    await sides.sameState()
  })

  it('a file in a missing directory fails alike, with the same registered result', async () => {
    const yaml = `${HEAD}    - community.general.kernel_blacklist: { name: x, blacklist_file: /nodir/x.conf }
      register: r
      ignore_errors: true
    - debug: { var: r }
`
    const [mine, theirs] = await Promise.all([
      runPlaybook('acplay', bed(), sides.mine, yaml, { diff: true }),
      runPlaybook('ansible', bed(), sides.theirs, yaml, { diff: true }),
    ])
    assert.deepEqual(mine.recap, theirs.recap)
    assert.deepEqual(registered(mine.stdout), registered(theirs.stdout))
    assert.equal(registered(mine.stdout).msg, "Module failed with exception: [Errno 2] No such file or directory: '/nodir/x.conf'")
  })
})
