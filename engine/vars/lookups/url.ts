/**
 * The url lookup (Ansible's lookup/url.py): each term's content fetched from the controller, as
 * lines (split_lines, the default) or whole. Lookups are synchronous, so the request runs in its
 * own Node process (url-fetch.ts) that this one waits for. Proxies from the environment
 * (use_proxy), GSSAPI, unix sockets, netrc and ciphers: not yet.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { MASK } from '../../secrets.js'
import { isMapping, pystr } from '../py.js'
import { boolOpt, type Lookup, LookupError } from './types.js'
import type { UrlAnswer, UrlRequest } from './url-fetch.js'

const FETCH = fileURLToPath(new URL('./url-fetch.js', import.meta.url))

function request(term: string, kw: Record<string, unknown>): UrlRequest {
  const headers: Record<string, string> = {}
  if (kw.headers !== undefined && kw.headers !== null) {
    if (!isMapping(kw.headers)) throw new LookupError(`Invalid type for configuration option headers: it must be a dictionary`)
    for (const [k, v] of Object.entries(kw.headers)) headers[k] = pystr(v)
  }
  headers['User-Agent'] ??= kw.http_agent === undefined || kw.http_agent === null ? 'ansible-httpget' : pystr(kw.http_agent)
  if (boolOpt(kw.force, false)) headers['cache-control'] = 'no-cache'
  const timeout = kw.timeout === undefined || kw.timeout === null ? 10 : Number(kw.timeout)
  if (!(timeout > 0)) throw new LookupError(`Invalid type for configuration option timeout: ${pystr(kw.timeout)} is not a number`)
  const follow = kw.follow_redirects === undefined || kw.follow_redirects === null ? 'urllib2' : pystr(kw.follow_redirects).toLowerCase()
  return {
    url: term,
    headers,
    timeoutMs: timeout * 1000,
    validateCerts: boolOpt(kw.validate_certs, true),
    username: kw.username === undefined || kw.username === null ? undefined : pystr(kw.username),
    password: kw.password === undefined || kw.password === null ? undefined : pystr(kw.password),
    forceBasicAuth: boolOpt(kw.force_basic_auth, false),
    followRedirects: !['none', 'no', 'false'].includes(follow),
    caPath: kw.ca_path === undefined || kw.ca_path === null ? undefined : pystr(kw.ca_path),
  }
}

/** The URL as messages show it: a password in it masked (Ansible prints it whole). */
function shown(term: string): string {
  try {
    const u = new URL(term)
    if (!u.password) return term
    u.password = MASK
    return u.toString()
  } catch {
    return term
  }
}

function fetchOne(rawTerm: string, kw: Record<string, unknown>): Buffer {
  const req = request(rawTerm, kw)
  const term = shown(rawTerm)
  if (!URL.canParse(rawTerm)) throw new LookupError(`Failed lookup url for ${term} : <urlopen error unknown url type: ${term.split(':')[0]}>`)
  // the request (credentials included) goes on stdin, never argv; the whole of it may take up to 10
  // redirects and an authentication retry, each within the timeout
  const r = spawnSync(process.execPath, [FETCH], { input: JSON.stringify(req), encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, timeout: req.timeoutMs * 12 })
  let answer: UrlAnswer
  try {
    answer = JSON.parse(r.stdout) as UrlAnswer
  } catch {
    throw new LookupError(`Failed lookup url for ${term} : ${r.error?.message ?? (r.stderr.trim() || 'no answer')}`)
  }
  if (answer.ok) return Buffer.from(answer.body, 'base64')
  if (answer.http) throw new LookupError(`Received HTTP error for ${term} : HTTP Error ${answer.status}: ${answer.reason}`)
  throw new LookupError(`Failed lookup url for ${term} : ${answer.message}`)
}

export const url: Lookup = (terms, kw) =>
  terms.flatMap((t) => {
    const text = fetchOne(pystr(t), kw).toString('utf8')
    if (!boolOpt(kw.split_lines, true)) return [text]
    // Python's bytes.splitlines: \n, \r\n and \r end a line; no empty last line
    const lines = text.split(/\r\n|\r|\n/)
    if (lines.at(-1) === '') lines.pop()
    return lines
  })
