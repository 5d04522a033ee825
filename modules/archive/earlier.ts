/**
 * Check mode: the sources as they will be once the earlier tasks of the run (planned, not applied)
 * have written or removed what their effects say (path.stat). A path an earlier task writes gets
 * an unknown mtime (it is written at run time), so a tar holding it surely differs; its content is
 * known when the effect says it (copy, template: the sha256), which is what a zip (CRC of the
 * content) and a compressed file (the content) are compared by. A file an earlier task creates in
 * a source directory (or that matches a glob) joins the sources, its directory's mtime changes too.
 */
import { posix } from 'node:path'
import { fnmatchRe } from '../../engine/vars/py-path.js'
import type { SourceEntry, Sources } from '../facts/archive-sources.js'
import type { PathStat } from '../facts/path.js'
import { byBytes } from './decide.js'

const MAGIC = /[*?]/

/** Whether `path` is one of glob.glob(pattern)'s answers by its name (each component matched; `*` never matches a leading dot). */
export function globMatches(pattern: string, path: string): boolean {
  const pp = pattern.split('/')
  const xp = path.split('/')
  if (pp.length !== xp.length) return false
  return pp.every((c, i) => {
    const x = xp[i]!
    if (!/[*?[]/.test(c)) return c === x
    if (x.startsWith('.') && !c.startsWith('.')) return false
    return fnmatchRe(c).test(x)
  })
}

function entryOf(st: PathStat, before: SourceEntry | undefined): SourceEntry {
  const t = st.type === 'file' ? 'f' : st.type === 'directory' ? 'd' : st.type === 'link' ? 'l' : 'p'
  const isdir = st.type === 'directory' || (st.type === 'link' && st.target?.type === 'directory')
  const sameContent = before?.sha !== undefined && st.sha256 === before.sha
  return {
    t,
    mode: st.mode !== undefined ? parseInt(st.mode, 8) : (before?.mode ?? 0o644),
    uid: st.uid ?? before?.uid ?? Number.NaN,
    gid: st.gid ?? before?.gid ?? Number.NaN,
    uname: st.owner ?? before?.uname ?? '',
    gname: st.group ?? before?.gname ?? '',
    size: t === 'f' ? (st.size ?? Number.NaN) : 0,
    bytes: st.size ?? 0,
    mt: null,
    ino: before?.ino ?? 0,
    dev: before?.dev ?? 0,
    nlink: st.nlink ?? 1,
    isdir,
    ok: true,
    link: st.linkTarget,
    crc: sameContent ? before?.crc : undefined,
    sha: st.sha256,
  }
}

const below = (path: string, dir: string) => path.startsWith(dir.endsWith('/') ? dir : `${dir}/`)

/**
 * Lays the earlier tasks' path.stat effects over `s` (a copy: the fact's answer is not changed).
 * `paths`/`excludes`: the task's arguments. Returns the changed view and whether any effect applied.
 */
export function withEarlier(
  s: Sources,
  args: { paths: string[]; excludes: string[]; single: boolean },
  effects: [string, PathStat][],
): { sources: Sources; applied: boolean } {
  const out: Sources = structuredClone(s)
  let applied = false
  const relistExpansions = (inputs: string[], list: string[]) => {
    for (const pattern of inputs) {
      if (!MAGIC.test(pattern)) continue
      for (const [key, st] of effects) {
        if (!globMatches(pattern, key)) continue
        const at = list.indexOf(key)
        if (st.exists && at < 0) list.push(key)
        if (!st.exists && at >= 0) list.splice(at, 1)
        applied = true
      }
    }
  }
  relistExpansions(args.paths, out.expanded)
  relistExpansions(args.excludes, out.excluded)
  const excluded = new Set(out.excluded)
  out.paths = [...new Set(out.expanded)].filter((p) => !excluded.has(p)).sort(byBytes)

  // parents first: a directory created before the files in it
  for (const [key, st] of [...effects].sort((a, b) => a[0].length - b[0].length)) {
    const source = out.paths.find((p) => p === key || (below(key, p) && (out.entries[p]?.isdir || out.walks[p] !== undefined)))
    if (source === undefined) continue
    applied = true
    if (!st.exists) {
      for (const k of Object.keys(out.entries)) if (k === key || below(k, key)) delete out.entries[k]
      for (const k of Object.keys(out.walks)) if (k === key || below(k, key)) delete out.walks[k]
      unlist(out, key)
      continue
    }
    if (key !== source) ensureParents(out, source, key)
    out.entries[key] = entryOf(st, out.entries[key])
    if (key !== source) list(out, key)
    if (out.entries[key]!.isdir && st.type !== 'link') out.walks[key] ??= []
  }
  if (args.single && out.paths.length === 1) {
    const e = out.entries[out.paths[0]!]
    if (e && e.mt === null) out.single = e.sha ? { stream: e.sha } : undefined
  }
  return { sources: out, applied }
}

function parentOf(key: string): string {
  const d = posix.dirname(key)
  return d
}

/** The walk's listing of key's directory (matched with or without a trailing slash). */
function listing(s: Sources, dir: string): [string, string[]] | undefined {
  for (const k of [dir, `${dir}/`]) if (s.walks[k]) return [k, s.walks[k]!]
  return undefined
}

function list(s: Sources, key: string) {
  const l = listing(s, parentOf(key))
  if (!l) return
  const name = posix.basename(key)
  if (!l[1].includes(name)) {
    l[1].push(name)
    const parent = s.entries[l[0]]
    if (parent) parent.mt = null
  }
}

function unlist(s: Sources, key: string) {
  const l = listing(s, parentOf(key))
  if (!l) return
  const at = l[1].indexOf(posix.basename(key))
  if (at >= 0) {
    l[1].splice(at, 1)
    const parent = s.entries[l[0]]
    if (parent) parent.mt = null
  }
}

/** Directories between a source directory and a new path below it, made as an earlier task's mkdir would. */
function ensureParents(s: Sources, source: string, key: string) {
  const chain: string[] = []
  for (let d = parentOf(key); below(d, source); d = parentOf(d)) chain.unshift(d)
  for (const d of chain) {
    if (s.entries[d]) continue
    s.entries[d] = entryOf({ exists: true, type: 'directory', mode: '0755' }, undefined)
    list(s, d)
    s.walks[d] = []
  }
}
