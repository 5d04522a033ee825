/**
 * Real Debian hosts for the tests: systemd-nspawn containers from one image, each in its own
 * network namespace on 10.231.N.0/24. See ../shared/TESTBED.md and test/testbed/README (API).
 *
 *   const bed = await Testbed.up({ hosts: ['db', 'web'] })
 *   await bed.exec('db', 'systemctl is-active postgresql')
 *   await bed.down()
 */
import { raiseHostLimits } from './limits.js'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SshConnection } from '../../engine/connection/ssh.js'
import { track, untrack } from './exit-hooks.js'
import { bootNspawn, mountOverlay, sshArgv, stopNspawn, waitReady, writeHostFiles } from './host.js'
import { ensureImage } from './image.js'
import { inventoryText, type InventoryOptions } from './inventory.js'
import { cutLink, gatewayAddress, hostAddress, restoreLink, setupNetwork } from './network.js'
import { serveDir } from './serve.js'
import { must, run, type RunResult } from './sh.js'
import { claimSlot, killNetnsPidsSync, mountsUnder, reclaimStaleSlots, releaseHostSync, writeSlot, type SlotRecord } from './slots.js'
import { missingTools } from './preflight.js'
import { cgroupDirs } from './cgroup.js'
import { LightHosts } from './light-hosts.js'
import { reclaimStaleBlocks, type LightBlockRecord } from './light.js'

export interface TestHost {
  name: string
  /** 10.231.N.11 */
  address: string
  /** 10.231.N.1: the outer machine as this host sees it (where bed.serve listens) */
  gateway: string
  port: 22
  slot: number
  /** `systemctl is-system-running` after boot: running, or degraded (reported on stderr); light hosts: running */
  state: string
  /** a light host (sshd alone in its namespaces, light.ts); slot is then its block */
  light?: boolean
}

export interface UpOptions {
  /** host names (a-z, 0-9, -), or a count for h1..hN */
  hosts: string[] | number
  /** leave the hosts running when this process exits (the CLI); down() from the state then */
  detached?: boolean
  log?: (msg: string) => void
  /**
   * The hosts may administer their own network namespace: CAP_NET_ADMIN (iptables, for ufw) and a
   * writable /proc/sys/net (sysctl net.*). Each host has its own netns, so the machine is untouched;
   * the rest of /proc/sys stays read-only.
   */
  netAdmin?: boolean
  /** light hosts: sshd alone, no systemd, a thousand fit (light.ts); 10.231.128.0/17 */
  light?: boolean
  /** light hosts: extra read-only layers over the image, topmost first (e.g. a prepared venv) */
  layers?: string[]
}

export interface ServeHandle {
  port: number
  /** http://GATEWAY:PORT/ as seen from that host */
  urlFor(hostName: string): string
  close(): Promise<void>
}

const stderrLog = (m: string) => process.stderr.write(`${m}\n`)

export class Testbed {
  readonly hosts: TestHost[] = []
  readonly key: string
  readonly knownHostsFile: string
  /** seconds: image build (when this up built it) and boot */
  readonly timings: { imageBuildS?: number; bootS: number; light?: LightHosts['phases'] } = { bootS: 0 }
  private records = new Map<string, SlotRecord>()
  private light?: LightHosts
  private servers = new Set<ServeHandle>()
  private inventories = 0
  private isDown = false

  private constructor(
    readonly dir: string,
    readonly detached: boolean,
  ) {
    this.key = join(dir, 'id_ed25519')
    this.knownHostsFile = join(dir, 'known_hosts')
  }

  static async up(opts: UpOptions): Promise<Testbed> {
    const names = typeof opts.hosts === 'number' ? Array.from({ length: opts.hosts }, (_, i) => `h${i + 1}`) : opts.hosts
    const log = opts.log ?? stderrLog
    for (const n of names) if (!/^[a-z][a-z0-9-]{0,30}$/.test(n)) throw new Error(`testbed: bad host name ${JSON.stringify(n)}`)
    if (new Set(names).size !== names.length || names.length === 0) throw new Error(`testbed: host names must be unique and non-empty`)
    if (process.getuid?.() !== 0) throw new Error('testbed: needs root (mount, ip netns, systemd-nspawn)')
    const missing = missingTools()
    if (missing.length) throw new Error(`testbed: missing tools: ${missing.join(', ')} (run scripts/setup-test-deps.sh)`)

    const image = await ensureImage(log)
    reclaimStaleSlots()
    reclaimStaleBlocks()
    raiseHostLimits()
    const bed = new Testbed(mkdtempSync(join(tmpdir(), 'acplay-testbed-')), opts.detached ?? false)
    if (!bed.detached) track(bed)
    bed.timings.imageBuildS = image.builtInS
    const t0 = Date.now()
    try {
      await must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'acplay-testbed', '-f', bed.key])
      const publicKey = await must(['cat', `${bed.key}.pub`])
      if (opts.light) {
        bed.light = new LightHosts(bed.dir, bed.detached, bed.hosts)
        bed.timings.light = bed.light.phases
        await bed.light.up(names, image.dir, publicKey, opts.layers ?? [], bed.knownHostsFile)
        await bed.proveLogin(bed.hosts[0]!.name)
        bed.timings.bootS = (Date.now() - t0) / 1000
        return bed
      }
      for (const name of names) {
        const hostDir = join(bed.dir, 'hosts', name)
        const rec = claimSlot({ name, ownerPid: process.pid, detached: bed.detached, hostDir, merged: join(hostDir, 'merged'), netAdmin: opts.netAdmin })
        bed.records.set(name, rec)
        const slot = rec.slot
        bed.hosts.push({ name, address: hostAddress(slot), gateway: gatewayAddress(slot), port: 22, slot, state: 'booting' })
      }
      const etcHosts = bed.hosts.map((h) => `${h.address} ${h.name}`)
      const known = await Promise.all(
        bed.hosts.map(async (h) => {
          const rec = bed.record(h.name)
          await setupNetwork(h.slot)
          await mountOverlay(image.dir, rec.hostDir)
          return writeHostFiles(rec.merged, h.slot, { name: h.name, publicKey, etcHosts })
        }),
      )
      writeFileSync(bed.knownHostsFile, `${known.flat().join('\n')}\n`)
      await Promise.all(bed.hosts.map((h) => bed.boot(h.name)))
    } catch (e) {
      await bed.down()
      throw e
    }
    bed.timings.bootS = (Date.now() - t0) / 1000
    return bed
  }

  host(name: string): TestHost {
    const h = this.hosts.find((x) => x.name === name)
    if (!h) throw new Error(`testbed: no host ${name} (have ${this.hosts.map((x) => x.name).join(', ')})`)
    return h
  }

  /** One real login (a banner alone does not prove that sshd, PAM and the keys work). */
  private async proveLogin(name: string): Promise<void> {
    const r = await this.exec(name, 'hostname')
    if (r.rc !== 0 || r.stdout.trim() !== name) throw new Error(`testbed: ssh to light host ${name} failed (rc ${r.rc}): ${r.stderr.trim()}`)
  }

  private record(name: string): SlotRecord {
    this.host(name)
    return this.records.get(name)!
  }

  /** Boots (or re-boots) the host on its existing overlay and waits until ssh works and systemd is up. */
  private async boot(name: string): Promise<void> {
    const h = this.host(name)
    const rec = this.record(name)
    rec.nspawnPid = bootNspawn(rec)
    writeSlot(rec)
    h.state = await waitReady(this.target(name, 'root'), rec.nspawnPid, join(rec.hostDir, 'nspawn.log'))
    if (h.state !== 'running') {
      const failed = await this.exec(name, 'systemctl --failed --no-legend --plain')
      process.stderr.write(`testbed: WARNING host ${name} is ${h.state}; failed units:\n${failed.stdout}\n`)
    }
  }

  private target(name: string, user: string) {
    return { address: this.host(name).address, user, key: this.key, knownHostsFile: this.knownHostsFile }
  }

  /** Runs a bash script on the host with the system ssh (independent of acplay's connection code). */
  exec(name: string, script: string, opts: { user?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    return run([...sshArgv(this.target(name, opts.user ?? 'root')), 'bash -s'], { input: script, timeoutMs: opts.timeoutMs ?? 120_000 })
  }

  /** An acplay SshConnection with host key checking on, against this testbed's known_hosts. */
  connection(name: string, user = 'root'): SshConnection {
    const h = this.host(name)
    return new SshConnection({ name, address: h.address, port: 22, user, privateKeyFile: this.key, hostKeyChecking: true, knownHostsFile: this.knownHostsFile })
  }

  /** Writes an INI inventory into the testbed's dir and returns its path. */
  inventory(opts: InventoryOptions = {}): string {
    const hosts = opts.hosts ? opts.hosts.map((n) => this.host(n)) : this.hosts
    const file = join(this.dir, `inventory-${++this.inventories}.ini`)
    writeFileSync(file, inventoryText(hosts, this.key, this.knownHostsFile, opts))
    return file
  }

  /** Static HTTP server for `dir` on the outer machine, reachable from every host at its gateway. */
  async serve(dir: string): Promise<ServeHandle> {
    const s = await serveDir(dir)
    const handle: ServeHandle = {
      port: s.port,
      urlFor: (name) => `http://${this.host(name).gateway}:${s.port}/`,
      close: async () => {
        this.servers.delete(handle)
        await s.close()
      },
    }
    this.servers.add(handle)
    return handle
  }

  /** Powers the host off (kills its nspawn); its overlay and network stay, so reboot() can bring it back. */
  async stopHost(name: string): Promise<void> {
    if (this.light) return this.light.stop(name)
    const rec = this.record(name)
    await stopNspawn(rec.nspawnPid)
    killNetnsPidsSync(rec.slot)
    rec.nspawnPid = undefined
    writeSlot(rec)
    this.host(name).state = 'stopped'
  }

  /**
   * Plays the hypervisor for a host that reboots itself (`shutdown -r` ends its nspawn): waits until
   * its nspawn has exited, then boots it again. Resolves once it is back (false: it never went down).
   */
  async bootAgainWhenDown(name: string, timeoutMs = 60_000): Promise<boolean> {
    const pid = this.record(name).nspawnPid
    const until = Date.now() + timeoutMs
    const alive = () => {
      try {
        process.kill(pid!, 0)
        return true
      } catch {
        return false
      }
    }
    while (pid && alive() && Date.now() < until) await new Promise((r) => setTimeout(r, 100))
    if (pid && alive()) return false
    await this.reboot(name)
    return true
  }

  async reboot(name: string): Promise<void> {
    await this.stopHost(name)
    if (this.light) return this.light.start(name)
    await this.boot(name)
  }

  /** The host's link goes dead without a reset (packets dropped silently), until restoreNetwork(). */
  async cutNetwork(name: string): Promise<void> {
    if (this.light) await this.light.setLink(name, false)
    else await cutLink(this.host(name).slot)
  }

  async restoreNetwork(name: string): Promise<void> {
    if (this.light) await this.light.setLink(name, true)
    else await restoreLink(this.host(name).slot)
  }

  /**
   * Light hosts: freezes (SIGSTOP) or thaws the host's sshd. A frozen sshd still completes TCP
   * connects (the kernel's backlog) but never sends its banner: a client hangs in the handshake.
   */
  freezeSshd(name: string, frozen = true): void {
    if (!this.light) throw new Error('testbed: freezeSshd is for light hosts')
    this.light.signal(name, frozen ? 'SIGSTOP' : 'SIGCONT')
  }

  /** Stops sshd on the host (open sessions survive); new connections are refused until reboot(). */
  async stopSshd(name: string): Promise<void> {
    if (this.light) return this.light.signal(name, 'SIGTERM')
    const r = await this.exec(name, 'systemctl stop ssh.socket ssh.service')
    if (r.rc !== 0) throw new Error(`testbed: stopping sshd on ${name} failed: ${r.stderr}`)
  }

  /** Powers every host off and releases everything: overlays, namespaces, links, temp dir, slots. */
  async down(): Promise<void> {
    if (this.isDown) return
    await Promise.all([...this.servers].map((s) => s.close()))
    await Promise.all([...this.records.values()].map((r) => stopNspawn(r.nspawnPid)))
    this.downSync()
  }

  /** Synchronous teardown for exit hooks; down() does the slow part (powering off) in parallel first. */
  downSync(): void {
    if (this.isDown) return
    this.isDown = true
    untrack(this)
    for (const r of this.records.values())
      if (r.nspawnPid)
        try {
          process.kill(r.nspawnPid, 'SIGTERM')
        } catch {
          /* gone */
        }
    for (const r of this.records.values()) releaseHostSync(r)
    this.light?.downSync()
    if (mountsUnder(this.dir).length === 0) rmSync(this.dir, { recursive: true, force: true })
    for (const h of this.hosts) h.state = 'down'
  }

  /** PIDs of the nspawn processes, or the light hosts' sshd (for tests asserting that down() left nothing behind). */
  get pids(): number[] {
    if (this.light) return this.light.pids
    return [...this.records.values()].flatMap((r) => (r.nspawnPid ? [r.nspawnPid] : []))
  }

  /**
   * CPU seconds the hosts' processes have used so far (sshd, shells, probes, PostgreSQL, systemd),
   * summed over the hosts' cgroups: every host runs in its own, and a cgroup v2 cpu.stat counts its
   * whole tree. The difference around a run is what it cost the hosts.
   */
  cpuUsageS(): number {
    const dirs = this.light ? this.light.cgroups() : this.hosts.flatMap((h) => cgroupDirs(h.slot))
    let usec = 0
    for (const d of dirs) {
      try {
        usec += Number(/^usage_usec (\d+)/m.exec(readFileSync(join(d, 'cpu.stat'), 'utf8'))?.[1] ?? 0)
      } catch {
        /* a v1 hierarchy (no cpu.stat) or a host that is down */
      }
    }
    return usec / 1e6
  }

  /** Light block records (the CLI saves them to tear down from another process). */
  get lightBlocks(): LightBlockRecord[] {
    return this.light?.blocks ?? []
  }

  /** Slot records (the CLI saves them to tear down from another process). */
  get slotRecords(): SlotRecord[] {
    return [...this.records.values()]
  }
}
