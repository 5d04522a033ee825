/** Reading paths for the file modules: one round trip, with check mode's effects laid over it. */
import { createHash } from 'node:crypto'
import { pathContent, pathStats, pathStatsNoAtime, type PathContent, type PathStat } from '../facts/path.js'
import type { FactEffect, ModuleContext } from '../types.js'

export interface Stats {
  user: string
  group: string
  get(path: string): PathStat
}

/**
 * stat of every path in ONE command; an effect recorded by an earlier (unapplied) task wins. A path an
 * earlier planned change makes unknown (check mode, engine/unknown.ts) is not read: `{ exists: false,
 * unknown: TASK }`, and the plan counts as having met an unknown unless it says it waits for TASK.
 */
export async function statPaths(ctx: ModuleContext, paths: string[], opts: { noatime?: boolean } = {}): Promise<Stats> {
  const all = [...new Set(paths)]
  const unknown = new Map<string, string>()
  for (const p of all) {
    const after = ctx.unknown?.('path.stat', p)
    if (after !== undefined) unknown.set(p, after)
  }
  const uniq = unknown.size ? all.filter((p) => !unknown.has(p)) : all
  const read = await ctx.fact(opts.noatime ? pathStatsNoAtime : pathStats, uniq)
  const byPath = new Map<string, PathStat>()
  for (const [p, after] of unknown) byPath.set(p, { exists: false, unknown: after })
  for (const [i, p] of uniq.entries()) byPath.set(p, (ctx.effect('path.stat', p) as PathStat | undefined) ?? read.stats[i]!)
  return { user: read.user, group: read.group, get: (p) => byPath.get(p) ?? { exists: false } }
}

export const sha256 = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex')

/** A file's content for editing (lineinfile). `unknown` when an earlier unapplied change altered it in a way we cannot replay. */
export async function readContent(ctx: ModuleContext, path: string): Promise<PathContent | 'unknown'> {
  const c = await ctx.fact(pathContent, path)
  const st = ctx.effect('path.stat', path) as PathStat | undefined
  if (!st) return c
  if (!st.exists) return { ...c, stat: st, text: undefined }
  if (st.type === 'file' && c.text !== undefined && st.sha256 === sha256(c.text)) return { ...c, stat: st }
  if (st.type !== 'file') return { ...c, stat: st, text: undefined }
  return 'unknown'
}

/** The path ancestors of an absolute path, nearest last: /a/b/c -> ['/a', '/a/b']. */
export function ancestors(path: string): string[] {
  const parts = path.split('/').filter(Boolean)
  const out: string[] = []
  for (let i = 1; i < parts.length; i++) out.push(`/${parts.slice(0, i).join('/')}`)
  return out
}

/** Effects of writing a regular file (path.stat and path.content). */
export function fileEffects(path: string, st: PathStat, text?: string): FactEffect[] {
  const effects: FactEffect[] = [{ fact: 'path.stat', key: path, value: st }]
  // binary or unknown content: no path.content effect; readers then see the checksum mismatch and say "depends on an earlier change"
  if (text !== undefined) effects.push({ fact: 'path.content', key: path, value: { user: '', group: '', stat: st, text } })
  return effects
}
