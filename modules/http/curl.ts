/**
 * get_url and uri make their requests on the host with curl (the host's own network, proxies and
 * trust store, as Ansible's urllib does there). The arguments Ansible's url modules share
 * (url_argument_spec), their curl options, and the response as curl reports it.
 *
 * Secrets never reach argv (ps shows argv): the URL, the headers and the credentials travel in a
 * curl config on curl's stdin (`-K -`), given to the host script as a positional argument (the
 * script runs inside the task's shell, not as a process with argv).
 */
import { STATUS_CODES } from 'node:http'
import { ModuleFailure } from '../../engine/errors.js'
import type { ParamDef } from '../schema.js'
import { shScript, type Command } from '../types.js'

export const URL_PARAMS = {
  url: { type: 'str', required: true, description: 'HTTP, HTTPS or FTP URL, (http|https|ftp)://[user[:pass]]@host.domain[:port]/path' },
  force: { type: 'bool', default: false, description: 'Do not get a cached copy (Cache-Control: no-cache).' },
  http_agent: { type: 'str', default: 'ansible-httpget', description: 'User-Agent header.' },
  use_proxy: { type: 'bool', default: true, description: 'false: ignore the proxy variables (http_proxy, ...) of the host environment.' },
  validate_certs: { type: 'bool', default: true, description: 'false: do not validate TLS certificates (only for personally controlled sites).' },
  url_username: { type: 'str', aliases: ['username'], description: 'User name for HTTP basic authentication.' },
  url_password: { type: 'str', aliases: ['password'], secret: true, description: 'Password for HTTP basic authentication.' },
  force_basic_auth: {
    type: 'bool',
    default: false,
    description: 'Send the Basic authentication header with the first request, instead of after a 401 challenge.',
  },
  client_cert: { type: 'path', description: 'PEM client certificate chain on the host (may include the key).' },
  client_key: { type: 'path', description: 'PEM private key on the host for the client certificate.' },
  use_gssapi: { type: 'bool', default: false, description: 'GSSAPI (Kerberos) authentication: not supported by acplay (a task that sets it fails).' },
  headers: { type: 'dict', description: 'Custom HTTP headers.' },
  unredirected_headers: {
    type: 'list',
    elements: 'str',
    default: [],
    description: 'Headers not to send on redirects: not supported by acplay yet (a task that sets it fails).',
  },
  decompress: { type: 'bool', default: true, description: 'Ask for and decompress gzip content-encoded responses.' },
  ciphers: { type: 'list', elements: 'str', description: 'TLS ciphers (OpenSSL list format), joined with :.' },
  use_netrc: { type: 'bool', default: true, description: 'Use credentials from ~/.netrc when no url_username is given.' },
} as const satisfies Record<string, ParamDef>

export interface RequestArgs {
  url: string
  method?: string
  force: boolean
  http_agent: string
  use_proxy: boolean
  validate_certs: boolean
  url_username?: string
  url_password?: string
  force_basic_auth: boolean
  client_cert?: string
  client_key?: string
  use_gssapi: boolean
  headers?: Record<string, unknown>
  unredirected_headers: string[]
  decompress: boolean
  ciphers?: string[]
  use_netrc: boolean
  timeout: number
  /** follow redirects for any method (get_url), only GET/HEAD (uri's safe), or none */
  follow: 'all' | 'safe' | 'none'
  /** If-Modified-Since from this file's mtime */
  ifModifiedSince?: string
  /** also send these headers (after the user's, unless the user gave them) */
  extraHeaders?: Record<string, string>
  unixSocket?: string
  caPath?: string
}

/** A value in a curl config file: double-quoted, with \\ \" and control characters escaped. */
export function curlQuote(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`
}

/** The curl options (argv, nothing secret) and the config (stdin: url, headers, credentials). */
export function curlRequest(a: RequestArgs): { argv: string[]; config: string } {
  if (a.use_gssapi) throw new ModuleFailure('use_gssapi is not supported by acplay')
  if (a.unredirected_headers.length) throw new ModuleFailure('unredirected_headers is not supported by acplay yet')
  if (!/^(https?|ftp|file):\/\//i.test(a.url)) throw new ModuleFailure(`unsupported URL scheme in ${JSON.stringify(a.url)} (http, https, ftp or file)`)
  const argv = ['-sS', '--connect-timeout', String(a.timeout), '-y', String(a.timeout), '-Y', '1']
  const method = (a.method ?? 'GET').toUpperCase()
  if (method === 'HEAD') argv.push('-I')
  else if (method !== 'GET') argv.push('-X', method)
  if (a.follow === 'all' || (a.follow === 'safe' && (method === 'GET' || method === 'HEAD'))) argv.push('-L', '--max-redirs', '10')
  if (!a.validate_certs) argv.push('-k')
  if (!a.use_proxy) argv.push('--noproxy', '*')
  if (a.decompress) argv.push('--compressed')
  if (a.ciphers?.length) argv.push('--ciphers', a.ciphers.join(':'))
  if (a.client_cert) argv.push('--cert', a.client_cert)
  if (a.client_key) argv.push('--key', a.client_key)
  if (a.caPath) argv.push('--cacert', a.caPath)
  if (a.unixSocket) argv.push('--unix-socket', a.unixSocket)
  if (a.ifModifiedSince) argv.push('-z', a.ifModifiedSince)
  const config = [`url = ${curlQuote(a.url)}`, `user-agent = ${curlQuote(a.http_agent)}`]
  const given = new Set(Object.keys(a.headers ?? {}).map((k) => k.toLowerCase()))
  const headers: [string, string][] = Object.entries(a.headers ?? {}).map(([k, v]) => [k, String(v)])
  for (const [k, v] of Object.entries(a.extraHeaders ?? {})) if (!given.has(k.toLowerCase())) headers.push([k, v])
  if (a.force) headers.push(['Cache-Control', 'no-cache'])
  // Python's urllib (Ansible's client) closes every connection; servers answer accordingly
  if (!given.has('connection')) headers.push(['Connection', 'close'])
  for (const [k, v] of headers) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) throw new ModuleFailure(`invalid HTTP header name ${JSON.stringify(k)}`)
    config.push(`header = ${curlQuote(`${k}: ${v}`)}`)
  }
  if (a.url_username !== undefined) {
    config.push(`user = ${curlQuote(`${a.url_username}:${a.url_password ?? ''}`)}`)
    config.push(a.force_basic_auth ? 'basic' : 'anyauth')
  } else if (a.use_netrc) config.push('netrc-optional')
  return { argv, config: `${config.join('\n')}\n` }
}

export interface Response {
  status: number
  /** the reason phrase of the final status line (or the standard one) */
  reason: string
  /** final URL after redirects */
  url: string
  /** the final response's headers, lower-case names, repeated ones joined with ', ' */
  headers: Record<string, string>
  /** every Set-Cookie of the final response, name -> value */
  cookies: Record<string, string>
}

/** The last response block of a `curl -D` header dump (redirect hops come before it). */
export function parseHeaderDump(dump: string, status: number, url: string): Response {
  const blocks = dump.split(/\r?\n\r?\n/).filter((b) => /^HTTP\//.test(b.trim()))
  const last = (blocks.at(-1) ?? '').trim().split(/\r?\n/)
  const statusLine = /^HTTP\/[\d.]+ (\d{3})(?: (.*))?$/.exec(last[0] ?? '')
  const headers: Record<string, string> = {}
  const cookies: Record<string, string> = {}
  for (const line of last.slice(1)) {
    const i = line.indexOf(':')
    if (i <= 0) continue
    const name = line.slice(0, i).trim().toLowerCase()
    const value = line.slice(i + 1).trim()
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value
    if (name === 'set-cookie') {
      const [pair = ''] = value.split(';')
      const eq = pair.indexOf('=')
      if (eq > 0) cookies[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim()
    }
  }
  const code = statusLine ? Number(statusLine[1]) : status
  return { status: code, reason: statusLine?.[2]?.trim() || STATUS_CODES[code] || '', url, headers, cookies }
}

/** curl's exit codes as Ansible's messages say them (connection failures have status -1). */
export function curlFailure(rc: number, stderr: string): string {
  const why = stderr.trim().replace(/^curl: \(\d+\) /, '') || `curl exit code ${rc}`
  return `Request failed: ${why}`
}

/** The body of a GET to stdout, then a line with the status code (get_url's checksum file). */
export function curlToStdout(config: string, curlArgs: string[]): Command {
  return shScript(`cfg=$1; shift; printf '%s' "$cfg" | curl -K - "$@" -w '\\n%{http_code}'`, config, ...curlArgs)
}

export function parseToStdout(out: { rc: number; stdout: string; stderr: string }): { body: string; status: number } {
  if (out.rc !== 0) throw new ModuleFailure(curlFailure(out.rc, out.stderr), { status_code: -1 })
  const i = out.stdout.lastIndexOf('\n')
  return { body: out.stdout.slice(0, i), status: Number(out.stdout.slice(i + 1)) }
}

/** The first value of each key in a host script's `key=value` lines. */
export function keyValues(stdout: string): Map<string, string> {
  const kv = new Map<string, string>()
  for (const line of stdout.split('\n')) {
    const i = line.indexOf('=')
    if (i > 0 && !kv.has(line.slice(0, i))) kv.set(line.slice(0, i), line.slice(i + 1))
  }
  return kv
}

/** What the request scripts print about curl's run: its exit code and error, `-w '%{http_code} %{url_effective}'`, the header dump. */
export function curlReport(kv: Map<string, string>): { curl: number; curlError: string; response: Response } {
  const w = kv.get('w') ?? ''
  const sp = w.indexOf(' ')
  const status = Number(sp < 0 ? w : w.slice(0, sp))
  const dump = Buffer.from(kv.get('headers') ?? '', 'base64').toString('latin1')
  return { curl: Number(kv.get('curl') ?? -1), curlError: kv.get('curlerr') ?? '', response: parseHeaderDump(dump, status, sp < 0 ? '' : w.slice(sp + 1)) }
}
