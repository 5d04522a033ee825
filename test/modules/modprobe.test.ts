/**
 * modprobe on a real host. The testbed's kernel has no loadable modules (no /proc/modules, no
 * /lib/modules), and a container must not load modules into the machine's kernel anyway, so what is
 * tested for real: the persistent configuration (/etc/modules-load.d, /etc/modprobe.d, edits through
 * the /etc/modules symlink), state=absent of a module that is not loaded, and the failure of loading
 * a module that does not exist (in check mode too). Loading and unloading for real is NOT tested.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { modprobe } from '../../modules/modprobe.js'
import { hostConnections } from '../helpers/connections.js'
import { runPlaybook } from '../helpers/differential.js'
import { checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: dummy on boot, with its options
      community.general.modprobe: { name: dummy, state: absent, params: numdummies=2, persistent: present }
    - name: 8021q on boot
      modprobe: { name: 8021q, state: absent, persistent: present }
    - name: loop not on boot any more (its line is in /etc/modules, behind the modules-load.d symlink)
      modprobe: { name: loop, state: absent, persistent: absent }
`
const SEED = `echo loop >> /etc/modules && printf 'options dummy numdummies=1\\noptions dummy other=x # keep\\n' > /etc/modprobe.d/local.conf`
const STATE = `cd /etc/modules-load.d && ls -l modules.conf | cut -c1 && tail -n 2 /etc/modules && head *.conf ../modprobe.d/*.conf`

describe('modprobe on a real host (persistent configuration; no loadable modules in the testbed)', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['modprobe-a'])
  const root = hostConnections(bed, 'modprobe-a')
  const sh = async (script: string) => (await bed().exec('modprobe-a', script)).stdout
  before(async () => {
    assert.equal((await bed().exec('modprobe-a', SEED)).rc, 0)
  })

  it('check mode on the fresh host predicts the run; the files are written as Ansible writes them; a re-run is ok', async () => {
    const fresh = await sh(STATE)
    const check = await runPlaybook('acplay', bed(), 'modprobe-a', PLAYBOOK, { check: true })
    assert.equal(check.code, 0, check.stdout + check.stderr)
    assert.equal(await sh(STATE), fresh, 'check mode changed nothing')
    const run = await runPlaybook('acplay', bed(), 'modprobe-a', PLAYBOOK)
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.equal(run.recap.changed, 3)
    assert.deepEqual(check.recap, run.recap, 'check mode predicted exactly what the run did')
    assert.equal(
      await sh(STATE),
      'l\n\n#loop\n' +
        '==> 8021q.conf <==\n8021q\n\n==> dummy.conf <==\ndummy\n\n==> modules.conf <==\n' +
        '# /etc/modules: kernel modules to load at boot time.\n#\n# This file contains the names of kernel modules that should be loaded\n' +
        '# at boot time, one per line. Lines beginning with "#" are ignored.\n# Parameters can be specified after the module name.\n\n#loop\n\n' +
        '==> ../modprobe.d/dummy.conf <==\noptions dummy numdummies=2\n\n' +
        '==> ../modprobe.d/local.conf <==\n#options dummy numdummies=1\n#options dummy other=x # keep\n',
    )
    const again = await runPlaybook('acplay', bed(), 'modprobe-a', PLAYBOOK)
    assert.equal(again.recap.changed, 0, again.stdout)
    assert.equal((await runPlaybook('acplay', bed(), 'modprobe-a', PLAYBOOK, { check: true })).recap.changed, 0)
  })

  it('drift: a hand-edited option is found in check mode and repaired', async () => {
    await sh(`sed -i 's/numdummies=2/numdummies=5/' /etc/modprobe.d/dummy.conf`)
    const args = { name: 'dummy', state: 'absent', params: 'numdummies=2', persistent: 'present' }
    const c = await checkRun(modprobe, args, root())
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      ['options of dummy (/etc/modprobe.d/dummy.conf)'],
    )
    assert.equal((await realRun(modprobe, args, root())).status, 'changed')
    assert.equal(await sh('cat /etc/modprobe.d/dummy.conf'), 'options dummy numdummies=2\n')
    assert.equal((await realRun(modprobe, args, root())).status, 'ok')
  })

  it("loading a module that does not exist fails with modprobe's message, in check mode too, before any file is written", async () => {
    for (const run of [checkRun, realRun]) {
      const r = await run(modprobe, { name: 'acplay_nosuch', persistent: 'present' }, root())
      assert.equal(r.status, 'failed')
      assert.match(r.msg!, /^modprobe: FATAL: Module acplay_nosuch not found/)
      assert.deepEqual({ name: r.data.name, state: r.data.state, rc: r.data.rc }, { name: 'acplay_nosuch', state: 'present', rc: 1 })
    }
    assert.equal(await sh('ls /etc/modules-load.d/acplay_nosuch.conf 2>&1 | grep -c "No such"'), '1\n')
    const unloaded = await realRun(modprobe, { name: 'acplay_nosuch', state: 'absent' }, root())
    assert.equal(unloaded.status, 'ok')
    assert.match(unloaded.reason!, /not loaded \(the kernel has no loadable modules\)/)
    const bad = await realRun(modprobe, { name: 'x; reboot' }, root())
    assert.match(bad.msg!, /is not a kernel module name/)
  })
})
