/**
 * Limits of the outer machine the testbed needs raised (never lowered), once per `up`:
 * - every booted host runs its own systemd, and each takes inotify instances from the outer
 *   machine's per-user limit (128 by default): the 46th host then fails with "Too many open files";
 * - the outer machine keeps an ARP entry per host it talks to; past gc_thresh3 (1024 by default)
 *   new entries are refused ("neighbour table overflow") and a thousand light hosts need more.
 */
import { readFileSync, writeFileSync } from 'node:fs'

const LIMITS: Record<string, number> = {
  '/proc/sys/fs/inotify/max_user_instances': 8192,
  '/proc/sys/fs/inotify/max_user_watches': 1_048_576,
  '/proc/sys/net/ipv4/neigh/default/gc_thresh1': 4096,
  '/proc/sys/net/ipv4/neigh/default/gc_thresh2': 8192,
  '/proc/sys/net/ipv4/neigh/default/gc_thresh3': 16384,
}

export function raiseHostLimits(): void {
  for (const [file, want] of Object.entries(LIMITS)) {
    if (Number(readFileSync(file, 'utf8').trim()) < want) writeFileSync(file, `${want}\n`)
  }
}
