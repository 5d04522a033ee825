/**
 * Ansible host patterns (`hosts:` and `--limit`): `all`, `*`, group and host names, `a:b` or
 * `a,b` (union, in pattern order), `a:&b` (intersection), `a:!b` (exclusion), globs `web*`,
 * regexes `~web\d+` (matched at the start, like Python's re.match), subscripts `web[0]`,
 * `web[1:]`. A pattern that matches nothing gives [] (the CLI warns, like Ansible).
 */
import { readFileSync } from 'node:fs'
import { inventoryError, optionError } from '../errors.js'

/** What pattern matching needs to know about an inventory. */
export interface PatternView {
  /** host names in inventory order */
  hosts: string[]
  /** group names in creation order (`all` and `ungrouped` first) */
  groups: string[]
  /** all hosts of a group, its descendants' included, in Ansible's order */
  groupHosts(group: string): string[]
}

/** Names Ansible treats as an implicit localhost when the inventory does not define them. */
export const LOCALHOST = new Set(['localhost', '127.0.0.1', '::1'])

const SUBSCRIPT = /^(.+)\[(?:(-?\d+)|(\d+)([:-])(\d*))\]$/

/** `a,b` splits on commas; without commas on colons outside [...] (so ranges survive). */
export function splitPattern(pattern: string): string[] {
  const parts = pattern.includes(',') ? pattern.split(',') : (pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [])
  return parts.map((p) => p.trim()).filter(Boolean)
}

/** Hosts matching `pattern`, restricted to `limit` when given (`@file` reads one pattern a line). */
export function selectHosts(view: PatternView, pattern: string, limit?: string): string[] {
  let hosts = evaluate(view, splitPattern(pattern))
  if (limit !== undefined && limit !== '') {
    const allowed = new Set(evaluate(view, limitPatterns(limit)))
    hosts = hosts.filter((h) => allowed.has(h))
  }
  return hosts
}

/**
 * The parts of `pattern` (and of `limit`) that match no host, without their `&`/`!`: Ansible warns
 * "Could not match supplied host pattern, ignoring: X" for each (_enumerate_matches), a typo'd
 * group in `hosts: web:dbservrs` among them. `all` never warns; a subscript is left off the name.
 */
export function unmatchedPatterns(view: PatternView, pattern: string, limit?: string): string[] {
  const parts = [...splitPattern(pattern), ...(limit ? limitPatterns(limit) : [])]
  const known = new Set(view.hosts)
  const out: string[] = []
  for (const part of parts) {
    const p = part[0] === '&' || part[0] === '!' ? part.slice(1) : part
    const expr = p[0] === '~' ? p : (SUBSCRIPT.exec(p)?.[1] ?? p)
    if (expr === 'all' || known.has(expr) || enumerate(view, expr).length > 0 || out.includes(expr)) continue
    out.push(expr)
  }
  return out
}

function limitPatterns(limit: string): string[] {
  const out: string[] = []
  for (const p of splitPattern(limit)) {
    if (!p.startsWith('@')) {
      out.push(p)
      continue
    }
    let text: string
    try {
      text = readFileSync(p.slice(1), 'utf8')
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      throw optionError(code === 'EISDIR' ? `limit ${p} must be a file, not a directory` : `cannot read limit file ${p.slice(1)}: ${code ?? e}`)
    }
    out.push(
      ...text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    )
  }
  return out
}

/** Ansible's _evaluate_patterns: unions first, then every `&`, then every `!`. */
function evaluate(view: PatternView, patterns: string[]): string[] {
  const regular = patterns.filter((p) => p[0] !== '&' && p[0] !== '!')
  const ordered = [...(regular.length ? regular : ['all']), ...patterns.filter((p) => p[0] === '&'), ...patterns.filter((p) => p[0] === '!')]
  const known = new Set(view.hosts)
  let hosts: string[] = []
  for (const p of ordered) {
    if (p[0] === '!' || p[0] === '&') {
      const that = new Set(matchOne(view, p.slice(1)))
      hosts = hosts.filter((h) => (p[0] === '&' ? that.has(h) : !that.has(h)))
      continue
    }
    const seen = new Set(hosts)
    // a plain host name is that host, even when a group shares its name
    const that = known.has(p) ? [p] : matchOne(view, p)
    for (const h of that) {
      if (!seen.has(h)) {
        seen.add(h)
        hosts.push(h)
      }
    }
  }
  return hosts
}

function matchOne(view: PatternView, pattern: string): string[] {
  if (!pattern) return []
  let expr = pattern
  let sub: { start: number; end?: number } | undefined
  const m = pattern[0] === '~' ? null : SUBSCRIPT.exec(pattern)
  if (m) {
    expr = m[1]!
    sub = m[2] !== undefined ? { start: Number(m[2]) } : { start: Number(m[3]), end: m[5] ? Number(m[5]) : -1 }
  }
  const hosts = enumerate(view, expr)
  if (!sub || hosts.length === 0) return hosts
  if (sub.end === undefined) {
    const h = hosts.at(sub.start)
    if (h === undefined) throw inventoryError(`no hosts matched the subscripted pattern '${pattern}'`)
    return [h]
  }
  // Ansible's [x:y] is inclusive, and [x:] runs to the end
  const end = sub.end === -1 ? hosts.length - 1 : sub.end
  return hosts.slice(sub.start, end + 1)
}

/** Ansible's _enumerate_matches: matching groups' hosts, then hosts if no group matched or the pattern is a glob/regex. */
function enumerate(view: PatternView, pattern: string): string[] {
  const re = toRegExp(pattern)
  const out: string[] = []
  const seen = new Set<string>()
  const add = (h: string) => {
    if (!seen.has(h)) {
      seen.add(h)
      out.push(h)
    }
  }
  const groups = view.groups.filter((g) => re.test(g))
  for (const g of groups) view.groupHosts(g).forEach(add)
  if (groups.length === 0 || pattern[0] === '~' || /[.?*[]/.test(pattern)) {
    for (const h of view.hosts) if (re.test(h)) add(h)
  }
  if (out.length === 0 && LOCALHOST.has(pattern)) add(pattern)
  return out
}

function toRegExp(pattern: string): RegExp {
  if (pattern[0] === '~') {
    try {
      return new RegExp(`^(?:${pattern.slice(1)})`)
    } catch {
      throw inventoryError(`invalid host pattern (bad regular expression): ${pattern}`)
    }
  }
  return new RegExp(`^${globToRegExp(pattern)}$`, 's')
}

/** Python's fnmatch.translate: `*`, `?`, `[seq]`, `[!seq]`; everything else literal. */
function globToRegExp(glob: string): string {
  let out = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*') out += '.*'
    else if (c === '?') out += '.'
    else if (c === '[') {
      // like fnmatch, a ']' right after '[' or '[!' is part of the set
      let j = i + 1
      if (glob[j] === '!') j++
      if (glob[j] === ']') j++
      const close = glob.indexOf(']', j)
      if (close < 0) {
        out += '\\['
        continue
      }
      let body = glob.slice(i + 1, close)
      if (body.startsWith('!')) body = `^${body.slice(1)}`
      else if (body.startsWith('^')) body = `\\${body}`
      out += `[${body.replace(/\\/g, '\\\\')}]`
      i = close
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  return out
}
