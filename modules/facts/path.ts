/** The state of one path on the host (lstat: links are reported as links), plus a sha256 for files. */
import { createHash } from 'node:crypto'
import { ChangedWhileRead } from '../../engine/errors.js'
import { shScript, type Fact } from '../types.js'

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
  /** how many names the inode has (Ansible reports a file with more than one as state hard) */
  nlink?: number
  /** links only (path.stats only): what the link resolves to (stat -L); { exists: false } when dangling */
  target?: PathStat
  /** check mode: not read, unknown until this (earlier, planned) task has run; exists is then false (statPaths) */
  unknown?: string
}

// One round trip: stat, then the checksum or link target. The path is a positional arg, never spliced.
const SCRIPT = `p=$1
if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo absent; exit 0; fi
stat -c '%F|%a|%U|%G|%u|%g|%s|%i|%d|%h' -- "$p"
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
  command: (path) => shScript(SCRIPT, path),
  parse(out, path) {
    if (out.rc !== 0) throw new Error(`cannot stat ${path}: ${out.stderr.trim()}`)
    return parseStatRecord(out.stdout)
  },
}

/**
 * Several paths in ONE round trip, plus who the commands run as (the owner a new file gets), in as
 * few processes as the host allows (each exec costs ~1 ms of host CPU): shell tests sort the paths,
 * ONE stat reads them all (the first line is /proc/self/, owned by the stat process's own user and
 * group: `id -un`, `id -gn` without two more execs), ONE sha256sum hashes every readable file.
 * Output, NUL-separated: `k` + a kind letter per path (a absent, f readable file, u unreadable
 * file, l link, o other) and the stat lines; per link its target, the target's stat and sha256;
 * the sha256sum records. Paths are positional args, never spliced.
 */
const STATS_SCRIPT = `n=$#; k=
for p; do
  if [ -L "$p" ]; then k=\${k}l
  elif [ -f "$p" ]; then if [ -r "$p" ]; then k=\${k}f; else k=\${k}u; fi
  elif [ -e "$p" ]; then k=\${k}o
  else k=\${k}a; continue; fi
  set -- "$@" "$p"
done
shift $n
echo "k$k"
f='%F|%a|%U|%G|%u|%g|%s|%i|%d|%h'
if [ -d /proc/self/ ]; then stat -c "$f" -- /proc/self/ "$@"
else printf 'x|x|%s|%s\\n' "$(id -un)" "$(id -gn)"; [ $# -eq 0 ] || stat -c "$f" -- "$@"; fi
printf '\\000'
for p; do
  [ -L "$p" ] || continue
  readlink -- "$p"
  if [ -e "$p" ]; then stat -L -c "$f" -- "$p"; if [ -f "$p" ]; then sha256sum < "$p" | cut -d' ' -f1; fi; else echo absent; fi
  printf '\\000'
done
m=$#
for p; do [ -f "$p" ] && [ ! -L "$p" ] && [ -r "$p" ] && set -- "$@" "$p"; done
shift $m
[ $# -eq 0 ] || sha256sum -z -- "$@"`

/**
 * STATS_SCRIPT, hashing without touching the access times (O_NOATIME through dd; a file the caller
 * may not open so falls back to a plain read), for the file module when it manages access_time: a
 * read must not move what it compares.
 */
const STATS_NOATIME_SCRIPT = STATS_SCRIPT.replace(
  '[ $# -eq 0 ] || sha256sum -z -- "$@"',
  `for p; do
  if dd if="$p" iflag=noatime count=0 status=none 2>/dev/null; then h=$(dd if="$p" iflag=noatime status=none | sha256sum); else h=$(sha256sum < "$p"); fi
  printf '%s  %s\\000' "\${h%% *}" "$p"
done`,
)

/** STATS_SCRIPT's output for `count` paths; `rest` is what a script printed after it. */
function parseStats(stdout: string, count: number): PathStats & { rest: string[] } {
  const parts = stdout.split('\0')
  const [kindLine = '', self = '', ...lines] = (parts[0] ?? '').replace(/\n$/, '').split('\n')
  const kinds = kindLine.slice(1)
  if (!kindLine.startsWith('k') || kinds.length !== count) throw new Error('unexpected output')
  const existing = [...kinds].filter((k) => k !== 'a').length
  if (lines.length !== existing) throw new ChangedWhileRead('a path changed while it was read')
  const [, , user = '', group = ''] = self.split('|')
  let part = 1
  let line = 0
  const links: PathStat[] = []
  const files: PathStat[] = []
  const stats = [...kinds].map((k): PathStat => {
    if (k === 'a') return { exists: false }
    const st = statLine(lines[line++]!)
    if (k === 'l') links.push(st)
    if (k === 'f') files.push(st)
    return st
  })
  for (const st of links) {
    const [target = '', tstat = '', tsha] = (parts[part++] ?? '').replace(/\n$/, '').split('\n')
    st.linkTarget = target
    st.target = tstat && tstat !== 'absent' ? statLine(tstat) : { exists: false }
    if (st.target.type === 'file') st.target.sha256 = tsha
  }
  for (const st of files) {
    const sha = (parts[part++] ?? '').slice(0, 64)
    if (!/^[0-9a-f]{64}$/.test(sha)) throw new ChangedWhileRead('a file changed while it was read')
    st.sha256 = sha
  }
  return { user, group, stats, rest: parts.slice(part) }
}

export interface PathStats {
  /** the user and primary group the commands run as */
  user: string
  group: string
  stats: PathStat[]
}

function statLine(line: string): PathStat {
  const [ftype = '', mode = '', owner = '', group = '', uid = '', gid = '', size = '', inode = '', dev = '', nlink = ''] = line.split('|')
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
    ...(nlink !== '' ? { nlink: Number(nlink) } : {}),
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

const union = (reads: [string[]][]) => [...new Set(reads.flatMap(([paths]) => paths))]

/** Each asker's own copy (a PathStat is flat but for its link target); structuredClone cost 1% of a fleet no-op. */
const copyStat = (st: PathStat): PathStat => (st.target ? { ...st, target: { ...st.target } } : { ...st })

export const pathStats: Fact<PathStats, [string[]]> = {
  name: 'path.stats',
  key: (paths) => JSON.stringify(paths),
  command: (paths) => shScript(STATS_SCRIPT, ...paths),
  batch: {
    command: (reads) => shScript(STATS_SCRIPT, ...union(reads)),
    parse(out, reads) {
      const all = union(reads)
      const read = pathStats.parse(out, all)
      const byPath = new Map(all.map((p, i) => [p, read.stats[i]!]))
      return reads.map(([paths]) => ({ user: read.user, group: read.group, stats: paths.map((p) => copyStat(byPath.get(p)!)) }))
    },
  },
  parse(out, paths) {
    try {
      const { user, group, stats, rest } = parseStats(out.stdout, paths.length)
      if (rest.join('') !== '') throw new Error('unexpected output')
      return { user, group, stats }
    } catch (e) {
      const msg = `cannot stat ${paths.join(', ')}: ${out.stderr.trim() || (out.rc ? `rc ${out.rc}` : (e as Error).message)}`
      throw e instanceof ChangedWhileRead && !out.stderr.trim() ? new ChangedWhileRead(msg) : new Error(msg)
    }
  },
}

/** pathStats without moving access times (see STATS_NOATIME_SCRIPT). */
export const pathStatsNoAtime: Fact<PathStats, [string[]]> = {
  name: 'path.stats.noatime',
  key: (paths) => JSON.stringify(paths),
  command: (paths) => shScript(STATS_NOATIME_SCRIPT, ...paths),
  parse: (out, paths) => pathStats.parse(out, paths),
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
  command: (path) => shScript(`c=$1\n${STATS_SCRIPT}\nif [ -f "$c" ] && [ ! -L "$c" ]; then base64 -w0 < "$c"; fi`, path),
  parse(out, path) {
    let read: ReturnType<typeof parseStats>
    try {
      read = parseStats(out.stdout, 1)
      if (read.rest.length !== 1) throw new Error('unexpected output')
    } catch (e) {
      const msg = `cannot read ${path}: ${out.stderr.trim() || (out.rc ? `rc ${out.rc}` : (e as Error).message)}`
      throw e instanceof ChangedWhileRead && !out.stderr.trim() ? new ChangedWhileRead(msg) : new Error(msg)
    }
    const {
      user,
      group,
      stats: [stat = { exists: false }],
      rest: [b64 = ''],
    } = read
    if (stat.type !== 'file') return { user, group, stat }
    const bytes = Buffer.from(b64.trim(), 'base64')
    // an unreadable file gives no checksum and no bytes: never mistake it for an empty file
    if (createHash('sha256').update(bytes).digest('hex') !== stat.sha256) {
      if (out.stderr.trim()) throw new Error(`cannot read ${path}: ${out.stderr.trim()}`)
      throw new ChangedWhileRead(`${path} changed while it was read`)
    }
    return { user, group, stat, text: bytes.toString('utf8') }
  },
}
