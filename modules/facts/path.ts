/** The state of one path on the host (lstat: links are reported as links), plus a sha256 for files. */
import { createHash } from 'node:crypto'
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
  /** inode and device: hard links share both */
  inode?: number
  dev?: number
  /** links only (path.stats only): what the link resolves to (stat -L); { exists: false } when dangling */
  target?: PathStat
}

// One round trip: stat, then the checksum or link target. The path is a positional arg, never spliced.
const SCRIPT = `p=$1
if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo absent; exit 0; fi
stat -c '%F|%a|%U|%G|%u|%g|%s|%i|%d' -- "$p"
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
    return parseStatRecord(out.stdout)
  },
}

/**
 * Several paths in ONE round trip, plus who the commands run as (the owner a new file gets).
 * Records are NUL-separated; each is `stat` fields, then the sha256 or link target, then for links
 * the resolved target's fields and sha256. Paths are positional args, never spliced.
 */
const STATS_SCRIPT = `printf '%s|%s\\n' "$(id -un)" "$(id -gn)"
st() { stat -c '%F|%a|%U|%G|%u|%g|%s|%i|%d' "$@"; }
for p; do
  printf '\\000'
  if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo absent; continue; fi
  st -- "$p"
  if [ -L "$p" ]; then
    readlink -- "$p"
    if [ -e "$p" ]; then st -L -- "$p"; if [ -f "$p" ]; then sha256sum < "$p" | cut -d' ' -f1; fi; else echo absent; fi
  elif [ -f "$p" ]; then sha256sum < "$p" | cut -d' ' -f1; fi
done`

export interface PathStats {
  /** the user and primary group the commands run as */
  user: string
  group: string
  stats: PathStat[]
}

function statLine(line: string): PathStat {
  const [ftype = '', mode = '', owner = '', group = '', uid = '', gid = '', size = '', inode = '', dev = ''] = line.split('|')
  return {
    exists: true,
    type: typeOf(ftype),
    mode: mode.padStart(4, '0'),
    owner,
    group,
    uid: Number(uid),
    gid: Number(gid),
    size: Number(size),
    inode: Number(inode),
    dev: Number(dev),
  }
}

export function parseStatRecord(rec: string): PathStat {
  const lines = rec.replace(/\n$/, '').split('\n')
  if (lines[0] === 'absent' || !lines[0]) return { exists: false }
  const st = statLine(lines[0])
  if (st.type === 'file') st.sha256 = lines[1]
  if (st.type === 'link') {
    st.linkTarget = lines[1]
    if (lines[2] && lines[2] !== 'absent') {
      st.target = statLine(lines[2])
      if (st.target.type === 'file') st.target.sha256 = lines[3]
    } else st.target = { exists: false }
  }
  return st
}

export const pathStats: Fact<PathStats, [string[]]> = {
  name: 'path.stats',
  key: (paths) => JSON.stringify(paths),
  command: (paths) => ({ argv: ['sh', '-c', STATS_SCRIPT, 'sh', ...paths] }),
  parse(out, paths) {
    const [head = '', ...recs] = out.stdout.split('\0')
    const [user = '', group = ''] = head.trim().split('|')
    if (recs.length !== paths.length) throw new Error(`cannot stat ${paths.join(', ')}: ${out.stderr.trim() || `rc ${out.rc}`}`)
    return { user, group, stats: recs.map(parseStatRecord) }
  },
}

/** A file's stat and its whole content (lineinfile reads it to edit it). */
export interface PathContent {
  user: string
  group: string
  stat: PathStat
  /** undefined when the path is not a regular file */
  text?: string
}

export const pathContent: Fact<PathContent, [string]> = {
  name: 'path.content',
  key: (path) => path,
  command: (path) => ({
    argv: ['sh', '-c', `${STATS_SCRIPT}\nprintf '\\000'\nif [ -f "$1" ] && [ ! -L "$1" ]; then base64 -w0 < "$1"; fi`, 'sh', path],
  }),
  parse(out, path) {
    const [head = '', rec = '', b64, ...rest] = out.stdout.split('\0')
    if (b64 === undefined || rest.length) throw new Error(`cannot read ${path}: ${out.stderr.trim() || `rc ${out.rc}`}`)
    const [user = '', group = ''] = head.trim().split('|')
    const stat = parseStatRecord(rec)
    if (stat.type !== 'file') return { user, group, stat }
    const bytes = Buffer.from(b64.trim(), 'base64')
    // an unreadable file gives no checksum and no bytes: never mistake it for an empty file
    if (createHash('sha256').update(bytes).digest('hex') !== stat.sha256) throw new Error(`cannot read ${path}: ${out.stderr.trim() || 'permission denied or changed while reading'}`)
    return { user, group, stat, text: bytes.toString('utf8') }
  },
}
