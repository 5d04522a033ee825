/**
 * Light hosts, for scale tests: per host a network namespace, a mount + UTS namespace whose root is
 * its own overlay over the image (pivot_root, the outer tree detached), and sshd alone: no systemd,
 * no PostgreSQL. One process per idle host (~1.5 MB PSS), so a thousand fit on the machine.
 *
 * Addresses: block B (128..255) is 10.231.B.0/24, above the regular slots (2..127, slots.ts): a
 * bridge acplbrB holds the outer machine's 10.231.B.1 and up to 253 hosts .2 .. .254, each a veth
 * vlB-I into netns acpl-B-I. Blocks are claimed like slots (mkdir under /run/acplay-testbed/light),
 * with the owner and every host's sshd pid recorded; a block whose owner died is torn down and
 * reused by the next `up`. Each host runs in its own cgroup (cgroup2): its CPU is measured there and
 * cgroup.kill ends every process it has, sessions included.
 */
import { execFileSync, spawn } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { connect } from 'node:net'
import { basename, join } from 'node:path'
import { ed25519HostKey } from './host-key.js'
import { must, pidAlive, sleep, sleepSync } from './sh.js'
import { abandoned, emptyDir, mountsUnder, reclaimStale, STATE_ROOT, unmountSync } from './slots.js'

export const FIRST_BLOCK = 128
export const LAST_BLOCK = 255
/** hosts per block: .2 .. .254 (.1 is the outer machine) */
export const PER_BLOCK = 253
const LIGHT = join(STATE_ROOT, 'light')

export const lightNetns = (block: number, index: number) => `acpl-${block}-${index}`
export const lightLink = (block: number, index: number) => `vl${block}-${index}`
export const bridgeName = (block: number) => `acplbr${block}`
export const lightAddress = (block: number, index: number) => `10.231.${block}.${index}`
export const lightGateway = (block: number) => `10.231.${block}.1`

export interface LightHostRecord {
  name: string
  /** last octet of the address, 2..254 */
  index: number
  hostDir: string
  /** the host's sshd (the launcher execs into it: same pid) */
  pid?: number
}

/** What one block holds on the outer machine; enough to tear it down from another process. */
export interface LightBlockRecord {
  block: number
  ownerPid: number
  /** CLI testbeds outlive their process: alive while a host's sshd runs */
  detached: boolean
  bedDir: string
  hosts: LightHostRecord[]
}

const blockDir = (b: number) => join(LIGHT, String(b))

export function writeBlock(rec: LightBlockRecord): void {
  writeFileSync(join(blockDir(rec.block), 'owner.json'), `${JSON.stringify(rec)}\n`)
}

function readBlock(b: number): LightBlockRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(blockDir(b), 'owner.json'), 'utf8')) as LightBlockRecord
  } catch {
    return undefined
  }
}

/** Claims enough free blocks for `count` hosts and assigns each host its block and index. */
export function claimBlocks(names: string[], base: Omit<LightBlockRecord, 'block' | 'hosts'>, hostDir: (name: string) => string): LightBlockRecord[] {
  mkdirSync(LIGHT, { recursive: true })
  const need = Math.ceil(names.length / PER_BLOCK)
  const claimed: LightBlockRecord[] = []
  for (let b = FIRST_BLOCK; b <= LAST_BLOCK && claimed.length < need; b++) {
    try {
      mkdirSync(blockDir(b))
    } catch {
      continue
    }
    const part = names.slice(claimed.length * PER_BLOCK, (claimed.length + 1) * PER_BLOCK)
    const rec: LightBlockRecord = { ...base, block: b, hosts: part.map((name, i) => ({ name, index: i + 2, hostDir: hostDir(name) })) }
    writeBlock(rec)
    removeBlockNetworkSync(b) // leftovers of a block dir someone removed by hand
    claimed.push(rec)
  }
  if (claimed.length < need) {
    for (const r of claimed) rmSync(blockDir(r.block), { recursive: true, force: true })
    throw new Error(`testbed: not enough free light blocks in ${LIGHT} for ${names.length} hosts (${FIRST_BLOCK}..${LAST_BLOCK}, ${PER_BLOCK} hosts each)`)
  }
  return claimed
}

/** The bridge of each block and, per host, its netns and veth (one `ip` process for all). */
export async function setupLightNetwork(blocks: LightBlockRecord[]): Promise<void> {
  enableForwarding()
  const lines: string[] = []
  for (const { block: b, hosts } of blocks) {
    lines.push(`link add ${bridgeName(b)} type bridge`, `addr add ${lightGateway(b)}/24 dev ${bridgeName(b)}`, `link set ${bridgeName(b)} up`)
    for (const h of hosts) {
      lines.push(
        `netns add ${lightNetns(b, h.index)}`,
        `link add ${lightLink(b, h.index)} type veth peer name eth0 netns ${lightNetns(b, h.index)}`,
        `link set ${lightLink(b, h.index)} master ${bridgeName(b)} up`,
      )
    }
  }
  await must(['ip', '-batch', '-'], { input: `${lines.join('\n')}\n` })
}

function enableForwarding(): void {
  const f = '/proc/sys/net/ipv4/ip_forward'
  if (readFileSync(f, 'utf8').trim() !== '1') writeFileSync(f, '1\n')
}

/** A directory in a layer with the mode and owner the image gives it (the topmost layer's attributes win). */
function mkdirLike(image: string, layer: string, rel: string): string {
  let sub = ''
  for (const part of rel.split('/').filter(Boolean)) {
    sub = sub ? `${sub}/${part}` : part
    const path = join(layer, sub)
    if (existsSync(path)) continue
    const st = statSync(join(image, sub))
    mkdirSync(path)
    chmodSync(path, st.mode & 0o7777)
    chownSync(path, st.uid, st.gid)
  }
  return join(layer, rel)
}

/**
 * The layer every host of a testbed shares, above the image: /etc/hosts with all hosts, the
 * testbed key authorized for root and deploy, sshd's privilege separation dir.
 */
export function writeSharedLayer(image: string, layer: string, publicKey: string, etcHosts: string[]): void {
  mkdirSync(layer, { recursive: true })
  mkdirLike(image, layer, 'etc')
  writeFileSync(join(layer, 'etc/hosts'), `${readFileSync(join(image, 'etc/hosts'), 'utf8')}${etcHosts.join('\n')}\n`)
  for (const home of ['root', 'home/deploy']) {
    const dir = mkdirLike(image, layer, `${home}/.ssh`)
    const st = statSync(dir)
    const file = join(dir, 'authorized_keys')
    writeFileSync(file, `${publicKey.trim()}\n`, { mode: 0o600 })
    chownSync(file, st.uid, st.gid)
  }
  mkdirLike(image, layer, 'run')
  mkdirSync(join(layer, 'run/sshd'), { mode: 0o755 })
}

/**
 * Host dirs (upper, work) live on a tmpfs of the testbed's: on this machine's disk (ext4 with
 * online discard) removing a host's upper dir takes ~25 ms, and a thousand of them half a minute.
 */
export async function mountHostsTmpfs(bedDir: string): Promise<void> {
  const dir = join(bedDir, 'hosts')
  mkdirSync(dir, { recursive: true })
  await must(['mount', '-t', 'tmpfs', '-o', 'mode=0755', 'acplay-light', dir])
}

/** The host's own upper dir: its hostname and host key. Returns its known_hosts line. */
export function writeHostUpper(image: string, hostDir: string, name: string, address: string): string {
  const upper = join(hostDir, 'upper')
  for (const d of ['upper', 'work', 'merged']) mkdirSync(join(hostDir, d), { recursive: true })
  mkdirLike(image, upper, 'etc/ssh')
  writeFileSync(join(upper, 'etc/hostname'), `${name}\n`)
  const key = ed25519HostKey(`root@${name}`)
  writeFileSync(join(upper, 'etc/ssh/ssh_host_ed25519_key'), key.privateKey, { mode: 0o600 })
  writeFileSync(join(upper, 'etc/ssh/ssh_host_ed25519_key.pub'), `${key.publicKey}\n`)
  return `${address} ${key.publicKey.split(' ').slice(0, 2).join(' ')}`
}

/** cgroup2's root: the whole tree on a pure v2 machine, `unified` on a hybrid one; none on pure v1. */
function cgroup2Root(): string | undefined {
  if (existsSync('/sys/fs/cgroup/cgroup.controllers')) return '/sys/fs/cgroup'
  if (existsSync('/sys/fs/cgroup/unified/cgroup.procs')) return '/sys/fs/cgroup/unified'
  return undefined
}

export function lightCgroup(block: number, index: number): string | undefined {
  const root = cgroup2Root()
  return root && join(root, 'acplay-testbed', `light-${block}-${index}`)
}

// Moves itself into the host's cgroup, then enters the host's netns and new mount + UTS namespaces.
const ENTER =
  'echo $$ > "$1" || exit 1; ns=$2; inner=$3; shift 3; exec nsenter --net="$ns" -- unshare --mount --uts --propagation private -- sh -c "$inner" sh "$@"'
// In the new namespaces: address, hostname, the overlay as root (the outer tree detached, so the host
// pins none of the machine's mounts, netns files included), then sshd in the foreground. Three mounts
// only (each costs the kernel a serialized teardown): /dev's nodes come from the image, ptys from a
// devpts of the host's own (ssh -tt, as Ansible asks).
const INNER = `set -e
name=$1 addr=$2 gw=$3 lower=$4 upper=$5 work=$6 root=$7
printf 'link set lo up\\naddr replace %s/24 dev eth0\\nlink set eth0 up\\nroute replace 10.231.0.0/16 via %s\\n' "$addr" "$gw" | ip -batch -
printf '%s\\n' "$name" > /proc/sys/kernel/hostname
# volatile: no syncs of the upper fs (an unmount would sync the whole disk, ~30 ms per host); after a
# clean stop the upper dir is intact, so a restart may drop the marker that forbids remounting it
# (overlayfs keeps that marker in the "work" dir it makes inside workdir)
ovl=$work/work
if [ -d "$ovl/incompat" ]; then rm -rf "$ovl/incompat"; fi
mount -t overlay overlay -o "lowerdir=$lower,upperdir=$upper,workdir=$work,volatile" "$root"
mount -t proc proc "$root/proc"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$root/dev/pts"
cd "$root"
pivot_root . mnt
exec chroot . /bin/sh -c 'umount -l /mnt && exec /usr/sbin/sshd -D -e -o PidFile=none -o HostKey=/etc/ssh/ssh_host_ed25519_key'`

/** Starts the host detached (own session, unref'd), so a CLI can exit and leave it running. Returns sshd's pid. */
export function launchLightHost(block: number, h: LightHostRecord, lowerDirs: string[]): number {
  const cg = lightCgroup(block, h.index)
  if (cg) mkdirSync(cg, { recursive: true })
  const log = openSync(join(h.hostDir, 'sshd.log'), 'a')
  const args = [
    cg ? join(cg, 'cgroup.procs') : '/dev/null',
    `/run/netns/${lightNetns(block, h.index)}`,
    INNER,
    h.name,
    lightAddress(block, h.index),
    lightGateway(block),
    lowerDirs.join(':'),
    join(h.hostDir, 'upper'),
    join(h.hostDir, 'work'),
    join(h.hostDir, 'merged'),
  ]
  const child = spawn('sh', ['-c', ENTER, 'sh', ...args], { detached: true, stdio: ['ignore', log, log] })
  closeSync(log)
  child.on('error', () => {}) // surfaces as "not ready" with the log
  child.unref()
  if (!child.pid) throw new Error(`testbed: light host ${h.name} did not start`)
  return child.pid
}

/** Ready = sshd answers with its banner (a TCP connect and one read: no handshake, which costs CPU). */
export async function waitListening(address: string, pid: number, logFile: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    if (await banner(address)) return
    if (!pidAlive(pid) || Date.now() > until) {
      const why = pidAlive(pid) ? `no ssh banner after ${timeoutMs / 1000} s` : 'its sshd exited'
      throw new Error(`testbed: light host ${address} did not come up: ${why}\n--- ${logFile}:\n${tail(logFile)}`)
    }
    await sleep(50)
  }
}

function banner(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: address, port: 22 })
    const done = (ok: boolean) => {
      s.destroy()
      resolve(ok)
    }
    s.setTimeout(2_000, () => done(false))
    s.once('data', (d: Buffer) => done(d.toString('latin1').startsWith('SSH-')))
    s.once('error', () => done(false))
    s.once('close', () => done(false))
  })
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n')
  } catch {
    return '(no log)'
  }
}

/** The sshd we started (pids are reused): an sshd in the host's netns. */
export function isOurSshd(block: number, h: LightHostRecord): boolean {
  if (!h.pid || !pidAlive(h.pid)) return false
  try {
    const ns = `net:[${statSync(`/run/netns/${lightNetns(block, h.index)}`).ino}]`
    return readlinkSync(`/proc/${h.pid}/ns/net`) === ns && readFileSync(`/proc/${h.pid}/comm`, 'utf8').trim() === 'sshd'
  } catch {
    return false
  }
}

/** Every process of the host (its cgroup: sshd, sessions, shells), or at least its sshd. */
export function killLightHostSync(block: number, h: LightHostRecord): void {
  const cg = lightCgroup(block, h.index)
  if (cg && existsSync(join(cg, 'cgroup.kill'))) writeFileSync(join(cg, 'cgroup.kill'), '1')
  else if (isOurSshd(block, h)) process.kill(h.pid!, 'SIGKILL')
}

function populated(cg: string): boolean {
  try {
    return /^populated 1$/m.test(readFileSync(join(cg, 'cgroup.events'), 'utf8'))
  } catch {
    return false
  }
}

/** Waits until the hosts' processes are gone (cgroup empty, sshd dead), at most timeoutMs. */
export function waitGoneSync(block: number, hosts: LightHostRecord[], timeoutMs = 10_000): void {
  const until = Date.now() + timeoutMs
  let left = hosts
  while (left.length && Date.now() < until) {
    left = left.filter((h) => {
      const cg = lightCgroup(block, h.index)
      return (cg && populated(cg)) || isOurSshd(block, h)
    })
    if (left.length) sleepSync(20)
  }
}

/** Removes the block's bridge and whatever of its hosts' netns and veths exists (one `ip -force -batch`). */
export function removeBlockNetworkSync(block: number): void {
  const lines: string[] = []
  const prefix = `acpl-${block}-`
  let names: string[] = []
  try {
    names = readdirSync('/run/netns')
  } catch {
    /* no netns at all */
  }
  for (const n of names) if (n.startsWith(prefix)) lines.push(`netns del ${n}`)
  for (const l of blockLinks(block)) lines.push(`link del ${l}`)
  if (existsSync(`/sys/class/net/${bridgeName(block)}`)) lines.push(`link del ${bridgeName(block)}`)
  if (lines.length) {
    try {
      execFileSync('ip', ['-force', '-batch', '-'], { input: `${lines.join('\n')}\n`, stdio: ['pipe', 'ignore', 'ignore'], timeout: 60_000 })
    } catch {
      /* -force went on past the lines that failed; what is left is found again next time */
    }
  }
}

/** The block's host-side veths still present (a netns is destroyed asynchronously after its last user). */
export function blockLinks(block: number): string[] {
  try {
    return readdirSync('/sys/class/net').filter((n) => n.startsWith(`vl${block}-`))
  } catch {
    return []
  }
}

/** Everything the block holds, released in order; the block is freed last. */
export function releaseBlockSync(rec: LightBlockRecord): void {
  for (const h of rec.hosts) killLightHostSync(rec.block, h)
  waitGoneSync(rec.block, rec.hosts)
  removeBlockNetworkSync(rec.block)
  for (const h of rec.hosts) {
    const cg = lightCgroup(rec.block, h.index)
    if (cg)
      try {
        rmdirSync(cg)
      } catch {
        /* gone already, or a straggler: the next reclaim retries */
      }
    rmSync(h.hostDir, { recursive: true, force: true })
  }
  // the testbed's own dir (key, known_hosts, shared layer, the hosts' tmpfs) goes with its last host, also when its owner died
  const hostsDir = join(rec.bedDir, 'hosts')
  if (basename(rec.bedDir).startsWith('acplay-testbed-') && emptyDir(hostsDir)) {
    unmountSync(hostsDir)
    if (mountsUnder(rec.bedDir).length === 0) rmSync(rec.bedDir, { recursive: true, force: true })
  }
  rmSync(blockDir(rec.block), { recursive: true, force: true })
}

function isStale(b: number): boolean {
  const rec = readBlock(b)
  if (!rec) return abandoned(blockDir(b))
  if (pidAlive(rec.ownerPid)) return false
  return !(rec.detached && rec.hosts.some((h) => isOurSshd(rec.block, h)))
}

/** Tears down blocks whose owner is gone. Safe to run from several processes at once. */
export function reclaimStaleBlocks(): number[] {
  return reclaimStale(LIGHT, isStale, (b) => {
    const rec = readBlock(b)
    if (rec) releaseBlockSync(rec)
    else {
      removeBlockNetworkSync(b)
      rmSync(blockDir(b), { recursive: true, force: true })
    }
  })
}

/** Processes of the host now (its cgroup), for measuring what a light host costs. */
export function lightHostPids(block: number, index: number): number[] {
  const cg = lightCgroup(block, index)
  if (!cg) return []
  try {
    return readFileSync(join(cg, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number)
  } catch {
    return []
  }
}
