/**
 * Each host's nspawn runs in its own cgroup. The outer machine has no systemd, so otherwise every
 * nspawn stays in the root cgroup and all containers' systemd share one cgroup tree ("payload"):
 * units collide (random 219/CGROUP failures) and stopping a unit on one host kills it on another.
 */
import { type Dirent, existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs'
import { join } from 'node:path'

/** The hierarchies the container's systemd uses: cgroup2 alone, or (hybrid) name=systemd + unified. */
function hierarchies(): string[] {
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) return ['/sys/fs/cgroup']
  return ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified'].filter((d) => existsSync(join(d, 'cgroup.procs')))
}

export function cgroupDirs(slot: number): string[] {
  return hierarchies().map((h) => join(h, 'acplay-testbed', `acp${slot}`))
}

export function createCgroups(slot: number): string[] {
  const dirs = cgroupDirs(slot)
  for (const d of dirs) mkdirSync(d, { recursive: true })
  return dirs
}

/** Removes the host's cgroups bottom-up (cgroupfs only allows rmdir of empty groups); best effort. */
export function removeCgroups(slot: number): void {
  for (const d of cgroupDirs(slot)) rmTree(d)
}

function rmTree(dir: string): void {
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return
  }
  for (const e of entries) if (e.isDirectory()) rmTree(join(dir, e.name))
  try {
    rmdirSync(dir)
  } catch {
    /* still has processes: the next reclaim retries */
  }
}

/** argv prefix that moves the shell into the cgroups, then execs the rest (same pid as the nspawn). */
export function enterCgroupsArgv(dirs: string[]): string[] {
  const script = 'while [ "$1" != -- ]; do echo $$ > "$1/cgroup.procs" || exit 1; shift; done; shift; exec "$@"'
  return ['sh', '-c', script, 'sh', ...dirs, '--']
}
