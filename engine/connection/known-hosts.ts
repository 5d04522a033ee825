import { createHmac } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'

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

/** Base64 key blobs recorded for a host (any key type), from known_hosts text. */
export function knownKeys(text: string, name: string): string[] {
  const keys: string[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith('@')) continue
    const [names, , blob] = line.split(/\s+/)
    if (names && blob && nameMatches(names, name)) keys.push(blob)
  }
  return keys
}

export type HostKeyVerdict = 'match' | 'mismatch' | 'unknown'

/** The last known_hosts read, by path; read again when its mtime, size or inode changes. */
const cache = new Map<string, { stamp: string; text: string; plain: Map<string, string[]> }>()

/**
 * known_hosts, parsed once per version of the file: a run over a thousand hosts otherwise reads and
 * splits the whole file for every connection (bench/README.md, fleet).
 */
function keysFor(file: string, name: string): string[] | undefined {
  let stamp: string
  try {
    const st = statSync(file)
    stamp = `${st.mtimeMs}:${st.size}:${st.ino}`
  } catch {
    return undefined
  }
  let entry = cache.get(file)
  if (entry?.stamp !== stamp) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      return undefined
    }
    const plain = new Map<string, string[]>()
    for (const raw of text.split('\n')) {
      const [names, , blob] = raw.trim().split(/\s+/)
      if (!names || !blob || names.startsWith('#') || names.startsWith('@') || names.startsWith('|')) continue
      for (const n of names.split(',')) plain.set(n, [...(plain.get(n) ?? []), blob])
    }
    entry = { stamp, text: text.includes('|1|') ? text : '', plain }
    cache.set(file, entry)
  }
  // hashed names cannot be indexed: such a file is scanned per lookup, as before
  return entry.text ? knownKeys(entry.text, name) : (entry.plain.get(name) ?? [])
}

export function verifyHostKey(knownHostsFile: string, host: string, port: number, key: Buffer): HostKeyVerdict {
  const keys = keysFor(knownHostsFile, knownHostsName(host, port))
  if (!keys?.length) return 'unknown'
  return keys.includes(key.toString('base64')) ? 'match' : 'mismatch'
}
