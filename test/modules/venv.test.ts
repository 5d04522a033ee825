/** venv on a real Debian host: create, converge, check mode, drift, broken/foreign paths, owner, hostile paths. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runModule } from '../../engine/module-runner.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { hostConnections } from '../helpers/connections.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { venv } from '../../modules/venv.js'

describe('venv module on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['h1'])
  const root = hostConnections(bed, 'h1')
  const deploy = hostConnections(bed, 'h1', 'deploy', 'root')
  const sh = async (script: string) => (await bed().exec('h1', script)).stdout.trim()

  it('check mode on a fresh host reports the creation and leaves the host untouched', async () => {
    const r = await checkRun(venv, { path: '/opt/v1' }, root())
    assert.equal(r.status, 'changed')
    assert.deepEqual(
      r.changes.map((c) => c.summary),
      ['create virtualenv /opt/v1 with python3'],
    )
    assert.equal(await sh('test -e /opt/v1 && echo yes || echo no'), 'no')
  })

  it('creates (as root), re-runs ok with a reason', async () => {
    const { again } = await assertConverges(venv, { path: '/opt/v1' }, root())
    assert.match(again.reason!, /^\/opt\/v1 is a virtualenv \(python 3\.11\.\d+, owner root\)$/)
    assert.match(await sh('/opt/v1/bin/python -c "import sys; print(sys.prefix)"'), /^\/opt\/v1$/)
  })

  it('creates as the owner, through become', async () => {
    await sh('mkdir -p /srv/apps && chown deploy /srv/apps')
    await assertConverges(venv, { path: '/srv/apps/env', owner: 'deploy' }, deploy())
    assert.equal(await sh('stat -c %U /srv/apps/env /srv/apps/env/bin/python3 /srv/apps/env/pyvenv.cfg | sort -u'), 'deploy')
  })

  it('drift (pyvenv.cfg edited, owner changed) is detected in check mode and repaired, with a diff', async () => {
    await sh(`sed -i 's/include-system-site-packages = false/include-system-site-packages = true/' /opt/v1/pyvenv.cfg && chown -R deploy /opt/v1`)
    const c = await checkRun(venv, { path: '/opt/v1', owner: 'root' }, root())
    assert.equal(c.status, 'changed')
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      ['set include-system-site-packages = false in /opt/v1/pyvenv.cfg', 'chown -R root /opt/v1 (owned by deploy)'],
    )
    assert.deepEqual(c.changes[0]!.diff, {
      path: '/opt/v1/pyvenv.cfg',
      before: 'include-system-site-packages = true\n',
      after: 'include-system-site-packages = false\n',
    })
    assert.deepEqual(c.changes[1]!.diff?.attrs, { owner: ['deploy', 'root'] })
    assert.equal((await realRun(venv, { path: '/opt/v1', owner: 'root' }, root())).status, 'changed')
    assert.equal(await sh('grep include-system /opt/v1/pyvenv.cfg; stat -c %U /opt/v1/bin/python'), 'include-system-site-packages = false\nroot')
    assert.equal((await realRun(venv, { path: '/opt/v1', owner: 'root' }, root())).status, 'ok')
  })

  it('a broken venv fails with the reason; clear: true recreates it', async () => {
    await sh('rm /opt/v1/bin/python /opt/v1/bin/python3*')
    const r = await realRun(venv, { path: '/opt/v1' }, root())
    assert.equal(r.status, 'failed')
    assert.match(r.msg!, /\/opt\/v1 exists but is not a usable virtualenv: its bin\/python does not run .*set clear: true/)
    await assertConverges(venv, { path: '/opt/v1', clear: true }, root())
  })

  it('a foreign directory fails (never ok, never removed)', async () => {
    await sh('mkdir -p /srv/data && echo keep > /srv/data/file')
    const r = await realRun(venv, { path: '/srv/data' }, root())
    assert.equal(r.status, 'failed')
    assert.match(r.msg!, /\/srv\/data exists but is not a usable virtualenv: it has no pyvenv.cfg/)
    const rm = await realRun(venv, { path: '/srv/data', state: 'absent' }, root())
    assert.match(rm.msg!, /refusing to remove \/srv\/data/)
    assert.equal(await sh('cat /srv/data/file'), 'keep')
  })

  it('hostile paths work (spaces, quotes, $(), backticks, ;)', async () => {
    const path = `/opt/we ird'"$(touch /tmp/pwned);\`id\``
    await assertConverges(venv, { path }, deploy())
    assert.equal(await sh(`test -x ${`'${path.replace(/'/g, `'\\''`)}'`}/bin/python && echo ok; test -e /tmp/pwned && echo PWNED || true`), 'ok')
    await assertConverges(venv, { path, state: 'absent' }, deploy())
  })

  it('system_site_packages and absent', async () => {
    await assertConverges(venv, { path: '/opt/v3', system_site_packages: true }, root())
    assert.equal(await sh('grep include-system /opt/v3/pyvenv.cfg'), 'include-system-site-packages = true')
    const { again } = await assertConverges(venv, { path: '/opt/v3', state: 'absent' }, root())
    assert.equal(again.reason, '/opt/v3 does not exist')
    assert.equal(await sh('test -e /opt/v3 && echo yes || echo no'), 'no')
  })

  it('bad arguments fail before touching the host', async () => {
    const env = root()
    const before = env.conn.execCount
    const r = await runModule(venv, { path: '/opt/x', state: 'latest' }, { ...env, check: false, diff: false })
    assert.equal(r.status, 'failed')
    assert.match(r.msg!, /argument 'state' must be one of present, absent/)
    assert.equal(env.conn.execCount, before)
  })
})
