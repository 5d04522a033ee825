/**
 * A static HTTP file server on the outer machine, so hosts (which cannot reach the internet) fetch
 * local apt repositories and pip wheels from http://GATEWAY:PORT/. Directories get an HTML index of
 * links, which is what `pip --find-links` reads.
 */
import { type Stats, createReadStream, readdirSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve, sep } from 'node:path'

export interface Served {
  port: number
  /** served root */
  dir: string
  close(): Promise<void>
}

export async function serveDir(dir: string): Promise<Served> {
  const root = resolve(dir)
  const server = createServer((req, res) => handle(root, req, res))
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(0, '0.0.0.0', () => ok())
  })
  server.unref() // a forgotten close() must not keep the test process alive
  const port = (server.address() as AddressInfo).port
  return {
    port,
    dir: root,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections()
        server.close(() => ok())
      }),
  }
}

function handle(root: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'method not allowed')
    return
  }
  let rel: string
  try {
    rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
  } catch {
    send(res, 400, 'bad path')
    return
  }
  const path = resolve(join(root, rel))
  if (path !== root && !path.startsWith(root + sep)) {
    send(res, 403, 'outside the served directory')
    return
  }
  let st: Stats
  try {
    st = statSync(path)
  } catch {
    send(res, 404, 'not found')
    return
  }
  if (st.isDirectory()) {
    if (!rel.endsWith('/')) {
      res.writeHead(301, { location: `${rel}/` })
      res.end()
      return
    }
    const links = readdirSync(path, { withFileTypes: true })
      .map((e) => e.name + (e.isDirectory() ? '/' : ''))
      .sort()
      .map((n) => `<a href="${encodeURIComponent(n.replace(/\/$/, '')) + (n.endsWith('/') ? '/' : '')}">${escapeHtml(n)}</a><br>`)
    send(res, 200, `<!DOCTYPE html><html><body>\n${links.join('\n')}\n</body></html>\n`, 'text/html; charset=utf-8', req.method === 'HEAD')
    return
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': st.size })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  createReadStream(path).pipe(res)
}

function send(res: ServerResponse, code: number, body: string, type = 'text/plain; charset=utf-8', head = false): void {
  res.writeHead(code, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
  res.end(head ? undefined : body)
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
