/** apt.packages parse from recorded output, and the apt planner given facts. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { aptPackages, parsePolicy, parseVersionTables, type AptPackages } from '../../../modules/facts/apt.js'
import { compareDebVersions } from '../../../modules/apt/pin.js'
import { aptFailureData, aptFailureMsg, needsUpdate, planApt, type AptParams } from '../../../modules/apt/plan.js'
import { apt } from '../../../modules/apt.js'
import { CACHE_TIME, CACHE_UNCHANGED } from '../../../modules/apt/update.js'
import type { FactEffect } from '../../../modules/types.js'
import { fakeCtx } from './fake-ctx.js'

const out = (stdout: string, rc = 0) => ({ rc, stdout, stderr: '' })
const RECORDED = `bash\tii \t5.2.15-2+b8
acplay-hello\trc \t1.0
@@age 120 1796570000
@@policy
bash:
  Installed: 5.2.15-2+b8
  Candidate: 5.2.15-2+b13
  Version table:
     5.2.15-2+b13 500
        500 http://deb.debian.org/debian bookworm/main amd64 Packages
 *** 5.2.15-2+b8 100
        100 /var/lib/dpkg/status
acplay-hello:
  Installed: (none)
  Candidate: 1.1
`
const base: AptParams = { state: 'present', update_cache: false, cache_valid_time: 0, purge: false }
const facts = (): AptPackages => aptPackages.parse(out(RECORDED), ['bash', 'acplay-hello', 'nope'], 'latest')

describe('apt.packages fact', () => {
  it('parses dpkg-query, cache age and policy candidates', () => {
    assert.deepEqual(facts(), {
      cacheAgeS: 120,
      cacheTime: 1796570000,
      packages: {
        bash: { name: 'bash', status: 'installed', version: '5.2.15-2+b8', candidate: '5.2.15-2+b13', versions: ['5.2.15-2+b13', '5.2.15-2+b8'] },
        'acplay-hello': { name: 'acplay-hello', status: 'config-files', version: '1.0', candidate: '1.1', versions: [] },
        nope: { name: 'nope', status: 'not-installed' },
      },
    })
    assert.deepEqual(parsePolicy('x:amd64:\n  Candidate: (none)\n'), { x: undefined })
    assert.equal(aptPackages.parse(out('@@policy\n'), ['a'], 'present').cacheAgeS, undefined)
  })
  it('passes mode and names as positional arguments', () => {
    assert.deepEqual(aptPackages.command(['a', 'b'], 'latest').argv.slice(3), ['sh', 'latest', '', 'a', 'b'])
  })
})

describe("a virtual package, as Ansible's apt takes it (package_status)", () => {
  // recorded on Debian 12 from a repository with netcat-openbsd alone, which provides netcat
  const VIRTUAL = (installed: string) => `${installed}@@age 5
@@policy
netcat:
  Installed: (none)
  Candidate: (none)
  Version table:
nosuch:
  Installed: (none)
  Candidate: (none)
@@provides
netcat\tnetcat-openbsd\t${installed ? 'ii ' : ''}
`
  const read = (installed = '') => aptPackages.parse(out(VIRTUAL(installed)), ['netcat', 'nosuch'], 'present')
  it('reads the providers of a name without a candidate', () => {
    assert.deepEqual(read().packages.netcat!.providers, [{ name: 'netcat-openbsd', installed: false }])
    assert.deepEqual(read('netcat-openbsd\tii \t1.219-1\n').packages.netcat!.providers, [{ name: 'netcat-openbsd', installed: true }])
    assert.equal(read().packages.nosuch!.providers, undefined)
  })
  it('installs it through apt-get (which picks the provider); ok once its one provider is installed; a name nothing provides fails', () => {
    const p = planApt(base, [{ name: 'netcat' }], read())
    assert.deepEqual(p.kind === 'change' && p.changes[0]!.commands[0]!.argv.slice(-2), ['--', 'netcat'])
    const ok = planApt(base, [{ name: 'netcat' }], read('netcat-openbsd\tii \t1.219-1\n'))
    assert.deepEqual([ok.kind, ok.kind === 'ok' && ok.reason], ['ok', 'netcat is provided by netcat-openbsd, which is installed'])
    assert.throws(() => planApt(base, [{ name: 'nosuch' }], read()), /: No package matching 'nosuch' is available$/)
  })
})

describe('apt planner', () => {
  it('installed and present: ok with a reason, no apt-get', () => {
    assert.deepEqual(planApt(base, [{ name: 'bash' }], facts()), {
      kind: 'ok',
      reason: 'bash is installed (5.2.15-2+b8)',
      data: { cache_updated: false, cache_update_time: 1796570000, packages: ['bash'] },
    })
  })
  it('latest upgrades to the candidate with effects and a diff', () => {
    const p = planApt({ ...base, state: 'latest' }, [{ name: 'bash' }], facts())
    if (p.kind !== 'change') return assert.fail('expected a change')
    const c = p.changes[0]!
    assert.equal(c.summary, 'upgrade bash 5.2.15-2+b8 -> 5.2.15-2+b13')
    assert.deepEqual(c.commands[0]!.argv.slice(0, 3), ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'])
    assert.deepEqual(c.commands[0]!.argv.slice(-3), ['install', '--', 'bash'])
    assert.deepEqual(c.effects, [
      { fact: 'apt.package', key: 'bash', value: { name: 'bash', status: 'installed', version: '5.2.15-2+b13', candidate: '5.2.15-2+b13' } },
    ])
    assert.deepEqual(c.diff, { path: 'dpkg packages', before: 'bash 5.2.15-2+b8\n', after: 'bash 5.2.15-2+b13\n' })
  })
  it('installs a removed package; pins; unknown packages fail unless the cache is updated first', () => {
    const f = facts()
    f.packages['acplay-hello']!.versions = ['1.1', '1.0']
    const p = planApt(base, [{ name: 'acplay-hello', pin: { op: '=', version: '1.0' } }], f)
    assert.equal(p.kind === 'change' && p.changes[0]!.commands[0]!.argv.at(-1), 'acplay-hello=1.0')
    assert.throws(() => planApt(base, [{ name: 'nope' }], facts()), /: No package matching 'nope' is available$/)
    const u = planApt({ ...base, update_cache: true }, [{ name: 'nope' }], facts())
    assert.deepEqual(u.kind === 'change' && u.changes.map((c) => c.summary), ['update the apt cache', 'install nope (candidate after the cache update)'])
  })
  it('install_recommends maps to apt options; absent/purge', () => {
    const no = planApt({ ...base, install_recommends: false }, [{ name: 'acplay-hello' }], facts())
    assert.ok(no.kind === 'change' && no.changes[0]!.commands[0]!.argv.includes('--no-install-recommends'))
    assert.equal(planApt({ ...base, state: 'absent' }, [{ name: 'acplay-hello' }], facts()).kind, 'ok', 'config-files is not installed')
    const purge = planApt({ ...base, state: 'absent', purge: true }, [{ name: 'acplay-hello' }, { name: 'bash' }], facts())
    assert.deepEqual(purge.kind === 'change' && purge.changes.map((c) => c.summary), ['purge the configuration of acplay-hello, purge bash 5.2.15-2+b8'])
  })
  it("Ansible's install options map to apt-get's; only_upgrade leaves a package that is not installed alone", () => {
    const p = planApt(
      {
        ...base,
        state: 'latest',
        dpkg_options: 'force-confnew,force-confmiss',
        lock_timeout: 7,
        fail_on_autoremove: true,
        allow_unauthenticated: true,
        allow_downgrade: true,
        allow_change_held_packages: true,
        default_release: 'bookworm-backports',
        only_upgrade: true,
      },
      [{ name: 'bash' }, { name: 'acplay-hello' }],
      facts(),
    )
    if (p.kind !== 'change') return assert.fail('expected a change')
    assert.deepEqual(p.changes[0]!.commands[0]!.argv.slice(3), [
      '-y',
      '-q',
      '-o',
      'DPkg::Lock::Timeout=7',
      '-o',
      'Dpkg::Options::=--force-confnew',
      '-o',
      'Dpkg::Options::=--force-confmiss',
      '--only-upgrade',
      '--no-remove',
      '--allow-unauthenticated',
      '--allow-downgrades',
      '--allow-change-held-packages',
      '-t',
      'bookworm-backports',
      'install',
      '--',
      'bash',
    ])
    const u = planApt({ ...base, update_cache: true, update_cache_retries: 3, update_cache_retry_max_delay: 4 }, [], facts())
    assert.deepEqual(u.kind === 'change' && u.changes[0]!.commands[0]!.argv.slice(4, 6), ['3', '4'], 'tries and the longest wait go to the retry loop')
  })
  it('cache_valid_time decides the update', () => {
    assert.equal(needsUpdate({ ...base, update_cache: true, cache_valid_time: 3600 }, 120), false)
    assert.equal(needsUpdate({ ...base, update_cache: true, cache_valid_time: 60 }, 120), true)
    assert.equal(needsUpdate({ ...base, update_cache: true, cache_valid_time: 3600 }, undefined), true)
    assert.equal(needsUpdate({ ...base, update_cache: true }, 1), true)
    // Ansible's apt updates on `update_cache or cache_valid_time`: a cache_valid_time alone updates a stale cache
    assert.equal(needsUpdate({ ...base, cache_valid_time: 60 }, 120), true)
    assert.equal(needsUpdate({ ...base, cache_valid_time: 3600 }, 120), false)
    assert.equal(needsUpdate(base, undefined), false)
  })
  it('an update alone reports whether the cache moved (Ansible: a change only then); with an install it is a change anyway', () => {
    const alone = planApt({ ...base, update_cache: true }, [], facts())
    const script = (pl: ReturnType<typeof planApt>) => (pl.kind === 'change' ? pl.changes.flatMap((c) => c.commands.map((x) => x.argv[2])).join('\n') : '')
    assert.match(script(alone), new RegExp(CACHE_UNCHANGED))
    const withInstall = planApt({ ...base, update_cache: true }, [{ name: 'nope' }], facts())
    assert.doesNotMatch(script(withInstall), new RegExp(CACHE_UNCHANGED))
    assert.doesNotMatch(script(alone) + script(withInstall), /update-success-stamp.*touch|touch.*update-success-stamp/, 'no stamp of our own')
    const applied = (stdout: string, rc = 0) => ({ rc, stdout, stderr: '', startUs: 0, endUs: 0 })
    assert.deepEqual(apt.interpret!({} as never, applied(`Hit:1 http://x ./ InRelease\n${CACHE_UNCHANGED}\n${CACHE_TIME} 1796570000\n`)), {
      failed: false,
      changed: false,
      msg: 'the apt cache is up to date (the update fetched nothing new)',
      data: { cache_updated: false, cache_update_time: 1796570000 },
    })
    // the update's new time stamp is Ansible's cache_update_time
    assert.deepEqual(apt.interpret!({} as never, applied(`Get:1 http://x ./ Packages\n${CACHE_TIME} 1796570100\n`)), {
      failed: false,
      changed: true,
      data: { cache_update_time: 1796570100 },
    })
    assert.equal(apt.interpret!({} as never, applied('Get:1 http://x ./ Packages\n')), undefined)
    assert.equal(apt.interpret!({} as never, applied(CACHE_UNCHANGED, 100)), undefined)
  })

  describe("version pins as Ansible's apt decides them (fnmatch patterns, >=, the version table)", () => {
    const node = (installed?: string): AptPackages => ({
      packages: {
        nodejs: {
          name: 'nodejs',
          status: installed ? 'installed' : 'not-installed',
          ...(installed ? { version: installed } : {}),
          candidate: '20.1.0-1',
          versions: ['20.1.0-1', '18.20.1-1', '18.19.0+dfsg-6~deb12u2', '18.2.0-1'],
        },
      },
    })
    const pin = (op: '=' | '>=', version: string) => [{ name: 'nodejs', pin: { op, version } }]
    const args = (pl: ReturnType<typeof planApt>) => (pl.kind === 'change' ? pl.changes[0]!.commands[0]!.argv.slice(-2) : pl.reason)
    it('an installed version the pattern matches: ok, however new the candidate', () => {
      assert.equal(args(planApt(base, pin('=', '18.19*'), node('18.19.0+dfsg-6~deb12u2'))), 'nodejs 18.19.0+dfsg-6~deb12u2 matches nodejs=18.19*')
      assert.equal(args(planApt(base, pin('>=', '18.0'), node('18.2.0-1'))), 'nodejs 18.2.0-1 matches nodejs>=18.0')
    })
    it('not installed: the newest version the pattern matches (Debian order), exactly', () => {
      assert.deepEqual(args(planApt(base, pin('=', '18.*'), node())), ['--', 'nodejs=18.20.1-1'])
      // >= installs the candidate when nothing is installed (Ansible does not compare it then)
      assert.deepEqual(args(planApt(base, pin('>=', '21'), node())), ['--', 'nodejs=20.1.0-1'])
    })
    it('installed but not matching: changed to the best match; none: Ansible failure', () => {
      const p = planApt(base, pin('=', '20.*'), node('18.2.0-1'))
      assert.deepEqual(args(p), ['--', 'nodejs=20.1.0-1'])
      assert.equal(p.kind === 'change' && p.changes[0]!.summary, 'change nodejs 18.2.0-1 -> 20.1.0-1')
      assert.throws(() => planApt(base, pin('=', '16.*'), node('18.2.0-1')), /no available installation candidate for nodejs=16\.\*/)
      assert.throws(() => planApt(base, pin('>=', '21'), node('18.2.0-1')), /no available installation candidate for nodejs>=21/)
    })
    it("a newer version matches too: latest installs it; present hands apt-get the pattern (Ansible's legacy case)", () => {
      assert.deepEqual(args(planApt({ ...base, state: 'latest' }, pin('=', '18.*'), node('18.2.0-1'))), ['--', 'nodejs=18.20.1-1'])
      assert.deepEqual(args(planApt(base, pin('=', '18.*'), node('18.2.0-1'))), ['--', 'nodejs=18.*'])
    })
    it('after a cache update the table is not known: apt-get resolves the pattern', () => {
      const p = planApt({ ...base, update_cache: true }, pin('=', '18.*'), node())
      assert.deepEqual(p.kind === 'change' && p.changes.map((c) => c.summary), ['update the apt cache', 'install nodejs (nodejs=18.* after the cache update)'])
      assert.deepEqual(args({ ...p, changes: p.kind === 'change' ? p.changes.slice(1) : [] } as ReturnType<typeof planApt>), ['--', 'nodejs=18.*'])
    })
    it('absent removes a pinned package only when its version matches (purge removes it anyway)', () => {
      assert.equal(planApt({ ...base, state: 'absent' }, pin('=', '20.*'), node('18.2.0-1')).kind, 'ok')
      assert.equal(planApt({ ...base, state: 'absent' }, pin('=', '18.*'), node('18.2.0-1')).kind, 'change')
      assert.equal(planApt({ ...base, state: 'absent', purge: true }, pin('=', '20.*'), node('18.2.0-1')).kind, 'change')
    })
    it('Debian version order: epochs, ~ before the end, letters before other characters, revisions', () => {
      const sorted = ['1.0~rc1', '1.0', '1.0-1', '1.0-1+b1', '1.0a', '1.0+dfsg', '1.1', '1.10', '1:0.1']
      const shuffled = [...sorted].reverse()
      assert.deepEqual(shuffled.sort(compareDebVersions), sorted)
      assert.equal(compareDebVersions('18.19.0+dfsg-6~deb12u2', '18.19.0+dfsg-6'), -1)
      assert.equal(compareDebVersions('1.002', '1.2'), 0)
    })
    it('the version table of apt-cache policy', () => {
      assert.deepEqual(parseVersionTables(RECORDED.split('@@policy\n')[1]!), { bash: ['5.2.15-2+b13', '5.2.15-2+b8'], 'acplay-hello': [] })
    })
  })

  it('latest on a version only an earlier check-mode change knows: depends on an earlier change', () => {
    const f: AptPackages = { packages: { x: { name: 'x', status: 'installed' } } }
    const p = planApt({ ...base, state: 'latest' }, [{ name: 'x' }], f, new Set(['x']))
    assert.match(p.kind === 'change' ? p.changes[0]!.summary : '', /^would change \(depends on an earlier change\)/)
  })
})

describe("apt's failure message (Ansible's wording)", () => {
  const applied = (argv: string[], stderr: string) => ({ rc: 100, stdout: 'Reading package lists...\n', stderr, startUs: 0, endUs: 1, failedCommand: { argv } })
  const install = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', '-y', 'install', '--', 'acplay-nope=1.0']
  it('a package apt cannot find: No package matching', () => {
    assert.equal(aptFailureMsg(applied(install, 'E: Unable to locate package acplay-nope\n')), "No package matching 'acplay-nope' is available")
  })
  it("another apt-get failure: 'CMD' failed: stderr; a failed cache update says so", () => {
    assert.equal(
      aptFailureMsg(applied(install, "E: Version '9.9' for 'bash' was not found\n")),
      "'env DEBIAN_FRONTEND=noninteractive apt-get -y install -- acplay-nope=1.0' failed: E: Version '9.9' for 'bash' was not found",
    )
    assert.equal(aptFailureMsg(applied(['env', 'apt-get', '-y', 'update'], 'E: no network\n')), 'Failed to update apt cache: E: no network')
  })
  it("a missing package and a failed cache update are Ansible's own checks: msg alone, no apt-get command, rc or streams in the result", () => {
    assert.deepEqual(aptFailureData(applied(install, 'E: Unable to locate package acplay-nope\n')), {})
    assert.deepEqual(aptFailureData(applied(['env', 'apt-get', '-y', 'update'], 'E: no network\n')), {})
    assert.equal(aptFailureData(applied(install, "E: Version '9.9' for 'bash' was not found\n")), undefined)
  })
  it('a step that is not apt-get: the default message', () => {
    assert.equal(aptFailureMsg(applied(['touch', '/x'], 'touch: denied\n')), undefined)
    assert.equal(aptFailureMsg({ ...applied([], 'x'), failedCommand: undefined }), undefined)
  })
})

describe('apt in check mode after an earlier task wrote a source', () => {
  const ctx = (effects: FactEffect[]) => fakeCtx({ [JSON.stringify(['apt.packages', ['nope'], 'present', null])]: RECORDED }, { check: true, effects })
  const written: FactEffect = { fact: 'path.stat', key: '/etc/apt/sources.list.d/local.list', value: { exists: true, type: 'file' } }
  it("cache_valid_time trusts the cache's age, as Ansible's apt does: no update, and a package only the new source has is not available", async () => {
    const params = { ...base, name: ['nope'], update_cache: true, cache_valid_time: 3600 } as never
    await assert.rejects(() => Promise.resolve(apt.plan(params, ctx([written]))), /: No package matching 'nope' is available$/)
  })
  it('update_cache alone updates whatever the age: the install is planned after it', async () => {
    const p = await apt.plan({ ...base, name: ['nope'], update_cache: true } as never, ctx([written]))
    assert.deepEqual(p.kind === 'change' && p.changes.map((c) => c.summary), ['update the apt cache', 'install nope (candidate after the cache update)'])
  })
})

describe('apt in check mode after an earlier apt task updated the cache', () => {
  const ctx = (effects: FactEffect[]) =>
    fakeCtx(
      { [JSON.stringify(['apt.packages', ['nope'], 'present', null])]: RECORDED, [JSON.stringify(['apt.packages', ['bash'], 'latest', null])]: RECORDED },
      { check: true, effects },
    )
  const written: FactEffect = { fact: 'path.stat', key: '/etc/apt/sources.list.d/local.list', value: { exists: true, type: 'file' } }
  const update = planApt({ ...base, update_cache: true }, [], facts())
  const recorded = update.kind === 'change' ? update.changes.flatMap((c) => c.effects ?? []) : []
  it('the update records that the cache is updated', () => {
    assert.deepEqual(recorded, [{ fact: 'apt.cache', key: 'updated', value: true }])
  })
  it('a later cache_valid_time finds it fresh (as the real run will), and a package the lists do not know yet is predicted installed', async () => {
    // a role's `apt: name=nope update_cache=yes cache_valid_time=3600` after a play's update: no second update
    const p = await apt.plan({ ...base, name: ['nope'], update_cache: true, cache_valid_time: 3600 } as never, ctx([written, ...recorded]))
    assert.deepEqual(p.kind === 'change' && p.changes.map((c) => c.summary), ['install nope (candidate after the cache update of an earlier task)'])
    // without the earlier update the cache (120 s old) is fresh for 3600 s: no update, and no such package
    const alone = apt.plan({ ...base, name: ['nope'], update_cache: true, cache_valid_time: 3600 } as never, ctx([written]))
    await assert.rejects(() => Promise.resolve(alone), /: No package matching 'nope' is available$/)
  })
  it('packages the lists know keep their candidates: latest upgrades to the known one, not to an unknown version', async () => {
    const p = await apt.plan({ ...base, name: ['bash'], state: 'latest' } as never, ctx(recorded))
    assert.deepEqual(p.kind === 'change' && p.changes.map((c) => c.summary), ['upgrade bash 5.2.15-2+b8 -> 5.2.15-2+b13'])
  })
})

describe('apt name patterns (fnmatch), as Ansible expands them against the cache', () => {
  const NAMES = 'acplay-hello\nbash\nbash-completion\nlibc6:i386\n'
  const recorded = (names: string[], mode: string) => ({
    [JSON.stringify(['apt.names'])]: NAMES,
    [JSON.stringify(['apt.packages', names, mode, null])]: RECORDED,
  })
  it('a pattern becomes the names it matches (architecture-qualified ones left out); a plain name stays', async () => {
    const ctx = fakeCtx(recorded(['bash', 'bash-completion', 'acplay-hello'], 'absent'))
    const p = await apt.plan({ ...base, name: ['bash*', 'acplay-hello'], state: 'absent', purge: true } as never, ctx)
    assert.deepEqual(p.kind === 'change' && p.changes.map((c) => c.summary), ['purge bash 5.2.15-2+b8, purge the configuration of acplay-hello'])
    assert.deepEqual(p.data?.packages, ['bash', 'bash-completion', 'acplay-hello'])
  })
  it("a pattern matching nothing fails with Ansible's message (the hardening role's failed_when reads 'No package')", async () => {
    const ctx = fakeCtx(recorded([], 'absent'))
    await assert.rejects(
      () => Promise.resolve(apt.plan({ ...base, name: ['apport*', 'bash'], state: 'absent', purge: true } as never, ctx)),
      /No package\(s\) matching 'apport\*' available/,
    )
  })
  it('names that are neither Debian names nor patterns are still refused', async () => {
    await assert.rejects(() => Promise.resolve(apt.plan({ ...base, name: ['Bash;x'] } as never, fakeCtx({}))), /invalid package name "Bash;x"/)
  })
  it("an empty name in a list fails as Ansible's cache lookup of it does", async () => {
    await assert.rejects(() => Promise.resolve(apt.plan({ ...base, name: ['', 'curl'] } as never, fakeCtx({}))), {
      message: "No package matching '' is available",
    })
  })
})

describe("apt's cache update beside packages, as Ansible counts it", () => {
  it('with packages named the update is never the change (installed: the task is ok); alone it is', () => {
    const installed = planApt({ ...base, update_cache: true }, [{ name: 'bash' }], facts())
    assert.ok(installed.kind === 'change')
    assert.deepEqual(
      installed.changes.map((c) => [c.summary, c.unchanged]),
      [['update the apt cache', true]],
    )
    const alone = planApt({ ...base, update_cache: true }, [], facts())
    assert.ok(alone.kind === 'change' && alone.changes[0]!.unchanged === undefined)
  })
})
