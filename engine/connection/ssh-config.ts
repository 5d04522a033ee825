/**
 * OpenSSH client configuration (ssh_config(5)) as ssh reads it for the host string Ansible hands it:
 * `Host` blocks (several patterns, `*`, `?`, `!negated`), options before the first block apply to
 * every host, the first value obtained for a key wins (IdentityFile accumulates), `Include` (globs,
 * relative to ~/.ssh or /etc/ssh). `Match all` and `Match [original]host` are applied; other `Match`
 * criteria are not, and say so (warnings). Read once per run (SshRun in ssh-route.ts), looked up per host.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { type RouteOptions, takeRouteOption } from './ssh-args.js'

/** The keys acplay takes from a config file, as parsed values. */
export interface SshHostConfig extends RouteOptions {
  userKnownHostsFile?: string
  strictHostKeyChecking?: string
  connectTimeoutS?: number
  serverAliveIntervalS?: number
  serverAliveCountMax?: number
}

/** A config file that does not parse: the message names file:line, as ssh does. */
export class SshConfigError extends Error {}

/** When a line applies: every condition of the blocks it sits in (an Include inside a Host block adds one). */
type Condition = { host: string[] } | { match: 'all' } | { match: 'host' | 'originalhost'; patterns: string[] } | { never: true }

interface Entry {
  when: Condition[]
  key: string
  args: string[]
  at: string
}

export interface SshConfig {
  readonly files: string[]
  readonly entries: readonly Entry[]
  /** things in the files acplay does not apply (Match criteria), each naming file:line */
  readonly warnings: readonly string[]
}

const KEYS = new Set([
  'hostname',
  'user',
  'port',
  'identityfile',
  'proxyjump',
  'proxycommand',
  'userknownhostsfile',
  'stricthostkeychecking',
  'connecttimeout',
  'serveraliveinterval',
  'serveralivecountmax',
])
const NUMERIC = new Set(['port', 'connecttimeout', 'serveraliveinterval', 'serveralivecountmax'])
const MAX_INCLUDE_DEPTH = 16

/** Splits a config line into words: whitespace separated, `"quoted words"`, `Key=value`. */
export function configWords(line: string): string[] {
  const out: string[] = []
  let i = 0
  const s = line.trim()
  // Key=value and Key = value: the first '=' after the keyword separates it
  const eq = /^(\S+?)\s*=\s*/.exec(s)
  if (eq && !/\s/.test(eq[1]!)) {
    out.push(eq[1]!)
    i = eq[0].length
  }
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++
    if (i >= s.length) break
    if (s[i] === '"') {
      const end = s.indexOf('"', i + 1)
      if (end < 0) throw new Error('unterminated quote')
      out.push(s.slice(i + 1, end))
      i = end + 1
    } else {
      let j = i
      while (j < s.length && !/\s/.test(s[j]!)) j++
      out.push(s.slice(i, j))
      i = j
    }
  }
  return out
}

/** The files ssh reads: `-F file` alone (`-F none`: none), else ~/.ssh/config then /etc/ssh/ssh_config. */
export function configFiles(dashF: string | undefined, home = homedir()): { file: string; user: boolean }[] {
  if (dashF !== undefined) return dashF === 'none' ? [] : [{ file: expandTilde(dashF, home), user: true }]
  return [
    { file: join(home, '.ssh', 'config'), user: true },
    { file: '/etc/ssh/ssh_config', user: false },
  ]
}

/** Reads and parses the files; a missing file is skipped (the -F file is required, as in ssh). */
export function loadSshConfig(files: { file: string; user: boolean }[], home = homedir(), requireFirst = false): SshConfig {
  const entries: Entry[] = []
  const warnings: string[] = []
  const read: string[] = []
  const parse = (file: string, user: boolean, when: Condition[], depth: number, required: boolean) => {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (e) {
      if (required || (e as NodeJS.ErrnoException).code !== 'ENOENT') throw new SshConfigError(`cannot read ssh config ${file}: ${(e as Error).message}`)
      return
    }
    read.push(file)
    let current = when
    text.split('\n').forEach((raw, n) => {
      const at = `${file}:${n + 1}`
      const line = raw.trim()
      if (!line || line.startsWith('#')) return
      let words: string[]
      try {
        words = configWords(line)
      } catch (e) {
        throw new SshConfigError(`${at}: ${(e as Error).message}`)
      }
      const [keyword, ...args] = words as [string, ...string[]]
      const key = keyword.toLowerCase()
      if (args.length === 0) throw new SshConfigError(`${at}: ${keyword}: missing argument`)
      if (key === 'host') {
        current = [...when, { host: args.map((a) => a.toLowerCase()) }]
      } else if (key === 'match') {
        current = [...when, matchCondition(args, at, warnings)]
      } else if (key === 'include') {
        if (depth >= MAX_INCLUDE_DEPTH) throw new SshConfigError(`${at}: Include nested too deeply`)
        for (const pattern of args) {
          const path = expandTilde(pattern, home)
          const abs = isAbsolute(path) ? path : join(user ? join(home, '.ssh') : '/etc/ssh', path)
          for (const f of expandGlob(abs)) parse(f, user, current, depth + 1, false)
        }
      } else if (key === 'proxycommand') {
        // the rest of the line as written, quotes and all: it goes to the shell
        entries.push({ when: current, key, args: [line.replace(/^\S+?(\s*=\s*|\s+)/, '')], at })
      } else if (KEYS.has(key)) {
        entries.push({ when: current, key, args: checkedArgs(key, keyword, args, at), at })
      }
    })
  }
  files.forEach(({ file, user }, i) => {
    parse(file, user, [], 0, requireFirst && i === 0)
  })
  return { files: read, entries, warnings }
}

function checkedArgs(key: string, keyword: string, args: string[], at: string): string[] {
  if (NUMERIC.has(key)) {
    const n = Number(args[0])
    const ok = Number.isInteger(n) && n >= 0 && (key !== 'port' || (n > 0 && n < 65536))
    if (!ok) throw new SshConfigError(`${at}: ${keyword}: bad number '${args[0]}'`)
  }
  if (key === 'stricthostkeychecking' && !/^(yes|no|ask|accept-new|off|true|false)$/i.test(args[0]!))
    throw new SshConfigError(`${at}: ${keyword}: unsupported option '${args[0]}'`)
  return args
}

function matchCondition(args: string[], at: string, warnings: string[]): Condition {
  const crit = args[0]!.toLowerCase()
  if (crit === 'all' && args.length === 1) return { match: 'all' }
  if ((crit === 'host' || crit === 'originalhost') && args.length === 2) return { match: crit, patterns: args[1]!.toLowerCase().split(',') }
  warnings.push(
    `${at}: ssh config 'Match ${args.join(' ')}' is not applied by acplay (only Match all, Match host, Match originalhost); its options are ignored`,
  )
  return { never: true }
}

/** OpenSSH's match_pattern: `*` any run, `?` one character, over the whole string (ssh config, known_hosts). */
export function globMatch(pattern: string, s: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    's',
  )
  return re.test(s)
}

/** A pattern list (`a b`, or `a,b` in Match): some positive pattern matches and no `!negated` one does. */
export function matchesPatterns(patterns: readonly string[], host: string): boolean {
  const h = host.toLowerCase()
  let hit = false
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), h)) return false
    } else if (globMatch(p, h)) hit = true
  }
  return hit
}

/** What the config says for `host` (the string given to ssh): first value wins, IdentityFile adds up. */
export function lookupHost(config: SshConfig, host: string, home = homedir()): SshHostConfig {
  const out: SshHostConfig = { identityFiles: [] }
  const holds = (c: Condition) => {
    if ('host' in c) return matchesPatterns(c.host, host)
    if ('never' in c) return false
    if (c.match === 'all') return true
    // Match host sees the HostName obtained so far
    return matchesPatterns(c.patterns, c.match === 'host' ? (out.hostName ?? host) : host)
  }
  for (const e of config.entries) {
    if (!e.when.every(holds)) continue
    const v = e.args[0]!
    if (e.key === 'identityfile' && v.toLowerCase() === 'none') continue
    const value = e.key === 'hostname' ? v.replace(/%(%|h)/g, (_, c: string) => (c === 'h' ? host : '%')) : e.key === 'identityfile' ? expandTilde(v, home) : v
    if (takeRouteOption(out, e.key, value)) continue
    const num = Number(v)
    switch (e.key) {
      case 'userknownhostsfile':
        out.userKnownHostsFile ??= expandTilde(v, home)
        break
      case 'stricthostkeychecking':
        out.strictHostKeyChecking ??= v
        break
      case 'connecttimeout':
        out.connectTimeoutS ??= num
        break
      case 'serveraliveinterval':
        out.serverAliveIntervalS ??= num
        break
      case 'serveralivecountmax':
        out.serverAliveCountMax ??= num
        break
    }
  }
  return out
}

export function expandTilde(path: string, home = homedir()): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path
}

/** Files matching a path with `*` and `?` in any of its parts (Include), sorted as glob(3) does. */
export function expandGlob(path: string): string[] {
  let found = ['/']
  for (const part of path.split('/').filter(Boolean)) {
    if (!/[*?]/.test(part)) {
      found = found.map((d) => join(d, part))
      continue
    }
    found = found.flatMap((d) => {
      try {
        return readdirSync(d)
          .filter((n) => !n.startsWith('.') && globMatch(part, n))
          .sort()
          .map((n) => join(d, n))
      } catch {
        return []
      }
    })
  }
  return found
}
