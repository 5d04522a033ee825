/**
 * The Masker knows this run's secret values only. When a secret is rotated, the host's file still
 * holds the OLD value, and the "-" side of a diff would print it. After masking, a line of the new
 * content that held a secret reads `password=********`; a line of the old content with the same
 * text around the secret (`password=old-value`) is masked as `password=********(old)`, so the diff
 * still shows that the secret changes. A line that is a secret as a whole masks every old line it
 * could be: over-masking a diff is the safe side.
 */
import { MASK } from '../secrets.js'

export const OLD_MASK = `${MASK}(old)`
import type { HostResult } from './types.js'

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** `before` with every line that matches a masked line of `after` masked the same way. */
export function maskOldSecrets(before: string, after: string): string {
  const masked = [...new Set(after.split('\n').filter((l) => l.includes(MASK)))]
  if (masked.length === 0) return before
  const patterns = masked.map((l) => ({ re: new RegExp(`^${l.split(MASK).map(escapeRegExp).join('.+?')}$`, 's'), old: l.split(MASK).join(OLD_MASK) }))
  return before
    .split('\n')
    .map((line) => (line.includes(MASK) ? line : (patterns.find((p) => p.re.test(line))?.old ?? line)))
    .join('\n')
}

/** A masked result whose diffs' old sides are masked like their new sides. */
export function maskResultDiffs<T extends HostResult>(r: T): T {
  if (!r.changes.some((c) => c.diff)) return r
  return { ...r, changes: r.changes.map((c) => (c.diff ? { ...c, diff: { ...c.diff, before: maskOldSecrets(c.diff.before, c.diff.after) } } : c)) }
}
