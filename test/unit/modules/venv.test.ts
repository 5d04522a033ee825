import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runModule } from '../../../engine/module-runner.js'
import { EffectStore } from '../../../engine/effects.js'
import { parseVenvInfo } from '../../../modules/facts/venv.js'
import { venv } from '../../../modules/venv.js'
import { pip } from '../../../modules/pip.js'
import { fakeConn } from './fake-ctx.js'

const CFG = 'owner astro\ncfg home = /usr/bin\ncfg include-system-site-packages = false\ncfg version = 3.11.2\npython 3.11.2\n'

describe('venv.info fact', () => {
  it('parses a healthy venv', () => {
    assert.deepEqual(parseVenvInfo(CFG), { exists: true, isVenv: true, owner: 'astro', python: '3.11.2', systemSitePackages: false, home: '/usr/bin' })
  })
  it('recognises absent, foreign, broken and empty', () => {
    assert.deepEqual(parseVenvInfo('absent\n'), { exists: false, isVenv: false })
    assert.match(parseVenvInfo('owner root\npythonerr sh: 1: /x/bin/python: not found\n').problem!, /no pyvenv.cfg/)
    assert.match(
      parseVenvInfo('owner root\ncfg home = /usr/bin\npythonerr /x/bin/python: No such file\n').problem!,
      /bin\/python does not run \(\/x\/bin\/python: No such file\)/,
    )
    assert.equal(parseVenvInfo('owner root\nempty\n').empty, true)
    assert.match(parseVenvInfo('notdir\n').problem!, /not a directory/)
  })
})

describe('venv planner', () => {
  const run = (args: Record<string, unknown>, answer: string, effects?: EffectStore) =>
    runModule(venv, args, { conn: fakeConn(answer), check: true, diff: false, effects })
  it('ok with a reason', async () => {
    const r = await run({ path: '/opt/v', owner: 'astro' }, CFG)
    assert.equal(r.status, 'ok')
    assert.equal(r.reason, '/opt/v is a virtualenv (python 3.11.2, owner astro)')
  })
  it('creates as the owner, and records effects a later pip task plans against', async () => {
    const effects = new EffectStore()
    const r = await run({ path: '/opt/v/', owner: 'astro', system_site_packages: true }, 'absent\n', effects)
    assert.equal(r.status, 'changed')
    assert.equal(r.changes[0]!.summary, 'create virtualenv /opt/v with python3')
    assert.deepEqual(effects.get('pip.installed', '/opt/v'), { status: 'ok', dists: {} })
    assert.equal((effects.get('path.stat', '/opt/v') as { type: string }).type, 'directory')
    const c = fakeConn('ACPLAY_ABSENT')
    const p = await runModule(pip, { name: ['acplay-demo'], virtualenv: '/opt/v' }, { conn: c, check: true, diff: false, effects })
    assert.equal(p.status, 'changed')
    assert.deepEqual(
      p.changes.map((x) => x.summary),
      ['install acplay-demo (acplay-demo is not installed)'],
    )
    assert.equal(c.count, 0)
  })
  it('fails on a foreign or broken directory instead of reporting ok', async () => {
    const foreign = await run({ path: '/srv/data' }, 'owner root\npythonerr not found\n')
    assert.equal(foreign.status, 'failed')
    assert.match(foreign.msg!, /\/srv\/data exists but is not a usable virtualenv: it has no pyvenv.cfg/)
    const broken = await run({ path: '/opt/v' }, 'owner root\ncfg home = /usr/bin\npythonerr gone\n')
    assert.match(broken.msg!, /bin\/python does not run \(gone\); set clear: true/)
    const repaired = await run({ path: '/opt/v', clear: true }, 'owner root\ncfg home = /usr/bin\npythonerr gone\n')
    assert.match(repaired.changes[0]!.summary, /^recreate broken virtualenv/)
    const rm = await run({ path: '/srv/data', state: 'absent' }, 'owner root\npythonerr not found\n')
    assert.match(rm.msg!, /refusing to remove \/srv\/data: it has no pyvenv.cfg/)
  })
  it('repairs settings drift', async () => {
    const r = await run({ path: '/opt/v', system_site_packages: true, owner: 'bob' }, CFG)
    assert.deepEqual(
      r.changes.map((c) => c.summary),
      ['set include-system-site-packages = true in /opt/v/pyvenv.cfg', 'chown -R bob /opt/v (owned by astro)'],
    )
  })
  it('bad arguments fail before touching the host', async () => {
    for (const [args, msg] of [
      [{ path: 'relative' }, /path must be absolute/],
      [{ path: '/a\nb' }, /newline/],
      [{ path: '/a', owner: 'x;y' }, /owner "x;y" is not a valid user name/],
      [{ path: '/a', state: 'gone' }, /argument 'state' must be one of present, absent/],
      [{ path: '/a', system_site_packages: 'maybe' }, /argument 'system_site_packages' must be a boolean/],
    ] as [Record<string, unknown>, RegExp][]) {
      const c = fakeConn('absent\n')
      const r = await runModule(venv, args, { conn: c, check: true, diff: false })
      assert.equal(r.status, 'failed')
      assert.match(r.msg!, msg)
      assert.equal(c.count, 0)
    }
  })
})
