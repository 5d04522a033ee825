/**
 * Every booted host runs its own systemd, and each systemd takes inotify instances from the
 * outer machine's per-user limit (128 by default): the 46th host then fails to boot with "Too many
 * open files". Raise the limits once (never lower them).
 */
import { readFileSync, writeFileSync } from 'node:fs'

const LIMITS: Record<string, number> = {
  '/proc/sys/fs/inotify/max_user_instances': 8192,
  '/proc/sys/fs/inotify/max_user_watches': 1_048_576,
}

export function raiseHostLimits(): void {
  for (const [file, want] of Object.entries(LIMITS)) {
    if (Number(readFileSync(file, 'utf8').trim()) < want) writeFileSync(file, `${want}\n`)
  }
}
