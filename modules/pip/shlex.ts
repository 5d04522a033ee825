/** Splits an option string ("--no-deps --timeout 30") into argv as a POSIX shell would, without a shell. */
export function shlexSplit(s: string): string[] {
  const out: string[] = []
  let cur = ''
  let has = false
  let q: "'" | '"' | undefined
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (q === "'") {
      if (c === "'") q = undefined
      else cur += c
    } else if (q === '"') {
      if (c === '"') q = undefined
      else if (c === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1]!)) cur += s[++i]
      else cur += c
    } else if (c === "'" || c === '"') {
      q = c
      has = true
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i]
      has = true
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur)
      cur = ''
      has = false
    } else {
      cur += c
    }
  }
  if (q) throw new Error(`unterminated ${q} quote in ${JSON.stringify(s)}`)
  if (has || cur) out.push(cur)
  return out
}
