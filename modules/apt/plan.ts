/**
 * The apt planner, pure: given the package facts it returns the Plan (unit-tested from recorded facts).
 *
 * Effects recorded: `apt.package` (key = name) for every package a change installs, upgrades or removes:
 * { status, version } as after the change. The version of an install is the pin, else the candidate of
 * the CURRENT cache; when the plan updates the cache first, the real run may install a newer candidate,
 * so the version is left unknown (a later `latest` task in check mode then says "depends on an earlier change").
 */
import { aptUnknowns } from '../../engine/unknown.js'
import { ModuleFailure } from '../../engine/errors.js'
import { shellJoin } from '../../engine/connection/quote.js'
import type { AptPackage, AptPackages } from '../facts/apt.js'
import type { Applied, Change, Command, FactEffect, Plan } from '../types.js'
import { cacheTimeReport, cacheUpdated, retriedUpdate } from './update.js'
import { bestMatch, type Pin, pinMatches } from './pin.js'

export interface AptParams {
  name?: string[]
  state: string
  update_cache?: boolean
  cache_valid_time: number
  purge: boolean
  install_recommends?: boolean
  update_cache_retries?: number
  update_cache_retry_max_delay?: number
  default_release?: string
  dpkg_options?: string
  fail_on_autoremove?: boolean
  only_upgrade?: boolean
  allow_unauthenticated?: boolean
  allow_downgrade?: boolean
  allow_change_held_packages?: boolean
  lock_timeout?: number
}

export interface Wanted {
  name: string
  /** NAME=VERSION (fnmatch patterns too) or NAME>=VERSION */
  pin?: Pin
}

const aptGet = (p: AptParams) => ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', '-y', '-q', '-o', `DPkg::Lock::Timeout=${p.lock_timeout ?? 60}`]
/** Ansible's dpkg_options: "force-confdef,force-confold" -> -o Dpkg::Options::=--force-confdef ... */
const dpkgOpts = (p: AptParams) =>
  (p.dpkg_options ?? 'force-confdef,force-confold')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .flatMap((o) => ['-o', `Dpkg::Options::=--${o}`])

;('n=$1; max=$2; shift 2; d=1; i=1; until "$@"; do [ "$i" -ge "$n" ] && exit 1; sleep "$d"; i=$((i + 1)); d=$((d * 2)); [ "$d" -gt "$max" ] && d=$max; done; exit 0')

/** Ansible's message when apt-get fails (its apt module's wording). */
export function aptFailureMsg(out: Applied): string | undefined {
  const missing = /^E: Unable to locate package (\S+)$/m.exec(out.stderr)
  if (missing) return `No package matching '${missing[1]}' is available`
  const argv = out.failedCommand?.argv
  if (!argv?.includes('apt-get')) return undefined
  const err = out.stderr.trim()
  return argv[argv.length - 1] === 'update' ? `Failed to update apt cache: ${err || 'unknown reason'}` : `'${shellJoin(argv)}' failed: ${err}`
}

/**
 * What Ansible's apt returns beside msg: nothing for a package the cache does not have and for a
 * failed cache update (it fails on python-apt's cache, before or without apt-get); else undefined
 * (the failed apt-get, its rc and streams).
 */
export function aptFailureData(out: Applied): Record<string, unknown> | undefined {
  const msg = aptFailureMsg(out)
  return msg?.startsWith('No package matching') || msg?.startsWith('Failed to update apt cache') ? {} : undefined
}

const label = (w: Wanted) => (w.pin ? `${w.name}${w.pin.op}${w.pin.version}` : w.name)
const show = (pkg: AptPackage | undefined) =>
  pkg && pkg.status !== 'not-installed' ? `${pkg.name} ${pkg.version ?? '?'}${pkg.status === 'installed' ? '' : ` (${pkg.status})`}\n` : ''

/**
 * Whether the cache must be updated: asked for (update_cache, or a cache_valid_time alone: Ansible's
 * apt updates on `update_cache or cache_valid_time`), and not fresh per cache_valid_time.
 */
export function needsUpdate(p: AptParams, cacheAgeS: number | undefined): boolean {
  if (!p.update_cache && !(p.cache_valid_time > 0)) return false
  return !(p.cache_valid_time > 0 && cacheAgeS !== undefined && cacheAgeS < p.cache_valid_time)
}

export function planApt(p: AptParams, wanted: Wanted[], facts: AptPackages, fromEffects: ReadonlySet<string> = new Set()): Plan {
  const update = needsUpdate(p, facts.cacheAgeS)
  const changes: Change[] = []
  const cacheNote =
    (p.update_cache || p.cache_valid_time > 0) && !update ? ` (apt cache updated ${facts.cacheAgeS} s ago, valid for ${p.cache_valid_time} s)` : ''
  // check mode: later apt tasks find the cache just updated (cacheUpdated). With packages named, the
  // update is never the change: Ansible's apt reports only what install()/remove() changed (and
  // cache_updated apart), so `name: x, update_cache: true` with x installed is ok, in check mode too
  const updateChange: Change = {
    summary: 'update the apt cache',
    commands: [retriedUpdate(p, ['-o', `DPkg::Lock::Timeout=${p.lock_timeout ?? 60}`]), cacheTimeReport()],
    effects: [cacheUpdated],
    ...(wanted.length > 0 && { unchanged: true }),
  }
  if (update) changes.push(updateChange)
  // the candidates are unknown until the update runs (this task's, or an earlier source module's)
  const fresh = update || !!facts.sourcesChanged

  /** apt-get install's arguments: NAME, or NAME=VERSION (a pattern: apt-get picks the newest match) */
  const install: string[] = []
  const remove: string[] = []
  const okNotes: string[] = []
  const effects: FactEffect[] = []
  const summaries: string[] = []
  const before: string[] = []
  const after: string[] = []
  let dependsOnEarlier = false

  for (const w of wanted) {
    const pkg = facts.packages[w.name] ?? { name: w.name, status: 'not-installed' }
    if (p.state === 'absent') {
      // Ansible removes a pinned package only when the installed version matches the pin (or purges it anyway)
      if (w.pin && pkg.status === 'installed' && !p.purge && !pinMatches(pkg.version ?? '', w.pin)) {
        okNotes.push(`${w.name} ${pkg.version} does not match ${label(w)}`)
        continue
      }
      const purgeConfig = p.purge && pkg.status === 'config-files'
      if (pkg.status === 'not-installed' || (pkg.status === 'config-files' && !p.purge)) {
        okNotes.push(`${w.name} is not installed`)
        continue
      }
      remove.push(w.name)
      summaries.push(purgeConfig ? `purge the configuration of ${w.name}` : `${p.purge ? 'purge' : 'remove'} ${w.name} ${pkg.version ?? ''}`.trim())
      const gone: AptPackage = p.purge ? { name: w.name, status: 'not-installed' } : { name: w.name, status: 'config-files', version: pkg.version }
      effects.push({ fact: 'apt.package', key: w.name, value: gone })
      before.push(show(pkg))
      after.push(show(gone))
      continue
    }
    const installed = pkg.status === 'installed'
    if (p.only_upgrade && !installed) {
      okNotes.push(`${w.name} is not installed (only_upgrade: left alone)`)
      continue
    }
    if (p.state === 'latest' && installed && pkg.version === undefined && fromEffects.has(w.name)) {
      dependsOnEarlier = true
      continue
    }
    if (w.pin) {
      const r = resolvePin(w as Pinned, pkg, p.state === 'latest', fresh, !!facts.updatedEarlier || fromEffects.has(w.name))
      if ('ok' in r) {
        okNotes.push(r.ok)
        continue
      }
      install.push(r.arg)
      const verb = installed ? 'change' : 'install'
      summaries.push(`${verb} ${w.name}${installed ? ` ${pkg.version} ->` : ''} ${r.version ?? `(${label(w)}${fresh ? ' after the cache update' : ''})`}`)
      const now: AptPackage = { name: w.name, status: 'installed', ...(r.version ? { version: r.version, candidate: r.version } : {}) }
      effects.push({ fact: 'apt.package', key: w.name, value: now })
      before.push(show(pkg))
      after.push(show(now))
      continue
    }
    const target = p.state === 'latest' || !installed ? pkg.candidate : pkg.version
    if (installed && !fresh && (p.state === 'present' || pkg.candidate === undefined || pkg.version === pkg.candidate)) {
      okNotes.push(`${w.name} is ${p.state === 'latest' ? 'at the latest version' : 'installed'} (${pkg.version ?? 'by an earlier task'})`)
      continue
    }
    if (installed && fresh && p.state === 'present') {
      okNotes.push(`${w.name} is installed (${pkg.version ?? 'by an earlier task'})`)
      continue
    }
    // a virtual package (Ansible's package_status): ok when its one provider is installed, else apt-get picks the provider
    const provider = !installed && target === undefined && !fresh && pkg.providers?.length === 1 ? pkg.providers[0]! : undefined
    if (provider?.installed) {
      okNotes.push(`${w.name} is provided by ${provider.name}, which is installed`)
      continue
    }
    // no candidate in the current lists: a failure, unless a cache update (this task's, or an earlier one in check mode) comes first
    const afterEarlierUpdate = !installed && target === undefined && !fresh && !pkg.providers?.length
    if (afterEarlierUpdate && !facts.updatedEarlier) {
      throw new ModuleFailure(`No package matching '${w.name}' is available`)
    }
    install.push(w.name)
    const version = fresh ? undefined : target
    const verb = !installed ? 'install' : p.state === 'latest' ? 'upgrade' : 'change'
    summaries.push(
      fresh
        ? `${verb} ${w.name}${installed ? ` ${pkg.version}` : ''} (${p.state === 'latest' ? 'latest' : 'candidate'} after the ${update ? 'cache update' : 'source change of an earlier task'}${target ? `; now ${target}` : ''})`
        : afterEarlierUpdate
          ? `${verb} ${w.name} (candidate after the cache update of an earlier task)`
          : `${verb} ${w.name}${installed ? ` ${pkg.version} ->` : ''} ${version ?? ''}`.trim(),
    )
    const now: AptPackage = { name: w.name, status: 'installed', ...(version ? { version, candidate: version } : {}) }
    effects.push({ fact: 'apt.package', key: w.name, value: now })
    before.push(show(pkg))
    after.push(show(now))
  }

  const diff = { path: 'dpkg packages', before: before.join(''), after: after.join('') }
  if (install.length) {
    const rec = p.install_recommends === undefined ? [] : p.install_recommends ? ['-o', 'APT::Install-Recommends=true'] : ['--no-install-recommends']
    const flags = [
      ...rec,
      ...(p.only_upgrade ? ['--only-upgrade'] : []),
      ...(p.fail_on_autoremove ? ['--no-remove'] : []),
      ...(p.allow_unauthenticated ? ['--allow-unauthenticated'] : []),
      ...(p.allow_downgrade ? ['--allow-downgrades'] : []),
      ...(p.allow_change_held_packages ? ['--allow-change-held-packages'] : []),
      ...(p.default_release ? ['-t', p.default_release] : []),
    ]
    const cmd: Command = { argv: [...aptGet(p), ...dpkgOpts(p), ...flags, 'install', '--', ...install] }
    changes.push({
      summary: summaries.join(', '),
      commands: [cmd],
      diff,
      effects,
      unknowns: aptUnknowns(
        install.map((a) => a.replace(/=.*/s, '')),
        true,
      ),
    })
  } else if (remove.length) {
    const cmd: Command = { argv: [...aptGet(p), ...dpkgOpts(p), p.purge ? 'purge' : 'remove', '--', ...remove] }
    changes.push({ summary: summaries.join(', '), commands: [cmd], diff, effects, unknowns: aptUnknowns(remove) })
  }
  if (dependsOnEarlier) {
    changes.push({ summary: 'would change (depends on an earlier change): the version an earlier task installs is not known in check mode', commands: [] })
  }
  // cache_update_time: the time stamp before the update (a check run's too, as Ansible's); a real update's is read after it (apt.ts interpret)
  const data = { cache_updated: update, cache_update_time: facts.cacheTime ?? 0, packages: wanted.map(label) }
  // the update alone: as Ansible's apt, a change only when it moved the cache's time stamp (apt.ts interpret)
  if (changes.length === 1 && changes[0] === updateChange)
    updateChange.commands = [retriedUpdate(p, ['-o', `DPkg::Lock::Timeout=${p.lock_timeout ?? 60}`], true), cacheTimeReport()]
  if (changes.length) return { kind: 'change', changes, data }
  const reason = okNotes.length ? okNotes.join(', ') : update ? '' : 'apt cache is fresh'
  return { kind: 'ok', reason: reason + cacheNote, data }
}

type Pinned = Wanted & { pin: Pin }

/**
 * A pinned package as Ansible's apt decides it (package_status, then install()): ok when the
 * installed version matches the pin, else NAME=the best match of the version table; no match is
 * Ansible's failure. When the table is not known (the cache is updated first, or in check mode an
 * earlier task changes the package), apt-get resolves the pin itself.
 */
function resolvePin(w: Pinned, pkg: AptPackage, upgrade: boolean, fresh: boolean, predicted: boolean): { ok: string } | { arg: string; version?: string } {
  const spec = label(w)
  const installed = pkg.status === 'installed' && pkg.version !== undefined
  const matches = installed && pinMatches(pkg.version!, w.pin)
  const ok = { ok: `${w.name} ${pkg.version} matches ${spec}` }
  const unresolved = { arg: w.pin.op === '=' ? spec : w.name }
  const table = fresh ? undefined : pkg.versions
  if (table === undefined) {
    if (matches && !upgrade) return ok
    if (!fresh && !predicted && pkg.status !== 'installed') throw new ModuleFailure(`No package matching '${w.name}' is available`)
    return unresolved
  }
  const best = bestMatch(w.pin, table, pkg.candidate)
  const installable = !installed ? best : best !== undefined && best !== pkg.version && pinMatches(best, w.pin) ? best : undefined
  if (!matches && !installable) {
    if (predicted) return unresolved
    throw new ModuleFailure(`no available installation candidate for ${spec}`)
  }
  if (installable && (!installed || upgrade || !matches)) return { arg: `${w.name}=${installable}`, version: installable }
  // Ansible's legacy case: the installed version matches and so does a newer one: apt-get gets the pattern
  if (installable && w.pin.op === '=') return { arg: spec, version: installable }
  return ok
}
