/**
 * `npm run bench -- engine`: the controller's own work per task-host with the hosts and the ssh
 * layer taken out, so it reads the same on a busy or slow machine as on an idle one (the fleet
 * bench's ratios move with the machine's phase: bench/README.md).
 *
 * Converges the fleet playbook on N light hosts, records a no-op (each host's scripts and their
 * answers), then replays that no-op in this process: the same run (plans, templates, validation,
 * read-ahead, the plain output into a sink) with every answer from the recording. The recorded run's
 * CPU is the whole controller; a replay's is the engine alone. Last, the ssh layer alone: each host's
 * recorded scripts sent again over a fresh connection (10 hosts at a time, as forks), no engine.
 *
 *   npm run bench -- engine [--hosts 100] [--reps 5]
 */
import { Writable } from 'node:stream'
import { parseArgs } from 'node:util'
import pLimit from 'p-limit'
import type { Connection, ExecOptions, ExecResult } from '../engine/connection/types.js'
import { plainReporter } from '../engine/report/plain.js'
import { load, run, type RunOptions } from '../engine/run.js'
import { connectionFor } from '../engine/run/connections.js'
import { FLEET_PLAYBOOK, fleetBed } from '../test/helpers/fleet.js'

const { values: flags } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'engine'),
  options: { hosts: { type: 'string', default: '100' }, reps: { type: 'string', default: '5' } },
})
const HOSTS = Number(flags.hosts)
const REPS = Number(flags.reps)
const log = (m: string) => process.stderr.write(`${m}\n`)

// read-ahead's script names its answers with a nonce of its own each time (read-ahead.ts)
const NONCE = /ACPLAY_READ_[0-9a-f]{24}/g
const keyOf = (host: string, script: string, opts: ExecOptions) => `${host}\0${opts.become?.user ?? ''}\0${script.replace(NONCE, 'NONCE')}`
type Recording = Map<string, ExecResult & { nonce?: string }>
/** each host's scripts in the order it ran them */
const scripts = new Map<string, { script: string; opts: ExecOptions }[]>()

/** A host's real connection, keeping each script and its answer. */
function recording(inner: Connection, into: Recording): Connection {
  return {
    host: inner.host,
    get execCount() {
      return inner.execCount
    },
    get connectCount() {
      return inner.connectCount
    },
    async exec(script, opts = {}) {
      const out = await inner.exec(script, opts)
      into.set(keyOf(inner.host, script, opts), { ...out, nonce: script.match(NONCE)?.[0] })
      scripts.set(inner.host, [...(scripts.get(inner.host) ?? []), { script, opts }])
      return out
    },
    close: () => inner.close(),
  }
}

/** Answers each script from the recording, with no host behind it. */
class Replay implements Connection {
  execCount = 0
  readonly connectCount = 0
  constructor(
    readonly host: string,
    private readonly from: Recording,
  ) {}
  async exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.execCount++
    const kept = this.from.get(keyOf(this.host, script, opts))
    if (!kept) throw new Error(`engine bench: ${this.host} ran a script the recording lacks:\n${script.slice(0, 300)}`)
    const nonce = script.match(NONCE)?.[0]
    const swap = (s: string) => (kept.nonce && nonce ? s.replaceAll(kept.nonce, nonce) : s)
    return { rc: kept.rc, stdout: swap(kept.stdout), stderr: swap(kept.stderr) }
  }
  async close() {}
}

const sink = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done()
    },
  })

/** One run of the playbook; the CPU this process spent in it, and its task-host results. */
async function measured(opts: RunOptions): Promise<{ cpuS: number; taskHosts: number; changed: number; failed: number }> {
  const loaded = await load(opts)
  const before = process.cpuUsage()
  const summary = await run({ ...opts, reporters: [plainReporter({ out: sink() })] }, loaded)
  const used = process.cpuUsage(before)
  const changed = summary.results.filter((r) => r.status === 'changed').length
  const failed = summary.results.filter((r) => r.status === 'failed' || r.status === 'unreachable').length
  return { cpuS: (used.user + used.system) / 1e6, taskHosts: summary.results.length, changed, failed }
}

const ms = (cpuS: number, taskHosts: number) => ((cpuS * 1000) / taskHosts).toFixed(3)

/** The recorded scripts again, host by host over fresh connections, 10 at a time: the ssh layer's CPU alone. */
async function sshAlone(opts: RunOptions): Promise<number> {
  const { inventory } = await load(opts)
  const limit = pLimit(10)
  const before = process.cpuUsage()
  await Promise.all(
    [...scripts].map(([host, list]) =>
      limit(async () => {
        const conn = connectionFor(host, inventory.hostVars(host), opts)
        for (const { script, opts: o } of list) await conn.exec(script, { become: o.become })
        await conn.close()
      }),
    ),
  )
  const used = process.cpuUsage(before)
  return (used.user + used.system) / 1e6
}

log(`engine bench: booting ${HOSTS} light hosts`)
const bed = await fleetBed(HOSTS, log)
const recorded: Recording = new Map()
const replays: number[] = []
let whole: Awaited<ReturnType<typeof measured>>
let ssh: number
try {
  const base: RunOptions = { playbook: FLEET_PLAYBOOK, inventory: [bed.inventory()], forks: 10 }
  const converge = await measured(base)
  if (converge.failed) throw new Error(`engine bench: the converge failed on ${converge.failed} task-host(s)`)
  whole = await measured({ ...base, connectionFor: (name, vars, o) => recording(connectionFor(name, vars, o), recorded) })
  if (whole.changed || whole.failed) throw new Error(`engine bench: the no-op changed ${whole.changed} and failed ${whole.failed} task-host(s)`)
  // the hosts stay up (idle) only so that the inventory file is there to load
  for (let i = 0; i < REPS; i++) {
    const r = await measured({ ...base, connectionFor: (name) => new Replay(name, recorded) })
    if (r.failed || r.changed || r.taskHosts !== whole.taskHosts)
      throw new Error(`engine bench: a replay differed from the recorded no-op (${JSON.stringify(r)})`)
    replays.push(r.cpuS)
  }
  ssh = await sshAlone(base)
} finally {
  await bed.down()
}
const sorted = [...replays].sort((a, b) => a - b)
const median = sorted[Math.floor(sorted.length / 2)]!
const share = (cpuS: number) => `${((100 * cpuS) / whole.cpuS).toFixed(0)}%`
console.log(
  '| hosts | task-hosts | no-op: CPU s | ms/task-host | engine replays: CPU s | median ms/task-host | best | engine share | ssh alone: CPU s | ssh share |',
)
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
console.log(
  `| ${HOSTS} | ${whole.taskHosts} | ${whole.cpuS.toFixed(2)} | ${ms(whole.cpuS, whole.taskHosts)} | ${replays.map((c) => c.toFixed(2)).join(' / ')} | ${ms(median, whole.taskHosts)} | ${ms(sorted[0]!, whole.taskHosts)} | ${share(median)} | ${ssh.toFixed(2)} | ${share(ssh)} |`,
)
