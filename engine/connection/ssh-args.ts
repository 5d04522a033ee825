/**
 * The options in ssh argument strings that say where a connection goes and who logs in: `-o Key=Value`
 * (HostName, User, Port, IdentityFile, ProxyJump, ProxyCommand), `-J`, `-F`, `-l`, `-p`, `-i`.
 * As on ssh's command line the first value obtained wins (IdentityFile adds up), and all of them
 * beat the config file. settings.ts reads the timeout and host key options from the same strings.
 */
import { shlexSplit } from './shlex.js'

/** Where a connection goes and who logs in, from the command line's options or a config file's. */
export interface RouteOptions {
  hostName?: string
  user?: string
  port?: number
  identityFiles: string[]
  proxyJump?: string
  proxyCommand?: string
}

/**
 * Takes one route option (`key` in lower case) wherever it was read: the first value obtained wins,
 * IdentityFile adds up, ProxyJump and ProxyCommand exclude each other (whichever came first).
 * False: not a route option.
 */
export function takeRouteOption(out: RouteOptions, key: string, value: string): boolean {
  switch (key) {
    case 'hostname':
      out.hostName ??= value
      return true
    case 'user':
      out.user ??= value
      return true
    case 'port': {
      const n = Number(value)
      if (out.port === undefined && Number.isInteger(n) && n > 0 && n < 65536) out.port = n
      return true
    }
    case 'identityfile':
      out.identityFiles.push(value)
      return true
    case 'proxyjump':
    case 'proxycommand':
      if (out.proxyJump === undefined && out.proxyCommand === undefined) out[key === 'proxyjump' ? 'proxyJump' : 'proxyCommand'] = value
      return true
  }
  return false
}

export interface RouteArgs extends RouteOptions {
  /** -F: the config file read instead of ~/.ssh/config and /etc/ssh/ssh_config; the last given wins */
  configFile?: string
}

/** ssh's flags that take an argument (so their argument is not read as a flag). */
const WITH_ARG = new Set('BbcDEeFIiJLlmOopQRSWw'.split(''))

/** `-o` options and flags in order, as [key (lower case), value]: `-J x` as ProxyJump, `-p` as Port... */
export function sshOptionList(args: string): [string, string][] {
  let tokens: string[]
  try {
    tokens = shlexSplit(args)
  } catch {
    tokens = args.split(/\s+/)
  }
  const out: [string, string][] = []
  const flagKeys: Record<string, string> = { J: 'proxyjump', F: '-f', l: 'user', p: 'port', i: 'identityfile', o: '' }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    if (!t.startsWith('-') || t.length < 2) continue
    // -4Cv: flags without arguments, possibly bundled; the first flag taking an argument ends the bundle
    for (let j = 1; j < t.length; j++) {
      const f = t[j]!
      if (!WITH_ARG.has(f)) continue
      const value = j + 1 < t.length ? t.slice(j + 1) : tokens[++i]
      if (value === undefined) break
      const key = flagKeys[f]
      if (key === '') {
        const m = /^\s*(\w+)\s*(?:=|\s)\s*(.*?)\s*$/s.exec(value)
        if (m) out.push([m[1]!.toLowerCase(), unquote(m[2]!)])
      } else if (key !== undefined) out.push([key, value])
      break
    }
  }
  return out
}

/** `User="x"` as Ansible passes it: ssh takes the quotes off. */
const unquote = (v: string) => (v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v)

const parsed = new Map<string, RouteArgs>()
const PARSED_MAX = 256

/**
 * The route options of several argument strings, in the order ssh would see them (first wins).
 * Hosts of a fleet mostly share their strings: each set is parsed once (do not change the result).
 */
export function routeArgs(strings: readonly (string | undefined)[]): RouteArgs {
  const key = strings.join('\0')
  let out = parsed.get(key)
  if (!out) {
    out = parseRouteArgs(strings)
    if (parsed.size >= PARSED_MAX) parsed.clear()
    parsed.set(key, out)
  }
  return out
}

function parseRouteArgs(strings: readonly (string | undefined)[]): RouteArgs {
  const out: RouteArgs = { identityFiles: [] }
  for (const s of strings) {
    if (!s) continue
    for (const [key, value] of sshOptionList(s)) {
      if (key === '-f') out.configFile = value
      else takeRouteOption(out, key, value)
    }
  }
  return out
}

export interface JumpSpec {
  user?: string
  host: string
  port?: number
}

/** `[user@]host[:port][,next...]` (also `ssh://[user@]host[:port]`, `[v6addr]:port`), first hop first. */
export function parseJumpSpec(spec: string): JumpSpec[] {
  return spec.split(',').map((raw) => {
    const s = raw.trim().replace(/^ssh:\/\//, '')
    const at = s.lastIndexOf('@')
    const user = at >= 0 ? s.slice(0, at) : undefined
    const rest = at >= 0 ? s.slice(at + 1) : s
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest) ?? /^([^:]+)(?::(\d+))?$/.exec(rest)
    const port = m?.[2] === undefined ? undefined : Number(m[2])
    if (!m?.[1] || user === '' || (port !== undefined && !(port > 0 && port < 65536)))
      throw new Error(`bad ProxyJump host '${raw.trim()}' in '${spec}' (expected [user@]host[:port])`)
    return { user, host: m[1], port }
  })
}
