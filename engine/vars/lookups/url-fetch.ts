/**
 * One HTTP(S) request for the url lookup, run as its own process (lookups are synchronous; the
 * lookup waits for this one with spawnSync): the request as JSON on stdin, the answer as JSON on
 * stdout. Redirects and Basic authentication as Ansible's open_url does them (urllib).
 */
import { readFileSync } from 'node:fs'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'

export interface UrlRequest {
  url: string
  headers: Record<string, string>
  timeoutMs: number
  validateCerts: boolean
  username?: string
  password?: string
  forceBasicAuth: boolean
  /** urllib2/all/yes/safe: follow; none/no: do not */
  followRedirects: boolean
  caPath?: string
}

export type UrlAnswer = { ok: true; body: string } | { ok: false; http: true; status: number; reason: string } | { ok: false; http: false; message: string }

/** Python's errno names for the errors urllib reports as `<urlopen error [Errno N] text>`. */
const ERRNO: Record<string, string> = {
  ECONNREFUSED: '[Errno 111] Connection refused',
  ENOTFOUND: '[Errno -2] Name or service not known',
  EAI_AGAIN: '[Errno -3] Temporary failure in name resolution',
  ENETUNREACH: '[Errno 101] Network is unreachable',
  EHOSTUNREACH: '[Errno 113] No route to host',
  ECONNRESET: '[Errno 104] Connection reset by peer',
}

const basic = (r: UrlRequest) => `Basic ${Buffer.from(`${r.username ?? ''}:${r.password ?? ''}`).toString('base64')}`

function once(r: UrlRequest, url: URL, auth: boolean): Promise<{ res: IncomingMessage; body: Buffer }> {
  const headers: Record<string, string> = { ...r.headers }
  if (auth) headers.Authorization = basic(r)
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest
  const tls = url.protocol === 'https:' ? { rejectUnauthorized: r.validateCerts, ...(r.caPath ? { ca: readFileSync(r.caPath) } : {}) } : {}
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, timeout: r.timeoutMs, ...tls }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })))
    req.on('error', reject)
    req.end()
  })
}

async function fetchUrl(r: UrlRequest): Promise<UrlAnswer> {
  let url = new URL(r.url)
  let auth = r.forceBasicAuth && r.username !== undefined
  for (let hops = 0; ; hops++) {
    const { res, body } = await once(r, url, auth)
    const status = res.statusCode ?? 0
    if ([301, 302, 303, 307, 308].includes(status) && r.followRedirects && res.headers.location && hops < 10) {
      url = new URL(res.headers.location, url)
      continue
    }
    // urllib's HTTPBasicAuthHandler: credentials only after the server asks for them, once
    if (status === 401 && !auth && r.username !== undefined && /^basic/i.test(String(res.headers['www-authenticate'] ?? ''))) {
      auth = true
      continue
    }
    if (status >= 400 || (status >= 300 && status < 400)) return { ok: false, http: true, status, reason: res.statusMessage ?? '' }
    return { ok: true, body: body.toString('base64') }
  }
}

async function main(): Promise<void> {
  const r = JSON.parse(readFileSync(0, 'utf8')) as UrlRequest
  let answer: UrlAnswer
  try {
    answer = await fetchUrl(r)
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    const reason = err.code === 'TIMEOUT' ? 'timed out' : (ERRNO[err.code ?? ''] ?? err.message)
    answer = { ok: false, http: false, message: `<urlopen error ${reason}>` }
  }
  process.stdout.write(JSON.stringify(answer))
}

await main()
