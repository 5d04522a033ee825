/**
 * dpkg_divert on real hosts, side by side with community.general.dpkg_divert (ansible-playbook): a
 * local diversion, one with its own name and rename (the file moves), a package's diversion taken
 * over as LOCAL (removed and added again), a diversion removed with rename (the file moves back);
 * re-runs, a diversion removed by hand; the registered results (commands, messages, diversion,
 * diff) and the failures: rename onto an existing file without force, then with it.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { runPlaybook, SideBySide } from '../helpers/differential.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const HEAD = `- hosts: all
  gather_facts: false
  tasks:
`
const PLAYBOOK = `${HEAD}    - community.general.dpkg_divert: { path: /etc/app.conf }
    - community.general.dpkg_divert: { path: /usr/local/bin/tool, divert: /usr/local/bin/tool.orig, rename: true }
    - community.general.dpkg_divert: { path: /etc/pkgfile }
    - community.general.dpkg_divert: { path: /etc/old, state: absent, rename: true }
`
const FILES = '/etc/app.conf* /usr/local/bin/tool* /etc/pkgfile* /etc/old* /etc/baz*'
const STATE = `dpkg-divert --list | sort; for f in ${FILES}; do [ -e "$f" ] && printf '%s: %s\\n' "$f" "$(cat "$f")"; done; true`
const SETUP = [
  'echo app > /etc/app.conf',
  'echo tool > /usr/local/bin/tool',
  'echo pkg > /etc/pkgfile',
  'dpkg-divert --no-rename --package base-files --divert /etc/pkgfile.pkg --add /etc/pkgfile',
  'echo old-distrib > /etc/old.distrib',
  'dpkg-divert --no-rename --local --add /etc/old',
  'echo baz > /etc/baz && echo in-the-way > /etc/baz.distrib',
].join(' && ')

/** The registered results the debug task prints (r1, r2...), without what only Ansible adds. */
function registered(out: string): Record<string, unknown> {
  const at = out.indexOf('"msg": [')
  assert.ok(at >= 0, out)
  const list = JSON.parse(out.slice(at + 7, out.indexOf('\n    ]\n}', at) + 6)) as Record<string, unknown>[]
  return Object.fromEntries(list.map((r, i) => [`r${i + 1}`, { ...r, ansible_facts: undefined }]))
}

describe('dpkg_divert on real hosts (differential with ansible-playbook)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['dd-a', 'dd-b'])
  const sides = new SideBySide(bed, 'dd-a', 'dd-b', PLAYBOOK, STATE)
  before(async () => {
    for (const h of ['dd-a', 'dd-b']) {
      const r = await bed().exec(h, SETUP)
      assert.equal(r.rc, 0, r.stderr)
    }
  })

  it('check mode on the fresh host predicts the run; both tools leave the same diversions and files', async () => {
    const state = await sides.firstRun(4)
    assert.match(state, /^local diversion of \/etc\/app\.conf to \/etc\/app\.conf\.distrib$/m)
    assert.match(state, /^local diversion of \/etc\/pkgfile to \/etc\/pkgfile\.distrib$/m)
    assert.match(state, /^\/usr\/local\/bin\/tool\.orig: tool$/m)
    assert.match(state, /^\/etc\/old: old-distrib$/m)
    assert.doesNotMatch(state, /\/etc\/old to/)
  })

  it('re-runs change nothing with either tool; check mode on the converged host is all ok', () => sides.rerun())

  it('drift: a diversion removed by hand is found in check mode; both tools add it again alike', async () => {
    await sides.drift('dpkg-divert --no-rename --remove /etc/app.conf', 1)
  })

  it('registered results: the same commands, messages, diversion and diff, converged and on a change, in check mode too', async () => {
    const yaml = `${HEAD}    - community.general.dpkg_divert: { path: /etc/app.conf }
      register: r1
    - community.general.dpkg_divert: { path: /etc/pkgfile, holder: base-files, divert: /etc/pkgfile.pkg }
      register: r2
    - community.general.dpkg_divert: { path: /etc/none, state: absent }
      register: r3
    - community.general.dpkg_divert: { path: /etc/baz, rename: true }
      register: r4
      ignore_errors: true
    - debug: { msg: "{{ [r1, r2, r3, r4] }}" }
`
    const both = async (check: boolean) => {
      const [mine, theirs] = await Promise.all([
        runPlaybook('acplay', bed(), sides.mine, yaml, { diff: true, check }),
        runPlaybook('ansible', bed(), sides.theirs, yaml, { diff: true, check }),
      ])
      assert.deepEqual(mine.recap, theirs.recap, `${mine.stdout}\n${theirs.stdout}`)
      assert.deepEqual(registered(mine.stdout), registered(theirs.stdout))
      return registered(mine.stdout)
    }
    const predicted = await both(true)
    assert.deepEqual((predicted.r2 as { messages: string[] }).messages, [
      "Removing 'local diversion of /etc/pkgfile to /etc/pkgfile.distrib'",
      'Running in check mode',
    ])
    const ran = await both(false)
    assert.equal((ran.r4 as { msg: string }).msg, "Set 'force' param to True to force renaming of files.")
    assert.deepEqual((ran.r2 as { commands: string[] }).commands, [
      '/usr/bin/dpkg-divert --no-rename --remove /etc/pkgfile',
      '/usr/bin/dpkg-divert --no-rename --package base-files --divert /etc/pkgfile.pkg --add /etc/pkgfile',
    ])
    assert.equal(await sides.state(sides.mine), await sides.state(sides.theirs))
  })

  it('force: the file in the way is removed and the file renamed onto its place, alike', async () => {
    const yaml = `${HEAD}    - community.general.dpkg_divert: { path: /etc/baz, rename: true, force: true }\n`
    const check = await runPlaybook('acplay', bed(), sides.mine, yaml, { check: true })
    assert.equal(check.recap.changed, 1, check.stdout)
    const [mine, theirs] = await Promise.all([runPlaybook('acplay', bed(), sides.mine, yaml), runPlaybook('ansible', bed(), sides.theirs, yaml)])
    assert.deepEqual(mine.recap, theirs.recap, `${mine.stdout}\n${theirs.stdout}`)
    assert.equal(mine.recap.changed, 1)
    const state = await sides.sameState()
    assert.match(state, /^\/etc\/baz\.distrib: baz$/m)
  })
})
