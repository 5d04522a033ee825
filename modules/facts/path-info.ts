/**
 * Everything Ansible's stat module reports about one path (stat(2) fields, access for the running
 * user, link target, checksum, `file` mime type, lsattr flags), in one script of few processes:
 * stat, the checksum tool, file and lsattr, each only when asked. Several paths (several stat tasks
 * read ahead) run in one script: each path's record ends with an `end` field.
 *
 * Output: NUL-terminated `key=value` fields per path, `end` after each path.
 */
import { shScript, type Fact } from '../types.js'

export const CHECKSUM_ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number]

export interface InfoOptions {
  follow: boolean
  /** undefined: no checksum */
  checksum?: ChecksumAlgorithm
  mime: boolean
  attributes: boolean
}

export interface PathInfo {
  exists: boolean
  /** stat(2) failed for another reason than a missing path (permission denied) */
  error?: string
  raw?: {
    mode: number
    uid: number
    gid: number
    owner?: string
    group?: string
    size: number
    inode: number
    dev: number
    nlink: number
    atime: number
    mtime: number
    ctime: number
    blocks: number
    blockSize: number
    rdev: number
  }
  readable?: boolean
  writeable?: boolean
  executable?: boolean
  linkTarget?: string
  linkSource?: string
  checksum?: string
  /** `file -b --mime-type --mime-encoding` output, when it ran and succeeded */
  mime?: string
  /** `lsattr -vd` output, when it ran and succeeded */
  lsattr?: string
}

// Five positional args per path: path, follow (1/0), checksum tool prefix or '', mime (1/0), lsattr (1/0).
const SCRIPT = `export LC_ALL=C
F='%f|%u|%g|%U|%G|%s|%i|%d|%h|%.9X|%.9Y|%.9Z|%b|%o|%t|%T'
while [ $# -ge 5 ]; do
  p=$1 f=$2 a=$3 m=$4 t=$5; shift 5
  if [ "$f" = 1 ]; then s=$(stat -L -c "$F" -- "$p" 2>&1); else s=$(stat -c "$F" -- "$p" 2>&1); fi
  if [ $? -ne 0 ]; then
    case $s in *'No such file'*) printf 'absent\\0' ;; *) printf 'error=%s\\0' "$s" ;; esac
    printf 'end\\0'; continue
  fi
  printf 'stat=%s\\0' "$s"
  c=; [ -r "$p" ] && c=r; [ -w "$p" ] && c=\${c}w; [ -x "$p" ] && c=\${c}x
  printf 'access=%s\\0' "$c"
  if [ "$f" != 1 ] && [ -L "$p" ]; then printf 'target=%s\\0real=%s\\0' "$(readlink -- "$p")" "$(realpath -m -- "$p")"; fi
  if [ -n "$a" ] && [ -f "$p" ] && [ -r "$p" ] && { [ "$f" = 1 ] || [ ! -L "$p" ]; }; then c=$("\${a}sum" < "$p") && printf 'checksum=%s\\0' "\${c%% *}"; fi
  if [ "$m" = 1 ]; then c=$(file -b --mime-type --mime-encoding -- "$p" 2>/dev/null) && printf 'mime=%s\\0' "$c"; fi
  if [ "$t" = 1 ]; then c=$(lsattr -vd -- "$p" 2>/dev/null) && printf 'attr=%s\\0' "$c"; fi
  printf 'end\\0'
done`

type Read = [path: string, opts: InfoOptions]

const args = ([path, o]: Read) => [path, o.follow ? '1' : '0', o.checksum ?? '', o.mime ? '1' : '0', o.attributes ? '1' : '0']

/** linux makedev(major, minor), as Python's st_rdev */
function makedev(major: number, minor: number): number {
  return (major & 0xfff) * 256 + (minor & 0xff) + (minor & ~0xff) * 4096 + (major & ~0xfff) * 2 ** 32
}

function parseRecord(fields: string[]): PathInfo {
  const get = (k: string) => fields.find((f) => f.startsWith(`${k}=`))?.slice(k.length + 1)
  if (fields.includes('absent')) return { exists: false }
  const error = get('error')
  if (error !== undefined) return { exists: false, error: error.trim().split(': ').pop() }
  const s = get('stat')
  if (s === undefined) throw new Error('unexpected output')
  const [mode, uid, gid, owner, group, size, inode, dev, nlink, atime, mtime, ctime, blocks, blockSize, major, minor] = s.split('|')
  const access = get('access') ?? ''
  const num = (v: string | undefined) => Number(v)
  return {
    exists: true,
    raw: {
      mode: parseInt(mode ?? '0', 16),
      uid: num(uid),
      gid: num(gid),
      owner: owner === 'UNKNOWN' ? undefined : owner,
      group: group === 'UNKNOWN' ? undefined : group,
      size: num(size),
      inode: num(inode),
      dev: num(dev),
      nlink: num(nlink),
      atime: num(atime),
      mtime: num(mtime),
      ctime: num(ctime),
      blocks: num(blocks),
      blockSize: num(blockSize),
      rdev: makedev(parseInt(major ?? '0', 16), parseInt(minor ?? '0', 16)),
    },
    readable: access.includes('r'),
    writeable: access.includes('w'),
    executable: access.includes('x'),
    linkTarget: get('target'),
    linkSource: get('real'),
    checksum: get('checksum'),
    mime: get('mime'),
    lsattr: get('attr'),
  }
}

function parseAll(stdout: string, count: number): PathInfo[] {
  const fields = stdout.split('\0')
  const out: PathInfo[] = []
  let rec: string[] = []
  for (const f of fields) {
    if (f === 'end') {
      out.push(parseRecord(rec))
      rec = []
    } else rec.push(f)
  }
  if (out.length !== count) throw new Error('unexpected output')
  return out
}

export const pathInfo: Fact<PathInfo, Read> = {
  name: 'path.info',
  key: (path, o) => JSON.stringify([path, o.follow, o.checksum ?? null, o.mime, o.attributes]),
  command: (...read) => shScript(SCRIPT, ...args(read)),
  parse(out, path) {
    try {
      return parseAll(out.stdout, 1)[0]!
    } catch (e) {
      throw new Error(`cannot stat ${path}: ${out.stderr.trim() || (e as Error).message}`)
    }
  },
  batch: {
    command: (reads) => shScript(SCRIPT, ...reads.flatMap(args)),
    parse: (out, reads) => parseAll(out.stdout, reads.length),
  },
}
