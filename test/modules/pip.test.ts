/** pip on a real Debian host against a local PEP 503 index (hosts have no internet). */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { runModule } from '../../engine/module-runner.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { hostConnections } from '../helpers/connections.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { buildDemoIndex } from '../helpers/wheels.js'
import { pip } from '../../modules/pip.js'
import { venv } from '../../modules/venv.js'

describe('pip module on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['h1'])
  let dir = ''
  let index = ''
  let trusted = ''
  before(async () => {
    dir = buildDemoIndex()
    const served = await bed().serve(dir)
    index = `${served.urlFor('h1')}simple/`
    trusted = `--trusted-host ${bed().host('h1').gateway}` // a plain-http index
  })
  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })
  const root = hostConnections(bed, 'h1')
  const deploy = hostConnections(bed, 'h1', 'deploy', 'root')
  const sh = async (script: string) => (await bed().exec('h1', script)).stdout.trim()
  const installed = (v: string) => sh(`${v}/bin/python -m pip list --format=freeze --disable-pip-version-check 2>/dev/null | grep acplay || true`)
  // the image has no `virtualenv` program (Ansible's default virtualenv_command): the stdlib's venv makes them
  const args = (o: Record<string, unknown>) => ({ virtualenv: '/opt/app', virtualenv_command: 'python3 -m venv', index_url: index, extra_args: trusted, ...o })

  it('check mode on a fresh host plans "create venv + install" and leaves the host untouched', async () => {
    const r = await checkRun(pip, args({ name: ['acplay-demo==1.0.0'] }), root())
    assert.equal(r.status, 'changed', r.msg)
    assert.deepEqual(
      r.changes.map((c) => c.summary),
      ['create virtualenv /opt/app', 'install acplay-demo==1.0.0 (acplay-demo is not installed)'],
    )
    assert.equal(await sh('test -e /opt/app && echo yes || echo no'), 'no')
  })

  it('installs from nothing (venv created), re-runs ok with a reason', async () => {
    const { again } = await assertConverges(pip, args({ name: ['acplay-demo==1.0.0'] }), deploy())
    assert.equal(again.reason, 'acplay-demo 1.0.0 satisfies ==1.0.0')
    assert.equal(await installed('/opt/app'), 'acplay-demo==1.0.0')
  })

  it('upgrades (==1.1.0), with a diff; wildcard specifiers are satisfied', async () => {
    const r = await assertConverges(pip, args({ name: ['acplay_demo==1.1.0'] }), root())
    assert.deepEqual(r.check.changes[0]!.diff, { path: '/opt/app (installed packages)', before: 'acplay_demo==1.0.0\n', after: 'acplay_demo==1.1.0\n' })
    assert.equal(await installed('/opt/app'), 'acplay-demo==1.1.0')
    const w = await realRun(pip, args({ name: ['acplay-demo==1.1.*', 'Acplay.Demo>=1,<2'] }), root())
    assert.equal(w.status, 'ok')
    assert.equal(w.reason, 'acplay-demo 1.1.0 satisfies ==1.1.*; Acplay.Demo 1.1.0 satisfies >=1,<2')
  })

  it('downgrades', async () => {
    await assertConverges(pip, args({ name: ['acplay-demo==1.0.0'] }), root())
    assert.equal(await installed('/opt/app'), 'acplay-demo==1.0.0')
  })

  it('latest asks the index (read-only) and converges', async () => {
    const c = await checkRun(pip, args({ name: ['acplay-demo'], state: 'latest' }), root())
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      ['upgrade to acplay-demo==2.0.0'],
    )
    assert.equal(await installed('/opt/app'), 'acplay-demo==1.0.0')
    const { again } = await assertConverges(pip, args({ name: ['acplay-demo'], state: 'latest' }), root())
    assert.equal(again.reason, 'acplay-demo 2.0.0 is the latest version available')
  })

  it('a requested extra whose dependencies are missing is a change', async () => {
    const { check } = await assertConverges(pip, args({ name: ['acplay-demo[postgres]==2.0.*'] }), root())
    assert.match(check.changes[0]!.summary, /extra \[postgres\] needs acplay-pgdep>=1.0/)
    assert.equal(await installed('/opt/app'), 'acplay-demo==2.0.0\nacplay-pgdep==1.0.0')
  })

  it('drift: a package changed by hand is detected in check mode and repaired', async () => {
    await sh(`/opt/app/bin/python -m pip install -q --index-url ${index} ${trusted} acplay-demo==1.1.0`)
    const c = await checkRun(pip, args({ name: ['acplay-demo[postgres]==2.0.*'] }), root())
    assert.equal(c.status, 'changed')
    assert.match(c.changes[0]!.summary, /acplay-demo 1\.1\.0 is installed, wanted ==2\.0\.\*/)
    assert.equal((await realRun(pip, args({ name: ['acplay-demo[postgres]==2.0.*'] }), root())).status, 'changed')
    assert.equal((await checkRun(pip, args({ name: ['acplay-demo[postgres]==2.0.*'] }), root())).status, 'ok')
  })

  it('absent', async () => {
    const { again } = await assertConverges(pip, args({ name: ['acplay-pgdep', 'acplay-demo'], state: 'absent' }), root())
    assert.equal(again.reason, 'acplay-pgdep is not installed; acplay-demo is not installed')
    assert.equal(await installed('/opt/app'), '')
  })

  it("absent of a package Debian installed (python3-six): ok in check mode and in the run, as Debian's pip leaves it", async () => {
    assert.equal(await sh("dpkg-query -W -f='${Status}' python3-six"), 'install ok installed')
    const a = { name: ['six'], state: 'absent', executable: 'pip3' }
    const predicted = await checkRun(pip, a, root())
    assert.equal(predicted.status, 'ok', predicted.changes.map((c) => c.summary).join('; '))
    assert.match(predicted.reason ?? '', /^six [\d.]+ is the distribution's \(its dist-packages under \/usr\), which its pip does not uninstall$/)
    assert.equal((await realRun(pip, a, root())).status, 'ok')
    assert.equal(await sh('python3 -c "import six, os; print(os.path.dirname(six.__file__))"'), '/usr/lib/python3/dist-packages')
  })

  it('requirements file (relative to chdir, resolved by pip --dry-run)', async () => {
    await sh(`mkdir -p '/srv/my app' && printf 'acplay-demo==1.1.0\\n' > '/srv/my app/req s.txt'`)
    await assertConverges(pip, args({ requirements: 'req s.txt', chdir: '/srv/my app' }), root())
    assert.equal(await installed('/opt/app'), 'acplay-demo==1.1.0')
  })

  it('check mode: venv task then pip task plan against the effect (no failure on the missing venv)', async () => {
    const effects = new EffectStore()
    const env = { ...root(), check: true, diff: false, effects }
    const v = await runModule(venv, { path: '/opt/fresh' }, env)
    assert.equal(v.status, 'changed')
    const p = await runModule(pip, { name: ['acplay-demo'], virtualenv: '/opt/fresh', index_url: index, extra_args: trusted }, env)
    assert.equal(p.status, 'changed', p.msg)
    assert.deepEqual(
      p.changes.map((x) => x.summary),
      ['install acplay-demo (acplay-demo is not installed)'],
    )
    assert.equal(await sh('test -e /opt/fresh && echo yes || echo no'), 'no')
  })

  it('hostile venv paths work', async () => {
    const path = `/opt/a b'$(touch /tmp/pwned);\`id\``
    await assertConverges(pip, args({ name: ['acplay-pgdep'], virtualenv: path }), deploy())
    assert.equal(await sh('test -e /tmp/pwned && echo PWNED || echo clean'), 'clean')
  })

  it('umask: the venv and the installed files get it (0077: private); editable is refused', async () => {
    await assertConverges(pip, { ...args({ name: ['acplay-demo==1.0.0'] }), virtualenv: '/opt/private', umask: '0077' }, root())
    assert.equal(await sh('stat -c %a /opt/private /opt/private/lib/python3*/site-packages/acplay_demo*/METADATA'), '700\n600')
    const r = await realRun(pip, args({ name: ['acplay-demo'], editable: true }), root())
    assert.match(r.msg!, /argument 'editable' of module pip is not supported yet/)
    assert.match((await realRun(pip, args({ name: ['acplay-demo'], umask: 'u=rwx' }), root())).msg!, /umask must be an octal integer/)
  })

  it("the default virtualenv_command (virtualenv) is not on the host: fails as Ansible's pip, creating nothing; check mode plans", async () => {
    const task = { name: ['acplay-demo'], virtualenv: '/opt/novirtualenv', index_url: index, extra_args: trusted }
    const r = await realRun(pip, task, root())
    assert.equal(r.status, 'failed')
    assert.match(r.msg!, /^Failed to find required executable "virtualenv" in paths: \/usr\/local\/sbin:.*:\/bin$/)
    assert.equal(await sh('test -e /opt/novirtualenv && echo yes || echo no'), 'no')
    assert.equal((await checkRun(pip, task, root())).status, 'changed')
    const both = await realRun(pip, { ...task, virtualenv_command: 'python3 -m venv', virtualenv_python: 'python3' }, root())
    assert.equal(both.msg, 'virtualenv_python should not be used when using the venv module or pyvenv as virtualenv_command')
  })

  it('a venv path that is not a venv fails with the reason', async () => {
    await sh('mkdir -p /srv/notvenv')
    const r = await realRun(pip, args({ name: ['acplay-demo'], virtualenv: '/srv/notvenv' }), root())
    assert.equal(r.status, 'failed')
    assert.match(r.msg!, /virtualenv \/srv\/notvenv is not usable: \/srv\/notvenv has no bin\/python/)
  })

  it('bad arguments fail before touching the host', async () => {
    const env = root()
    const n = env.conn.execCount
    const r = await runModule(pip, args({ name: ['acplay-demo>=2.*'] }), { ...env, check: false, diff: false })
    assert.match(r.msg!, /name: requirement "acplay-demo>=2\.\*": '\.\*' is only allowed with == and != \(>=2\.\*\)/)
    assert.equal(env.conn.execCount, n)
  })
})
