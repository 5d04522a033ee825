/**
 * stat: what a path is, as Ansible's stat module reports it (`stat.exists`, `stat.isdir`,
 * `stat.checksum`, ...). Read-only: the plan is ok with the data, in check mode too. In check mode a
 * path an earlier (unapplied) task would write is reported as that task leaves it (type, mode,
 * owner; the checksum when its content is known), so `when: st.stat.exists` decides the same way
 * the run would.
 */
import { createHash } from 'node:crypto'
import { ModuleFailure } from '../engine/errors.js'
import { mkFloat } from '../engine/vars/py-value.js'
import type { PathStat } from './facts/path.js'
import { fromCwd } from './facts/home.js'
import { CHECKSUM_ALGORITHMS, pathInfo, type ChecksumAlgorithm, type PathInfo } from './facts/path-info.js'
import { defineModule, type ModuleContext } from './types.js'

// lsattr's letters, as Ansible names them (module_utils FILE_ATTRIBUTES)
const ATTRIBUTE_NAMES: Record<string, string> = {
  A: 'noatime',
  a: 'append',
  c: 'compressed',
  C: 'nocow',
  d: 'nodump',
  D: 'dirsync',
  e: 'extents',
  E: 'encrypted',
  h: 'blocksize',
  i: 'immutable',
  I: 'indexed',
  j: 'journalled',
  N: 'inline',
  s: 'zero',
  S: 'synchronous',
  t: 'notail',
  T: 'blockroot',
  u: 'undelete',
  X: 'compressedraw',
  Z: 'compresseddirty',
}

const S_IFMT = 0o170000
const TYPES = { isdir: 0o040000, ischr: 0o020000, isblk: 0o060000, isreg: 0o100000, isfifo: 0o010000, islnk: 0o120000, issock: 0o140000 }
const BITS = {
  wusr: 0o200,
  rusr: 0o400,
  xusr: 0o100,
  wgrp: 0o020,
  rgrp: 0o040,
  xgrp: 0o010,
  woth: 0o002,
  roth: 0o004,
  xoth: 0o001,
  isuid: 0o4000,
  isgid: 0o2000,
}

/**
 * The mode-derived fields of Ansible's stat output (type flags and permission bits), with `between`
 * (ids, size, times) where Ansible's format_output puts them: a registered stat prints, loops and
 * serialises its keys in Python's insertion order.
 */
export function modeFields(mode: number, between: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { mode: (mode & 0o7777).toString(8).padStart(4, '0') }
  for (const [k, t] of Object.entries(TYPES)) out[k] = (mode & S_IFMT) === t
  Object.assign(out, between)
  for (const [k, b] of Object.entries(BITS)) out[k] = (mode & b) !== 0
  return out
}

/** st_atime, st_mtime and st_ctime as Python gives them: floats, 1700000000.0 when whole (stat, find). */
export const statTimes = (r: { atime: number; mtime: number; ctime: number }) => ({ atime: mkFloat(r.atime), mtime: mkFloat(r.mtime), ctime: mkFloat(r.ctime) })

/** Ansible's `stat` dictionary from what the host reported. */
export function statOutput(path: string, info: PathInfo, o: { mime: boolean; attributes: boolean }): Record<string, unknown> {
  const r = info.raw
  if (!info.exists || !r) return { exists: false }
  const out: Record<string, unknown> = {
    exists: true,
    path,
    ...modeFields(r.mode, { uid: r.uid, gid: r.gid, size: r.size, inode: r.inode, dev: r.dev, nlink: r.nlink, ...statTimes(r) }),
    blocks: r.blocks,
    block_size: r.blockSize,
    device_type: r.rdev,
    readable: info.readable,
    writeable: info.writeable,
    executable: info.executable,
  }
  if (info.linkTarget !== undefined) {
    out.lnk_source = info.linkSource
    out.lnk_target = info.linkTarget
  }
  if (r.owner !== undefined) out.pw_name = r.owner
  if (r.group !== undefined) out.gr_name = r.group
  if (info.checksum !== undefined) out.checksum = info.checksum
  if (o.mime) {
    const [type, charset] = (info.mime ?? '').split(';')
    const cs = charset?.split('=')[1]
    out.mimetype = info.mime && cs !== undefined ? type!.trim() : 'unknown'
    out.charset = info.mime && cs !== undefined ? cs.trim() : 'unknown'
  }
  if (o.attributes) {
    const [version, flags] = (info.lsattr ?? '').trim().split(/\s+/)
    const attrFlags = info.lsattr ? (flags ?? '').replace(/-/g, '') : ''
    out.version = info.lsattr ? version : null
    out.attributes = [...attrFlags].flatMap((c) => (ATTRIBUTE_NAMES[c] ? [ATTRIBUTE_NAMES[c]] : []))
    out.attr_flags = attrFlags
  }
  return out
}

const TYPE_MODE: Record<string, number> = { file: 0o100000, directory: 0o040000, link: 0o120000 }

/** In check mode: a path an earlier unapplied task would write, as that task leaves it. */
function fromEffect(ctx: ModuleContext, path: string, algorithm: ChecksumAlgorithm | undefined): Record<string, unknown> | undefined {
  const st = ctx.effect('path.stat', path) as PathStat | undefined
  if (!st) return undefined
  if (!st.exists) return { exists: false }
  const out: Record<string, unknown> = { exists: true, path, ...modeFields((TYPE_MODE[st.type ?? ''] ?? 0) | parseInt(st.mode ?? '0', 8)) }
  if (st.owner) out.pw_name = st.owner
  if (st.group) out.gr_name = st.group
  if (st.size !== undefined) out.size = st.size
  if (st.linkTarget !== undefined) out.lnk_target = st.linkTarget
  const text = (ctx.effect('path.content', path) as { text?: string } | undefined)?.text
  if (algorithm && st.type === 'file') {
    if (text !== undefined) out.checksum = createHash(algorithm).update(text).digest('hex')
    else if (algorithm === 'sha256' && st.sha256) out.checksum = st.sha256
  }
  return out
}

/** The result in Ansible's key order (`exit_json(changed=False, stat=...)`): a loop label over registered results prints it so. */
const statResult = (stat: Record<string, unknown>) => ({ changed: false, stat })

function describe(path: string, s: Record<string, unknown>): string {
  if (!s.exists) return `${path} does not exist`
  const type = s.isdir ? 'directory' : s.isreg ? 'file' : s.islnk ? `link to ${s.lnk_target}` : 'special file'
  return `${path} exists (${type}, mode ${s.mode}, owner ${s.pw_name ?? s.uid}:${s.gr_name ?? s.gid})`
}

export const stat = defineModule({
  name: 'stat',
  aliases: ['ansible.builtin.stat'],
  summary: 'Retrieve file or file system status',
  description:
    "Reports a path's stat(2) fields as Ansible's stat does: exists, type flags (isdir, isreg, islnk, ...), mode, owner, size, times, " +
    'access for the task user, a checksum, the mime type (file) and attributes (lsattr). Never changes anything. ' +
    'In check mode a path an earlier task would write is reported as that task would leave it.',
  // in Ansible's order: a registered loop item's invocation lists them so (a loop label over the results shows it)
  params: {
    path: { type: 'path', required: true, aliases: ['dest', 'name'], description: 'The full path of the file/object to get the facts of.' },
    follow: { type: 'bool', default: false, description: 'Whether to follow symlinks.' },
    get_md5: { type: 'bool', default: false, description: 'Also return the md5 of a file (undocumented in Ansible since 2.9; kept for old playbooks).' },
    get_checksum: { type: 'bool', default: true, description: 'Whether to return a checksum of the file (regular, readable files).' },
    get_mime: {
      type: 'bool',
      default: true,
      aliases: ['mime', 'mime_type', 'mime-type'],
      description: 'Use file magic (the `file` tool) to return mimetype and charset.',
    },
    get_attributes: {
      type: 'bool',
      default: true,
      aliases: ['attr', 'attributes'],
      description: 'Get file attributes using lsattr (version, attributes, attr_flags).',
    },
    checksum_algorithm: {
      type: 'str',
      default: 'sha1',
      choices: CHECKSUM_ALGORITHMS,
      aliases: ['checksum', 'checksum_algo'],
      description: 'Algorithm of the checksum.',
    },
  },
  returns: {
    stat:
      'dictionary: exists, path, mode, isdir, isreg, islnk, ischr, isblk, isfifo, issock, uid, gid, pw_name, gr_name, size, inode, dev, nlink, atime, mtime, ctime, ' +
      'blocks, block_size, device_type, readable, writeable, executable, r/w/x usr/grp/oth, isuid, isgid, lnk_source, lnk_target (links), checksum, ' +
      'mimetype, charset, version, attributes, attr_flags',
  },
  examples: `
- name: Is the config there?
  stat:
    path: /etc/airflow/airflow.cfg
  register: cfg

- name: Initialise only when it is not
  command: /opt/airflow/bin/airflow db init
  when: not cfg.stat.exists
`,
  async plan(p, ctx) {
    // a relative path is read from the module's working directory; the result names it as given, as Ansible's
    const path = await fromCwd(ctx, p.path)
    const algorithm = p.get_checksum ? (p.checksum_algorithm as ChecksumAlgorithm) : undefined
    const shown = { mime: p.get_mime, attributes: p.get_attributes }
    const predicted = ctx.check && !p.follow ? fromEffect(ctx, path, algorithm) : undefined
    if (predicted) return { kind: 'ok', reason: `${describe(p.path, predicted)}, as an earlier task would leave it`, data: statResult(predicted) }
    const [info, md5] = await Promise.all([
      ctx.fact(pathInfo, path, { follow: p.follow, checksum: algorithm, mime: p.get_mime, attributes: p.get_attributes }),
      p.get_md5 ? ctx.fact(pathInfo, path, { follow: p.follow, checksum: 'md5', mime: false, attributes: false }) : undefined,
    ])
    if (info.error) throw new ModuleFailure(info.error)
    const s = statOutput(p.path, info, shown)
    if (md5 && s.isreg && s.readable) s.md5 = md5.checksum ?? null
    return { kind: 'ok', reason: describe(p.path, s), data: statResult(s) }
  },
})
