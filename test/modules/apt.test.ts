/** apt on a real Debian host against a local flat repo (acplay-hello 1.0 and 1.1) served from the outer machine. */
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { apt } from '../../modules/apt.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { buildAptRepo, buildDeb, indexRepo, useOnlyRepoScript } from '../helpers/apt-repo.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const PKG = 'acplay-hello'
const version = (v: string) => ({ name: PKG, version: v, files: { '/usr/share/acplay-hello/VERSION': `${v}\n` } })

describe('apt on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['a1'])
  const H = 'a1'
  let repo = ''
  before(async () => {
    repo = buildAptRepo([version('1.0')])
    const served = await bed().serve(repo)
    await sh(bed(), H, useOnlyRepoScript(served.urlFor(H)))
  })
  after(() => {
    if (repo) rmSync(repo, { recursive: true, force: true })
  })
  const installed = () => sh(bed(), H, `dpkg-query -W -f='\${db:Status-Abbrev}\${Version}' ${PKG} 2>/dev/null || true`)
  const [root, deploy] = osEnvs(bed, H)

  it('check mode on a fresh host: install after the cache update; the host is untouched', async () => {
    const r = await checkRun(apt, { name: PKG, update_cache: true }, root!.env())
    assert.equal(r.status, 'changed', r.msg)
    assert.deepEqual(
      r.changes.map((c) => c.summary),
      ['update the apt cache', `install ${PKG} (candidate after the cache update)`],
    )
    assert.equal(await installed(), '')
  })

  it('without the cache update the package is unknown: a clear failure, also in check mode', async () => {
    const r = await checkRun(apt, { name: PKG }, root!.env())
    assert.equal(r.status, 'failed')
    assert.match(r.msg!, /^No package matching 'acplay-hello' is available$/)
  })

  it("a package the updated cache still lacks: Ansible's message alone, without the apt-get command, rc or streams", async () => {
    const r = await realRun(apt, { name: 'acplay-nope', update_cache: true }, root!.env())
    assert.deepEqual([r.status, r.msg, r.data], ['failed', "No package matching 'acplay-nope' is available", {}])
  })

  it('installs with update_cache + cache_valid_time, then converges (one round trip, no apt-get)', async () => {
    const args = { name: [PKG], update_cache: true, cache_valid_time: 3600 }
    const { again } = await assertConverges(apt, args, deploy!.env())
    assert.match(again.reason!, /^acplay-hello is installed \(1\.0\) \(apt cache updated \d+ s ago, valid for 3600 s\)$/)
    assert.equal(await installed(), 'ii 1.0')
    assert.equal(await sh(bed(), H, 'cat /usr/share/acplay-hello/VERSION'), '1.0')
    const conn = root!.env().conn
    const n = conn.execCount
    assert.equal((await realRun(apt, { name: PKG }, root!.env())).status, 'ok')
    assert.equal(conn.execCount - n, 1, 'an installed package costs one round trip')
  })

  it('update_cache alone: changed when it fetched new lists, ok when the cache did not move (as Ansible counts it); no stamp written', async () => {
    // lists older than now, so the first update's new files move the directory's time stamp
    await sh(bed(), H, 'rm -rf /var/lib/apt/lists/* /var/lib/apt/periodic/update-success-stamp; touch -d "1 hour ago" /var/lib/apt/lists')
    const first = await realRun(apt, { update_cache: true }, root!.env())
    assert.equal(first.status, 'changed', first.msg)
    const again = await realRun(apt, { update_cache: true }, root!.env())
    assert.equal(again.status, 'ok', again.msg)
    assert.equal(again.reason, 'the apt cache is up to date (the update fetched nothing new)')
    assert.equal(again.data.cache_updated, false)
    // Ansible's cache_update_time: the lists' time stamp after the update (get_cache_mtime)
    const mtime = Number(await sh(bed(), H, 'stat -c %Y /var/lib/apt/lists'))
    assert.deepEqual([first.data.cache_updated, first.data.cache_update_time, again.data.cache_update_time], [true, mtime, mtime])
    assert.equal(await sh(bed(), H, 'test -e /var/lib/apt/periodic/update-success-stamp && echo stamp || echo none'), 'none')
  })

  it('latest upgrades 1.0 -> 1.1 once the repo has it (check mode with --diff first)', async () => {
    buildDeb(repo, version('1.1'))
    indexRepo(repo)
    await realRun(apt, { update_cache: true }, root!.env())
    const c = await checkRun(apt, { name: PKG, state: 'latest' }, { ...root!.env(), diff: true })
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      [`upgrade ${PKG} 1.0 -> 1.1`],
    )
    assert.deepEqual(c.changes[0]!.diff, { path: 'dpkg packages', before: `${PKG} 1.0\n`, after: `${PKG} 1.1\n` })
    assert.equal(await installed(), 'ii 1.0')
    assert.equal((await realRun(apt, { name: PKG }, root!.env())).status, 'ok', 'present does not upgrade')
    const { again } = await assertConverges(apt, { name: PKG, state: 'latest' }, deploy!.env())
    assert.equal(again.reason, `${PKG} is at the latest version (1.1)`)
    assert.equal(await sh(bed(), H, 'cat /usr/share/acplay-hello/VERSION'), '1.1')
  })

  it('a pin installs that exact version (downgrade refused by apt: a clear failure)', async () => {
    const pinned = await realRun(apt, { name: `${PKG}=1.1` }, root!.env())
    assert.equal(pinned.status, 'ok')
    const down = await realRun(apt, { name: `${PKG}=1.0` }, root!.env())
    assert.equal(down.status, 'failed')
    assert.equal(await installed(), 'ii 1.1')
  })

  it("pattern and >= pins, as Ansible's apt: an installed match is ok, no match fails, absent removes only a match", async () => {
    const env = root!.env()
    for (const name of [`${PKG}=1.*`, `${PKG}=1.1*`, `${PKG}>=1.0`]) assert.equal((await realRun(apt, { name }, env)).status, 'ok', name)
    const none = await realRun(apt, { name: `${PKG}=2.*` }, env)
    assert.equal(none.status, 'failed')
    assert.equal(none.msg, `no available installation candidate for ${PKG}=2.*`)
    assert.equal((await realRun(apt, { name: `${PKG}=1.0*`, state: 'absent' }, env)).status, 'ok', 'the installed 1.1 does not match')
    assert.equal(await installed(), 'ii 1.1')
  })

  it('absent removes, purge clears the config state; check mode and effects', async () => {
    const effects = new EffectStore()
    const c = await checkRun(apt, { name: PKG, state: 'absent' }, { ...root!.env(), effects })
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      [`remove ${PKG} 1.1`],
    )
    const after = await checkRun(apt, { name: PKG, state: 'absent' }, { ...root!.env(), effects })
    assert.equal(after.status, 'ok', 'a later task sees the removal in check mode')
    assert.equal(await installed(), 'ii 1.1')
    const { again } = await assertConverges(apt, { name: PKG, state: 'absent', purge: true }, root!.env())
    assert.equal(again.reason, `${PKG} is not installed`)
    assert.equal(await installed(), '')
  })

  it('check mode chains: an install seen by a later present task (effects)', async () => {
    const effects = new EffectStore()
    assert.equal((await checkRun(apt, { name: PKG }, { ...root!.env(), effects })).status, 'changed')
    const r = await checkRun(apt, { name: PKG }, { ...root!.env(), effects })
    assert.equal(r.status, 'ok')
    assert.equal(await installed(), '')
  })

  it('name "" fails as Ansible\'s list conversion makes it [""] (check mode too); for state=absent it is not installed', async () => {
    for (const run of [checkRun, realRun]) {
      const r = await run(apt, { name: '' }, root!.env())
      assert.deepEqual([r.status, r.msg], ['failed', "No package matching '' is available"])
    }
    const gone = await realRun(apt, { name: '', state: 'absent' }, root!.env())
    assert.equal(gone.status, 'ok', gone.msg)
  })

  it('rejects bad arguments and hostile names before touching the host', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: PKG, state: 'installed-ish' }, /argument 'state' must be one of present, absent, latest/],
      [{ name: PKG, purge: 'perhaps' }, /argument 'purge' must be a boolean/],
      [{ name: PKG, cache_valid_time: 'soon' }, /argument 'cache_valid_time' must be an integer/],
      [{ name: PKG, frobnicate: 1 }, /unknown argument 'frobnicate'/],
      [{}, /one of these arguments is required: autoremove, deb, name, update_cache, upgrade/],
      [{ name: PKG, autoremove: true }, /argument 'autoremove' of module apt is not supported yet/],
      [{ name: `${PKG}=1.0;touch /tmp/pwned` }, /invalid package spec/],
      [{ name: '$(touch /tmp/pwned)' }, /invalid package name/],
      [{ name: 'a b' }, /invalid package name/],
      [{ name: '-o=APT::x' }, /invalid package name/],
      [{ name: "x';touch /tmp/pwned;'" }, /invalid package name/],
    ]
    for (const [args, msg] of cases) {
      const r = await realRun(apt, args, root!.env())
      assert.equal(r.status, 'failed', JSON.stringify(args))
      assert.match(r.msg!, msg)
    }
    await sh(bed(), H, 'test ! -e /tmp/pwned')
  })

  it('allow_downgrade, allow_change_held_packages, only_upgrade; default_release picks a NotAutomatic suite (allow_unauthenticated for its unsigned packages)', async () => {
    const env = root!.env()
    await realRun(apt, { name: `${PKG}=1.1` }, env)
    await assertConverges(apt, { name: `${PKG}=1.0`, allow_downgrade: true }, env)
    assert.equal(await installed(), 'ii 1.0')
    await sh(bed(), H, `apt-mark hold ${PKG}`)
    assert.equal((await realRun(apt, { name: PKG, state: 'latest' }, env)).status, 'failed', 'a held package is not upgraded')
    await assertConverges(apt, { name: PKG, state: 'latest', allow_change_held_packages: true }, env)
    assert.equal(await installed(), 'ii 1.1')
    await sh(bed(), H, `apt-mark unhold ${PKG}`)
    const only = await realRun(apt, { name: 'acplay-other', only_upgrade: true }, env)
    assert.equal(only.reason, 'acplay-other is not installed (only_upgrade: left alone)')
    const bp = buildAptRepo([version('2.0')])
    try {
      indexRepo(bp, ['Archive: acplay-backports', 'Suite: acplay-backports', 'NotAutomatic: yes', 'ButAutomaticUpgrades: yes'])
      const served = await bed().serve(bp)
      await sh(bed(), H, `echo 'deb [allow-insecure=yes] ${served.urlFor(H)} ./' > /etc/apt/sources.list.d/acplay-bp.list`)
      await realRun(apt, { update_cache: true }, env)
      assert.equal((await realRun(apt, { name: PKG, state: 'latest' }, env)).status, 'ok', 'NotAutomatic: 2.0 is not the candidate')
      const want = { name: PKG, state: 'latest', default_release: 'acplay-backports' }
      const c = await checkRun(apt, want, env)
      assert.deepEqual(
        c.changes.map((x) => x.summary),
        [`upgrade ${PKG} 1.1 -> 2.0`],
      )
      const unsigned = await realRun(apt, want, env)
      assert.equal(unsigned.status, 'failed')
      assert.match(unsigned.msg!, /unauthenticated/)
      await assertConverges(apt, { ...want, allow_unauthenticated: true }, env)
      assert.equal(await installed(), 'ii 2.0')
    } finally {
      rmSync(bp, { recursive: true, force: true })
      await sh(bed(), H, 'rm -f /etc/apt/sources.list.d/acplay-bp.list')
    }
  })
  it('a pattern pin installs the newest version it matches, exactly, then converges', async () => {
    const env = root!.env()
    await realRun(apt, { name: PKG, state: 'absent', purge: true }, env)
    const { applied } = await assertConverges(apt, { name: `${PKG}=1.0*` }, env)
    assert.equal(applied.changes[0]!.summary, `install ${PKG} 1.0`)
    assert.equal(await installed(), 'ii 1.0')
  })
  it('a source that cannot be fetched fails update_cache, as python-apt does for Ansible (apt-get update alone exits 0)', async () => {
    const gw = bed().host(H).gateway
    // nothing listens on port 9 of the outer machine: refused at once
    await sh(bed(), H, `echo 'deb [trusted=yes] http://${gw}:9/ ./' > /etc/apt/sources.list.d/acplay-gone.list`)
    try {
      const r = await realRun(apt, { update_cache: true, update_cache_retries: 1 }, root!.env())
      assert.equal(r.status, 'failed')
      assert.match(r.msg!, /^Failed to update apt cache: /)
    } finally {
      await sh(bed(), H, 'rm -f /etc/apt/sources.list.d/acplay-gone.list')
    }
  })
})
