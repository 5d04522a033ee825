/**
 * npm on real hosts (Debian's nodejs and npm) against a local registry (packuments and `npm pack`
 * tarballs served from the outer machine): global and project installs, version, latest, absent,
 * production, ci. acplay on m1 and community.general.npm (Debian's ansible) on m2 run the same steps;
 * what npm lists afterwards and `changed` agree. Check mode predicts each run; drift is repaired.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { npm } from '../../modules/npm.js'
import { differential } from '../helpers/ansible-diff.js'
import { assertPredicts, checkRun, predictThenRun, realRun } from '../helpers/module-harness.js'
import { startNpmRegistry, type NpmRegistry } from '../helpers/npm-registry.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const greet = (v: string) => ({
  name: 'acplay-greet',
  version: v,
  manifest: { bin: { 'acplay-greet': 'cli.js' } },
  files: { 'cli.js': `#!/usr/bin/env node\nconsole.log('greet ${v}')\n` },
})

describe('npm on a real host against a local registry', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['m1', 'm2'])
  const [root] = osEnvs(bed, 'm1')
  let registry: NpmRegistry
  const reg = (h: string) => registry.urlFor(bed().hosts.find((x) => x.name === h)!.gateway)
  before(async () => {
    registry = await startNpmRegistry([greet('1.0.0'), { name: 'acplay-lib', version: '1.0.0' }, { name: 'acplay-dev', version: '1.0.0' }])
    // npm's own update check and audit would try the internet
    const quiet = 'npm config set --global update-notifier false && npm config set --global audit false && npm config set --global fund false'
    await Promise.all([sh(bed(), 'm1', quiet), sh(bed(), 'm2', quiet)])
  })
  after(() => registry?.close())
  const listed = (h: string) =>
    sh(
      bed(),
      h,
      "for d in /usr/local/lib /srv/app; do (cd $d 2>/dev/null && npm ls --json 2>/dev/null | python3 -c \"import json,sys; d=json.load(sys.stdin).get('dependencies',{}); print(sorted((k, v.get('version')) for k, v in d.items()))\"); done; cat /srv/app/package.json",
    )

  it('global and project installs, version, latest and absent converge like community.general.npm; check mode predicts each run', async () => {
    const steps = (h: string): Record<string, unknown>[] => [
      { name: 'acplay-greet', global: true, registry: reg(h) },
      { name: 'acplay-greet', global: true, registry: reg(h) },
      { name: 'acplay-lib', version: '1.0.0', path: '/srv/app', registry: reg(h) },
      { name: 'acplay-lib', version: '1.0.0', path: '/srv/app', registry: reg(h) },
      { name: 'acplay-lib', path: '/srv/app', state: 'latest', registry: reg(h) },
      { name: 'acplay-greet', global: true, state: 'absent' },
      { name: 'acplay-greet', global: true, state: 'absent' },
    ]
    const run = async (args: Record<string, unknown>) => (await predictThenRun(npm, args, root!.env())).applied
    await differential(bed(), 'm2', { module: 'community.general.npm', mine: steps('m1'), theirs: steps('m2'), run })
    assert.equal(await listed('m1'), await listed('m2'))
    assert.match(await listed('m1'), /\('acplay-lib', '1\.0\.0'\)/)
  })

  it('latest updates once the registry has a newer version; the global command runs', async () => {
    await sh(bed(), 'm1', 'rm -rf /srv/app')
    await assertPredicts(npm, { name: 'acplay-greet', global: true, registry: reg('m1') }, root!.env())
    assert.equal(await sh(bed(), 'm1', 'acplay-greet'), 'greet 1.0.0')
    registry.publish(greet('1.1.0'))
    const args = { name: 'acplay-greet', global: true, state: 'latest', registry: reg('m1') }
    const c = await checkRun(npm, args, root!.env())
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      ['npm update acplay-greet in the global packages (outdated: acplay-greet)'],
    )
    await assertPredicts(npm, args, root!.env())
    assert.equal(await sh(bed(), 'm1', 'acplay-greet'), 'greet 1.1.0')
  })

  it("a project's dependencies with production, then ci; check mode chains through effects; drift is repaired", async () => {
    await sh(
      bed(),
      'm1',
      `mkdir -p /srv/proj && printf '%s' '{"name":"proj","version":"1.0.0","dependencies":{"acplay-lib":"^1.0.0"},"devDependencies":{"acplay-dev":"^1.0.0"}}' > /srv/proj/package.json`,
    )
    const effects = new EffectStore()
    const env = { ...root!.env(), effects }
    const named = { name: 'acplay-lib', path: '/srv/proj', registry: reg('m1') }
    assert.equal((await checkRun(npm, named, env)).status, 'changed')
    assert.equal((await checkRun(npm, named, env)).status, 'ok', 'the second check sees the first install')
    assert.equal(await sh(bed(), 'm1', 'test -e /srv/proj/node_modules && echo yes || echo no'), 'no')
    await assertPredicts(npm, named, root!.env())
    await sh(bed(), 'm1', 'rm -rf /srv/proj/node_modules/acplay-lib')
    assert.equal((await checkRun(npm, named, root!.env())).status, 'changed', 'drift seen')
    await assertPredicts(npm, named, root!.env())
    const ci = { path: '/srv/proj', ci: true, production: true, registry: reg('m1') }
    const { check, applied } = await predictThenRun(npm, ci, root!.env())
    assert.equal(check.status, 'changed')
    assert.equal(applied.status, 'changed', 'ci always changes, as in Ansible')
    assert.equal(await sh(bed(), 'm1', 'ls /srv/proj/node_modules'), 'acplay-lib', 'production: no devDependencies')
    for (const [args, re] of [
      [{ name: 'x' }, /global is false but these are missing: path/],
      [{ global: true, state: 'absent' }, /state is "absent" but these are missing: name/],
      [{ name: '--force', global: true }, /argument 'name' is not a package name/],
    ] as const) {
      const r = await realRun(npm, args, root!.env())
      assert.equal(r.status, 'failed')
      assert.match(r.msg!, re)
    }
  })
})
