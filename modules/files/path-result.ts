/**
 * Ansible adds facts about a result's `path` (or `dest`) to every module result that names one
 * (AnsibleModule.add_path_info): uid, gid, owner, group, mode, state (file, directory, link, hard)
 * and size, from an lstat. Modules print them with PATH_RESULT_SH after their work and read them
 * back with pathResult().
 */
import { shScript, type Command } from '../types.js'

const MARK = 'ACPLAY_PATH_RESULT='

/** Shell lines printing the marker line for "$1" (nothing when it does not exist, as Ansible). */
export const PATH_RESULT_SH = `if [ -e "$1" ]; then printf '${MARK}'; stat -c '%u|%g|%U|%G|%a|%F|%h|%s' -- "$1"; fi`

export const pathResultCommand = (path: string): Command => shScript(PATH_RESULT_SH, path)

/** The fields of the last marker line in `stdout`, or {} (the path does not exist). */
export function pathResult(stdout: string): Record<string, unknown> {
  const at = stdout.lastIndexOf(MARK)
  if (at < 0) return {}
  const line = stdout.slice(at + MARK.length).split('\n')[0]!
  const [uid = '', gid = '', owner = '', group = '', mode = '', type = '', nlink = '', size = ''] = line.split('|')
  const state = type === 'symbolic link' ? 'link' : type === 'directory' ? 'directory' : Number(nlink) > 1 ? 'hard' : 'file'
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

/** `stdout` without the marker line, for modules that also return what their commands printed. */
export const withoutPathResult = (stdout: string): string => stdout.replace(new RegExp(`${MARK}.*\\n?`, 'g'), '')
