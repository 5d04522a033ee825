/** The control-side tree that copy sends: every directory and file (links followed, as Ansible's local_follow). */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { sha256FileSync, vaultPlaintext } from './local-file.js'
import { sha256 } from './stat.js'

export interface LocalEntry {
  type: 'file' | 'directory'
  /** permission bits (for mode=preserve) */
  mode: number
  /** the control-side path */
  path: string
  size: number
  /** decrypted from an Ansible Vault file: its content (read at once, the plaintext) is a secret */
  vaulted?: boolean
  content?: Buffer
}

/**
 * Entries keyed by path relative to `dir` ('' is `dir` itself), parents before children. Contents
 * are read when needed, but vault files are decrypted here (unless `decrypt` is false).
 */
export function localTree(dir: string, decrypt = true): Map<string, LocalEntry> {
  const out = new Map<string, LocalEntry>()
  const walk = (rel: string) => {
    const abs = rel ? join(dir, rel) : dir
    const st = statSync(abs)
    if (st.isDirectory()) {
      out.set(rel, { type: 'directory', mode: st.mode & 0o7777, path: abs, size: 0 })
      for (const name of readdirSync(abs).sort()) walk(rel ? `${rel}/${name}` : name)
    } else if (st.isFile()) {
      const plain = decrypt ? vaultPlaintext(abs) : undefined
      out.set(rel, { type: 'file', mode: st.mode & 0o7777, path: abs, ...(plain ? { size: plain.length, content: plain, vaulted: true } : { size: st.size }) })
    }
  }
  walk('')
  return out
}

const sums = new WeakMap<LocalEntry, string>()

/** A file entry's sha256, read once (in bounded memory) and only when asked. */
export function entrySha256(e: LocalEntry): string {
  const known = sums.get(e)
  if (known) return known
  const s = e.content ? sha256(e.content) : sha256FileSync(e.path)
  sums.set(e, s)
  return s
}
