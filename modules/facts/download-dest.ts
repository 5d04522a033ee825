/**
 * What get_url needs to know about its dest before it decides to download: the dest and its
 * directory (type, mode, owner, size; links followed), who the commands run as (a new file's owner),
 * and the dest's digest with the checksum's algorithm. One round trip; a converged get_url with a
 * checksum needs nothing else.
 */
import { shScript, type Fact } from '../types.js'
import type { PathStat } from './path.js'

/** a path.stat with its link count (Ansible's `state: hard`) */
export type DestStat = PathStat & { nlink?: number }

export interface DownloadDest {
  /** the user and group the commands run as */
  user: string
  group: string
  dest: DestStat
  dir: DestStat
  /** the dest's digest with the asked algorithm (a readable regular file only) */
  digest?: string
}

// $1 dest, $2 its directory, $3 algorithm ('' none). Links are followed (Ansible's isdir, exists and
// digest do). /proc/self/ is the stat process itself: its owner is who runs it.
const SCRIPT = `F='%F|%a|%U|%G|%u|%g|%s|%h'
stat -c "$F" -- /proc/self/
for p in "$1" "$2"; do if [ -e "$p" ]; then stat -L -c "$F" -- "$p"; else echo absent; fi; done
if [ -n "$3" ] && [ -f "$1" ] && [ -r "$1" ]; then c=$("$3sum" < "$1") && echo "\${c%% *}"; fi`

function statLine(line: string): DestStat {
  if (line === 'absent' || !line) return { exists: false }
  const [t = '', mode = '', owner = '', group = '', uid = '', gid = '', size = '', nlink = ''] = line.split('|')
  const type = t === 'regular file' || t === 'regular empty file' ? 'file' : t === 'directory' ? 'directory' : t === 'symbolic link' ? 'link' : 'other'
  return { exists: true, type, mode: mode.padStart(4, '0'), owner, group, uid: Number(uid), gid: Number(gid), size: Number(size), nlink: Number(nlink) }
}

export const downloadDest: Fact<DownloadDest, [dest: string, dir: string, algorithm: string]> = {
  name: 'download.dest',
  command: (dest, dir, algorithm) => shScript(SCRIPT, dest, dir, algorithm),
  parse(out, dest) {
    const [self = '', d = '', dir = '', digest] = out.stdout.replace(/\n$/, '').split('\n')
    if (out.rc !== 0 || !self.includes('|') || !d || !dir) throw new Error(`cannot stat ${dest}: ${out.stderr.trim() || `rc ${out.rc}`}`)
    const me = statLine(self)
    return { user: me.owner ?? '', group: me.group ?? '', dest: statLine(d), dir: statLine(dir), digest: digest || undefined }
  },
}
