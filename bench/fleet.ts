/**
 * `npm run bench -- fleet`: acplay on 10, 100 and 1,000 light testbed hosts (bench/fleet/playbook.yml:
 * users, files, templates, lineinfile, the pip fact) — converge on fresh hosts, then no-op and check —
 * and ansible-playbook (default configuration) on 100; the forks sweep and a host frozen in the ssh
 * handshake on the largest fleet. Writes bench/fleet-results.json and bench/fleet.svg, prints the
 * tables of bench/README.md (fleet).
 *
 *   npm run bench -- fleet [--counts 10,100,1000] [--reps 2] [--ansible 100] [--forks 5,10,25,50,100]
 *                          [--frozen 100] [--out bench/fleet-results.json] [--svg bench/fleet.svg]
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_FORKS } from '../engine/run/options.js'
import { fleetBed } from '../test/helpers/fleet.js'
import type { Testbed } from '../test/testbed/testbed.js'
import { type FleetCase, type FleetSample, type FleetTool, measureFleet } from './fleet-measure.js'
import { fleetSvg } from './fleet-plot.js'
import { bootTable, type FleetBoot, type FleetResults, fleetRows, fleetTable } from './fleet-report.js'
import { closeControlMasters, ROOT, snapshotAcplay } from './tools.js'

const { values: flags } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'fleet'),
  options: {
    counts: { type: 'string', default: '10,100,1000' },
    reps: { type: 'string', default: '2' },
    ansible: { type: 'string', default: '100' },
    forks: { type: 'string', default: '5,10,25,50,100' },
    frozen: { type: 'string', default: '100' },
    out: { type: 'string', default: join(ROOT, 'bench/fleet-results.json') },
    svg: { type: 'string', default: join(ROOT, 'bench/fleet.svg') },
  },
})
const list = (s: string | undefined) => (s ?? '').split(',').filter(Boolean).map(Number)
const COUNTS = list(flags.counts)
const REPS = Number(flags.reps)
const ANSIBLE_AT = list(flags.ansible)
const FORKS = list(flags.forks)
const FROZEN_AT = list(flags.frozen)
const log = (m: string) => process.stderr.write(`${m}\n`)

const workDir = mkdtempSync(join(tmpdir(), 'acplay-fleet-bench-'))
const acplayBin = snapshotAcplay(workDir)
const results: FleetResults = {
  date: new Date().toISOString().slice(0, 10),
  machine: {
    cores: cpus().length,
    memGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    ansible: execFileSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).split('\n')[0]!,
    loadBefore: loadavg().map((x) => +x.toFixed(2)),
  },
  boots: [],
  samples: [],
}

function pssOf(pids: number[], field: 'Pss' | 'Rss'): number {
  let kb = 0
  for (const p of pids) kb += Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1] ?? 0)
  return kb / Math.max(1, pids.length)
}

async function withFleet(n: number, fn: (bed: Testbed, inventory: string) => Promise<void>): Promise<void> {
  log(`fleet: booting ${n} light hosts (load ${loadavg()[0]!.toFixed(1)})`)
  const bed = await fleetBed(n, log)
  const boot: FleetBoot = {
    hosts: n,
    bootS: bed.timings.bootS,
    phases: bed.timings.light,
    idlePssKb: pssOf(bed.pids, 'Pss'),
    idleRssKb: pssOf(bed.pids, 'Rss'),
  }
  log(`  booted in ${boot.bootS.toFixed(1)} s; idle host ${(boot.idlePssKb / 1024).toFixed(2)} MB PSS`)
  try {
    await fn(bed, bed.inventory())
  } finally {
    await closeControlMasters(workDir)
    const t0 = Date.now()
    await bed.down()
    boot.downS = (Date.now() - t0) / 1000
    results.boots.push(boot)
  }
}

async function run(tool: FleetTool, kase: FleetCase, bed: Testbed, inventory: string, forks?: number): Promise<FleetSample> {
  const s = await measureFleet({ tool, case: kase === 'frozen' ? 'noop' : kase, bed, inventory, workDir, acplayBin, forks }, log)
  s.case = kase
  results.samples.push(s)
  save()
  return s
}

function save(): void {
  writeFileSync(join(workDir, 'fleet-results.json'), `${JSON.stringify(results, null, 2)}\n`)
}

try {
  for (const n of COUNTS) {
    await withFleet(n, async (bed, inv) => {
      await run('acplay', 'converge', bed, inv)
      for (let i = 0; i < REPS; i++) await run('acplay', 'noop', bed, inv)
      for (let i = 0; i < REPS; i++) await run('acplay', 'check', bed, inv)
      if (n === Math.max(...COUNTS)) for (const f of FORKS.filter((f) => f !== DEFAULT_FORKS)) await run('acplay', 'noop', bed, inv, f)
      if (FROZEN_AT.includes(n)) {
        // one host answers TCP but never its ssh banner: how long does it hold the run up?
        bed.freezeSshd(bed.hosts.at(-1)!.name)
        try {
          await run('acplay', 'frozen', bed, inv)
        } finally {
          bed.freezeSshd(bed.hosts.at(-1)!.name, false)
        }
      }
    })
  }
  for (const n of ANSIBLE_AT) {
    await withFleet(n, async (bed, inv) => {
      await run('ansible', 'converge', bed, inv)
      await run('ansible', 'noop', bed, inv)
      await run('ansible', 'check', bed, inv)
    })
  }
} finally {
  save()
  writeFileSync(flags.out!, `${JSON.stringify(results, null, 2)}\n`)
  writeFileSync(flags.svg!, fleetSvg(results))
  const rows = fleetRows(results, { acplay: DEFAULT_FORKS, ansible: 5 })
  process.stdout.write(`\n${bootTable(results.boots)}\n\n${fleetTable(rows)}\n\nresults: ${flags.out}, plot: ${flags.svg}, logs: ${workDir}\n`)
}
