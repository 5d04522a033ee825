/**
 * Check mode's word for "cannot be known until an earlier planned change runs" (issue 17): the one
 * home of the rule. A change declares what it makes unknowable (Change.unknowns); the host's
 * EffectStore keeps them with the task's name; a later read of such a fact answers "unknown, after
 * task T" (ctx.unknown, or UnknownFact from ctx.fact) instead of the host's present state, and the
 * module runner turns a plan that met one into "may change" (or "changed, waits for T" when the
 * plan still knows). What each kind of change makes unknown:
 *
 * - pip / npm / git / unarchive / get_url: the paths below what they write (a venv, a checkout,
 *   an unpacked tree); the module's own fact about its target stays known (its effect).
 * - apt install, upgrade or removal: any file a package ships, i.e. the paths below /usr (not
 *   /usr/local, which Debian packages leave to the admin) and below /bin, /sbin and /lib* (merged
 *   /usr's links: ed ships /bin/ed; unit files are below /lib), below /etc/STEM (and /etc/NAME for
 *   a daemon's package named NAMEd: auditd's /etc/audit; /etc/NAME/VERSION for a versioned stem:
 *   php8.2's /etc/php/8.2; /etc/FIRST for a package named FIRST-...: munin-node's /etc/munin),
 *   /etc/NAME.conf (memcached's), /var/lib/STEM, /opt/STEM, and the units, users and groups whose
 *   names are related to a package's (relatedName: postgresql -> postgresql@15-main, postgres): the unit's
 *   state (enabled by the package's postinst) is the systemd.unit fact, not /etc/systemd's links.
 *   An install also makes any unit the host lacks unknown (NEW_UNIT): packages ship units named
 *   after neither package nor stem (samba's smbd.service), and a missing unit only fails.
 *   Other paths under /etc, /var or /home stay known: a package that writes there is rare and
 *   guessing it would turn most of a first deployment into "may change".
 * - command / shell that would run: the `creates` path and what is below it (from the topmost of
 *   its directories that does not exist yet, as the plan sees them: the program makes those too; a
 *   directory an earlier task would make exists), and what is below `chdir` (what a program writes
 *   cannot be known).
 * - a module acplay runs from Ansible (opaque: it answers check mode itself) that fails on a name
 *   an earlier planned change is about (EffectStore.madeBy: a database, a role, a path), for a
 *   Python library a planned apt install brings, or for a program (get_bin_path) on a search path
 *   a planned change makes unknown (pip's /usr/local/bin) may change (engine/library/ansible-style.ts).
 * A value that only exists after a task really ran (a command's registered result) is an
 * UnknownValue (engine/vars/undefined.ts): a condition on it "may run", a task templated from it
 * "may change".
 */
import type { Unknowable } from '../modules/types.js'
import { AcplayError } from './errors.js'

/** A plan read a fact an earlier planned change makes unknowable. */
export class UnknownFact extends Error {
  constructor(
    readonly fact: string,
    readonly key: string,
    /** the task it waits for */
    readonly after: string,
  ) {
    super(`${fact} ${key} is unknown until task '${after}' has run`)
    this.name = 'UnknownFact'
  }
}

/** The absolute paths a fact's key is about: the key itself, or the path strings of a JSON key (path.stats, git.state, npm.list, find.files' query). */
export function pathsOfKey(key: string): string[] {
  if (key.startsWith('/')) return [key]
  if (!key.startsWith('[')) return []
  try {
    const v: unknown = JSON.parse(key)
    const out: string[] = []
    const walk = (x: unknown) => {
      if (typeof x === 'string' && x.startsWith('/')) out.push(x)
      else if (Array.isArray(x)) x.forEach(walk)
      // a query object's paths too: find's {paths: [...]}
      else if (x !== null && typeof x === 'object') Object.values(x).forEach(walk)
    }
    walk(v)
    return out
  } catch {
    return []
  }
}

const below = (path: string, dir: string) => path.startsWith(dir.endsWith('/') ? dir : `${dir}/`)

function pathMatches(u: Extract<Unknowable, { under: string }>, path: string): boolean {
  const p = path.replace(/\/+$/, '') || '/'
  if (!(below(p, u.under) || (u.self && p === u.under))) return false
  return !(u.except ?? []).some((e) => p === e || below(p, e))
}

/** Whether `u` makes a read of (fact, key) unknowable. */
export function unknowableMatches(u: Unknowable, fact: string, key: string): boolean {
  if ('under' in u) return pathsOfKey(key).some((p) => pathMatches(u, p))
  if (u.fact !== fact) return false
  if (u.key !== undefined) return u.key === key
  if (u.like !== undefined) return relatedName(key, u.like)
  return true
}

/**
 * A package's name without a version, a role suffix or Debian's `default-` of a metapackage:
 * postgresql-15 -> postgresql, nginx-common -> nginx, default-mysql-server -> mysql (MariaDB's /etc/mysql, mysqld).
 */
export function packageStem(pkg: string): string {
  return pkg
    .replace(/[=:].*$/, '')
    .replace(/^default-(?=.)/, '')
    .replace(/-(\d[\w.]*|common|server|client|core|full|light|extras|utils|bin|daemon)$/, '')
    .toLowerCase()
}

/**
 * Whether a unit, user or group `name` may come with the package `like`: the name starts with the
 * package's stem (postgresql@15-main, nginx.service, redis-server), or the stem starts with the
 * name and the name is not trivially short (the user postgres of postgresql).
 */
export function relatedName(name: string, like: string): boolean {
  const n = name.replace(/\.(service|socket|timer|target|path)$/, '').toLowerCase()
  const stem = packageStem(like)
  if (stem.length < 2) return false
  return n.startsWith(stem) || (n.length >= 4 && stem.startsWith(n))
}

/**
 * The directories below /etc a package's configuration may be in: its stem's, a daemon's (NAMEd)
 * base name's (auditd ships /etc/audit), a versioned stem's NAME/VERSION (php8.2-fpm ships
 * /etc/php/8.2/fpm), and its first word's (munin-node ships /etc/munin).
 */
function etcDirs(stem: string): string[] {
  const dirs = [stem]
  if (/^[a-z0-9.+-]{3,}d$/.test(stem)) dirs.push(stem.slice(0, -1))
  const versioned = /^([a-z][a-z-]*?)-?(\d+(?:\.\d+)+)(?:-|$)/.exec(stem)
  if (versioned) dirs.push(`${versioned[1]}/${versioned[2]}`)
  const first = /^([a-z0-9.+]{3,})-/.exec(stem)?.[1]
  // default-mysql-server and the like do not ship /etc/default, a directory everybody writes in
  if (first && first !== 'default') dirs.push(first)
  return [...new Set(dirs)]
}

/** Asked by systemd in check mode as (NEW_UNIT, unit) for a unit the host does not have: an earlier install may ship it. */
export const NEW_UNIT = 'systemd.new-unit'

/** Debian 12's merged /usr: these are links into /usr, and packages still ship paths under them (ed's /bin/ed). */
const MERGED_USR = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']

/** What installing (`installs`), upgrading or removing Debian packages makes unknowable (the rule above). */
export function aptUnknowns(packages: readonly string[], installs = false): Unknowable[] {
  const valid = (s: string) => /^[a-z0-9][a-z0-9.+-]*$/.test(s)
  const stems = [...new Set(packages.map(packageStem))].filter(valid)
  // the per-package files of Debian policy, named after the package or its stem (redis-server, haproxy)
  const names = [...new Set([...packages.map((p) => p.replace(/[=:].*$/, '').toLowerCase()), ...stems])].filter(valid)
  return [
    { under: '/usr', except: ['/usr/local'] },
    ...MERGED_USR.map((d): Unknowable => ({ under: d })),
    ...(installs ? [{ fact: NEW_UNIT }] : []),
    ...names.flatMap((n): Unknowable[] => [
      ...['/etc/default', '/etc/init.d', '/etc/logrotate.d'].map((d): Unknowable => ({ under: `${d}/${n}`, self: true })),
      // a daemon's one configuration file: memcached ships /etc/memcached.conf, rsyslog /etc/rsyslog.conf
      { under: `/etc/${n}.conf`, self: true },
    ]),
    ...stems.flatMap((s): Unknowable[] => [
      ...etcDirs(s).map((d): Unknowable => ({ under: `/etc/${d}`, self: true })),
      { under: `/var/lib/${s}`, self: true },
      { under: `/opt/${s}`, self: true },
      { fact: 'systemd.unit', like: s },
      { fact: 'user.info', like: s },
      { fact: 'group.info', like: s },
      { fact: 'apt.package', like: s },
    ]),
  ]
}

/** What a program that runs makes unknowable: its `creates` path (and below it), and what is below its `chdir`. */
export function programUnknowns(o: { creates?: string; chdir?: string }): Unknowable[] {
  const out: Unknowable[] = []
  if (o.creates?.startsWith('/')) out.push({ under: o.creates.replace(/\/+$/, '') || '/', self: true })
  if (o.chdir?.startsWith('/') && o.chdir !== '/') out.push({ under: o.chdir.replace(/\/+$/, '') })
  return out
}

/** Where a program named in a command line lives when it is not a path: Debian's merged /usr. */
export const programPath = (program: string): string => (program.includes('/') ? program : `/usr/bin/${program}`)

/**
 * Modules that never change the host (they read and return): a plan of theirs that meets an
 * unknown is "ok, with an unknown result", not "may change".
 */
export const READ_ONLY_MODULES: ReadonlySet<string> = new Set(['stat', 'slurp', 'find', 'getent', 'package_facts', 'service_facts', 'setup', 'ping'])

/** The task a template error waits for, when it is E_UNKNOWN (an UnknownValue was needed); else undefined. */
export function unknownAfter(e: unknown): string | undefined {
  if (!(e instanceof AcplayError) || e.code !== 'E_UNKNOWN') return undefined
  return /until task '(.*)' has run/.exec(e.message)?.[1] ?? 'an earlier task'
}
