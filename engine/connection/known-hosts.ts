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

function nameMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|')
    if (!salt || !hash) return false
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash
  }
  return pattern.split(',').includes(name)
}

/** Keys recorded for a host (any key type), from known_hosts text. */
export function knownEntries(text: string, name: string): KnownKey[] {
  const keys: KnownKey[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith('@')) continue
    const [names, type, blob] = line.split(/\s+/)
    if (names && type && blob && nameMatches(names, name)) keys.push({ type, blob })
  }
  return keys
}

/** Base64 key blobs recorded for a host (any key type), from known_hosts text. */
export function knownKeys(text: string, name: string): string[] {
  return knownEntries(text, name).map((k) => k.blob)
}

/** known_hosts files as last read, by path, with the stamp (mtime, size, inode) they were read at. */
const texts = new Map<string, { stamp: string; text: string }>()

/**
 * A known_hosts file's text, read again only when it changed: a run over a thousand hosts otherwise
 * reads the whole file for every connection (bench/README.md, fleet). undefined: no such file.
 */
function knownHostsText(file: string): string | undefined {
  try {
    const st = statSync(file)
    const stamp = `${st.mtimeMs}:${st.size}:${st.ino}`
    const cached = texts.get(file)
    if (cached?.stamp === stamp) return cached.text
    const text = readFileSync(file, 'utf8')
    texts.set(file, { stamp, text })
    return text
  } catch {
    return undefined
  }
}

/** The keys known_hosts records for host:port; none when the file does not exist. */
export function knownHostKeys(file: string, host: string, port: number): KnownKey[] {
  const text = knownHostsText(file)
  return text === undefined ? [] : knownEntries(text, knownHostsName(host, port))
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
