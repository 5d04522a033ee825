/** The state of one path on the host (lstat: links are reported as links), plus a sha256 for files. */
import type { Fact } from '../types.js'

export interface PathStat {
  exists: boolean
  type?: 'file' | 'directory' | 'link' | 'other'
  /** four octal digits, e.g. "0644" */
  mode?: string
  owner?: string
  group?: string
  uid?: number
  gid?: number
  size?: number
  /** regular files only */
  sha256?: string
  /** links only */
  linkTarget?: string
}

// One round trip: stat, then the checksum or link target. The path is a positional arg, never spliced.
const SCRIPT = `p=$1
if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo absent; exit 0; fi
stat -c '%F|%a|%U|%G|%u|%g|%s' -- "$p"
if [ -L "$p" ]; then readlink -- "$p"; elif [ -f "$p" ]; then sha256sum < "$p" | cut -d' ' -f1; fi`

function typeOf(f: string): PathStat['type'] {
  if (f === 'regular file' || f === 'regular empty file') return 'file'
  if (f === 'directory') return 'directory'
  if (f === 'symbolic link') return 'link'
  return 'other'
}

export const pathStat: Fact<PathStat, [string]> = {
  name: 'path.stat',
  key: (path) => path,
  command: (path) => ({ argv: ['sh', '-c', SCRIPT, 'sh', path] }),
  parse(out, path) {
    if (out.rc !== 0) throw new Error(`cannot stat ${path}: ${out.stderr.trim()}`)
    const lines = out.stdout.split('\n')
    if (lines[0] === 'absent') return { exists: false }
    const [ftype = '', mode = '', owner = '', group = '', uid = '', gid = '', size = ''] = lines[0]!.split('|')
    const st: PathStat = {
      exists: true,
      type: typeOf(ftype),
      mode: mode.padStart(4, '0'),
      owner,
      group,
      uid: Number(uid),
      gid: Number(gid),
      size: Number(size),
    }
    if (st.type === 'file') st.sha256 = lines[1]
    if (st.type === 'link') st.linkTarget = lines[1]
    return st
  },
}
