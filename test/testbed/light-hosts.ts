/** A testbed's light hosts (light.ts): boot in parallel, faults, teardown. Testbed delegates to this. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pLimit from 'p-limit'
import {
  claimBlocks,
  isOurSshd,
  killLightHostSync,
  launchLightHost,
  lightAddress,
  lightCgroup,
  lightGateway,
  lightLink,
  mountHostsTmpfs,
  releaseBlockSync,
  setupLightNetwork,
  waitGoneSync,
  waitListening,
  writeBlock,
  writeHostUpper,
  writeSharedLayer,
  type LightBlockRecord,
  type LightHostRecord,
} from './light.js'
import { must } from './sh.js'
import type { TestHost } from './testbed.js'

/** Hosts starting at once: each start is ~10 short processes (nsenter, mount, ...) before sshd. */
const START_PARALLEL = 32

export class LightHosts {
  blocks: LightBlockRecord[] = []
  /** seconds per phase of up(): bridges, netns and veths; shared layer, upper dirs and host keys; starting sshd until it answers */
  readonly phases = { networkS: 0, filesS: 0, startS: 0 }
  private lowerDirs: string[] = []

  constructor(
    private readonly dir: string,
    private readonly detached: boolean,
    private readonly hosts: TestHost[],
  ) {}

  async up(names: string[], image: string, publicKey: string, layers: string[], knownHostsFile: string): Promise<void> {
    this.blocks = claimBlocks(names, { ownerPid: process.pid, detached: this.detached, bedDir: this.dir }, (n) => join(this.dir, 'hosts', n))
    for (const { block, hosts } of this.blocks) {
      for (const h of hosts) {
        this.hosts.push({
          name: h.name,
          address: lightAddress(block, h.index),
          gateway: lightGateway(block),
          port: 22,
          slot: block,
          state: 'booting',
          light: true,
        })
      }
    }
    let t = Date.now()
    const lap = () => {
      const s = (Date.now() - t) / 1000
      t = Date.now()
      return s
    }
    await setupLightNetwork(this.blocks)
    await mountHostsTmpfs(this.dir)
    this.phases.networkS = lap()
    const shared = join(this.dir, 'shared')
    writeSharedLayer(
      image,
      shared,
      publicKey,
      this.hosts.map((h) => `${h.address} ${h.name}`),
    )
    this.lowerDirs = [shared, ...layers, image]
    const known = this.all().map(([b, h]) => writeHostUpper(image, h.hostDir, h.name, lightAddress(b.block, h.index)))
    writeFileSync(knownHostsFile, `${known.join('\n')}\n`)
    this.phases.filesS = lap()
    const start = pLimit(START_PARALLEL)
    try {
      await Promise.all(this.all().map(([b, h]) => start(() => this.boot(b, h))))
    } finally {
      for (const b of this.blocks) writeBlock(b)
    }
    this.phases.startS = lap()
  }

  private all(): [LightBlockRecord, LightHostRecord][] {
    return this.blocks.flatMap((b) => b.hosts.map((h) => [b, h] as [LightBlockRecord, LightHostRecord]))
  }

  private find(name: string): [LightBlockRecord, LightHostRecord] {
    const found = this.all().find(([, h]) => h.name === name)
    if (!found) throw new Error(`testbed: no light host ${name}`)
    return found
  }

  private async boot(b: LightBlockRecord, h: LightHostRecord): Promise<void> {
    h.pid = launchLightHost(b.block, h, this.lowerDirs)
    await waitListening(lightAddress(b.block, h.index), h.pid, join(h.hostDir, 'sshd.log'))
    this.state(h.name, 'running')
  }

  private state(name: string, state: string): void {
    const t = this.hosts.find((x) => x.name === name)
    if (t) t.state = state
  }

  /** Powers the host off: every process in its cgroup; its netns and overlay stay for start(). */
  async stop(name: string): Promise<void> {
    const [b, h] = this.find(name)
    killLightHostSync(b.block, h)
    waitGoneSync(b.block, [h])
    h.pid = undefined
    writeBlock(b)
    this.state(name, 'stopped')
  }

  async start(name: string): Promise<void> {
    const [b, h] = this.find(name)
    await this.boot(b, h)
    writeBlock(b)
  }

  /** A signal to the host's sshd listener (SIGSTOP: handshakes hang; SIGTERM: new connections refused). */
  signal(name: string, sig: NodeJS.Signals): void {
    const [b, h] = this.find(name)
    if (!isOurSshd(b.block, h)) throw new Error(`testbed: light host ${name} has no sshd running`)
    process.kill(h.pid!, sig)
  }

  setLink(name: string, up: boolean): Promise<string> {
    const [b, h] = this.find(name)
    return must(['ip', 'link', 'set', lightLink(b.block, h.index), up ? 'up' : 'down'])
  }

  get pids(): number[] {
    return this.all().flatMap(([, h]) => (h.pid ? [h.pid] : []))
  }

  cgroups(): string[] {
    return this.all().flatMap(([b, h]) => lightCgroup(b.block, h.index) ?? [])
  }

  downSync(): void {
    for (const b of this.blocks) releaseBlockSync(b)
  }
}
