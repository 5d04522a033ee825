/**
 * Python's difflib.unified_diff, as ansible-playbook's callback prints `--diff` (_get_diff): the
 * same matching (SequenceMatcher: the longest matching block first, then recursively on each side;
 * with its "popular" heuristic for 200 lines and more), the same hunks and the same ranges
 * (`@@ -0,0 +1 @@` for one line). A last line without a newline carries
 * `\ No newline at end of file` inside it, as Ansible appends it before diffing.
 */

type Opcode = [tag: 'equal' | 'replace' | 'delete' | 'insert', i1: number, i2: number, j1: number, j2: number]

/** str.splitlines(True) for \n and \r\n ends; the last line without one gets Ansible's note. */
export function diffLines(text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? []
  const last = lines.length - 1
  if (last >= 0 && !lines[last]!.endsWith('\n')) lines[last] += '\n\\ No newline at end of file\n'
  return lines
}

/** SequenceMatcher(None, a, b).get_matching_blocks(): [i, j, size] ascending, ending with [la, lb, 0]. */
function matchingBlocks(a: readonly string[], b: readonly string[]): [number, number, number][] {
  const b2j = new Map<string, number[]>()
  b.forEach((line, j) => {
    const at = b2j.get(line)
    if (at) at.push(j)
    else b2j.set(line, [j])
  })
  // autojunk: in 200 lines or more, a line found in more than 1% + 1 of them is not a match start
  if (b.length >= 200) {
    const ntest = Math.floor(b.length / 100) + 1
    for (const [line, at] of [...b2j]) if (at.length > ntest) b2j.delete(line)
  }
  const longest = (alo: number, ahi: number, blo: number, bhi: number): [number, number, number] => {
    let [besti, bestj, bestsize] = [alo, blo, 0]
    let j2len = new Map<number, number>()
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>()
      for (const j of b2j.get(a[i]!) ?? []) {
        if (j < blo) continue
        if (j >= bhi) break
        const k = (j2len.get(j - 1) ?? 0) + 1
        next.set(j, k)
        if (k > bestsize) [besti, bestj, bestsize] = [i - k + 1, j - k + 1, k]
      }
      j2len = next
    }
    // extended over equal lines on both ends (popular lines included: they are not junk)
    while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) [besti, bestj, bestsize] = [besti - 1, bestj - 1, bestsize + 1]
    while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++
    return [besti, bestj, bestsize]
  }
  const found: [number, number, number][] = []
  const queue: [number, number, number, number][] = [[0, a.length, 0, b.length]]
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop()!
    const [i, j, k] = longest(alo, ahi, blo, bhi)
    if (!k) continue
    found.push([i, j, k])
    if (alo < i && blo < j) queue.push([alo, i, blo, j])
    if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi])
  }
  found.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2])
  const blocks: [number, number, number][] = []
  let [i1, j1, k1] = [0, 0, 0]
  for (const [i2, j2, k2] of found) {
    if (i1 + k1 === i2 && j1 + k1 === j2) k1 += k2
    else {
      if (k1) blocks.push([i1, j1, k1])
      ;[i1, j1, k1] = [i2, j2, k2]
    }
  }
  if (k1) blocks.push([i1, j1, k1])
  blocks.push([a.length, b.length, 0])
  return blocks
}

function opcodes(a: readonly string[], b: readonly string[]): Opcode[] {
  const out: Opcode[] = []
  let [i, j] = [0, 0]
  for (const [ai, bj, size] of matchingBlocks(a, b)) {
    const tag = i < ai && j < bj ? 'replace' : i < ai ? 'delete' : j < bj ? 'insert' : undefined
    if (tag) out.push([tag, i, ai, j, bj])
    ;[i, j] = [ai + size, bj + size]
    if (size) out.push(['equal', ai, i, bj, j])
  }
  return out
}

/** get_grouped_opcodes(n): the changes with n lines of context, apart where more than 2n lines are equal. */
function groupedOpcodes(a: readonly string[], b: readonly string[], n: number): Opcode[][] {
  const codes = opcodes(a, b)
  if (!codes.length) codes.push(['equal', 0, 1, 0, 1])
  const first = codes[0]!
  if (first[0] === 'equal') codes[0] = ['equal', Math.max(first[1], first[2] - n), first[2], Math.max(first[3], first[4] - n), first[4]]
  const last = codes[codes.length - 1]!
  if (last[0] === 'equal') codes[codes.length - 1] = ['equal', last[1], Math.min(last[2], last[1] + n), last[3], Math.min(last[4], last[3] + n)]
  const groups: Opcode[][] = []
  let group: Opcode[] = []
  for (const code of codes) {
    let [tag, i1, i2, j1, j2] = code
    if (tag === 'equal' && i2 - i1 > 2 * n) {
      group.push([tag, i1, Math.min(i2, i1 + n), j1, Math.min(j2, j1 + n)])
      groups.push(group)
      group = []
      ;[i1, j1] = [Math.max(i1, i2 - n), Math.max(j1, j2 - n)]
    }
    group.push([tag, i1, i2, j1, j2])
  }
  if (group.length && !(group.length === 1 && group[0]![0] === 'equal')) groups.push(group)
  return groups
}

/** _format_range_unified: `START,LENGTH`, `START` alone for one line, the line before for none. */
function range(start: number, stop: number): string {
  const length = stop - start
  if (length === 1) return `${start + 1}`
  return `${length ? start + 1 : start},${length}`
}

/** The unified diff's lines (each ends with a newline), none when the texts are equal. */
export function unifiedDiff(before: string, after: string, fromFile: string, toFile: string, n = 3): string[] {
  const a = diffLines(before)
  const b = diffLines(after)
  const out: string[] = []
  for (const group of groupedOpcodes(a, b, n)) {
    if (!out.length) out.push(`--- ${fromFile}\n`, `+++ ${toFile}\n`)
    const [first, last] = [group[0]!, group[group.length - 1]!]
    out.push(`@@ -${range(first[1], last[2])} +${range(first[3], last[4])} @@\n`)
    for (const [tag, i1, i2, j1, j2] of group) {
      if (tag === 'equal') for (const l of a.slice(i1, i2)) out.push(` ${l}`)
      if (tag === 'replace' || tag === 'delete') for (const l of a.slice(i1, i2)) out.push(`-${l}`)
      if (tag === 'replace' || tag === 'insert') for (const l of b.slice(j1, j2)) out.push(`+${l}`)
    }
  }
  return out
}

/**
 * A file's content diff as printed lines (no newline ends), under `before: PATH` / `after: PATH`;
 * an empty path: a module's own before/after dicts, under Ansible's bare `before` / `after`.
 */
export function contentDiffLines(path: string, before: string, after: string, n = 3): string[] {
  const lines = unifiedDiff(before, after, path ? `before: ${path}` : 'before', path ? `after: ${path}` : 'after', n)
  return lines.length ? lines.join('').replace(/\n$/, '').split('\n') : []
}
