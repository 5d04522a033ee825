/**
 * `--lock`: one acplay run at a time per host. The lock is flock(1) on /run/lock/acplay.lock (or
 * $TMPDIR), held by a command that waits on its own channel until the run closes it; when the
 * controller dies, the channel closes and the lock goes with it. Opened read-only, so runs as
 * different users share it whoever created the file.
 */
import type { Readable, Writable } from 'node:stream'
import { AcplayError } from '../errors.js'

export const lockError = (msg: string, host: string) => new AcplayError('E_LOCKED', msg, { host })

export function lockScript(waitS: number): string {
  return `d=/run/lock; [ -d "$d" ] && [ -w "$d" ] || d=\${TMPDIR:-/tmp}
f=$d/acplay.lock
[ -e "$f" ] || (umask 022; : >> "$f") 2>/dev/null
exec 9<"$f" || exit 3
flock -x -w ${waitS} 9 || { echo "another acplay run holds $f (waited ${waitS} s)" >&2; exit 4; }
echo locked
exec cat >/dev/null`
}

/** Waits for the lock command's "locked" line; rejects with its complaint when it ends first. */
export function awaitLock(host: string, out: Readable, err: Readable, done: Promise<unknown>, stdin: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    let said = ''
    err.on('data', (d: Buffer) => {
      said += d.toString()
    })
    out.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) resolve()
    })
    void done.then(() => reject(lockError(`cannot take the run lock on ${host}: ${said.trim() || 'the lock command ended (flock missing?)'}`, host)))
    stdin.on('error', () => {})
  })
}
