/**
 * A script with a stream on its stdin, for uploads too large to travel inside the script: the
 * script's bytes first (the remote shell reads exactly those, become.ts streamArgv), then the
 * stream, written as the channel accepts it (bounded memory: one chunk in flight per drain).
 */
import type { Readable, Writable } from 'node:stream'
import type { ClientChannel } from 'ssh2'
import { AcplayError } from '../errors.js'

export interface StreamTarget {
  stdin: Writable
  stdout: Readable
  stderr: Readable
  /** the exit code, null when the process ended without one (killed, or the channel dropped) */
  done: Promise<number | null>
}

export interface StreamResult {
  rc: number | null
  stdout: string
  stderr: string
}

export function channelTarget(ch: ClientChannel): StreamTarget {
  const done = new Promise<number | null>((resolve) => {
    let code: number | null = null
    ch.on('exit', (c: number | null) => {
      code = c
    })
    ch.on('close', () => resolve(code))
  })
  ch.on('error', () => {}) // 'close' follows
  return { stdin: ch, stdout: ch, stderr: ch.stderr, done }
}

/** Sends `script` then `input` into the target's stdin, ends it, and collects the output. */
export async function sendStream(target: StreamTarget | ClientChannel, script: string, input: () => AsyncIterable<Buffer>): Promise<StreamResult> {
  const t = 'done' in target ? target : channelTarget(target)
  const out: Buffer[] = []
  const err: Buffer[] = []
  t.stdout.on('data', (d: Buffer) => out.push(d))
  t.stderr.on('data', (d: Buffer) => err.push(d))
  let ended = false
  const end = () => {
    ended = true
  }
  // a failed start (a command not found) rejects done: awaited below, not left unhandled here
  void t.done.then(end, end)
  t.stdin.on('error', () => {}) // the script may exit before reading all of its stdin
  const write = async (chunk: Buffer | string) => {
    if (ended) return
    if (!t.stdin.write(chunk)) await Promise.race([new Promise((r) => t.stdin.once('drain', r)), t.done])
  }
  let failed: unknown
  try {
    await write(script)
    for await (const chunk of input()) {
      if (ended) break
      await write(chunk)
    }
  } catch (e) {
    failed = e // the stream stops short: the script sees it and removes what it wrote
  }
  if (!ended) t.stdin.end()
  const rc = await t.done
  if (failed) throw new AcplayError('E_SOURCE', `reading what to send failed: ${failed instanceof Error ? failed.message : String(failed)}`)
  return { rc, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }
}
