/**
 * Control-side files for copy: small ones are read into memory and travel inside the plan's script;
 * large ones (STREAM_MIN and up) are streamed (engine/apply-plan.ts), hashed in bounded memory.
 */
import { createHash } from 'node:crypto'
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs'
import type { LocalFile } from '../types.js'

/** From this size a file is streamed, not read into the script (base64 in a heredoc costs 4/3 and memory). */
export const STREAM_MIN = 1024 * 1024

const CHUNK = 1024 * 1024

export type LocalBytes = { content: Buffer; size: number } | { source: LocalFile; size: number }

/** A regular file's bytes for an upload: in memory when small, a stream source when large. */
export function localBytes(path: string, size = statSync(path).size): LocalBytes {
  return size < STREAM_MIN ? { content: readFileSync(path), size } : { source: { path, size }, size }
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
