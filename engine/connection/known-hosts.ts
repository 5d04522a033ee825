import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'

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

export function verifyHostKey(knownHostsFile: string, host: string, port: number, key: Buffer): HostKeyVerdict {
  let text = ''
  try {
    text = readFileSync(knownHostsFile, 'utf8')
  } catch {
    return 'unknown'
  }
  const keys = knownKeys(text, knownHostsName(host, port))
  if (keys.length === 0) return 'unknown'
  return keys.includes(key.toString('base64')) ? 'match' : 'mismatch'
}
