/**
 * known_hosts files, pure: which lines name a host (OpenSSH's rules, as `ssh-keygen -F` applies
 * them: comma-separated patterns with * ? and !negation, case-insensitive; |1|salt|hash entries by
 * HMAC-SHA1), and Ansible's known_hosts decisions over them (search_for_host_key, the rewrite,
 * `ssh-keygen -R`). Unit-tested; the module reads the file once and plans from this.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { globMatch } from '../../engine/connection/ssh-config.js'
import { KEY_TYPES } from './key-types.js'

export interface KnownKey {
  /** @cert-authority / @revoked */
  marker?: string
  host: string
  type: string
  key: string
}

/** Ansible's normalize_known_hosts_key: the first three (four with a marker) fields. */
export function normalizeKey(line: string): KnownKey | undefined {
  const k = line.trim().split(/\s+/)
  if (!k[0]) return undefined
  const [marker, host, type, key] = k[0].startsWith('@') ? k : [undefined, ...k]
  if (host === undefined || type === undefined || key === undefined) return undefined
  return { ...(marker ? { marker } : {}), host, type, key }
}

/** Whether a known_hosts host field names `name` (already lowercased). */
export function hostMatches(name: string, field: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt = '', hash = ''] = field.split('|')
    const want = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64')
    return want === hash
  }
  let positive = false
  for (const raw of field.split(',')) {
    const neg = raw.startsWith('!')
    const pattern = (neg ? raw.slice(1) : raw).toLowerCase()
    if (globMatch(pattern, name)) {
      if (neg) return false
      positive = true
    }
  }
  return positive
}

/** The lines (1-based numbers) of `text` that are entries for `name`, as ssh-keygen -F lists them. */
export function findHost(text: string, name: string): { line: number; entry: KnownKey }[] {
  const out: { line: number; entry: KnownKey }[] = []
  text.split('\n').forEach((l, i) => {
    const t = l.trim()
    if (!t || t.startsWith('#')) return
    const entry = normalizeKey(t)
    // ssh-keygen skips lines whose key it cannot read
    if (entry && KEY_TYPES.has(entry.type) && hostMatches(name, entry.host)) out.push({ line: i + 1, entry })
  })
  return out
}

export interface Search {
  found: boolean
  replaceOrAdd: boolean
  foundLine?: number
}

/** Ansible's search_for_host_key over the file's text (undefined: no file). */
export function searchHostKey(text: string | undefined, name: string, key: string | undefined): Search {
  if (text === undefined) return { found: false, replaceOrAdd: false }
  const hits = findHost(text, name)
  if (hits.length === 0) return { found: false, replaceOrAdd: false }
  if (!key) return { found: true, replaceOrAdd: false }
  const want = normalizeKey(key)!
  for (const { line, entry } of hits) {
    const w = want.host.startsWith('|1|') && entry.host.startsWith('|1|') ? { ...want, host: entry.host } : want
    if (sameKey(w, entry)) return { found: true, replaceOrAdd: false, foundLine: line }
    if (w.type === entry.type) return { found: true, replaceOrAdd: true, foundLine: line }
  }
  return { found: true, replaceOrAdd: true }
}

const sameKey = (a: KnownKey, b: KnownKey) => a.marker === b.marker && a.host === b.host && a.type === b.type && a.key === b.key

/** Python's str.splitlines(keepends=True) for text files (\n endings; a last line without one kept as is). */
const linesOf = (text: string) => text.match(/[^\n]*\n|[^\n]+$/g) ?? []

/** The file after Ansible's rewrite: the found line dropped (replace or absent), the key appended (present). */
export function rewrite(text: string | undefined, s: Search, state: 'present' | 'absent', key: string | undefined): string {
  const lines = linesOf(text ?? '').filter((_, i) => !(s.foundLine === i + 1 && (s.replaceOrAdd || state === 'absent')))
  return lines.join('') + (state === 'present' ? key! : '')
}

/** What `ssh-keygen -R name` leaves: every line that is an entry for name removed. */
export function removeHost(text: string, name: string): string {
  const drop = new Set(findHost(text, name).map((h) => h.line))
  return linesOf(text)
    .filter((_, i) => !drop.has(i + 1))
    .join('')
}

/** Ansible's hash_host_key: the host field replaced by |1|salt|HMAC-SHA1(salt, host), a fresh salt each time. */
export function hashHostKey(host: string, key: string): string {
  const salt = randomBytes(20)
  const parts = key.trim().split(/\s+/)
  const i = parts[0]!.startsWith('@') ? 1 : 0
  parts[i] = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(host).digest('base64')}`
  return parts.join(' ')
}
