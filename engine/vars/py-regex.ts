/** Python `re` patterns and replacements, translated to JS RegExp (the common subset). */
import { templateError } from './undefined.js'

export interface ReOpts {
  ignorecase?: unknown
  multiline?: unknown
}

export function pyRegex(pattern: string, opts: ReOpts = {}, global = true): RegExp {
  let src = String(pattern)
  let flags = global ? 'g' : ''
  // leading inline flags: (?i), (?ms), ...
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src)
  if (inline) {
    src = src.slice(inline[0].length)
    for (const f of inline[1]!) if ('ims'.includes(f) && !flags.includes(f)) flags += f
  }
  if (opts.ignorecase && !flags.includes('i')) flags += 'i'
  if (opts.multiline && !flags.includes('m')) flags += 'm'
  src = src
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$')
  try {
    return new RegExp(src, `${flags}u`)
  } catch {
    try {
      return new RegExp(src, flags)
    } catch (e) {
      throw templateError(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`)
    }
  }
}

/** re.sub: Python replacement syntax (\\1, \\g<1>, \\g<name>, \\n); count 0 means all. */
export function pySub(s: string, re: RegExp, repl: string, count = 0): string {
  let out = ''
  let last = 0
  let n = 0
  for (const m of s.matchAll(re)) {
    if (count > 0 && n++ >= count) break
    out += s.slice(last, m.index) + expand(String(repl), m)
    last = m.index + m[0].length
  }
  return out + s.slice(last)
}

function expand(repl: string, m: RegExpMatchArray): string {
  return repl.replace(/\\g<(\w+)>|\\(\d{1,2})|\\([\\nt])/g, (_x, g, d, esc) => {
    if (g !== undefined) return (/^\d+$/.test(g) ? m[Number(g)] : m.groups?.[g]) ?? ''
    if (d !== undefined) return m[Number(d)] ?? ''
    return esc === 'n' ? '\n' : esc === 't' ? '\t' : '\\'
  })
}

/** A group reference as regex_search takes it ('\\1', '\\g<name>'), as an index or name. */
export function groupRef(ref: string): number | string {
  const m = /^\\(?:g<(\w+)>|(\d+))$/.exec(String(ref))
  if (!m) throw templateError(`unknown group reference ${JSON.stringify(ref)} (use '\\\\1' or '\\\\g<name>')`)
  const g = (m[1] ?? m[2])!
  return /^\d+$/.test(g) ? Number(g) : g
}
