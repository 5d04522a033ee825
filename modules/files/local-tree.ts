/** The control-side tree that copy sends: every directory and file (links followed, as Ansible's local_follow). */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { readControlFile } from '../../engine/vault/files.js'
import { sha256 } from './stat.js'

export interface LocalEntry {
  type: 'file' | 'directory'
  /** permission bits (for mode=preserve) */
  mode: number
  content?: Buffer
  sha256?: string
  /** decrypted from an Ansible Vault file: its content is a secret */
  vaulted?: boolean
}

/** Entries keyed by path relative to `dir` ('' is `dir` itself), parents before children; vault files decrypted unless `decrypt` is false. */
export function localTree(dir: string, decrypt = true): Map<string, LocalEntry> {
  const out = new Map<string, LocalEntry>()
  const walk = (rel: string) => {
    const abs = rel ? join(dir, rel) : dir
    const st = statSync(abs)
    if (st.isDirectory()) {
      out.set(rel, { type: 'directory', mode: st.mode & 0o7777 })
      for (const name of readdirSync(abs).sort()) walk(rel ? `${rel}/${name}` : name)
    } else if (st.isFile()) {
      const { content, vaulted } = readControlFile(abs, { decrypt })
      out.set(rel, { type: 'file', mode: st.mode & 0o7777, content, sha256: sha256(content), ...(vaulted ? { vaulted } : {}) })
    }
  }
  walk('')
  return out
}
