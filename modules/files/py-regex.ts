/**
 * Python regular expressions (what Ansible's lineinfile, replace and blockinfile take) as JS RegExps:
 * the syntax JS spells differently is translated, the rest is the same language. Translated:
 * (?P<name>...) and (?P=name), \A and \Z, leading global flags (?imsx...); `x` (verbose) is refused.
 * Replacement templates are expanded as Python's match.expand does.
 */

/** Python regex source -> JS RegExp; `flags` are added to the pattern's own leading (?flags). */
export function pyRegex(src: string, name: string, flags = ''): RegExp {
  let body = src
  const lead = /^\(\?([aiLmsux]+)\)/.exec(body)
  const own = new Set(flags)
  if (lead) {
    body = body.slice(lead[0].length)
    for (const f of lead[1]!) {
      if (f === 'x') throw new Error(`argument '${name}': verbose regular expressions ((?x)) are not supported`)
      if ('ims'.includes(f)) own.add(f)
    }
  }
  let js = ''
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!
    if (ch === '\\' && i + 1 < body.length) {
      const next = body[i + 1]!
      js += next === 'A' ? '(?<![\\s\\S])' : next === 'Z' ? '(?![\\s\\S])' : `\\${next}`
      i++
    } else if (body.startsWith('(?P<', i)) {
      js += '(?<'
      i += 3
    } else if (body.startsWith('(?P=', i)) {
      const end = body.indexOf(')', i)
      js += `\\k<${body.slice(i + 4, end)}>`
      i = end
    } else js += ch
  }
  try {
    return new RegExp(js, [...own].join(''))
  } catch (e) {
    throw new Error(`argument '${name}' is not a valid regular expression: ${(e as Error).message}`)
  }
}

/** Python's match.expand: \1, \g<1>, \g<name>, and \n \t \r \\ escapes; unmatched groups are empty. */
export function expand(m: RegExpExecArray, template: string): string {
  return template.replace(/\\(g<([^>]+)>|\d{1,2}|[ntr\\])/g, (_all, what: string, g?: string) => {
    if (g !== undefined) return (/^\d+$/.test(g) ? m[Number(g)] : m.groups?.[g]) ?? ''
    if (/^\d/.test(what)) return m[Number(what)] ?? ''
    return { n: '\n', t: '\t', r: '\r', '\\': '\\' }[what] ?? what
  })
}

/** Python's re.subn(pattern, template, text): every non-overlapping match replaced; the count. */
export function subn(re: RegExp, template: string, text: string): { text: string; count: number } {
  const g = re.global ? re : new RegExp(re.source, `${re.flags}g`)
  let out = ''
  let last = 0
  let count = 0
  for (const m of text.matchAll(g)) {
    out += text.slice(last, m.index) + expand(m as RegExpExecArray, template)
    last = m.index! + m[0].length
    count++
  }
  return { text: out + text.slice(last), count }
}
