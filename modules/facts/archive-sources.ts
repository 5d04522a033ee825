/**
 * What community.general.archive reads before it writes, in ONE python3 process on the host (the
 * answers are Python's: glob.glob's directory order, os.walk's, tarfile's reading of an existing
 * archive, the byte order of sorted paths):
 *   - each `path` and `exclude_path` expanded as the module does (glob only when it holds * or ?),
 *     and the sources: the expanded paths less the excluded ones, sorted;
 *   - every source and, below a source directory, every entry os.walk visits: its lstat as a tar
 *     header records it (type, mode, ids and names, size, mtime rounded as tarfile rounds it, link
 *     target), whether it is a directory once links are followed, and for a zip its CRC-32 (and the
 *     sha256 check mode compares an earlier task's file with);
 *   - the one file a single-file compress reads: its content's sha256, or its tar members;
 *   - dest (given, or the single source plus the format): its lstat, and what the module compares a
 *     new archive with: the members of a tar (the header fields whose sum is tarfile's chksum), the
 *     (name, CRC) of a zip's members, or the sha256 of a compressed file's content.
 * The query is JSON in argv[1]; nothing of it is spliced into code.
 */
import type { PathStat } from './path.js'
import type { Fact } from '../types.js'

export type ArchiveFormat = 'gz' | 'bz2' | 'xz' | 'tar' | 'zip'

export interface SourcesQuery {
  paths: string[]
  excludes: string[]
  dest?: string
  format: ArchiveFormat
  /** force_archive or a glob among the paths: a single source is still archived, never compressed alone */
  mustArchive: boolean
}

/** One path as os.lstat saw it. */
export interface SourceEntry {
  /** f file, d directory, l link, c/b devices, p fifo, s socket */
  t: string
  mode: number
  uid: number
  gid: number
  uname: string
  gname: string
  size: number
  /** st_size, whatever the type (add_path_info's size) */
  bytes: number
  /** round(st_mtime), as tarfile writes it; null: not known (an earlier task in check mode writes it) */
  mt: number | null
  ino: number
  dev: number
  nlink: number
  /** a directory once links are followed (os.path.isdir) */
  isdir: boolean
  /** exists once links are followed (os.path.exists) */
  ok: boolean
  link?: string
  /** zip: CRC-32 of the content (links followed); undefined: not known */
  crc?: number
  sha?: string
  /** zip: why the file cannot be read (Python's words) */
  err?: string
}

/** An existing archive's members as the module compares them: tar header fields, zip (name, CRC), or a compressed file's content. */
export type Members = { tar: unknown[][] } | { zip: [string, number][] } | { stream: string } | { none: true } | { badTar: true }

export interface Sources {
  user: string
  group: string
  umask: number
  expanded: string[]
  excluded: string[]
  paths: string[]
  /** every source and walked entry by its path; a source that does not exist is missing */
  entries: Record<string, SourceEntry>
  /** per directory os.walk listed: its entries' names in the order it listed them */
  walks: Record<string, string[]>
  /** the single file of a compress: its tar members when it is a tar, or its content's sha256 */
  single?: Members
  dest?: {
    path: string
    stat: PathStat
    /** os.path.exists (links followed) */
    exists: boolean
    isdir: boolean
    readable: boolean
    /** its directory exists */
    parentOk: boolean
    members?: Members
  }
}

const SCRIPT = `
import bz2, glob, grp, gzip, hashlib, json, lzma, os, pwd, stat, sys, tarfile, zipfile, zlib
q = json.loads(sys.argv[1])
fmt = q['format']
def expand(ps):
    out = []
    for p in ps:
        b = os.fsencode(os.path.expanduser(os.path.expandvars(p)))
        out.extend(glob.glob(b) if (b'*' in b or b'?' in b) else [b])
    return out
exp, exc = expand(q['paths']), expand(q['excludes'])
paths = sorted(set(exp) - set(exc))
users, groups = {}, {}
def uname(u):
    if u not in users:
        try: users[u] = pwd.getpwuid(u).pw_name
        except KeyError: users[u] = ''
    return users[u]
def gname(g):
    if g not in groups:
        try: groups[g] = grp.getgrgid(g).gr_name
        except KeyError: groups[g] = ''
    return groups[g]
TYPES = ((stat.S_ISREG, 'f'), (stat.S_ISDIR, 'd'), (stat.S_ISLNK, 'l'), (stat.S_ISCHR, 'c'), (stat.S_ISBLK, 'b'), (stat.S_ISFIFO, 'p'))
def sums(p):
    crc, h = 0, hashlib.sha256()
    with open(p, 'rb') as f:
        for b in iter(lambda: f.read(1 << 20), b''):
            crc = zlib.crc32(b, crc); h.update(b)
    return crc & 0xffffffff, h.hexdigest()
def entry(p):
    st = os.lstat(p)
    m = st.st_mode
    e = {'t': next((c for f, c in TYPES if f(m)), 's'), 'mode': stat.S_IMODE(m), 'uid': st.st_uid, 'gid': st.st_gid,
         'uname': uname(st.st_uid), 'gname': gname(st.st_gid), 'size': st.st_size if stat.S_ISREG(m) else 0, 'bytes': st.st_size,
         'mt': round(st.st_mtime), 'ino': st.st_ino, 'dev': st.st_dev, 'nlink': st.st_nlink,
         'isdir': os.path.isdir(p), 'ok': os.path.exists(p)}
    if e['t'] == 'l': e['link'] = os.fsdecode(os.readlink(p))
    if fmt == 'zip' and not e['isdir']:
        try: e['crc'], e['sha'] = sums(os.fsdecode(p))
        except Exception as x: e['err'] = str(x)
    return e
entries, walks = {}, {}
def walk(top):
    try: names = [d.name for d in os.scandir(top)]
    except OSError: return
    walks[os.fsdecode(top)] = [os.fsdecode(n) for n in names]
    for n in names:
        full = os.path.join(top, n)
        entries[os.fsdecode(full)] = e = entry(full)
        if e['isdir'] and e['t'] != 'l': walk(full)
for p in paths:
    if os.path.lexists(p):
        entries[os.fsdecode(p)] = e = entry(p)
        if e['isdir']: walk(p)
def members(p, stream):
    try:
        if fmt == 'zip':
            try:
                with zipfile.ZipFile(p) as z: return {'zip': [[i.filename, i.CRC] for i in z.infolist()]}
            except zipfile.BadZipFile: return {'zip': []}
        try:
            if fmt == 'xz':
                with lzma.open(p) as f, tarfile.open(fileobj=f) as t: ms = t.getmembers()
            else:
                with tarfile.open(p, 'r|' + ('' if stream else fmt)) as t: ms = t.getmembers()
            return {'tar': [[m.name, m.type.decode('latin-1'), m.mode, m.uid, m.gid, m.uname, m.gname, m.size, round(m.mtime), m.linkname] for m in ms]}
        except (lzma.LZMAError, tarfile.ReadError, tarfile.CompressionError):
            if fmt == 'tar': return {'badTar': True}
            opener = None if stream else {'gz': gzip.open, 'bz2': bz2.BZ2File, 'xz': lzma.LZMAFile}[fmt]
            try:
                h = hashlib.sha256()
                with (open(p, 'rb') if stream else opener(p, 'rb')) as f:
                    for b in iter(lambda: f.read(1 << 20), b''): h.update(b)
                return {'stream': h.hexdigest()}
            except Exception: return {'none': True}
    except Exception as x:
        return {'error': str(x)}
out = {'user': uname(os.getuid()), 'group': gname(os.getgid()), 'umask': os.umask(0)}
os.umask(out['umask'])
out.update(expanded=[os.fsdecode(p) for p in exp], excluded=[os.fsdecode(p) for p in exc], paths=[os.fsdecode(p) for p in paths], entries=entries, walks=walks)
single = len(paths) == 1 and not q['mustArchive'] and not os.path.isdir(paths[0])
if single and fmt in ('gz', 'bz2', 'xz') and os.path.exists(paths[0]) and not os.path.isdir(paths[0]):
    out['single'] = members(paths[0], True)
dest = q.get('dest')
dest = os.path.expanduser(os.path.expandvars(dest)) if dest else (os.fsdecode(paths[0]) + '.' + fmt if single else None)
if dest:
    d = {'path': dest, 'exists': os.path.exists(dest), 'isdir': os.path.isdir(dest), 'readable': os.access(dest, os.R_OK), 'parentOk': os.path.isdir(os.path.dirname(dest) or '.')}
    if os.path.lexists(dest):
        st = os.lstat(dest)
        d['stat'] = {'exists': True, 'type': 'file' if stat.S_ISREG(st.st_mode) else 'directory' if stat.S_ISDIR(st.st_mode) else 'link' if stat.S_ISLNK(st.st_mode) else 'other',
                     'mode': '%04o' % stat.S_IMODE(st.st_mode), 'owner': uname(st.st_uid) or str(st.st_uid), 'group': gname(st.st_gid) or str(st.st_gid),
                     'uid': st.st_uid, 'gid': st.st_gid, 'size': st.st_size, 'nlink': st.st_nlink}
    else: d['stat'] = {'exists': False}
    if d['exists'] and d['readable'] and not d['isdir']: d['members'] = members(dest, False)
    out['dest'] = d
json.dump(out, sys.stdout)
`

export const archiveSources: Fact<Sources, [SourcesQuery]> = {
  name: 'archive.sources',
  command: (q) => ({ argv: ['python3', '-c', SCRIPT, JSON.stringify(q)] }),
  parse(out) {
    if (out.rc !== 0) {
      const err = out.stderr.trim()
      throw new Error(
        /python3: (command )?not found|No such file/.test(err)
          ? 'archive needs python3 on the host to read its sources'
          : `cannot read the sources: ${err.split('\n').pop()}`,
      )
    }
    const s = JSON.parse(out.stdout) as Sources
    const m = s.dest?.members as { error?: string } | undefined
    if (m?.error) throw new Error(`cannot read ${s.dest!.path}: ${m.error}`)
    return s
  },
}
