/**
 * An HTTP and an HTTPS server on the outer machine for get_url and uri tests, reachable from the
 * testbed hosts at their gateway address. The HTTPS certificate is self-signed, made by openssl for
 * the gateway addresses (so validate_certs=yes fails unless the host trusts it, as it should).
 *
 *   /files/NAME            a file the test put (`put`), Last-Modified honoured (If-Modified-Since -> 304)
 *   /nocache/NAME          the same file, never 304 (a server that ignores If-Modified-Since)
 *   /attach/NAME           the file with Content-Disposition: attachment; filename="NAME"
 *   /redirect/N/REST       302 to /redirect/N-1/REST ... then to /REST
 *   /status/CODE           that status, a short text body
 *   /auth/REST             Basic auth (user:pass from `auth`), 401 with a challenge otherwise
 *   /echo                  JSON of the request: method, url, headers, body (any method)
 *   /json                  a JSON document; /json?status=201 with that status
 *   /slow/SECONDS          answers after that many seconds
 *
 * Every request is logged in `requests` (method, url, headers) for assertions.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttps } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface LoggedRequest {
  method: string
  url: string
  headers: Record<string, string | string[] | undefined>
}

export interface TestHttp {
  httpPort: number
  httpsPort: number
  /** the self-signed certificate (PEM), to install on a host that should trust it */
  cert: string
  requests: LoggedRequest[]
  /** puts (or replaces) a file served at /files/NAME; its Last-Modified is now */
  put(name: string, body: string | Buffer, mtime?: Date): void
  auth: { user: string; pass: string }
  close(): Promise<void>
}

interface Served {
  body: Buffer
  mtime: Date
}

export async function startTestHttp(addresses: string[]): Promise<TestHttp> {
  const files = new Map<string, Served>()
  const requests: LoggedRequest[] = []
  const auth = { user: 'alice', pass: 's3cret:pw' }
  const dir = mkdtempSync(join(tmpdir(), 'acplay-http-'))
  let cert: string
  let key: string
  try {
    const san = addresses.map((a) => `IP:${a}`).join(',')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=acplay-test',
        '-addext',
        `subjectAltName=${san}`,
        '-keyout',
        'key.pem',
        '-out',
        'cert.pem',
      ],
      { cwd: dir, stdio: 'ignore' },
    )
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8')
    key = readFileSync(join(dir, 'key.pem'), 'utf8')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
      route(req, Buffer.concat(chunks), res)
    })
  }
  const route = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const parts = url.pathname.split('/').filter(Boolean)
    const [first, second, ...rest] = parts
    const text = (code: number, t: string, headers: Record<string, string> = {}) => {
      res.writeHead(code, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(t), ...headers })
      res.end(req.method === 'HEAD' ? undefined : t)
    }
    const file = (name: string | undefined, conditional: boolean, extra: Record<string, string> = {}) => {
      const f = name ? files.get(name) : undefined
      if (!f) return text(404, 'not found\n')
      const since = req.headers['if-modified-since']
      if (conditional && since && Math.floor(f.mtime.getTime() / 1000) <= Math.floor(Date.parse(since) / 1000)) {
        res.writeHead(304)
        return void res.end()
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': f.body.length, 'last-modified': f.mtime.toUTCString(), ...extra })
      res.end(req.method === 'HEAD' ? undefined : f.body)
    }
    switch (first) {
      case 'files':
        return file(second, true)
      case 'nocache':
        return file(second, false)
      case 'attach':
        return file(second, false, { 'content-disposition': `attachment; filename="${second}"` })
      case 'redirect': {
        const n = Number(second)
        const to = n > 1 ? `/redirect/${n - 1}/${rest.join('/')}` : `/${rest.join('/')}`
        res.writeHead(302, { location: `${to}${url.search}` })
        return void res.end()
      }
      case 'status':
        return text(Number(second), `status ${second}\n`)
      case 'auth': {
        const want = `Basic ${Buffer.from(`${auth.user}:${auth.pass}`).toString('base64')}`
        if (req.headers.authorization !== want) return text(401, 'who are you?\n', { 'www-authenticate': 'Basic realm="test"' })
        const inner = { method: req.method, headers: req.headers, url: `/${[second, ...rest].join('/')}${url.search}` }
        return route(inner as IncomingMessage, body, res)
      }
      case 'echo': {
        const doc = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: body.toString('utf8') })
        res.writeHead(Number(url.searchParams.get('status') ?? 200), { 'content-type': 'application/json', 'set-cookie': 'session=abc; Path=/' })
        return void res.end(doc)
      }
      case 'json': {
        const doc = JSON.stringify({ name: 'acplay', items: [1, 2, 3], nested: { ok: true } })
        res.writeHead(Number(url.searchParams.get('status') ?? 200), { 'content-type': 'application/json; charset=utf-8' })
        return void res.end(doc)
      }
      case 'slow':
        return void setTimeout(() => text(200, 'finally\n'), Number(second) * 1000)
      default:
        return text(404, 'not found\n')
    }
  }
  const listen = (s: Server) =>
    new Promise<number>((ok, fail) => {
      s.once('error', fail)
      s.listen(0, '0.0.0.0', () => ok((s.address() as AddressInfo).port))
      s.unref()
    })
  const http = createHttp(handler)
  const https = createHttps({ cert, key }, handler)
  const [httpPort, httpsPort] = await Promise.all([listen(http), listen(https)])
  const close = (s: Server) =>
    new Promise<void>((ok) => {
      s.closeAllConnections()
      s.close(() => ok())
    })
  return {
    httpPort,
    httpsPort,
    cert,
    requests,
    auth,
    put: (name, body, mtime = new Date()) => files.set(name, { body: Buffer.from(body), mtime }),
    close: async () => {
      await Promise.all([close(http), close(https)])
    },
  }
}
