/** Before/after text for --diff: binary and large files get a note instead of their bytes; secrets never show. */
import { pathContent } from '../facts/path.js'
import type { PathStat } from '../facts/path.js'
import type { FileDiff, ModuleContext } from '../types.js'

export const DIFF_MAX = 256 * 1024

/** One side of a diff: the bytes, or only the size of a file too large to show (never read for it). */
export type DiffBytes = Buffer | { size: number }

function shown(b: DiffBytes | undefined, what: string): string {
  if (!b) return ''
  const size = Buffer.isBuffer(b) ? b.length : b.size
  if (size > DIFF_MAX || !Buffer.isBuffer(b)) return `(${what} content not shown: ${Math.ceil(size / 1024)} KiB > 256 KiB)\n`
  if (b.includes(0)) return `(${what} content not shown: binary)\n`
  return b.toString('utf8')
}

export function contentDiff(
  path: string,
  before: DiffBytes | undefined,
  after: DiffBytes | undefined,
  opts: { secret?: boolean; attrs?: Record<string, [string, string]> } = {},
): FileDiff {
  const d: FileDiff = opts.secret
    ? { path, before: before ? '(secret: content not shown)\n' : '', after: '(secret: content not shown)\n' }
    : { path, before: shown(before, 'old'), after: shown(after, 'new') }
  if (opts.attrs && Object.keys(opts.attrs).length) d.attrs = opts.attrs
  return d
}

/** The current content of `path` for a diff (only asked when --diff is on and the content changes: one extra read). */
export async function currentBytes(ctx: ModuleContext, path: string, st: PathStat): Promise<DiffBytes | undefined> {
  if (!st.exists || st.type !== 'file') return undefined
  const earlier = ctx.effect('path.content', path) as { text?: string } | undefined
  if (earlier?.text !== undefined) return Buffer.from(earlier.text)
  if ((st.size ?? 0) > DIFF_MAX) return { size: st.size! }
  const out = await ctx.run(pathContent.command(path))
  try {
    const c = pathContent.parse(out, path)
    return c.text === undefined ? undefined : Buffer.from(c.text)
  } catch {
    return undefined
  }
}
