/**
 * What a run keeps of its results for the recap and the reports stays bounded however large the
 * fleet. A result is small (status, summaries) except its diffs (each side capped at 256 KiB, made
 * with --diff only, so always with `acplay check`) and its messages; over a thousand hosts those
 * add up (a 100 KiB file drifted everywhere: 200 MB). So large texts are kept once when equal (a
 * fleet's drift is usually the same change on every host), and past a run-wide budget of distinct
 * large text a result keeps a note instead; summaries, statuses and the recap are always whole.
 */
import type { HostResult } from './types.js'

/** Texts shorter than this are kept as they are. */
const LARGE = 1024
export const RETAIN_BUDGET = 64 * 2 ** 20

const kib = (n: number) => (n >= 2 ** 20 ? `${Math.round(n / 2 ** 20)} MiB` : `${Math.ceil(n / 1024)} KiB`)

export class Retainer {
  private readonly kept = new Map<string, string>()
  private used = 0

  constructor(readonly budget = RETAIN_BUDGET) {}

  /** The text, the equal one already kept, or a note once the budget is spent. */
  text(s: string, what: string): string {
    if (s.length < LARGE) return s
    const known = this.kept.get(s)
    if (known !== undefined) return known
    if (this.used + s.length > this.budget) {
      return `(${what} not kept: ${kib(s.length)}, and this run already keeps ${kib(this.budget)} of distinct diffs and messages)\n`
    }
    this.used += s.length
    this.kept.set(s, s)
    return s
  }

  /** The result as the run keeps and reports it. */
  result<T extends HostResult>(r: T): T {
    const large = (s: string | undefined) => s !== undefined && s.length >= LARGE
    if (!large(r.msg) && !r.changes.some((c) => c.diff && (large(c.diff.before) || large(c.diff.after)))) return r
    return {
      ...r,
      msg: r.msg === undefined ? undefined : this.text(r.msg, 'message'),
      changes: r.changes.map((c) =>
        c.diff ? { ...c, diff: { ...c.diff, before: this.text(c.diff.before, 'old content'), after: this.text(c.diff.after, 'new content') } } : c,
      ),
    }
  }
}
