/**
 * Control-side files for copy: small ones are read into memory and travel inside the plan's script;
 * large ones (STREAM_MIN and up) are streamed (engine/apply-plan.ts), hashed in bounded memory.
 */
import { createHash } from 'node:crypto'
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { isVaulted } from '../../engine/vault/envelope.js'
import { readControlFile } from '../../engine/vault/files.js'
import type { LocalFile } from '../types.js'

/** From this size a file is streamed, not read into the script (base64 in a heredoc costs 4/3 and memory). */
export const STREAM_MIN = 1024 * 1024

const CHUNK = 1024 * 1024

/** `vaulted`: decrypted from an Ansible Vault file (its content is a secret). */
export type LocalBytes = ({ content: Buffer } | { source: LocalFile }) & { size: number; vaulted?: boolean }

/**
 * A regular file's bytes for an upload: in memory when small or an Ansible Vault file (decrypted
 * unless `decrypt` is false, as Ansible does on the controller), a stream source when large.
 */
export function localBytes(path: string, size = statSync(path).size, decrypt = true): LocalBytes {
  const plain = decrypt ? vaultPlaintext(path) : undefined
  if (plain) return { content: plain, size: plain.length, vaulted: true }
  return size < STREAM_MIN ? { content: readFileSync(path), size } : { source: { path, size }, size }
}

/** The decrypted content of an Ansible Vault file; undefined for any other file (only its first bytes are read). */
export function vaultPlaintext(path: string): Buffer | undefined {
  return isVaulted(head(path)) ? readControlFile(path).content : undefined
}

/** The first bytes of a file: enough to see the vault header. */
function head(path: string): Buffer {
  const buf = Buffer.alloc(64)
  const fd = openSync(path, 'r')
  try {
    return buf.subarray(0, readSync(fd, buf))
  } finally {
    closeSync(fd)
  }
}

/** sha256 of a file, read in chunks (bounded memory), without blocking the run: other hosts go on meanwhile. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) h.update(chunk as Buffer)
  return h.digest('hex')
}

/** The same, synchronously (a directory tree is walked synchronously). */
export function sha256FileSync(path: string): string {
  const h = createHash('sha256')
  const buf = Buffer.allocUnsafe(CHUNK)
  const fd = openSync(path, 'r')
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) h.update(buf.subarray(0, n))
  } finally {
    closeSync(fd)
  }
  return h.digest('hex')
}
