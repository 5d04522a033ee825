/**
 * Manage Debian packages with apt-get. Installed packages report ok after ONE round trip (dpkg-query;
 * apt-cache policy only for what needs a candidate) without running apt-get. Check mode plans against
 * the CURRENT apt cache: with update_cache the real run may pick a newer candidate, which the plan says.
 * See apt/plan.ts for the effects recorded.
 */
import { ModuleFailure } from '../engine/errors.js'
import { notYet } from './schema.js'
import { defineModule, type ModuleContext } from './types.js'
import { fnmatchRe } from '../engine/vars/py-path.js'
import { aptNames, aptPackages, PACKAGE_NAME, type AptMode, type AptPackage, type AptPackages } from './facts/apt.js'
import { aptFailureData, aptFailureMsg, planApt, type Wanted } from './apt/plan.js'
import type { PinOp } from './apt/pin.js'
import { CACHE_UNCHANGED, cacheUpdatedEarlier, reportedCacheTime, sourcesChangedEarlier } from './apt/update.js'

// a Debian version, or an fnmatch pattern of one (`18.*`); it reaches apt-get as one argv element
const VERSION = /^[A-Za-z0-9.+~:*?[\]!-]+$/

/** A name pattern (fnmatch: `apport*`), which Ansible's apt expands against the cache's package names. */
const NAME_PATTERN = /^[a-z0-9*?[\]!+.-]+$/
const isPattern = (name: string) => /[*?[\]!]/.test(name)

function parseNames(names: string[], state: string): Wanted[] {
  // Ansible's removal asks dpkg about each name, and '' is simply not installed
  return (state === 'absent' ? names.filter((n) => n !== '') : names).map((spec) => {
    // Ansible's package_split: NAME, then `=` or `>=`, then the version
    const [name = '', op, version] = splitPin(spec)
    // an empty name in a list (`["", "curl"]`, an unset variable): Ansible asks the cache for it
    if (name === '') throw new ModuleFailure("No package matching '' is available")
    if (!PACKAGE_NAME.test(name) && !(isPattern(name) && NAME_PATTERN.test(name))) {
      throw new ModuleFailure(
        `invalid package name ${JSON.stringify(name)} in argument 'name': Debian names use a-z, 0-9, '+', '-', '.' (architecture qualifiers are not supported)`,
      )
    }
    if (version !== undefined && !VERSION.test(version)) throw new ModuleFailure(`invalid package spec: ${spec}`)
    return version === undefined ? { name } : { name, pin: { op: op as PinOp, version } }
  })
}

/**
 * Name patterns replaced by the cache's names they match, as Ansible's expand_pkgspec_from_fnmatches
 * does for every state (the hardening role purges `apport*`, `avahi*`): none matching fails the task
 * with its message, before anything is installed or removed.
 */
async function expandPatterns(wanted: Wanted[], ctx: ModuleContext): Promise<Wanted[]> {
  if (!wanted.some((w) => isPattern(w.name))) return wanted
  const names = await ctx.fact(aptNames)
  return wanted.flatMap((w) => {
    if (!isPattern(w.name)) return [w]
    const re = fnmatchRe(w.name)
    const matches = names.filter((n) => re.test(n))
    if (matches.length === 0) throw new ModuleFailure(`No package(s) matching '${w.name}' available`)
    return matches.map((name) => ({ ...w, name }))
  })
}

const splitPin = (spec: string): string[] => {
  const m = /^(.*?)(>?=)(.*)$/s.exec(spec)
  return m ? [m[1]!, m[2]!, m[3]!] : [spec]
}

export const apt = defineModule({
  name: 'apt',
  aliases: ['package'],
  summary: 'Manage apt packages',
  description:
    'Installs (optionally pinned with NAME=VERSION, VERSION an fnmatch pattern too, or NAME>=VERSION, as Ansible reads them), upgrades to the candidate (state=latest) or removes Debian packages ' +
    'with DEBIAN_FRONTEND=noninteractive apt-get. update_cache (or a cache_valid_time alone, as in Ansible) runs `apt-get update` ' +
    'first, unless cache_valid_time says the cache is fresh; as in Ansible the update is a change only when it fetched something ' +
    'new (the time stamp of /var/lib/apt/lists, or of update-success-stamp where there is one, moved).',
  params: {
    name: {
      type: 'list',
      elements: 'str',
      // `name: ""` is `[""]`, as Ansible's: its cache has no package ''
      emptyItems: true,
      aliases: ['pkg', 'package'],
      description:
        "package names, each optionally NAME=VERSION (a pattern: 18.*) or NAME>=VERSION; a name pattern (`apport*`) stands for the cache's packages it matches (none: the task fails)",
    },
    state: {
      type: 'str',
      default: 'present',
      choices: ['present', 'absent', 'latest', 'build-dep', 'fixed'],
      description: 'installed, removed, or at the newest candidate (build-dep and fixed are not supported yet)',
    },
    update_cache: { type: 'bool', aliases: ['update-cache'], description: 'run apt-get update before installing' },
    update_cache_retries: { type: 'int', default: 5, description: 'how many times apt-get update is tried before the task fails' },
    update_cache_retry_max_delay: {
      type: 'int',
      default: 12,
      description: 'the longest wait between two tries of apt-get update (seconds; 1, 2, 4 ... up to this)',
    },
    cache_valid_time: {
      type: 'int',
      default: 0,
      description: 'update the cache unless the last update is younger than this many seconds (implies update_cache)',
    },
    purge: { type: 'bool', default: false, description: 'with state=absent: also remove configuration files' },
    default_release: {
      type: 'str',
      aliases: ['default-release'],
      description: 'install from this release (apt-get -t: priority 990); the plan compares against the candidate under the same pin',
    },
    install_recommends: { type: 'bool', aliases: ['install-recommends'], description: "install recommended packages (default: apt's own setting)" },
    dpkg_options: {
      type: 'str',
      default: 'force-confdef,force-confold',
      description: 'comma separated dpkg options, each passed as -o Dpkg::Options::=--OPTION',
    },
    only_upgrade: { type: 'bool', default: false, description: 'only upgrade packages that are installed; others are left alone' },
    fail_on_autoremove: { type: 'bool', default: false, description: 'fail instead of removing packages an install would remove (apt-get --no-remove)' },
    allow_unauthenticated: { type: 'bool', default: false, aliases: ['allow-unauthenticated'], description: 'install packages that cannot be authenticated' },
    allow_downgrade: {
      type: 'bool',
      default: false,
      aliases: ['allow-downgrade', 'allow_downgrades', 'allow-downgrades'],
      description: 'allow a version pin to install an older version than the installed one',
    },
    allow_change_held_packages: { type: 'bool', default: false, description: 'allow installing or upgrading held packages' },
    lock_timeout: { type: 'int', default: 60, description: 'seconds to wait for the dpkg lock' },
    force_apt_get: { type: 'bool', default: false, description: 'accepted for compatibility: acplay always uses apt-get' },
    force: notYet({ type: 'bool', default: false }, 'apt-get --force-yes.', 'deprecated in apt; use allow_unauthenticated / allow_downgrade'),
    upgrade: notYet({ type: 'str', default: 'no', choices: ['dist', 'full', 'no', 'safe', 'yes'] }, 'Upgrade every package (apt-get upgrade / dist-upgrade).'),
    autoremove: notYet({ type: 'bool', default: false }, 'Remove unused dependency packages.'),
    autoclean: notYet({ type: 'bool', default: false }, 'Remove obsolete .deb files from the local cache.'),
    clean: notYet({ type: 'bool', default: false }, 'Remove every .deb file from the local cache.'),
    policy_rc_d: notYet({ type: 'int' }, 'Exit code for a temporary /usr/sbin/policy-rc.d (keeps services from starting).'),
    deb: notYet({ type: 'path' }, 'Install a .deb file from a path or URL.'),
  },
  // as Ansible's apt argument_spec
  mutuallyExclusive: [['deb', 'name', 'upgrade']],
  requiredOneOf: [['autoremove', 'deb', 'name', 'update_cache', 'upgrade']],
  returns: {
    cache_updated: 'whether apt-get update ran (or would run)',
    cache_update_time: "the apt cache's time stamp (epoch seconds), after the update when one ran",
    packages: 'the packages asked for',
  },
  examples: `
- name: Airflow's system packages
  apt:
    name: [python3-venv, libpq-dev, build-essential]
    update_cache: true
    cache_valid_time: 3600

- name: Pin a version
  apt: { name: 'postgresql-15=15.8-0+deb12u1' }
`,
  async plan(p, ctx) {
    if (p.cache_valid_time < 0) throw new ModuleFailure(`argument 'cache_valid_time' must not be negative`)
    const wanted = await expandPatterns(parseNames(p.name ?? [], p.state), ctx)
    if (p.state === 'build-dep' || p.state === 'fixed') throw new ModuleFailure(`state=${p.state} is not supported yet`)
    const mode = p.state as AptMode
    // Check mode: packages an earlier task would install/remove come from the effects overlay.
    const known = new Map<string, AptPackage>()
    for (const w of wanted) {
      const e = ctx.effect('apt.package', w.name) as AptPackage | undefined
      if (e) known.set(w.name, e)
    }
    const rest = wanted.map((w) => w.name).filter((n) => !known.has(n))
    // a pin is decided against the version table, which apt-cache policy prints (as for latest)
    const factMode = mode === 'present' && wanted.some((w) => w.pin) ? 'latest' : mode
    const facts: AptPackages = rest.length || p.update_cache ? await ctx.fact(aptPackages, rest, factMode, p.default_release) : { packages: {} }
    for (const [n, pkg] of known) facts.packages[n] = pkg
    const earlier = sourcesChangedEarlier(ctx)
    if (earlier?.updated) facts.sourcesChanged = true
    // an earlier apt task's update_cache: the cache is as fresh as the real run will find it
    else if (cacheUpdatedEarlier(ctx)) {
      facts.updatedEarlier = true
      facts.cacheAgeS = 0
    }
    return planApt(p, wanted, facts, new Set(known.keys()))
  },
  failureMsg: (_p, out) => aptFailureMsg(out),
  failureData: (_p, out) => aptFailureData(out),
  // an update that fetched nothing new (the cache's time stamp did not move): ok, as Ansible's apt
  // reports it; any update's new time stamp is the result's cache_update_time
  interpret: (_p, out) => {
    const time = out.rc === 0 ? reportedCacheTime(out.stdout) : undefined
    if (time === undefined) return undefined
    if (out.stdout.includes(CACHE_UNCHANGED))
      return {
        failed: false,
        changed: false,
        msg: 'the apt cache is up to date (the update fetched nothing new)',
        data: { cache_updated: false, cache_update_time: time },
      }
    return { failed: false, changed: true, data: { cache_update_time: time } }
  },
})
