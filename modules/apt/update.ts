/**
 * `apt-get update` for the modules that change apt's sources (apt, apt_repository, apt_key,
 * deb822_repository): retried like Ansible (update_cache_retries, doubling waits up to
 * update_cache_retry_max_delay), and, for the source modules, undoing their file changes when the
 * update fails, as Ansible reverts them. Also the effect that tells later check-mode apt tasks the
 * package lists will differ from what the host has now.
 */
import { shScript, type Command, type FactEffect } from '../types.js'

export interface Retry {
  update_cache_retries?: number
  update_cache_retry_max_delay?: number
}

const APT_GET_UPDATE = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', '-q', '-y']

// $1 tries, $2 the longest wait, then the command: waits 1, 2, 4 ... (at most $2) seconds between tries
const RETRY =
  'n=$1; max=$2; shift 2; d=1; i=1; until "$@"; do [ "$i" -ge "$n" ] && exit 1; sleep "$d"; i=$((i + 1)); d=$((d * 2)); [ "$d" -gt "$max" ] && d=$max; done; exit 0'

const tries = (r: Retry) => [String(Math.max(1, r.update_cache_retries ?? 5)), String(Math.max(1, r.update_cache_retry_max_delay ?? 12))]

/** Printed by reportedUpdate when the update left the cache's time stamp where it was. */
export const CACHE_UNCHANGED = '@@apt-cache-unchanged'

// Ansible's get_cache_mtime: the success stamp (Ubuntu's update-notifier hook writes it) if there is one, else the lists' directory
const CACHE_MTIME = `cache_mtime() { s=/var/lib/apt/periodic/update-success-stamp; [ -e $s ] || s=/var/lib/apt/lists; stat -c %Y $s 2>/dev/null || echo 0; }`

/** Printed by cacheTimeReport before the cache's time stamp. */
export const CACHE_TIME = '@@apt-cache-time'

/** After an update: the cache's time stamp (Ansible's `cache_update_time`), read as Ansible's apt reads it. */
export const cacheTimeReport = (): Command => shScript(`${CACHE_MTIME}; echo "${CACHE_TIME} $(cache_mtime)"`)

/** The time stamp cacheTimeReport printed, if it ran. */
export function reportedCacheTime(stdout: string): number | undefined {
  const m = new RegExp(`^${CACHE_TIME} (\\d+)$`, 'm').exec(stdout)
  return m ? Number(m[1]) : undefined
}

/**
 * apt-get update, retried (apt's own options, e.g. the dpkg lock timeout, before `update`). A source
 * that cannot be fetched is an error (Error-Mode=any), as python-apt's update is for Ansible: plain
 * apt-get update warns and exits 0. `reportUnchanged`: prints CACHE_UNCHANGED when the cache's time
 * stamp did not move (nothing new was fetched), which Ansible's apt counts as no change.
 */
export function retriedUpdate(r: Retry, aptOptions: string[] = [], reportUnchanged = false): Command {
  const argv = [...APT_GET_UPDATE, ...aptOptions, '-o', 'APT::Update::Error-Mode=any', 'update']
  if (!reportUnchanged) return shScript(RETRY, ...tries(r), ...argv)
  const script = `${CACHE_MTIME}
before=$(cache_mtime)
${RETRY.replace('exit 0', `[ "$(cache_mtime)" = "$before" ] && echo ${CACHE_UNCHANGED}; exit 0`)}`
  return shScript(script, ...tries(r), ...argv)
}

const REVERT_SUFFIX = '.acplay-revert'

/** Before a source module writes: keep a copy of each file it changes (a missing one is noted as such). */
export function keepForRevert(paths: string[]): Command {
  return shScript(`for f; do if [ -e "$f" ]; then cp -p -- "$f" "$f${REVERT_SUFFIX}"; else : > "$f${REVERT_SUFFIX}.none"; fi; done`, ...paths)
}

/**
 * After it wrote: apt-get update (a failed download is an error, as python-apt's update is); on
 * failure every kept file is put back and the new ones removed, then the task fails. On success the
 * copies go.
 */
export function updateOrRevert(r: Retry, paths: string[]): Command {
  const script = `n=$1; max=$2; shift 2
d=1; i=1; ok=1
until ${APT_GET_UPDATE.map((a) => `'${a}'`).join(' ')} -o APT::Update::Error-Mode=any update; do
  [ "$i" -ge "$n" ] && { ok=0; break; }
  sleep "$d"; i=$((i + 1)); d=$((d * 2)); [ "$d" -gt "$max" ] && d=$max
done
for f; do
  if [ "$ok" = 1 ]; then rm -f -- "$f${REVERT_SUFFIX}" "$f${REVERT_SUFFIX}.none"
  elif [ -e "$f${REVERT_SUFFIX}" ]; then mv -f -- "$f${REVERT_SUFFIX}" "$f"
  else rm -f -- "$f" "$f${REVERT_SUFFIX}.none"; fi
done
[ "$ok" = 1 ] || { echo "Failed to update apt cache: apt-get update failed $n times; the source files were put back" >&2; exit 1; }`
  return shScript(script, ...tries(r), ...paths)
}

export interface SourcesChange {
  /** the module ran apt-get update after its change: the package lists describe the new sources */
  updated: boolean
}

/**
 * Recorded when sources or keys change, for later apt tasks in check mode: after an update their
 * candidates are unknown (the new sources are read). Without one the cache keeps its age, as
 * Ansible's apt trusts it: a cache_valid_time may find it fresh, and a package only the new source
 * has is not available, in the real run as in the prediction.
 */
export const sourcesChanged = (updated: boolean): FactEffect => ({ fact: 'apt.cache', key: 'sources', value: { updated } satisfies SourcesChange })

export const sourcesChangedEarlier = (ctx: { effect(fact: string, key: string): unknown }): SourcesChange | undefined =>
  ctx.effect('apt.cache', 'sources') as SourcesChange | undefined

/**
 * Recorded by an apt task's own cache update, for later apt tasks in check mode: the cache is fresh
 * (a cache_valid_time finds it so, as the real run would) and a package the current lists do not know
 * may be there after it (its install is predicted, not a failure). Packages the lists know keep their
 * candidates: the update refreshes them, it does not point apt at new sources.
 */
export const cacheUpdated: FactEffect = { fact: 'apt.cache', key: 'updated', value: true }

export const cacheUpdatedEarlier = (ctx: { effect(fact: string, key: string): unknown }): boolean => ctx.effect('apt.cache', 'updated') === true
