/**
 * Splits a command line like Python's shlex.split (POSIX mode, no comments), as Ansible does for
 * command, validate and extra_args. The inverse of shellJoin.
 */
export function shlexSplit(s: string): string[] {
  return words(s).map((w) => w.word)
}

/** The first word of a command line and the text after it, as written (script's "path args..."). */
export function firstWord(s: string): { word: string; rest: string } | undefined {
  const first = words(s)[0]
  return first && { word: first.word, rest: s.slice(first.end) }
}

/** Each word with the index just past its last character. */
function words(s: string): { word: string; end: number }[] {
  const out: { word: string; end: number }[] = []
  let cur = ''
  let inWord = false
  let i = 0
  while (i < s.length) {
    const c = s[i]!
    if (/\s/.test(c)) {
      if (inWord) out.push({ word: cur, end: i })
      cur = ''
      inWord = false
      i++
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1)
      if (end < 0) throw new Error("no closing quotation (unbalanced ')")
      cur += s.slice(i + 1, end)
      inWord = true
      i = end + 1
    } else if (c === '"') {
      inWord = true
      i++
      for (;;) {
        if (i >= s.length) throw new Error('no closing quotation (unbalanced ")')
        const d = s[i]!
        if (d === '"') break
        if (d === '\\' && i + 1 < s.length && '\\"$`\n'.includes(s[i + 1]!)) {
          cur += s[i + 1]
          i += 2
        } else {
          cur += d
          i++
        }
      }
      i++
    } else if (c === '\\') {
      if (i + 1 >= s.length) throw new Error('no escaped character (trailing backslash)')
      cur += s[i + 1]
      inWord = true
      i += 2
    } else {
      cur += c
      inWord = true
      i++
    }
  }
  if (inWord) out.push({ word: cur, end: s.length })
  return out
}
