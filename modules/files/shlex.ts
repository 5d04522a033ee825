/** Splits a command line like Python's shlex.split (POSIX mode), as Ansible does for `validate`. */
export function shlexSplit(text: string): string[] {
  const out: string[] = []
  let cur = ''
  let inWord = false
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (c === "'") {
      const end = text.indexOf("'", i + 1)
      if (end < 0) throw new Error(`unterminated ' in ${JSON.stringify(text)}`)
      cur += text.slice(i + 1, end)
      inWord = true
      i = end + 1
    } else if (c === '"') {
      i++
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '\\"$`\n'.includes(text[i + 1]!)) i++
        cur += text[i++]
      }
      if (i >= text.length) throw new Error(`unterminated " in ${JSON.stringify(text)}`)
      inWord = true
      i++
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[i + 1]
      inWord = true
      i += 2
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur)
      cur = ''
      inWord = false
      i++
    } else {
      cur += c
      inWord = true
      i++
    }
  }
  if (inWord) out.push(cur)
  return out
}
