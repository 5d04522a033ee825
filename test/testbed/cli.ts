/**
 * npm run testbed -- up [COUNT | NAME...] [--light]   boot hosts (h1..hN or the names) and leave them running;
 *                                            --light: sshd alone per host, no systemd (light.ts), for 1,000
 * npm run testbed -- down                   tear down what `up` started
 * npm run testbed -- status                 show the hosts and whether they answer
 * State lives in /run/acplay-testbed/cli.json, so up and down run as separate processes;
 * ACPLAY_TESTBED_STATE=NAME.json keeps another set apart (npm run demo uses demo.json).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { shellJoin } from '../../engine/connection/quote.js'
import { sshArgv } from './host.js'
import { run } from './sh.js'
import { isOurNspawn, mountsUnder, releaseHostSync, STATE_ROOT, type SlotRecord } from './slots.js'
import { isOurSshd, releaseBlockSync, type LightBlockRecord } from './light.js'
import { Testbed, type TestHost } from './testbed.js'

const STATE = join(STATE_ROOT, process.env.ACPLAY_TESTBED_STATE ?? 'cli.json')

interface CliState {
  dir: string
  key: string
  knownHostsFile: string
  inventory: string
  hosts: TestHost[]
  records: SlotRecord[]
  light?: LightBlockRecord[]
}

const alive = (s: CliState) => s.records.some((r) => isOurNspawn(r)) || (s.light ?? []).some((b) => b.hosts.some((h) => isOurSshd(b.block, h)))

function readState(): CliState | undefined {
  try {
    return JSON.parse(readFileSync(STATE, 'utf8')) as CliState
  } catch {
    return undefined
  }
}

async function up(argv: string[]): Promise<number> {
  let args = argv
  const prev = readState()
  if (prev && alive(prev)) {
    console.error(`testbed: already up (${prev.hosts.map((h) => h.name).join(', ')}); run \`npm run testbed -- down\` first`)
    return 1
  }
  if (prev) down() // its hosts are gone; release what is left
  const light = args.includes('--light')
  args = args.filter((a) => a !== '--light')
  const hosts = args.length === 0 ? 1 : args.length === 1 && /^\d+$/.test(args[0]!) ? Number(args[0]) : args
  const t0 = Date.now()
  const bed = await Testbed.up({ hosts, detached: true, light })
  const inventory = bed.inventory()
  mkdirSync(STATE_ROOT, { recursive: true })
  const state: CliState = {
    dir: bed.dir,
    key: bed.key,
    knownHostsFile: bed.knownHostsFile,
    inventory,
    hosts: bed.hosts,
    records: bed.slotRecords,
    light: bed.lightBlocks,
  }
  writeFileSync(STATE, `${JSON.stringify(state, null, 2)}\n`)
  console.log(`testbed: booted ${bed.hosts.length} host(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  console.log(`inventory:   ${inventory}`)
  console.log(`known_hosts: ${bed.knownHostsFile}`)
  for (const h of bed.hosts.slice(0, light ? 5 : undefined)) {
    const ssh = ['ssh', '-i', bed.key, '-o', `UserKnownHostsFile=${bed.knownHostsFile}`, `root@${h.address}`]
    console.log(`${h.name.padEnd(8)} ${h.state.padEnd(9)} ${shellJoin(ssh)}`)
  }
  if (bed.hosts.length > 5 && light)
    console.log(`... and ${bed.hosts.length - 5} more (${bed.hosts.at(-1)!.name} at ${bed.hosts.at(-1)!.address}): see the inventory`)
  return 0
}

function down(): number {
  const state = readState()
  if (!state) {
    console.log('testbed: nothing is up (no state file)')
    return 0
  }
  for (const r of state.records) {
    if (isOurNspawn(r)) process.kill(r.nspawnPid!, 'SIGTERM') // all power off at once
  }
  for (const r of state.records) releaseHostSync(r)
  for (const b of state.light ?? []) releaseBlockSync(b)
  if (existsSync(state.dir) && mountsUnder(state.dir).length === 0) rmSync(state.dir, { recursive: true, force: true })
  rmSync(STATE, { force: true })
  const names = state.hosts.map((h) => h.name)
  console.log(`testbed: down (${names.length > 10 ? `${names.length} hosts` : names.join(', ')})`)
  return 0
}

async function status(): Promise<number> {
  const state = readState()
  if (!state) {
    console.log('testbed: nothing is up')
    return 0
  }
  console.log(`inventory:   ${state.inventory}\nknown_hosts: ${state.knownHostsFile}`)
  const light = (state.light ?? []).flatMap((b) => b.hosts.map((h) => [b.block, h] as const))
  if (light.length) {
    const up = light.filter(([b, h]) => isOurSshd(b, h)).length
    console.log(`${state.hosts.length} light hosts, ${up} with their sshd running (${state.hosts[0]!.address} .. ${state.hosts.at(-1)!.address})`)
    return 0
  }
  for (const h of state.hosts) {
    const rec = state.records.find((r) => r.name === h.name)
    const alive = rec ? isOurNspawn(rec) : false
    let sys = 'powered off'
    if (alive) {
      const target = { address: h.address, user: 'root', key: state.key, knownHostsFile: state.knownHostsFile, connectTimeoutS: 3 }
      const r = await run([...sshArgv(target), 'systemctl is-system-running'], { timeoutMs: 10_000 })
      sys = r.stdout.trim() || `no ssh (${r.stderr.trim()})`
    }
    console.log(`${h.name.padEnd(8)} ${h.address.padEnd(13)} nspawn pid ${String(rec?.nspawnPid ?? '-').padEnd(8)} ${sys}`)
  }
  return 0
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv
  if (cmd === 'up') return up(rest)
  if (cmd === 'down') return down()
  if (cmd === 'status') return status()
  console.error('usage: npm run testbed -- up [COUNT | NAME...] [--light] | down | status')
  return 2
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e))
    process.exit(1)
  },
)
