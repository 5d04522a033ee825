/** "Did you mean" suggestions for mistyped keys and module names. */

export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length]!
}

/** Letters of `name` that `c` lacks: breaks ties towards a dropped letter ('taks' -> tasks, not tags). */
function missing(name: string, c: string): number {
  const pool = [...c.toLowerCase()]
  let n = 0
  for (const ch of name.toLowerCase()) {
    const i = pool.indexOf(ch)
    if (i < 0) n++
    else pool.splice(i, 1)
  }
  return n
}

/** Up to `max` candidates close to `name`, closest first; close: within a third of its length (at least 2 edits). */
export function closest(name: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3))
  return [...new Set(candidates)]
    .map((c) => ({ c, d: levenshtein(name.toLowerCase(), c.toLowerCase()) + missing(name, c) / 100 }))
    .filter((x) => Math.floor(x.d) <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map((x) => x.c)
}

export function didYouMean(name: string, candidates: Iterable<string>, max = 3): string {
  const c = closest(name, candidates, max)
  return c.length ? ` (did you mean: ${c.join(', ')}?)` : ''
}
