/**
 * Slot registry: slot N (2..127) owns 10.231.N.0/24, netns acp-N and veth ve-acpN. Several processes (and
 * engineers) boot testbeds at once, so a slot is claimed with an atomic mkdir and records its owner
 * pid and resources; a slot whose owner died is torn down and reused.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { removeCgroups } from './cgroup.js'
import { teardownNetworkSync } from './network.js'
import { pidAlive, runSync, sleepSync } from './sh.js'

export const STATE_ROOT = '/run/acplay-testbed'
const SLOTS = join(STATE_ROOT, 'slots')
const FIRST = 2
/** 128 and up are light hosts' blocks (light.ts) */
const LAST = 127

/** What one host holds on the outer machine; enough to tear it down from another process. */
export interface SlotRecord {
  slot: number
  name: string
  ownerPid: number
  /** CLI testbeds outlive their process: alive while their nspawn runs */
  detached: boolean
  hostDir: string
  merged: string
  nspawnPid?: number
  /** the host administers its own network namespace (UpOptions.netAdmin) */
  netAdmin?: boolean
}

const slotDir = (n: number) => join(SLOTS, String(n))

export function writeSlot(rec: SlotRecord): void {
  writeFileSync(join(slotDir(rec.slot), 'owner.json'), `${JSON.stringify(rec, null, 2)}\n`)
}

export function readSlot(n: number): SlotRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(slotDir(n), 'owner.json'), 'utf8')) as SlotRecord
  } catch {
    return undefined
  }
}

/** Claims a free slot (after reclaiming dead owners' slots once). */
export function claimSlot(rec: Omit<SlotRecord, 'slot'>): SlotRecord {
  mkdirSync(SLOTS, { recursive: true })
  for (let n = FIRST; n <= LAST; n++) {
    try {
      mkdirSync(slotDir(n))
    } catch {
      continue
    }
    const claimed: SlotRecord = { ...rec, slot: n }
    writeSlot(claimed)
    teardownNetworkSync(n) // leftovers from a slot dir someone removed by hand
    return claimed
  }
  throw new Error(`testbed: no free slot in ${SLOTS} (${FIRST}..${LAST} all taken)`)
}

function isStale(n: number): boolean {
  const rec = readSlot(n)
  if (!rec) return abandoned(slotDir(n))
  if (pidAlive(rec.ownerPid)) return false
  return !(rec.detached && isOurNspawn(rec))
}

/** A claimed dir without its owner record: the owner writes it right after mkdir, so give it time before calling it dead. */
export function abandoned(dir: string): boolean {
  try {
    return Date.now() - statSync(dir).mtimeMs > 60_000
  } catch {
    return false
  }
}

/** Tears down slots whose owner process is gone. Safe to run from several processes at once. */
export function reclaimStaleSlots(): number[] {
  return reclaimStale(SLOTS, isStale, (n) => {
    const rec = readSlot(n)
    if (rec) releaseHostSync(rec)
    else teardownNetworkSync(n)
    rmSync(slotDir(n), { recursive: true, force: true })
  })
}

/**
 * Releases the numbered entries of a registry dir (slots, light blocks) that `isStale` calls stale,
 * each under a lock dir N.reclaim so that concurrent processes release it once.
 */
export function reclaimStale(root: string, isStale: (n: number) => boolean, release: (n: number) => void): number[] {
  let names: string[] = []
  try {
    names = readdirSync(root)
  } catch {
    return []
  }
  const reclaimed: number[] = []
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue
    const n = Number(name)
    if (!isStale(n)) continue
    const lock = join(root, `${n}.reclaim`)
    try {
      mkdirSync(lock)
    } catch {
      const holder = Number(readFileSafe(join(lock, 'pid')))
      if (!pidAlive(holder)) rmSync(lock, { recursive: true, force: true }) // retried next time
      continue
    }
    writeFileSync(join(lock, 'pid'), String(process.pid))
    if (isStale(n)) {
      release(n)
      reclaimed.push(n)
    }
    rmSync(lock, { recursive: true, force: true })
  }
  return reclaimed
}

export function readFileSafe(p: string): string {
  try {
    return readFileSync(p, 'utf8')
  } catch {
    return ''
  }
}

/** The pid is still the nspawn we started (pids are reused): its argv names our merged dir. */
export function isOurNspawn(rec: Pick<SlotRecord, 'nspawnPid' | 'merged'>): boolean {
  if (!rec.nspawnPid || !pidAlive(rec.nspawnPid)) return false
  const argv = readFileSafe(`/proc/${rec.nspawnPid}/cmdline`).split('\0')
  return argv.some((a) => a.endsWith('systemd-nspawn')) && argv.includes(rec.merged)
}

export function isMounted(path: string): boolean {
  return mountsUnder(path).includes(path)
}

/** Mount points at or below `dir` (from /proc/mounts; octal escapes decoded). */
export function mountsUnder(dir: string): string[] {
  return readFileSafe('/proc/mounts')
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
}

/** Powers the host off (SIGTERM), SIGKILL after a timeout, then kills anything left in its netns. */
export function stopNspawnSync(rec: SlotRecord, timeoutMs = 10_000): void {
  if (isOurNspawn(rec)) {
    process.kill(rec.nspawnPid!, 'SIGTERM')
    const until = Date.now() + timeoutMs
    while (pidAlive(rec.nspawnPid) && Date.now() < until) sleepSync(50)
    if (pidAlive(rec.nspawnPid)) process.kill(rec.nspawnPid!, 'SIGKILL')
  }
  killNetnsPidsSync(rec.slot)
}

/** Processes still inside our netns acp-N are the container's own (only we put anything there). */
export function killNetnsPidsSync(slot: number): void {
  let out = ''
  try {
    out = execFileSync('ip', ['netns', 'pids', `acp-${slot}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return // no such netns
  }
  for (const pid of out.split(/\s+/).filter(Boolean).map(Number)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      /* already gone */
    }
  }
}

/** Unmounts the overlay: retry, then lazy unmount as a last resort. */
export function unmountSync(merged: string): void {
  for (let i = 0; i < 10 && isMounted(merged); i++) {
    if (runSync(['umount', merged])) break
    sleepSync(200)
  }
  if (isMounted(merged)) runSync(['umount', '-l', merged])
}

/** Everything a host holds, released in order; the slot is freed last. */
export function releaseHostSync(rec: SlotRecord): void {
  stopNspawnSync(rec)
  unmountSync(rec.merged)
  teardownNetworkSync(rec.slot)
  removeCgroups(rec.slot)
  if (mountsUnder(rec.hostDir).length === 0) rmSync(rec.hostDir, { recursive: true, force: true })
  // the testbed's own dir (key, known_hosts) goes with its last host, also when its owner died
  const bedDir = dirname(dirname(rec.hostDir))
  if (basename(bedDir).startsWith('acplay-testbed-') && emptyDir(join(bedDir, 'hosts')) && mountsUnder(bedDir).length === 0) {
    rmSync(bedDir, { recursive: true, force: true })
  }
  rmSync(slotDir(rec.slot), { recursive: true, force: true })
}

export function emptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0
  } catch {
    return true
  }
}
