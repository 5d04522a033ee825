/**
 * Ansible adds facts about a result's `path` (or `dest`) to every module result that names one
 * (AnsibleModule.add_path_info): uid, gid, owner, group, mode, state (file, directory, link, hard)
 * and size, from an lstat. Modules print them with PATH_RESULT_SH after their work and read them
 * back with pathResult(); or, for a plan (withPathInfo), from the stat they read before and, after
 * a change, from the engine's stat at the end of the same script (Plan's pathInfo).
 */
import type { PathStat } from '../facts/path.js'
import { shScript, type Command, type Plan } from '../types.js'

const MARK = 'ACPLAY_PATH_RESULT='

/** stat's format for the fields (lstat: a link is a link), read back by statFields. */
export const STAT_FORMAT = '%u|%g|%U|%G|%a|%F|%h|%s'

/** Shell lines printing the marker line for "$1" (nothing when it does not exist, as Ansible). */
export const PATH_RESULT_SH = `if [ -e "$1" ]; then printf '${MARK}'; stat -c '${STAT_FORMAT}' -- "$1"; fi`

export const pathResultCommand = (path: string): Command => shScript(PATH_RESULT_SH, path)

/** The fields of the last marker line in `stdout`, or {} (the path does not exist). */
export function pathResult(stdout: string): Record<string, unknown> {
  const at = stdout.lastIndexOf(MARK)
  if (at < 0) return {}
  return statFields(stdout.slice(at + MARK.length).split('\n')[0]!)
}

/** The fields of one line of STAT_FORMAT. */
export function statFields(line: string): Record<string, unknown> {
  const [uid = '', gid = '', owner = '', group = '', mode = '', type = '', nlink = '', size = ''] = line.split('|')
  const state = type === 'symbolic link' ? 'link' : type === 'directory' ? 'directory' : Number(nlink) > 1 ? 'hard' : 'file'
  return fields(uid, gid, owner, group, mode, state, size)
}

/** The same fields from a stat already read (lstat: a link is a link); {} for a path that does not exist. */
export function pathInfoOf(st: PathStat): Record<string, unknown> {
  if (!st.exists) return {}
  const state = st.type === 'link' ? 'link' : st.type === 'directory' ? 'directory' : (st.nlink ?? 1) > 1 ? 'hard' : 'file'
  return fields(String(st.uid), String(st.gid), st.owner ?? 'UNKNOWN', st.group ?? 'UNKNOWN', (st.mode ?? '').replace(/^0+/, ''), state, String(st.size))
}

// Python's '0%03o' % mode and str(uid) for a user without a name
function fields(uid: string, gid: string, owner: string, group: string, mode: string, state: string, size: string) {
  return {
    uid: Number(uid),
    gid: Number(gid),
    owner: owner === 'UNKNOWN' ? uid : owner,
    group: group === 'UNKNOWN' ? gid : group,
    mode: `0${mode.padStart(3, '0')}`,
    state,
    size: Number(size),
  }
}

/**
 * Ansible's add_path_info on a plan's result: an ok plan gets the fields of `st` (the path as the
 * plan read it: no other read); a change gets them after it ran, from the engine's stat of `path`
 * at the end of the same script, and in check mode those of `st` (Ansible reports the path as found).
 */
export function withPathInfo(plan: Plan, path: string, st: PathStat): Plan {
  if (plan.kind === 'ok') return { ...plan, data: { ...plan.data, ...pathInfoOf(st) } }
  return { ...plan, pathInfo: { path, found: pathInfoOf(st) } }
}

/** `stdout` without the marker line, for modules that also return what their commands printed. */
export const withoutPathResult = (stdout: string): string => stdout.replace(new RegExp(`${MARK}.*\\n?`, 'g'), '')
