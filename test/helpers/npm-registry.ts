/**
 * A tiny npm registry on the outer machine, for hosts without internet: packuments (JSON) and
 * tarballs made by `npm pack` from fixture packages, reachable from every testbed host at its
 * gateway address. Packages can be added while it runs (a new version for `state: latest`).
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface NpmFixture {
  name: string
  version: string
  /** extra package.json fields (bin, dependencies...) */
  manifest?: Record<string, unknown>
  /** path in the package -> content */
  files?: Record<string, string>
}

interface Packed {
  manifest: Record<string, unknown>
  tarball: Buffer
  file: string
}

export interface NpmRegistry {
  port: number
  /** the registry URL a host with this gateway uses */
  urlFor(gateway: string): string
  publish(p: NpmFixture): void
  /** requests seen (method and path), for asserting what npm asked */
  requests: string[]
  close(): Promise<void>
}

/** npm pack of a fixture into a tarball. */
function pack(work: string, p: NpmFixture): Packed {
  const dir = mkdtempSync(join(work, 'pkg-'))
  const manifest = { name: p.name, version: p.version, description: `acplay test package ${p.name}`, license: 'MIT', ...p.manifest }
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2))
  for (const [path, content] of Object.entries(p.files ?? { 'index.js': `module.exports = ${JSON.stringify(`${p.name}@${p.version}`)}\n` })) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  const out = mkdtempSync(join(work, 'out-'))
  const file = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    .toString()
    .trim()
    .split('\n')
    .pop()!
  return { manifest, tarball: readFileSync(join(out, file)), file }
}

export async function startNpmRegistry(fixtures: NpmFixture[]): Promise<NpmRegistry> {
  const work = mkdtempSync(join(tmpdir(), 'acplay-npm-registry-'))
  const packages = new Map<string, Map<string, Packed>>()
  const requests: string[] = []
  const publish = (p: NpmFixture) => {
    const versions = packages.get(p.name) ?? new Map<string, Packed>()
    versions.set(p.version, pack(work, p))
    packages.set(p.name, versions)
  }
  for (const f of fixtures) publish(f)

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    requests.push(`${req.method} ${path}`)
    const base = `http://${req.headers.host}`
    const tar = /^\/(.+)\/-\/(.+\.tgz)$/.exec(path)
    if (tar) {
      const hit = [...(packages.get(tar[1]!)?.values() ?? [])].find((p) => p.file === tar[2])
      if (!hit) return void res.writeHead(404).end()
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': hit.tarball.length })
      return void res.end(hit.tarball)
    }
    const versions = packages.get(path.slice(1))
    if (req.method !== 'GET' || !versions) {
      res.writeHead(404, { 'content-type': 'application/json' })
      return void res.end('{"error":"not found"}')
    }
    const all = [...versions.entries()]
    const latest = all
      .map(([v]) => v)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .pop()!
    const doc = {
      name: path.slice(1),
      'dist-tags': { latest },
      versions: Object.fromEntries(
        all.map(([v, p]) => [
          v,
          {
            ...p.manifest,
            dist: {
              tarball: `${base}/${path.slice(1)}/-/${p.file}`,
              shasum: createHash('sha1').update(p.tarball).digest('hex'),
              integrity: `sha512-${createHash('sha512').update(p.tarball).digest('base64')}`,
            },
          },
        ]),
      ),
    }
    const body = JSON.stringify(doc)
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    res.end(body)
  })
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(0, '0.0.0.0', () => ok())
  })
  server.unref()
  const port = (server.address() as AddressInfo).port
  return {
    port,
    urlFor: (gateway) => `http://${gateway}:${port}/`,
    publish,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections()
        server.close(() => {
          rmSync(work, { recursive: true, force: true })
          ok()
        })
      }),
  }
}
