/**
 * Python `re` patterns and replacements, translated to JS RegExp: `(?P<name>)`, `(?P=name)`,
 * leading inline flags `(?i)`, `\A` `\Z`, Python's `$` (also before a final newline), and Unicode
 * `\d \w \s` as Python's str patterns have them.
 */
import { templateError } from './undefined.js'

export interface ReOpts {
  ignorecase?: unknown
  multiline?: unknown
}

const W = '\\p{L}\\p{N}_'
const S = '\\s'
const D = '\\p{Nd}'

/** Walks the pattern once, rewriting what differs; character classes are kept apart. */
function translate(src: string, multiline: boolean): string {
  let out = ''
  let inClass = false
  for (let i = 0; i < src.length; i++) {
    const c = src[i]
    if (c === '\\') {
      const n = src[i + 1]
      i++
      if (n === undefined) throw new Error('bad escape (end of pattern)')
      if (n === 'd') out += inClass ? D : `[${D}]`
      else if (n === 'D') out += inClass ? '\\D' : `[^${D}]`
      else if (n === 'w') out += inClass ? W : `[${W}]`
      else if (n === 'W') out += inClass ? '\\W' : `[^${W}]`
      else if (n === 's') out += S
      else if (n === 'A' && !inClass) out += '(?<![\\s\\S])'
      else if (n === 'Z' && !inClass) out += '(?![\\s\\S])'
      else if (n === 'b' && inClass) out += '\\x08'
      else if (/[0-9]/.test(n) && !inClass) {
        // \1 backreference or octal escape
        let digits = n
        while (digits.length < 2 && /[0-9]/.test(src[i + 1] ?? '')) digits += src[++i]
        out += `\\${digits}`
      } else if (/[a-zA-Z]/.test(n) && !'tnrfvxuUNbBaS'.includes(n)) throw new Error(`bad escape \\${n}`)
      else if (n === 'a') out += '\\x07'
      else if (n === 'U') {
        out += `\\u{${src.slice(i + 1, i + 9)}}`
        i += 8
      } else if (/[a-zA-Z0-9]/.test(n)) out += `\\${n}`
      else out += '^$\\.*+?()[]{}|/'.includes(n) ? `\\${n}` : n === '-' && inClass ? '\\-' : n
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      out += c === '[' ? '\\[' : c
      continue
    }
    if (c === '[') {
      inClass = true
      out += c
      // a ']' right after '[' or '[^' is a literal in Python
      if (src[i + 1] === '^') {
        out += '^'
        i++
      }
      if (src[i + 1] === ']') {
        out += '\\]'
        i++
      }
      continue
    }
    if (c === '$') {
      out += multiline ? '$' : '(?=\\n?(?![\\s\\S]))'
      continue
    }
    if (c === '(' && src[i + 1] === '?') {
      const named = /^\(\?P<(\w+)>/.exec(src.slice(i))
      if (named) {
        out += `(?<${named[1]}>`
        i += named[0].length - 1
        continue
      }
      const backref = /^\(\?P=(\w+)\)/.exec(src.slice(i))
      if (backref) {
        out += `\\k<${backref[1]}>`
        i += backref[0].length - 1
        continue
      }
      const comment = /^\(\?#[^)]*\)/.exec(src.slice(i))
      if (comment) {
        i += comment[0].length - 1
        continue
      }
    }
    if (c === '{') {
      const q = /^\{(\d+(,\d*)?|,\d+)\}/.exec(src.slice(i))
      out += q ? q[0].replace('{,', '{0,') : '\\{'
      if (q) i += q[0].length - 1
      continue
    }
    if (c === '}') {
      out += '\\}'
      continue
    }
    out += c
  }
  return out
}

export function pyRegex(pattern: string, opts: ReOpts = {}, global = true): RegExp {
  let src = String(pattern)
  let flags = global ? 'gu' : 'u'
  // leading inline flags: (?i), (?ms), ...
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src)
  if (inline) {
    src = src.slice(inline[0].length)
    for (const f of inline[1]!) if ('ims'.includes(f) && !flags.includes(f)) flags += f
  }
  if (opts.ignorecase && !flags.includes('i')) flags += 'i'
  if (opts.multiline && !flags.includes('m')) flags += 'm'
  try {
    return new RegExp(translate(src, flags.includes('m')), flags)
  } catch (e) {
    throw templateError(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`)
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
  return repl.replace(/\\g<(\w+)>|\\(\d{1,2})|\\([\s\S])/g, (_x, g, d, esc: string | undefined) => {
    if (g !== undefined) {
      const v = /^\d+$/.test(g) ? m[Number(g)] : m.groups?.[g]
      if (/^\d+$/.test(g) ? Number(g) >= m.length : !m.groups || !(g in m.groups)) throw templateError(`invalid group reference ${g}`)
      return v ?? ''
    }
    if (d !== undefined) {
      if (Number(d) >= m.length) throw templateError(`invalid group reference ${d}`)
      return m[Number(d)] ?? ''
    }
    const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' }
    if (esc !== undefined && Object.hasOwn(escapes, esc)) return escapes[esc]!
    if (esc !== undefined && /[a-zA-Z]/.test(esc)) throw templateError(`bad escape \\${esc}`)
    return `\\${esc}`
  })
}

/** A group reference as regex_search takes it ('\\1', '\\g<name>'), as an index or name. */
export function groupRef(ref: string): number | string {
  const m = /^\\(?:g<(\S+)>|(\d+))/.exec(String(ref))
  if (!m) throw templateError('Unknown argument')
  const g = (m[1] ?? m[2])! // one of the two alternatives matched
  return /^\d+$/.test(g) ? Number(g) : g
}

/** re.escape (Python 3.7+: only the characters special in patterns). */
export const reEscape = (s: string) => s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, '\\$&')
