/**
 * community.general.archive's decisions (community.general 6.6), from the sources as the host
 * answered them (facts/archive-sources.ts): which paths are archived under which root, whether one
 * file is compressed alone or everything goes into a tar/zip, the new archive's members in the
 * order the module adds them (os.walk: a directory's subdirectories, then its files, then each
 * subdirectory in turn; the source directory itself is not a member), and whether the new archive
 * differs from dest as the module compares them:
 *   - tar (and tar.gz/bz2/xz): the set of (name, header checksum) of the members. The checksum is
 *     the sum of the header's fields, so acplay compares the fields it sums: name, type, mode,
 *     uid, gid, user and group names, size, mtime (rounded, as tarfile writes it), link target;
 *   - zip: the set of (name, CRC-32) of the members;
 *   - one file compressed alone (gz, bz2, xz): the file's content (or its members, when it is a tar).
 * Failures carry the module's words.
 */
import { posix } from 'node:path'
import { ModuleFailure } from '../../engine/errors.js'
import { fnmatchRe } from '../../engine/vars/py-path.js'
import { pathInfoOf } from '../files/path-result.js'
import type { ArchiveFormat, Members, SourceEntry, Sources } from '../facts/archive-sources.js'

export interface ArchiveArgs {
  path: string[]
  format: ArchiveFormat
  exclusion_patterns?: string[]
  force_archive: boolean
  remove: boolean
}

export interface Member {
  /** the source path */
  path: string
  /** its name in the archive */
  name: string
}

export interface Decision {
  root: string
  mustArchive: boolean
  dest: string
  /** the sources that exist, and those that do not (`missing`) */
  targets: string[]
  missing: string[]
  /** none: no source exists; archive: a tar or zip of everything; single: one file, compressed or archived alone */
  branch: 'none' | 'archive' | 'single'
  destState: 'absent' | 'archive' | 'compress' | 'incomplete'
  /** what goes into the archive, in order (single compress: the one file) */
  members: Member[]
  /** what the module reports archived (in the order it added them) */
  archived: string[]
  /** the new archive differs from dest as the module compares them */
  changed: boolean
  /** remove: the paths deleted after archiving, in the module's order */
  removals: string[]
}

const hasGlob = (p: string) => /[*?]/.test(p)

/** os.path.join(os.path.dirname(commonprefix([dirname(p) + '/' ...])), ''): the directory every name is relative to. */
export function commonPath(paths: string[]): string {
  const dirs = paths.map((p) => withSlash(pyDirname(p)))
  let prefix = dirs[0] ?? ''
  for (const d of dirs) while (!d.startsWith(prefix)) prefix = prefix.slice(0, -1)
  return withSlash(pyDirname(prefix))
}

/** Python's os.path.dirname: up to the last slash, trailing slashes gone unless it is all slashes. */
export function pyDirname(p: string): string {
  const head = p.slice(0, p.lastIndexOf('/') + 1)
  return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head
}

const withSlash = (p: string) => (p === '' || p.endsWith('/') ? p : `${p}/`)
const pyJoin = (dir: string, name: string) => withSlash(dir) + name
const stripPrefix = (prefix: string, s: string) => (s.startsWith(prefix) ? s.slice(prefix.length) : s)

/** The module's is_archive: dest's name says it is an archive (dest_state archive rather than compress when nothing was found). */
export const isArchiveName = (path: string) => /\.(tar|tar\.(gz|bz2|xz)|tgz|tbz2|zip)$/i.test(posix.basename(path))

/** Python's sorted() of paths: by their bytes. */
export const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b))

/** os.walk(top) as the module uses it: each directory's subdirectories, then its files; then into each subdirectory (links are not followed). */
export function walkOrder(top: string, s: Pick<Sources, 'walks' | 'entries'>): string[] {
  const out: string[] = []
  const names = s.walks[top]
  if (!names) return out
  const full = names.map((n) => pyJoin(top, n))
  const dirs = full.filter((p) => s.entries[p]?.isdir)
  out.push(...dirs, ...full.filter((p) => !s.entries[p]?.isdir))
  for (const d of dirs) if (s.entries[d]?.t !== 'l') out.push(...walkOrder(d, s))
  return out
}

const TAR_TYPE: Record<string, string> = { f: '0', d: '5', l: '2', c: '3', b: '4', p: '6' }

/** The member tuples a tar of `members` holds, as tarfile reads them back (null where a field is unknown until an earlier task runs). */
export function tarTuples(members: Member[], entries: Record<string, SourceEntry>): unknown[][] {
  const inodes = new Map<string, string>()
  const out: unknown[][] = []
  for (const m of members) {
    const e = entries[m.path]!
    let type = TAR_TYPE[e.t]!
    let link = e.link ?? ''
    let size: number | null = e.size
    if (e.t === 'f') {
      const ino = `${e.dev}:${e.ino}`
      const first = inodes.get(ino)
      if (e.nlink > 1 && first !== undefined && first !== m.name) {
        type = '1'
        link = first
        size = 0
      } else if (e.ino) inodes.set(ino, m.name)
    }
    out.push([m.name.replace(/\/+$/, ''), type, e.mode, e.uid, e.gid, e.uname, e.gname, size, e.mt, link])
  }
  return out
}

/** A zip member's name as zipfile stores it: normalized, no leading slash, a directory's with a trailing one. */
export function zipName(name: string, isdir: boolean): string {
  const n = posix.normalize(name).replace(/^\/+/, '').replace(/\/+$/, '')
  return isdir ? `${n}/` : n
}

function zipTuples(members: Member[], entries: Record<string, SourceEntry>): unknown[][] {
  return members.map((m) => {
    const e = entries[m.path]!
    return e.isdir ? [zipName(m.name, true), 0] : [zipName(m.name, false), e.crc ?? null]
  })
}

/** A set of tuples as comparable strings; a tuple with an unknown field (null) never equals anything. */
function tupleSet(rows: unknown[][]): Set<string> | undefined {
  if (rows.some((r) => r.includes(null) || r.includes(undefined))) return undefined
  return new Set(rows.map((r) => JSON.stringify(r)))
}

function sameSets(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  if (!a || !b || a.size !== b.size) return false
  for (const x of a) if (!b.has(x)) return false
  return true
}

/** The comparable set of an existing archive (or of a compressed file's content); undefined: none (an unreadable dest). */
export function memberSet(m: Members | undefined): Set<string> | undefined {
  if (!m) return undefined
  if ('tar' in m) return tupleSet(m.tar)
  if ('zip' in m) return tupleSet(m.zip)
  if ('stream' in m) return new Set([JSON.stringify(['', m.stream])])
  return new Set()
}

/** add_path_info on a failure: the fields of `path` (the joined paths: only one path is a path that exists). */
function pathFields(path: string, s: Sources): Record<string, unknown> {
  const e = s.entries[path]
  if (!e) return {}
  const type = e.t === 'd' ? 'directory' : e.t === 'l' ? 'link' : e.t === 'f' ? 'file' : 'other'
  const mode = e.mode.toString(8).padStart(4, '0')
  return pathInfoOf({
    exists: true,
    type,
    mode,
    owner: e.uname || 'UNKNOWN',
    group: e.gname || 'UNKNOWN',
    uid: e.uid,
    gid: e.gid,
    size: e.bytes,
    nlink: e.nlink,
  })
}

export function decide(s: Sources, a: ArchiveArgs, givenDest: string | undefined): Decision {
  if (s.paths.length === 0)
    throw new ModuleFailure('Error, no source paths were found', {
      ...pathFields(a.path.join(', '), s),
      path: a.path.join(', '),
      expanded_paths: s.expanded.join(', '),
      expanded_exclude_paths: s.excluded.join(', '),
    })
  const root = commonPath(s.paths)
  const first = s.entries[s.paths[0]!]
  const mustArchive = a.force_archive || a.path.some(hasGlob) || !!first?.isdir || s.paths.length > 1
  const dest = givenDest !== undefined && givenDest !== '' ? (s.dest?.path ?? givenDest) : mustArchive ? undefined : `${s.paths[0]}.${a.format}`
  // dest is None in Python, and the module's failure prints it as such
  if (dest === undefined)
    throw new ModuleFailure('Error, must specify "dest" when archiving multiple files or trees', {
      ...pathFields(a.path.join(', '), s),
      dest: 'None',
      path: a.path.join(', '),
    })
  if (a.remove)
    for (const p of s.paths)
      if (s.entries[p]?.isdir && dest.startsWith(pyJoin(p, '')))
        throw new ModuleFailure('Error, created archive can not be contained in source paths when remove=true', {
          ...pathFields(s.paths.join(', '), s),
          path: s.paths.join(', '),
        })

  const targets = s.paths.filter((p) => s.entries[p] !== undefined)
  const missing = s.paths.filter((p) => s.entries[p] === undefined)
  const patterns = (a.exclusion_patterns ?? []).map((p) => fnmatchRe(p))
  const excluded = (x: string) => patterns.some((re) => re.test(x))
  const d: Decision = {
    root,
    mustArchive,
    dest,
    targets,
    missing,
    branch: 'none',
    destState: 'absent',
    members: [],
    archived: [],
    changed: false,
    removals: [],
  }
  const old = s.dest?.exists && s.dest.readable ? s.dest.members : undefined
  if (old && 'badTar' in old) throw new ModuleFailure('tar is not a valid format')

  if (targets.length === 0) {
    if (s.dest?.exists) d.destState = isArchiveName(dest) ? 'archive' : 'compress'
    return d
  }
  const zip = a.format === 'zip'
  const unreadable: string[] = []
  // tar excludes by the member's name, zip by the source path (as the module does)
  const add = (path: string) => {
    const name = stripPrefix(root, path)
    const e = s.entries[path]!
    if (excluded(zip ? path : name)) return
    // tarfile skips sockets; a zip's directory is found by a name it does not store ("x", not "x/")
    if (!zip && e.t === 's') return
    if (zip && e.err !== undefined) {
      unreadable.push(`${path}: ${e.err}`)
      return
    }
    d.members.push({ path, name })
    if (!(zip && e.isdir)) d.archived.push(path)
  }
  const compare = (rows: unknown[][]) => {
    d.changed = !sameSets(memberSet(old), tupleSet(rows))
  }
  if (mustArchive) {
    d.branch = 'archive'
    d.destState = missing.length ? 'incomplete' : 'archive'
    for (const t of targets) {
      if (s.entries[t]!.isdir) for (const p of walkOrder(t, s)) add(p)
      else add(t)
    }
    // the module writes what it can, then fails naming every file it could not read; acplay fails before writing
    if (unreadable.length) throw new ModuleFailure(`Errors when writing archive at ${dest}: ${unreadable.join('; ')}`)
    compare(zip ? zipTuples(d.members, s.entries) : tarTuples(d.members, s.entries))
    if (a.remove) {
      const gone = d.archived.filter((p) => s.entries[p]!.ok)
      d.removals = [...gone, ...s.paths.filter((p) => s.entries[p]?.isdir)]
    }
    return d
  }
  d.branch = 'single'
  const path = s.paths[0]!
  if (zip || a.format === 'tar') {
    d.destState = 'archive'
    // a file the zip cannot read is left out without a failure (the module checks errors after a tree only)
    add(path)
    compare(zip ? zipTuples(d.members, s.entries) : tarTuples(d.members, s.entries))
  } else {
    d.destState = 'compress'
    d.members.push({ path, name: '' })
    d.archived.push(path)
    d.changed = !sameSets(memberSet(old), memberSet(s.single) ?? undefined)
    if (s.single === undefined) d.changed = true
  }
  if (a.remove) d.removals = [path]
  return d
}
