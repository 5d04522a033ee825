/** systemd on a real Debian host: a template unit with an EnvironmentFile and a drop-in, reboot, drift, failures, masks. */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { runModule } from '../../engine/module-runner.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { hostConnections } from '../helpers/connections.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { service } from '../../modules/service.js'
import { systemd } from '../../modules/systemd.js'

const TEMPLATE = `[Unit]
Description=acplay test %i

[Service]
EnvironmentFile=/etc/acplay-test/%i.env
ExecStart=/bin/sh -c 'echo "starting $GREETING $EXTRA"; exec sleep infinity'

[Install]
WantedBy=multi-user.target
`
const FAILING = `[Service]
ExecStartPre=/bin/sh -c 'echo boom-from-the-unit >&2; exit 3'
ExecStart=/bin/sleep infinity
`

describe('systemd module on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['h1'])
  const root = hostConnections(bed, 'h1')
  const deploy = hostConnections(bed, 'h1', 'deploy', 'root')
  const sh = async (script: string) => (await bed().exec('h1', script)).stdout.trim()
  const state = (unit: string) => sh(`systemctl is-active ${unit}; systemctl is-enabled ${unit}; true`)

  before(async () => {
    const r = await bed().exec(
      'h1',
      `set -e
mkdir -p /etc/acplay-test /etc/systemd/system/acplay-test@.service.d
cat > /etc/systemd/system/acplay-test@.service <<'EOF'
${TEMPLATE}EOF
printf '[Service]\\nEnvironment=EXTRA=from-drop-in\\n' > /etc/systemd/system/acplay-test@.service.d/extra.conf
echo GREETING=hello > /etc/acplay-test/one.env
echo GREETING=two > /etc/acplay-test/two.env
cat > /etc/systemd/system/acplay-fail.service <<'EOF'
${FAILING}EOF
systemctl daemon-reload`,
    )
    assert.equal(r.rc, 0, r.stderr)
  })

  const one = { name: 'acplay-test@one', state: 'started', enabled: true }

  it('check mode on a fresh host reports start + enable and leaves the unit alone', async () => {
    const r = await checkRun(systemd, one, deploy())
    assert.equal(r.status, 'changed', r.msg)
    assert.deepEqual(
      r.changes.map((c) => c.summary),
      ['enable acplay-test@one.service', 'start acplay-test@one.service (inactive)'],
    )
    assert.deepEqual(r.changes[1]!.diff?.attrs, { activeState: ['inactive', 'active'], unitFileState: ['disabled', 'enabled'] })
    assert.equal(await state('acplay-test@one'), 'inactive\ndisabled')
  })

  it('starts and enables a template instance (EnvironmentFile + drop-in), re-run ok with a reason', async () => {
    const { again } = await assertConverges(systemd, one, deploy())
    assert.equal(again.reason, 'acplay-test@one.service is active (running), enabled')
    assert.equal(await state('acplay-test@one'), 'active\nenabled')
    assert.match(await sh('journalctl -u acplay-test@one -n 5 --no-pager'), /starting hello from-drop-in/)
  })

  it('survives a reboot (active again after boot)', async () => {
    await bed().reboot('h1')
    assert.equal(await state('acplay-test@one'), 'active\nenabled')
    const r = await checkRun(systemd, one, root())
    assert.equal(r.status, 'ok')
  })

  it('unit-file drift (NeedDaemonReload) is detected in check mode and reloaded; a reload alone is ok, as in Ansible', async () => {
    await sh(`sed -i 's/^Description=.*/Description=edited by hand %i/' /etc/systemd/system/acplay-test@.service`)
    const c = await checkRun(systemd, one, root())
    assert.deepEqual([c.status, c.reason], ['ok', 'daemon-reload (unit files of acplay-test@one.service changed on disk)'])
    const r = await realRun(systemd, one, root())
    assert.deepEqual([r.status, r.reason], ['ok', 'daemon-reload (unit files of acplay-test@one.service changed on disk)'])
    assert.equal(await sh('systemctl show -p NeedDaemonReload,Description acplay-test@one'), 'Description=edited by hand one\nNeedDaemonReload=no')
    assert.equal((await realRun(systemd, one, root())).status, 'ok')
  })

  it('a unit that fails to start fails the task with its journal lines', async () => {
    const r = await realRun(systemd, { name: 'acplay-fail', state: 'started' }, deploy())
    assert.equal(r.status, 'failed')
    assert.match(r.msg!, /systemctl start acplay-fail\.service failed \(rc \d+\); last journal lines:/)
    assert.match(r.msg!, /boom-from-the-unit/)
  })

  it('restarted always acts; stopped converges', async () => {
    const pid = await sh('systemctl show -p MainPID --value acplay-test@one')
    const r = await realRun(systemd, { name: 'acplay-test@one', state: 'restarted' }, root())
    assert.equal(r.status, 'changed')
    assert.notEqual(await sh('systemctl show -p MainPID --value acplay-test@one'), pid)
    await assertConverges(systemd, { name: 'acplay-test@one', state: 'stopped' }, root())
    assert.equal(await state('acplay-test@one'), 'inactive\nenabled')
  })

  it("service (Ansible's service module on systemd): started/enabled converge; sleep and init-script options ignored with Ansible's warnings", async () => {
    const args = { name: 'acplay-test@three', state: 'started', enabled: true, pattern: 'sleep', runlevel: '3', arguments: '--x' }
    await sh('echo GREETING=three > /etc/acplay-test/three.env')
    await assertConverges(service, args, deploy())
    assert.equal(await state('acplay-test@three'), 'active\nenabled')
    const pid = await sh('systemctl show -p MainPID --value acplay-test@three')
    const restart = { name: 'acplay-test@three', state: 'restarted', sleep: 2 }
    const c = await checkRun(service, restart, root())
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      ['restart acplay-test@three.service'],
    )
    const warned: string[] = []
    const warn = (m: string) => void warned.push(m)
    const r = await realRun(service, restart, { ...root(), warn })
    assert.equal(r.status, 'changed')
    // Ansible's service action on systemd: `Ignoring "sleep" as it is not used in "systemd"`, one restart;
    // shown by the action, not kept in the registered result
    assert.deepEqual(warned, ['Ignoring "sleep" as it is not used in "systemd"'])
    assert.equal(r.data?.warnings, undefined)
    assert.notEqual(await sh('systemctl show -p MainPID --value acplay-test@three'), pid)
    assert.equal(await state('acplay-test@three'), 'active\nenabled')
    warned.length = 0
    assert.equal((await realRun(service, args, { ...root(), warn })).status, 'ok')
    assert.deepEqual(
      warned,
      ['pattern', 'runlevel', 'arguments'].map((k) => `Ignoring "${k}" as it is not used in "systemd"`),
    )
    for (const [a, re] of [
      [{ state: 'started' }, /argument 'state' needs name/],
      // the generic service module (use: sysvinit) finds systemd running: acplay handles init scripts only where it does not
      [{ name: 'x', state: 'started', use: 'sysvinit' }, /x: systemd runs here after all \(use: systemd\)/],
    ] as const)
      assert.match((await realRun(service, a, root())).msg!, re)
  })

  it("service takes the systemd module's options, as Ansible's service action hands them to systemd there", async () => {
    const masked = await assertConverges(service, { name: 'acplay-test@four', masked: true }, root())
    assert.deepEqual(
      masked.check.changes.map((x) => x.summary),
      ['mask acplay-test@four.service'],
    )
    assert.equal(await sh('systemctl is-enabled acplay-test@four || true'), 'masked')
    await assertConverges(service, { name: 'acplay-test@four', masked: false }, root())
    const reload = await realRun(service, { daemon_reload: true }, root())
    assert.equal(reload.status, 'ok', 'a daemon-reload alone is no change, as with systemd')
  })

  it('a SysV script systemd has not loaded (ansible-examples tomcat: copied to /etc/init.d): enable and start it, warning as Ansible', async () => {
    const script = `#!/bin/sh
### BEGIN INIT INFO
# Provides:          acplay-sysv
# Required-Start:    $remote_fs
# Required-Stop:     $remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
### END INIT INFO
case "$1" in
  start) sh -c 'exec -a acplay-sysv-daemon sleep infinity' >/dev/null 2>&1 & ;;
  stop) pkill -f acplay-sysv-daemon || true ;;
esac
exit 0
`
    const r = await bed().exec('h1', `cat > /etc/init.d/acplay-sysv <<'EOF'\n${script}EOF\nchmod 755 /etc/init.d/acplay-sysv`)
    assert.equal(r.rc, 0, r.stderr)
    const args = { name: 'acplay-sysv', state: 'started', enabled: true }
    const first = await realRun(service, args, root())
    assert.equal(first.status, 'changed', first.msg)
    assert.deepEqual(first.data.warnings, ['The service (acplay-sysv) is actually an init script but the system is managed by systemd'])
    assert.equal(await state('acplay-sysv'), 'active\nenabled')
    // loaded now (the enable reloaded systemd): a native-looking unit, no warning, nothing to do
    const again = await realRun(service, args, root())
    assert.equal(again.status, 'ok', again.msg)
    assert.equal(again.data.warnings, undefined)
    assert.match(
      (await realRun(systemd, { name: 'acplay-nosuch', state: 'started' }, root())).msg!,
      /Could not find the requested service acplay-nosuch.service: host/,
    )
  })

  it('masks and unmasks', async () => {
    await assertConverges(systemd, { name: 'acplay-test@two', masked: true }, deploy())
    assert.equal(await sh('systemctl is-enabled acplay-test@two; true'), 'masked')
    const start = await realRun(systemd, { name: 'acplay-test@two', state: 'started' }, root())
    assert.equal(start.status, 'failed', 'a masked unit cannot start')
    await assertConverges(systemd, { name: 'acplay-test@two', masked: false, state: 'started' }, deploy())
    assert.equal(await state('acplay-test@two'), 'active\ndisabled')
  })

  it('check mode: a unit whose file an earlier task would write plans instead of failing "not found"', async () => {
    const missing = await checkRun(systemd, { name: 'acplay-new', state: 'started' }, root())
    assert.equal(missing.status, 'failed')
    assert.match(missing.msg!, /Could not find the requested service acplay-new\.service: host/)
    const effects = new EffectStore()
    effects.record([{ fact: 'path.stat', key: '/etc/systemd/system/acplay-new@.service', value: { exists: true, type: 'file' } }])
    const r = await runModule(
      systemd,
      { name: 'acplay-new@x', state: 'started', enabled: true, daemon_reload: true },
      { ...root(), check: true, diff: false, effects },
    )
    assert.equal(r.status, 'changed', r.msg)
    assert.deepEqual(
      r.changes.map((c) => c.summary),
      ['daemon-reload (unit files changed)', 'enable acplay-new@x.service', 'start acplay-new@x.service (inactive)'],
    )
  })

  it('hostile and bad names are rejected before touching the host', async () => {
    const env = root()
    const n = env.conn.execCount
    for (const name of ['a b', "x'; touch /tmp/pwned; '", '$(id)', 'x\ny', '`id`']) {
      const r = await runModule(systemd, { name, state: 'started' }, { ...env, check: false, diff: false })
      assert.equal(r.status, 'failed')
      assert.match(r.msg!, /is not a valid systemd unit name/)
    }
    const scope = await runModule(systemd, { name: 'x', state: 'started', scope: 'user' }, { ...env, check: false, diff: false })
    assert.match(scope.msg!, /argument 'scope' of module systemd is not supported yet/)
    assert.equal(env.conn.execCount, n)
  })
})
