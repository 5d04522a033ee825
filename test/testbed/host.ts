/**
 * One testbed host: an overlay over the shared image, its own host keys and authorized_keys, booted
 * with systemd-nspawn inside its network namespace.
 */
import { spawn } from 'node:child_process'
import { appendFileSync, chmodSync, chownSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCgroups, enterCgroupsArgv } from './cgroup.js'
import { hostAddress, netnsName } from './network.js'
import { must, pidAlive, run, sleep } from './sh.js'
import type { SlotRecord } from './slots.js'

/** Mounts the host's overlay (lowerdir = the image; its writes go to upper, the image stays untouched). */
export async function mountOverlay(image: string, hostDir: string): Promise<string> {
  const [upper, work, merged] = ['upper', 'work', 'merged'].map((d) => join(hostDir, d)) as [string, string, string]
  for (const d of [upper, work, merged]) mkdirSync(d, { recursive: true })
  await must(['mount', '-t', 'overlay', 'overlay', '-o', `lowerdir=${image},upperdir=${upper},workdir=${work}`, merged])
  return merged
}

export interface HostFiles {
  name: string
  publicKey: string
  /** "ADDR NAME" lines so hosts can reach each other by inventory name */
  etcHosts: string[]
}

/** Hostname, /etc/hosts, authorized_keys for root and deploy; host keys generated before boot. Returns known_hosts lines. */
export async function writeHostFiles(merged: string, slot: number, f: HostFiles): Promise<string[]> {
  writeFileSync(join(merged, 'etc/hostname'), `${f.name}\n`)
  appendFileSync(join(merged, 'etc/hosts'), `${f.etcHosts.join('\n')}\n`)
  authorize(merged, 'root', f.publicKey)
  authorize(merged, 'deploy', f.publicKey)
  await must(['ssh-keygen', '-A', '-f', merged])
  const sshDir = join(merged, 'etc/ssh')
  return readdirSync(sshDir)
    .filter((n) => /^ssh_host_.*_key\.pub$/.test(n))
    .sort()
    .map((n) => {
      const [type, blob] = readFileSync(join(sshDir, n), 'utf8').trim().split(/\s+/)
      return `${hostAddress(slot)} ${type} ${blob}`
    })
}

function authorize(merged: string, user: string, publicKey: string): void {
  const entry = readFileSync(join(merged, 'etc/passwd'), 'utf8')
    .split('\n')
    .map((l) => l.split(':'))
    .find((p) => p[0] === user)
  if (!entry) throw new Error(`testbed: the image has no user ${user}`)
  const [uid, gid, home] = [Number(entry[2]), Number(entry[3]), entry[5]!]
  const sshDir = join(merged, home, '.ssh')
  mkdirSync(sshDir, { recursive: true })
  chownSync(sshDir, uid, gid)
  chmodSync(sshDir, 0o700)
  const file = join(sshDir, 'authorized_keys')
  writeFileSync(file, `${publicKey.trim()}\n`, { mode: 0o600 })
  chownSync(file, uid, gid)
  chmodSync(file, 0o600)
}

/** Starts the host detached (own session, unref'd), so a CLI can exit and leave it running. */
export function bootNspawn(rec: SlotRecord): number {
  const log = openSync(join(rec.hostDir, 'nspawn.log'), 'a')
  const nspawn = [
    'systemd-nspawn',
    '-q',
    '-b',
    '--register=no',
    '--keep-unit',
    '-D',
    rec.merged,
    '-M',
    `acp${rec.slot}`,
    `--network-namespace-path=/run/netns/${netnsName(rec.slot)}`,
    ...(rec.netAdmin ? ['--capability=CAP_NET_ADMIN'] : []),
  ]
  const [cmd, ...args] = [...enterCgroupsArgv(createCgroups(rec.slot)), ...nspawn]
  // netAdmin: only /proc/sys/net (the host's own network namespace) becomes writable, never kernel.* or vm.*
  const env = rec.netAdmin ? { ...process.env, SYSTEMD_NSPAWN_API_VFS_WRITABLE: 'network' } : process.env
  const child = spawn(cmd!, args, { detached: true, stdio: ['ignore', log, log], env })
  closeSync(log)
  child.on('error', () => {}) // surfaces as "not ready" with the log
  child.unref()
  if (!child.pid) throw new Error('testbed: systemd-nspawn did not start')
  return child.pid
}

/** Powers the host off (SIGTERM makes nspawn shut the container down), SIGKILL after the timeout. */
export async function stopNspawn(pid: number | undefined, timeoutMs = 10_000): Promise<void> {
  if (!pid || !pidAlive(pid)) return
  process.kill(pid, 'SIGTERM')
  const until = Date.now() + timeoutMs
  while (pidAlive(pid) && Date.now() < until) await sleep(50)
  if (pidAlive(pid)) {
    process.kill(pid, 'SIGKILL')
    while (pidAlive(pid)) await sleep(20)
  }
}

export interface SshTarget {
  address: string
  user: string
  key: string
  knownHostsFile: string
  connectTimeoutS?: number
}

/** The system ssh, strict: batch mode, our key only, host keys checked against our known_hosts only. */
export function sshArgv(t: SshTarget): string[] {
  return [
    'ssh',
    '-i',
    t.key,
    '-p',
    '22',
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${t.knownHostsFile}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    `ConnectTimeout=${t.connectTimeoutS ?? 5}`,
    '-o',
    'LogLevel=ERROR',
    `${t.user}@${t.address}`,
  ]
}

/** Ready = ssh works and systemd has finished booting. Returns the system state (running | degraded | ...). */
export async function waitReady(t: SshTarget, nspawnPid: number, logFile: string, timeoutMs = 60_000): Promise<string> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const r = await run([...sshArgv({ ...t, connectTimeoutS: 2 }), 'true'], { timeoutMs: 5_000 })
    if (r.rc === 0) break
    if (!pidAlive(nspawnPid) || Date.now() > until) {
      const why = pidAlive(nspawnPid) ? `no ssh after ${timeoutMs / 1000} s (${r.stderr.trim()})` : 'systemd-nspawn exited'
      throw new Error(`testbed: host ${t.address} did not come up: ${why}\n--- ${logFile}:\n${tail(logFile)}`)
    }
    await sleep(100)
  }
  const s = await run([...sshArgv(t), 'systemctl is-system-running --wait'], { timeoutMs: Math.max(5_000, until - Date.now()) })
  return s.stdout.trim() || `unknown (${s.stderr.trim()})`
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n')
  } catch {
    return '(no log)'
  }
}
