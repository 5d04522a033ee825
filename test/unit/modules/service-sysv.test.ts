import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseServiceMgr, SERVICE_MGR_READS } from '../../../modules/facts/service-mgr.js'
import { serviceMgr } from '../../../modules/facts/setup/system.js'
import { ReadAhead } from '../../../engine/fact-cache.js'
import { moduleContext } from '../../../engine/module-runner.js'
import { parseSysv, psRunning, statusRunning, sysvService } from '../../../modules/facts/sysv.js'
import { validateParams } from '../../../modules/schema.js'
import { service } from '../../../modules/service.js'
import { CONTROL } from '../../../modules/service-sysv.js'
import type { Change, FactEffect } from '../../../modules/types.js'
import { factKey } from '../../../modules/types.js'
import { fakeConn, fakeCtx } from './fake-ctx.js'

const TOOLS = 'bin service /usr/sbin/service\nbin update-rc.d /usr/sbin/update-rc.d\nbin systemctl /usr/bin/systemctl\n'
const SCRIPT = 'initscript\n'
const LINKS = (kind: 'S' | 'K') => ['0', '1', '2'].map((l) => `link /etc/rc${l}.d/${kind}01demo\n`).join('')
const read = (how: string, args: string[] = [], pattern = '') => JSON.stringify(['sysv.service', 'demo', how, pattern, args])

function plan(
  args: Record<string, unknown>,
  answer: string,
  opts: { check?: boolean; effects?: FactEffect[]; how?: string; mgr?: string; args?: string[] } = {},
) {
  const p = validateParams(service, { name: 'demo', ...args })
  const pattern = typeof args.pattern === 'string' ? args.pattern : ''
  const ctx = fakeCtx({ [read(opts.how ?? 'status', opts.args ?? [], pattern)]: answer }, opts)
  ctx.vars = { ansible_facts: { service_mgr: opts.mgr ?? 'process_api' } }
  return service.plan(p, ctx)
}
const argvs = (changes: Change[]) => changes.flatMap((c) => c.commands.map((x) => (x.argv[2] === CONTROL ? ['CONTROL', ...x.argv.slice(4)] : x.argv)))

describe('service on a host not run by systemd: the facts', () => {
  it("reads the status as Ansible's LinuxService does", () => {
    assert.equal(statusRunning(3, 'demo is not running\n', 'demo'), false)
    assert.equal(statusRunning(0, 'demo is running\n', 'demo'), true)
    assert.equal(statusRunning(0, 'demo is not running\n', 'demo'), false, 'one line: "run" with "not " means stopped, whatever the rc')
    assert.equal(statusRunning(0, 'stopped\n', 'demo'), false)
    assert.equal(statusRunning(0, 'a\nb\nc\n', 'demo'), true, 'longer output: rc 0 says running')
    assert.equal(statusRunning(5, 'a\nb\nc\n', 'demo'), null, 'undetermined')
    assert.equal(statusRunning(1, 'demo is running\n', 'demo'), false, 'rc 1..4 and 69 first')
  })
  it('matches a pattern over ps lines, leaving out "pattern=" lines and its own shell', () => {
    const ps = 'USER PID\nroot 10 0.0 python3 -c x svcdemo-h1\n'
    assert.equal(psRunning(ps, 'svcdemo-h1'), true)
    assert.equal(psRunning(ps, 'svcdemo-h2'), false)
    assert.equal(psRunning('root 11 0.0 python3 m.py pattern=svcdemo-h1\n', 'svcdemo-h1'), false)
    assert.equal(psRunning(ps, 'svcdemo-h1', '10'), false)
  })
  it('parses the tools, the script, the rc?.d links and the status', () => {
    const st = parseSysv(`${TOOLS}${SCRIPT}${LINKS('S')}link /etc/rc6.d/K01demo\n--status 0\ndemo is running\n`, 'demo')
    assert.equal(st.bins['update-rc.d'], '/usr/sbin/update-rc.d')
    assert.deepEqual([st.initscript, st.systemdBooted, st.sLinks.length, st.kLinks, st.running], [true, false, 3, ['/etc/rc6.d/K01demo'], true])
  })
  it('decides the service manager by the setup collector, from a shell read of what it reads', () => {
    assert.deepEqual(SERVICE_MGR_READS, serviceMgr.reads({ factPath: '' }), 'the script reads what the collector reads')
    const base = 'which systemctl /usr/bin/systemctl\nexists /etc/init.d/\nsystem Linux\n'
    assert.equal(parseServiceMgr(`comm process_api\nlink /lib/systemd/systemd\n${base}`), 'process_api', "a testbed light host (Ansible's answer there)")
    assert.equal(parseServiceMgr(`comm systemd\n${base}`), 'systemd')
    assert.equal(parseServiceMgr(`comm bash\nlink /lib/systemd/systemd\n${base}`), 'systemd', 'a shell as PID 1: the link decides')
    assert.equal(parseServiceMgr('comm init\nexists /etc/init.d/\nsystem Linux\n'), 'sysvinit')
    assert.equal(parseServiceMgr('comm sleep\nsystem Linux\n'), 'sleep')
  })
})

describe('service on a host not run by systemd: the plan', () => {
  it('starts through `service` and enables by update-rc.d defaults + enable; the result as Ansible words it', async () => {
    const r = await plan({ state: 'started', enabled: true, arguments: "--fast 'a b'" }, `${TOOLS}${SCRIPT}--status 3\ndemo is not running\n`, {
      args: ['--fast', 'a b'],
    })
    assert.equal(r.kind, 'change')
    if (r.kind !== 'change') return
    assert.deepEqual(argvs(r.changes), [
      ['/usr/sbin/update-rc.d', 'demo', 'defaults'],
      ['/usr/sbin/update-rc.d', 'demo', 'enable'],
      ['CONTROL', 'start', '0', '/usr/sbin/service', 'demo', '--fast', 'a b'],
    ])
    assert.deepEqual(r.data, { name: 'demo', enabled: true, state: 'started' })
  })
  it('check mode: a state change is only msg; the effect says running and enabled for the next task', async () => {
    const r = await plan({ state: 'restarted', sleep: 2, enabled: true }, `${TOOLS}${SCRIPT}${LINKS('K')}--status 0\ndemo is running\n`, { check: true })
    if (r.kind !== 'change') throw new Error(r.reason)
    assert.deepEqual(argvs(r.changes), [
      ['/usr/sbin/update-rc.d', 'demo', 'enable'],
      ['CONTROL', 'restart', '2', '/usr/sbin/service', 'demo'],
    ])
    assert.deepEqual(r.data, { msg: 'service state changed' })
    const effects = r.changes.flatMap((c) => c.effects ?? [])
    const again = await plan({ state: 'started', enabled: true }, '', { check: true, effects })
    assert.equal(again.kind, 'ok')
  })
  it('by pattern: ps decides, not the status', async () => {
    const r = await plan({ state: 'stopped', pattern: 'demo-h1' }, `${TOOLS}${SCRIPT}--ps 99\nroot 7 0 python3 demo-h1\n`, { how: 'ps' })
    if (r.kind !== 'change') throw new Error(r.reason)
    assert.deepEqual(argvs(r.changes), [['CONTROL', 'stop', '0', '/usr/sbin/service', 'demo']])
    assert.deepEqual(r.data, { name: 'demo', state: 'stopped' })
  })
  it('converged: ok with the same result; reloaded on a stopped service starts it', async () => {
    const ok = await plan({ state: 'stopped', enabled: false }, `${TOOLS}${SCRIPT}${LINKS('K')}--status 3\n`)
    assert.deepEqual([ok.kind, ok.data], ['ok', { name: 'demo', enabled: false, state: 'stopped' }])
    const r = await plan({ state: 'reloaded' }, `${TOOLS}${SCRIPT}--status 3\n`)
    if (r.kind !== 'change') throw new Error(r.reason)
    assert.deepEqual(argvs(r.changes), [['CONTROL', 'start', '0', '/usr/sbin/service', 'demo']])
  })
  it("fails as Ansible's module: no init script, systemd's own options, no state nor enabled", async () => {
    await assert.rejects(plan({ state: 'started' }, TOOLS), /^ModuleFailure: Could not find the requested service demo: host$/)
    await assert.rejects(
      plan({ state: 'started', masked: false }, ''),
      /Unsupported parameters for \(ansible\.legacy\.service\) module: masked\. Supported parameters include: arguments, enabled, name, pattern, runlevel, sleep, state \(args\)\./,
    )
    await assert.rejects(plan({}, ''), /one of the following is required: state, enabled/)
  })
  it('check mode: an init script an earlier task writes plans as stopped and not enabled', async () => {
    const effects = [{ fact: 'path.stat', key: '/etc/init.d/demo', value: { exists: true, isFile: true } }]
    const r = await plan({ state: 'started', enabled: true }, TOOLS, { check: true, effects })
    if (r.kind !== 'change') throw new Error(r.reason)
    assert.equal(r.changes.length, 2)
  })
})

describe('service on a host not run by systemd: reads of one service', () => {
  it('an answer read ahead for a task with a pattern is not taken by one without (the read is keyed by all it depends on)', async () => {
    const ra = new ReadAhead()
    const byPattern = ['demo', 'ps', 'demo-h1', []] as Parameters<typeof sysvService.command>
    ra.answers('h1').put(
      sysvService.name,
      factKey(sysvService, byPattern),
      undefined,
      parseSysv(`${TOOLS}${SCRIPT}--ps 9\nroot 7 0 demo-h1\n`, 'demo', 'demo-h1'),
    )
    const conn = fakeConn(`${TOOLS}${SCRIPT}--status 3\ndemo is not running\n`)
    const ctx = moduleContext({ conn, check: false, diff: false, readAhead: ra.view('h1', true) })
    ctx.vars = { ansible_facts: { service_mgr: 'process_api' } }
    const r = await service.plan(validateParams(service, { name: 'demo', state: 'started' }), ctx)
    assert.equal(conn.count, 1, 'the status is read from the host')
    assert.equal(r.kind, 'change', 'by its status the service is not running: started')
    const again = moduleContext({ conn, check: false, diff: false, readAhead: ra.view('h1', true) })
    again.vars = ctx.vars
    const byPs = await service.plan(validateParams(service, { name: 'demo', state: 'started', pattern: 'demo-h1' }), again)
    assert.deepEqual([byPs.kind, conn.count], ['ok', 1], 'the task with the pattern takes the answer read for it')
  })
  it('check mode: a planned state holds for a later task whatever its pattern', async () => {
    const r = await plan({ state: 'started' }, `${TOOLS}${SCRIPT}--status 3\n`, { check: true })
    if (r.kind !== 'change') throw new Error(r.reason)
    const effects = r.changes.flatMap((c) => c.effects ?? [])
    const again = await plan({ state: 'started', pattern: 'demo-h1' }, '', { check: true, effects, how: 'ps' })
    assert.equal(again.kind, 'ok')
  })
})

describe("service: systemd's module_defaults apply only where it hands the task to systemd", () => {
  const systemdDefaults = { daemon_reload: true, enabled: true }
  const given = { name: 'demo', state: 'started', pattern: 'demo-h1' }
  it('a host not run by systemd: the generic module without them (no "Unsupported parameters")', async () => {
    const ctx = fakeCtx({ [read('ps', [], 'demo-h1')]: `${TOOLS}${SCRIPT}--ps 9\nroot 7 0 demo-h1\n` })
    ctx.vars = { ansible_facts: { service_mgr: 'process_api' } }
    ctx.argsOver = (m) => (m === 'systemd' ? { ...systemdDefaults, ...given } : undefined)
    const r = await service.plan(validateParams(service, given), ctx)
    assert.deepEqual([r.kind, r.data], ['ok', { name: 'demo', state: 'started' }], "enabled from systemd's defaults is not the generic module's")
  })
  it('a systemd host: under the arguments, pattern and use left out as the action does', async () => {
    const unit =
      'Id=demo.service\nLoadState=loaded\nActiveState=inactive\nSubState=dead\nUnitFileState=enabled\nNeedDaemonReload=no\nFragmentPath=/x\nDropInPaths=\n'
    const ctx = fakeCtx({ [JSON.stringify(['systemd.unit', 'demo.service'])]: unit })
    ctx.vars = { ansible_facts: { service_mgr: 'systemd' } }
    const task = { ...given, enabled: false, use: 'auto' }
    ctx.argsOver = (m) => (m === 'systemd' ? { ...systemdDefaults, no_block: true, ...task } : undefined)
    const r = await service.plan(validateParams(service, task), ctx)
    if (r.kind !== 'change') throw new Error(r.reason)
    assert.deepEqual(
      r.changes.flatMap((c) => c.commands.map((x) => x.argv.join(' '))),
      ['systemctl disable -- demo.service', 'systemctl --no-block start -- demo.service'],
      "systemd's no_block applies; the task's enabled wins over the default",
    )
  })
})
