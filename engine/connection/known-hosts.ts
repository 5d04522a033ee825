import { createHmac } from 'node:crypto'
import { appendFileSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { dirname } from 'node:path'

/** StrictHostKeyChecking: yes (known keys only), accept-new (record unknown keys, refuse changed ones), no. */
export type HostKeyPolicy = 'yes' | 'accept-new' | 'no'

export type HostKeyVerdict = 'match' | 'mismatch' | 'unknown'

export interface KnownKey {
  /** ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ... */
  type: string
  /** the key blob, base64 */
  blob: string
}

/** The name a host is filed under in known_hosts: `host`, or `[host]:port` off port 22. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

/** A known_hosts file read into lookups: plain names by name, hashed ones (`|1|salt|hash`) in a list. */
interface KnownHostsIndex {
  byName: Map<string, { line: number; key: KnownKey }[]>
  hashed: { line: number; salt: Buffer; hash: string; key: KnownKey }[]
}

function indexKnownHosts(text: string): KnownHostsIndex {
  const index: KnownHostsIndex = { byName: new Map(), hashed: [] }
  text.split('\n').forEach((raw, line) => {
    const l = raw.trim()
    if (!l || l.startsWith('#') || l.startsWith('@')) return
    const [names, type, blob] = l.split(/\s+/)
    if (!names || !type || !blob) return
    const key = { type, blob }
    if (names.startsWith('|1|')) {
      const [, , salt, hash] = names.split('|')
      if (salt && hash) index.hashed.push({ line, salt: Buffer.from(salt, 'base64'), hash, key })
      return
    }
    for (const name of names.split(',')) {
      const list = index.byName.get(name) ?? []
      if (!list.some((e) => e.line === line)) list.push({ line, key })
      index.byName.set(name, list)
    }
  })
  return index
}

/** Keys recorded for a host (any key type), in the file's order. */
function lookup(index: KnownHostsIndex, name: string): KnownKey[] {
  const hashed = index.hashed.filter((e) => createHmac('sha1', e.salt).update(name).digest('base64') === e.hash)
  return [...(index.byName.get(name) ?? []), ...hashed].sort((a, b) => a.line - b.line).map((e) => e.key)
}

/** Base64 key blobs recorded for a host (any key type), from known_hosts text. */
export function knownKeys(text: string, name: string): string[] {
  return lookup(indexKnownHosts(text), name).map((k) => k.blob)
}

/** known_hosts files as last read, by path, with the stamp (mtime, size, inode) they were read at. */
const files = new Map<string, { stamp: string; index: KnownHostsIndex }>()

/**
 * A known_hosts file, read and indexed again only when it changed: a run over a thousand hosts
 * otherwise read and scanned the whole file for every connection (bench/README.md, fleet).
 * undefined: no such file.
 */
function knownHostsIndex(file: string): KnownHostsIndex | undefined {
  try {
    const st = statSync(file)
    const stamp = `${st.mtimeMs}:${st.size}:${st.ino}`
    const cached = files.get(file)
    if (cached?.stamp === stamp) return cached.index
    const index = indexKnownHosts(readFileSync(file, 'utf8'))
    files.set(file, { stamp, index })
    return index
  } catch {
    return undefined
  }
}

/** The keys known_hosts records for host:port; none when the file does not exist. */
export function knownHostKeys(file: string, host: string, port: number): KnownKey[] {
  const index = knownHostsIndex(file)
  return index === undefined ? [] : lookup(index, knownHostsName(host, port))
}

const ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']
const algorithmsOf = (type: string) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : ALGORITHMS.includes(type) ? [type] : [])

/**
 * Host key algorithms with the types known_hosts has for the host first, as OpenSSH orders them:
 * a server with several keys then shows the one on record, not a "changed" key of another type.
 */
export function hostKeyAlgorithms(known: readonly KnownKey[]): string[] {
  const first = [...new Set(known.flatMap((k) => algorithmsOf(k.type)))]
  return [...first, ...ALGORITHMS.filter((a) => !first.includes(a))]
}

/** The key type named inside an SSH public key blob (its first string). */
export function keyType(blob: Buffer): string {
  const len = blob.readUInt32BE(0)
  return blob.subarray(4, 4 + len).toString('latin1')
}

/** accept-new: appends `name type blob` to known_hosts (creating ~/.ssh 0700 when needed), as OpenSSH does. */
export function recordHostKey(file: string, host: string, port: number, key: Buffer): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    // a new file
  }
  const sep = text && !text.endsWith('\n') ? '\n' : ''
  appendFileSync(file, `${sep}${knownHostsName(host, port)} ${keyType(key)} ${key.toString('base64')}\n`, { mode: 0o600 })
}
