/**
 * The Masker knows this run's secret values only. When a secret is rotated, the host's file still
 * holds the OLD value, and the "-" side of a diff would print it. After masking, a line of the new
 * content that held a secret reads `password=********`; a line of the old content with the same
 * text around the secret (`password=old-value`) is masked as `password=********(old)`, so the diff
 * still shows that the secret changes. A line that is a secret as a whole masks every old line it
 * could be: over-masking a diff is the safe side.
 */
import { MASK, type Masker } from '../secrets.js'

export const OLD_MASK = `${MASK}(old)`
import type { HostResult } from './types.js'

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Old secret values are learnt only from lines with some text of their own around the secret (`password=`), never a bare one. */
const CONTEXT = /[A-Za-z0-9].*[A-Za-z0-9]|[A-Za-z0-9]{2}/

/**
 * `before` with every line that matches a masked line of `after` masked the same way. `onOld` is
 * told each old value found where a secret stands in a line with context (`password=OLD`).
 */
export function maskOldSecrets(before: string, after: string, onOld?: (value: string) => void): string {
  const masked = [...new Set(after.split('\n').filter((l) => l.includes(MASK)))]
  if (masked.length === 0) return before
  const patterns = masked.map((l) => {
    const parts = l.split(MASK)
    return { re: new RegExp(`^${parts.map(escapeRegExp).join('(.+?)')}$`, 's'), old: parts.join(OLD_MASK), learn: CONTEXT.test(parts.join('')) }
  })
  return before
    .split('\n')
    .map((line) => {
      if (line.includes(MASK)) return line
      for (const p of patterns) {
        const m = p.re.exec(line)
        if (!m) continue
        if (p.learn && onOld) for (const v of m.slice(1)) onOld(v)
        return p.old
      }
      return line
    })
    .join('\n')
}

/** A masked result whose diffs' old sides are masked like their new sides. */
export function maskResultDiffs<T extends HostResult>(r: T, onOld?: (value: string) => void): T {
  if (!r.changes.some((c) => c.diff)) return r
  return { ...r, changes: r.changes.map((c) => (c.diff ? { ...c, diff: { ...c.diff, before: maskOldSecrets(c.diff.before, c.diff.after, onOld) } } : c)) }
}

/**
 * A result as output may show it: every known secret masked, diffs' old sides too; an old value of
 * a rotated secret found there is a secret from then on, masked everywhere (this result included).
 */
export function maskResult<T extends HostResult>(masker: Masker, r: T): T {
  let learnt = false
  const once = maskResultDiffs(masker.maskDeep(r), (old) => {
    masker.add(old)
    learnt = true
  })
  return learnt ? masker.maskDeep(once) : once
}
