import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runModule } from '../../../engine/module-runner.js'
import { EffectStore } from '../../../engine/effects.js'
import { aptUnknowns } from '../../../engine/unknown.js'
import { parseUnitState, systemdUnit } from '../../../modules/facts/systemd.js'
import { systemd, unitName } from '../../../modules/systemd.js'
import { validateParams } from '../../../modules/schema.js'
import { fakeConn, fakeCtx } from './fake-ctx.js'

const show = (o: Record<string, string>) =>
  `${Object.entries({
    Id: 'x.service',
    LoadState: 'loaded',
    ActiveState: 'inactive',
    SubState: 'dead',
    UnitFileState: 'disabled',
    NeedDaemonReload: 'no',
    FragmentPath: '/etc/systemd/system/x.service',
    DropInPaths: '',
    ...o,
  })
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`

const plan = (args: Record<string, unknown>, answer: string, effects?: EffectStore) =>
  runModule(systemd, args, { conn: fakeConn(answer), check: true, diff: false, effects })

describe('systemd.unit fact', () => {
  it('parses systemctl show', () => {
    const u = parseUnitState(
      show({ ActiveState: 'active', SubState: 'running', NeedDaemonReload: 'yes', DropInPaths: '/etc/systemd/system/x.service.d/a.conf /run/x.conf' }),
    )
    assert.equal(u.activeState, 'active')
    assert.equal(u.needDaemonReload, true)
    assert.deepEqual(u.dropInPaths, ['/etc/systemd/system/x.service.d/a.conf', '/run/x.conf'])
  })
  it('several units in one systemctl show (read-ahead): one block per unit, in order', () => {
    const reads: [string][] = [['a.service'], ['b.service']]
    assert.deepEqual(systemdUnit.batch!.command(reads).argv.slice(-3), ['--', 'a.service', 'b.service'])
    const out = `${show({ Id: 'a.service', ActiveState: 'active' })}\n${show({ Id: 'b.service', LoadState: 'not-found' })}`
    const [a, b] = systemdUnit.batch!.parse({ rc: 0, stdout: out, stderr: '' }, reads)
    assert.deepEqual([a?.activeState, b?.loadState], ['active', 'not-found'])
    assert.throws(() => systemdUnit.batch!.parse({ rc: 0, stdout: show({}), stderr: '' }, reads), /systemctl show failed/)
  })
  it('unit names', () => {
    assert.equal(unitName('astronomer-core@scheduler'), 'astronomer-core@scheduler.service')
    assert.equal(unitName('ssh.socket'), 'ssh.socket')
    assert.equal(unitName('my.app'), 'my.app.service')
    assert.throws(() => unitName('x; rm -rf /'), /not a valid systemd unit name/)
    assert.throws(() => unitName('-x'), /not a valid/)
  })
})

describe('systemd planner', () => {
  it('daemon_reload without a name runs it but is no change, as Ansible reports it; check mode does not run it', async () => {
    const conn = fakeConn('')
    const real = await runModule(systemd, { daemon_reload: true }, { conn, check: false, diff: false })
    assert.equal(real.status, 'ok', real.msg)
    assert.equal(conn.count, 1, 'daemon-reload ran')
    const idle = fakeConn('')
    const check = await runModule(systemd, { daemon_reload: true }, { conn: idle, check: true, diff: false })
    assert.equal(check.status, 'ok')
    assert.equal(idle.count, 0, 'nothing runs in check mode')
  })
  it('started on a running unit is ok with a reason', async () => {
    const r = await plan({ name: 'x', state: 'started', enabled: true }, show({ ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' }))
    assert.equal(r.status, 'ok')
    assert.equal(r.reason, 'x.service is active (running), enabled')
  })
  it('orders daemon-reload, unmask, enable, start; records the resulting state', async () => {
    const effects = new EffectStore()
    const r = await plan(
      { name: 'x', state: 'started', enabled: true, masked: false },
      show({ LoadState: 'masked', UnitFileState: 'masked', NeedDaemonReload: 'yes' }),
      effects,
    )
    // a masked unit always reports NeedDaemonReload (its fragment is /dev/null); unmask reloads anyway
    assert.deepEqual(
      r.changes.map((c) => c.summary),
      ['unmask x.service', 'enable x.service', 'start x.service (inactive)'],
    )
    const d = await plan({ name: 'x', state: 'started', enabled: true }, show({ NeedDaemonReload: 'yes' }))
    assert.deepEqual(
      d.changes.map((c) => c.summary),
      ['daemon-reload (unit files of x.service changed on disk)', 'enable x.service', 'start x.service (inactive)'],
    )
    const after = effects.get('systemd.unit', 'x.service') as { activeState: string; unitFileState: string }
    assert.equal(after.activeState, 'active')
    assert.equal(after.unitFileState, 'enabled')
    const again = await plan({ name: 'x', state: 'started', enabled: true }, 'unused', effects)
    assert.equal(again.status, 'ok')
  })
  it('restarted always acts; stopped on an inactive unit is ok', async () => {
    assert.equal((await plan({ name: 'x', state: 'restarted' }, show({ ActiveState: 'active' }))).status, 'changed')
    assert.equal((await plan({ name: 'x', state: 'stopped' }, show({}))).status, 'ok')
  })
  it("a unit only asked about (name alone): its status under systemctl's property names, found or not, as Ansible's systemd", async () => {
    const missing = await plan({ name: 'motd-news.timer' }, show({ LoadState: 'not-found', UnitFileState: '', FragmentPath: '' }))
    assert.equal(missing.status, 'ok', missing.msg)
    assert.equal((missing.data.status as Record<string, string>).LoadState, 'not-found')
    const loaded = await plan({ name: 'x' }, show({ ActiveState: 'active' }))
    assert.equal(loaded.status, 'ok', loaded.msg)
    assert.deepEqual(loaded.data.status, {
      LoadState: 'loaded',
      ActiveState: 'active',
      SubState: 'dead',
      UnitFileState: 'disabled',
      NeedDaemonReload: 'no',
      FragmentPath: '/etc/systemd/system/x.service',
      DropInPaths: '',
    })
  })
  it("not found and masked: masks it, then fails as Ansible's systemd when enabled or a state is asked too (the mask stays)", async () => {
    const missing = show({ LoadState: 'not-found', UnitFileState: '', FragmentPath: '' })
    const only = await plan({ name: 'kdump', masked: true }, missing)
    assert.equal(only.status, 'changed', only.msg)
    assert.deepEqual(
      only.changes.map((x) => x.summary),
      ['mask kdump.service'],
    )
    const checked = await plan({ name: 'kdump', masked: true, enabled: false, state: 'stopped' }, missing)
    assert.equal(checked.status, 'failed')
    assert.equal(checked.msg, 'Could not find the requested service kdump.service: host (no unit file on fake; is it installed?)')
    const conn = fakeConn(missing)
    const real = await runModule(systemd, { name: 'kdump', masked: true, enabled: false }, { conn, check: false, diff: false })
    assert.equal(real.status, 'failed')
    assert.match(real.msg!, /^Could not find the requested service kdump\.service: host/)
    assert.deepEqual(
      real.changes.map((x) => x.summary),
      ['mask kdump.service'],
    )
    assert.notEqual(real.data.changed, true, 'a failure without changed, as fail_json reports it')
  })
  it('not found: fails in a real plan, plans against an earlier unit-file effect in check mode', async () => {
    const missing = show({ LoadState: 'not-found', UnitFileState: '', FragmentPath: '' })
    const r = await plan({ name: 'app@one', state: 'started' }, missing)
    assert.equal(r.status, 'failed')
    assert.match(r.msg!, /Could not find the requested service app@one.service: host/)
    const effects = new EffectStore()
    effects.record([{ fact: 'path.stat', key: '/etc/systemd/system/app@.service', value: { exists: true, type: 'file' } }])
    const c = await plan({ name: 'app@one', state: 'started', enabled: true }, missing, effects)
    assert.equal(c.status, 'changed')
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      ['enable app@one.service', 'start app@one.service (inactive)'],
    )
  })
  it('not found in check mode after an earlier install: may change, whatever the unit is named (samba ships smbd)', async () => {
    const missing = show({ Id: 'smbd.service', LoadState: 'not-found', UnitFileState: '', FragmentPath: '' })
    // no SysV script either (the fake host answers every read with `missing`)
    const noScript = { fact: 'path.stat', key: '/etc/init.d/smbd', value: { exists: false } }
    const installs = new EffectStore()
    installs.record([noScript])
    installs.record([], aptUnknowns(['samba'], true), 'Install Samba packages')
    const started = await plan({ name: 'smbd', state: 'started', enabled: true }, missing, installs)
    assert.equal(started.status, 'changed')
    assert.equal(started.mayChange, true)
    assert.match(started.reason!, /may change: .*Could not find the requested service smbd.service.*task 'Install Samba packages' runs first/)
    // a stop would find it running once the package's postinst has started it
    const stopped = await plan({ name: 'smbd', state: 'stopped' }, missing, installs)
    assert.equal(stopped.mayChange, true)
    // a removal ships nothing: the unit is still missing
    const removes = new EffectStore()
    removes.record([noScript])
    removes.record([], aptUnknowns(['samba']), 'Remove Samba')
    assert.equal((await plan({ name: 'smbd', state: 'started' }, missing, removes)).status, 'failed')
    // a unit only asked about is still answered from the host
    assert.equal((await plan({ name: 'smbd' }, missing, installs)).status, 'ok')
  })
  it('an earlier change to the unit file means a daemon-reload in check mode', async () => {
    const effects = new EffectStore()
    effects.record([{ fact: 'path.stat', key: '/etc/systemd/system/x.service', value: { exists: true } }])
    const r = await plan({ name: 'x', state: 'started' }, show({ ActiveState: 'active' }), effects)
    // the reload runs, but a daemon-reload alone is not a change (Ansible: changed false)
    assert.equal(r.status, 'ok')
    assert.equal(r.reason, 'daemon-reload (unit files changed)')
  })
  it('a name alone reports the status (as Ansible); force adds --force to enable and mask', async () => {
    const r = await plan({ name: 'x' }, show({ ActiveState: 'active' }))
    assert.equal(r.status, 'ok')
    assert.equal((r.data.status as { ActiveState: string }).ActiveState, 'active')
    const ctx = fakeCtx({ [JSON.stringify(['systemd.unit', 'x.service'])]: show({}) })
    const p = await systemd.plan(validateParams(systemd, { name: 'x', enabled: true, force: true }), ctx)
    assert.equal(p.kind, 'change')
    assert.deepEqual(p.kind === 'change' && p.changes[0]!.commands[0]!.argv, ['systemctl', '--force', 'enable', '--', 'x.service'])
  })
  it('bad arguments fail before touching the host', async () => {
    for (const [args, msg] of [
      [{ name: 'x', state: 'running' }, /argument 'state' must be one of started, stopped, restarted, reloaded/],
      [{ name: 'x', scope: 'user', state: 'started' }, /argument 'scope' of module systemd is not supported yet: only the system manager/],
      [{ name: 'x', masked: true, state: 'started' }, /masked: true conflicts with state: started/],
      [{ state: 'started' }, /argument 'state' needs name/],
      [{ enabled: true, daemon_reload: true }, /argument 'enabled' needs name/],
      [{ name: 'a b$(id)', state: 'started' }, /not a valid systemd unit name/],
      [{ name: 'x', enabled: 'perhaps' }, /argument 'enabled' must be a boolean/],
    ] as [Record<string, unknown>, RegExp][]) {
      const c = fakeConn('')
      const r = await runModule(systemd, args, { conn: c, check: true, diff: false })
      assert.equal(r.status, 'failed', JSON.stringify(args))
      assert.match(r.msg!, msg)
      assert.equal(c.count, 0)
    }
  })
})
