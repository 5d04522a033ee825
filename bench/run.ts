/**
 * `npm run bench`: the same playbook (bench/playbook.yml) with ansible-playbook and with acplay on
 * the same testbed hosts, alternating, several repetitions; prints the table (bench/README.md).
 *
 *   npm run bench -- [--hosts 10] [--reps 3] [--configs default,pipelining,mitogen]
 *                    [--cases first,noop,check,scale,large] [--many 50] [--cpu-prof DIR]
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { compare, snapshot } from './compat.js'
import { benchVars, buildArtifacts, freshBed, hostsCpuS, type Artifacts, type BenchBed } from './hosts.js'
import { largeFileRuns } from './large.js'
import { rows, sampleOf, table, type Sample } from './report.js'
import { closeControlMasters, runTool, snapshotAcplay, toolLabel, type Case, type Config, type Measured, type Tool } from './tools.js'

const { values: flags } = parseArgs({
  options: {
    hosts: { type: 'string', default: '10' },
    reps: { type: 'string', default: '3' },
    configs: { type: 'string', default: 'default,pipelining,mitogen' },
    cases: { type: 'string', default: 'first,noop,check,scale' },
    many: { type: 'string', default: '50' },
    'cpu-prof': { type: 'string' },
  },
})
const N = Number(flags.hosts)
const REPS = Number(flags.reps)
const CONFIGS = flags.configs!.split(',').filter(Boolean) as Config[]
const CASES = new Set(flags.cases!.split(','))
const MANY = Number(flags.many)
const log = (m: string) => process.stderr.write(`${m}\n`)
const ACPLAY: Tool = { kind: 'acplay' }

for (const [bin, pkg] of [
  ['/usr/bin/time', 'time'],
  ['/usr/bin/ansible-playbook', 'ansible'],
]) {
  if (!existsSync(bin!)) throw new Error(`bench: ${bin} is missing (package ${pkg}): run scripts/setup-bench-deps.sh`)
}

const workDir = mkdtempSync(join(tmpdir(), 'acplay-bench-work-'))
snapshotAcplay(workDir)
const samples: Sample[] = []
const notes: string[] = []

async function measure(b: BenchBed, tool: Tool, kase: Case, opts: { limit?: string; record?: boolean } = {}): Promise<Measured> {
  const hosts = opts.limit ? 1 : b.bed.hosts.length
  const cpu0 = hostsCpuS(b.bed)
  const m = await runTool({
    tool,
    case: kase,
    inventory: b.inventory,
    forks: 10,
    limit: opts.limit,
    workDir,
    extraVars: benchVars(b),
    cpuProfDir: tool.kind === 'acplay' ? flags['cpu-prof'] : undefined,
  })
  const hostsCpu = hostsCpuS(b.bed) - cpu0
  const execs = m.execs?.map((e) => e.execs) ?? []
  const roundTrips = execs.length && m.tasksPerHost ? execs.reduce((a, b) => a + b, 0) / execs.length / m.tasksPerHost : undefined
  log(
    `  ${toolLabel(tool).padEnd(18)} ${kase.padEnd(6)} ${String(hosts).padStart(3)} hosts  ${m.wallS.toFixed(2).padStart(7)} s  ` +
      `cpu ${m.controllerCpuS.toFixed(2)} + hosts ${hostsCpu.toFixed(2)} s  rss ${m.maxRssMb.toFixed(0)} MB  changed=${m.changed} failed=${m.failed}` +
      `${roundTrips ? `  round trips/task/host ${roundTrips.toFixed(2)}` : ''}`,
  )
  if (m.failed !== 0 || m.exitCode !== 0) notes.push(`${toolLabel(tool)} ${kase} on ${hosts} hosts: exit ${m.exitCode}, failed=${m.failed} (log: ${m.log})`)
  if (opts.record !== false) samples.push(sampleOf(tool, 'forks=10', kase, hosts, m, hostsCpu, roundTrips))
  return m
}

async function withBed<T>(n: number, art: Artifacts, fn: (b: BenchBed) => Promise<T>): Promise<T> {
  const b = await freshBed(n, art, log)
  try {
    return await fn(b)
  } finally {
    await closeControlMasters(workDir)
    await b.bed.down()
  }
}

/** First run on fresh hosts: a new testbed for every run. Also the compatibility check. */
async function firstRuns(art: Artifacts): Promise<void> {
  const snaps: Record<string, string[]> = {}
  for (let rep = 1; rep <= REPS; rep++) {
    log(`first run, repetition ${rep}/${REPS}`)
    const order: Tool[] = CONFIGS.flatMap((config, i) => (i === 0 ? [{ kind: 'ansible', config }, ACPLAY] : [{ kind: 'ansible', config }]))
    for (const tool of order) {
      await withBed(N, art, async (b) => {
        await measure(b, tool, 'first')
        if (rep !== REPS) return
        if (tool.kind === 'acplay' || tool.config === 'default') snaps[tool.kind] = await snapshot(b.bed, b.bed.hosts[0]!.name)
        if (tool.kind === 'ansible' && tool.config === 'default') {
          // acplay on hosts Ansible converged must find nothing to do
          const again = await measure(b, ACPLAY, 'noop', { record: false })
          notes.push(`compatibility: acplay no-op on hosts converged by ansible-playbook: changed=${again.changed} failed=${again.failed}`)
        }
      })
    }
  }
  if (snaps.ansible && snaps.acplay) {
    const diff = compare(snaps.ansible, snaps.acplay)
    notes.push(
      diff.length
        ? `compatibility: host state differs after ansible vs acplay:\n${diff.join('\n')}`
        : `compatibility: host state identical after ansible-playbook and acplay ` +
            `(${snaps.acplay.length} checked lines: modes, owners, hashes, user, pip list, units, role, db)`,
    )
    writeFileSync(join(workDir, 'snapshot-ansible.txt'), `${snaps.ansible.join('\n')}\n`)
    writeFileSync(join(workDir, 'snapshot-acplay.txt'), `${snaps.acplay.join('\n')}\n`)
  }
}

/** No-op, --check and 1-host runs on one converged testbed, alternating ansible / acplay. */
async function convergedRuns(art: Artifacts): Promise<void> {
  await withBed(N, art, async (b) => {
    log('converging the hosts for the no-op/check cases (acplay, not timed)')
    await measure(b, ACPLAY, 'first', { record: false })
    for (const kase of ['noop', 'check'] as const) {
      if (!CASES.has(kase)) continue
      for (let rep = 1; rep <= REPS; rep++) {
        log(`${kase}, repetition ${rep}/${REPS}`)
        for (const config of CONFIGS) {
          await measure(b, { kind: 'ansible', config }, kase)
          await measure(b, ACPLAY, kase)
        }
      }
    }
    if (CASES.has('scale')) {
      for (let rep = 1; rep <= REPS; rep++) {
        log(`1 host, repetition ${rep}/${REPS}`)
        await measure(b, { kind: 'ansible', config: CONFIGS[0]! }, 'noop', { limit: b.bed.hosts[0]!.name })
        await measure(b, ACPLAY, 'noop', { limit: b.bed.hosts[0]!.name })
      }
    }
  })
}

/** acplay alone on many hosts: converge (not timed), then no-op runs. */
async function manyHosts(art: Artifacts): Promise<void> {
  log(`${MANY} hosts, acplay alone`)
  await withBed(MANY, art, async (b) => {
    await measure(b, ACPLAY, 'first')
    for (let rep = 1; rep <= REPS; rep++) await measure(b, ACPLAY, 'noop')
  })
}

// the large-file case needs no playbook artifacts (wheel index, plugin file)
const art = ['first', 'noop', 'check', 'scale'].some((c) => CASES.has(c)) || MANY > 0 ? buildArtifacts() : (undefined as unknown as Artifacts)
log(`bench: ${N} hosts, ${REPS} repetitions, ansible configurations ${CONFIGS.join(', ')}; work dir ${workDir}`)
try {
  if (CASES.has('first')) await firstRuns(art)
  if (CASES.has('noop') || CASES.has('check') || CASES.has('scale')) await convergedRuns(art)
  if (MANY > 0) await manyHosts(art)
  if (CASES.has('large')) await largeFileRuns({ reps: REPS, configs: CONFIGS, workDir, log, record: (s) => samples.push(s) })
} finally {
  const all = rows(samples)
  writeFileSync(join(workDir, 'results.json'), JSON.stringify({ samples, rows: all, notes }, null, 2))
  process.stdout.write(`\n${table(all)}\n\n${notes.join('\n')}\n\nsamples and logs: ${workDir}\n`)
}
