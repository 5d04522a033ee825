/**
 * One measured run of a tool against the fleet: wall time; the controller's CPU and peak RSS
 * (GNU time, the tool's whole process tree); its open file descriptors (sampled from /proc every
 * 100 ms, summed over the tree: Ansible's forks hold pipes too); the hosts' CPU (their cgroups);
 * the recap (acplay: its audit report; Ansible: PLAY RECAP).
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import type { AuditReport } from '../engine/report/audit-json.js'
import type { Testbed } from '../test/testbed/testbed.js'
import { FLEET_PLAYBOOK } from '../test/helpers/fleet.js'
import { ansibleEnv } from './tools.js'

export type FleetTool = 'acplay' | 'ansible'
export type FleetCase = 'converge' | 'noop' | 'check' | 'frozen'

export interface FleetSample {
  tool: FleetTool
  case: FleetCase
  hosts: number
  forks?: number
  wallS: number
  controllerCpuS: number
  peakRssMb: number
  peakFds: number
  hostsCpuS: number
  /** (host, task) results: the unit of "per task-host" */
  taskHosts: number
  changed: number
  failed: number
  unreachable: number
  exitCode: number
  /** the machine's 1-minute load average when the run started (other work shares the cores) */
  load?: number
  /**
   * CPU the machine spent during the run on neither the tool nor the hosts (/proc/stat's busy time
   * less both): the VM's init and the kernel's own threads, other sessions' work
   */
  otherCpuS?: number
  /** core-seconds the machine's cores were idle during the run */
  idleCoreS?: number
  log: string
}

/** Child pids of `pid`, recursively (from /proc/PID/task/TID/children). */
function tree(pid: number): number[] {
  const out: number[] = []
  const walk = (p: number) => {
    let tids: string[] = []
    try {
      tids = readdirSync(`/proc/${p}/task`)
    } catch {
      return
    }
    for (const t of tids) {
      let kids = ''
      try {
        kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8')
      } catch {
        continue
      }
      for (const k of kids.split(' ').filter(Boolean).map(Number)) {
        out.push(k)
        walk(k)
      }
    }
  }
  walk(pid)
  return out
}

function fdCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length
  } catch {
    return 0
  }
}

function recapOfAnsible(stdout: string): { changed: number; failed: number; unreachable: number; taskHosts: number } {
  const out = { changed: 0, failed: 0, unreachable: 0, taskHosts: 0 }
  const recap = stdout.slice(stdout.lastIndexOf('PLAY RECAP'))
  for (const l of recap.split('\n')) {
    const m = /ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)/.exec(l)
    if (!m) continue
    const [ok, changed, unreachable, failed, skipped] = m.slice(1).map(Number) as [number, number, number, number, number]
    out.changed += changed
    out.failed += failed
    out.unreachable += unreachable
    out.taskHosts += ok + failed + skipped + unreachable
  }
  return out
}

function recapOfAudit(file: string): { changed: number; failed: number; unreachable: number; taskHosts: number } {
  const r = JSON.parse(readFileSync(file, 'utf8')) as AuditReport
  return {
    changed: r.recap.reduce((n, x) => n + x.changed, 0),
    failed: r.recap.reduce((n, x) => n + x.failed, 0),
    unreachable: r.recap.reduce((n, x) => n + x.unreachable, 0),
    taskHosts: r.hosts.reduce((n, h) => n + h.tasks.length, 0),
  }
}

let seq = 0

/** The machine's busy and idle CPU seconds so far (/proc/stat's first line; USER_HZ is 100 on Linux). */
function machineCpu(): { busyS: number; idleS: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .split(/\s+/)
    .slice(1, 9)
    .map(Number) as number[]
  return { busyS: (user! + nice! + system! + irq! + softirq! + steal!) / 100, idleS: (idle! + iowait!) / 100 }
}

export async function measureFleet(
  spec: { tool: FleetTool; case: FleetCase; bed: Testbed; inventory: string; workDir: string; acplayBin: string; forks?: number },
  log: (m: string) => void,
): Promise<FleetSample> {
  const n = ++seq
  const timeFile = join(spec.workDir, `time-${n}.txt`)
  const report = join(spec.workDir, `report-${n}.json`)
  const logFile = join(spec.workDir, `run-${n}-${spec.tool}-${spec.case}-${spec.bed.hosts.length}.log`)
  const check = spec.case === 'check' ? ['--check'] : []
  const forks = spec.forks ? ['-f', String(spec.forks)] : []
  const [cmd, env] =
    spec.tool === 'acplay'
      ? [[process.execPath, spec.acplayBin, 'run', FLEET_PLAYBOOK, '-i', spec.inventory, ...check, ...forks, '--report', report], {}]
      : [['ansible-playbook', FLEET_PLAYBOOK, '-i', spec.inventory, ...check, ...forks], ansibleEnv('default', spec.workDir)]
  const load = loadavg()[0]
  const cpu0 = spec.bed.cpuUsageS()
  const machine0 = machineCpu()
  const t0 = process.hrtime.bigint()
  const child = spawn('/usr/bin/time', ['-v', '-o', timeFile, ...cmd], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d))
  child.stderr.on('data', (d: Buffer) => (stderr += d))
  let peakFds = 0
  const sampler = setInterval(() => {
    if (!child.pid) return
    peakFds = Math.max(
      peakFds,
      tree(child.pid).reduce((s, p) => s + fdCount(p), 0),
    )
  }, 100)
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)))
  clearInterval(sampler)
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9
  const hostsCpuS = spec.bed.cpuUsageS() - cpu0
  const machine1 = machineCpu()
  writeFileSync(logFile, `$ ${cmd.join(' ')}\n${stdout}\n--- stderr\n${stderr}`)
  const times = readFileSync(timeFile, 'utf8')
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(times)?.[1] ?? NaN) / 1024
  const cpu = ['User', 'System'].reduce((a, k) => a + Number(new RegExp(`${k} time \\(seconds\\): ([\\d.]+)`).exec(times)?.[1] ?? NaN), 0)
  let recap = { changed: -1, failed: -1, unreachable: -1, taskHosts: 0 }
  try {
    recap = spec.tool === 'acplay' ? recapOfAudit(report) : recapOfAnsible(stdout)
  } catch {
    /* no report: the run broke; the log says why */
  }
  const s: FleetSample = {
    tool: spec.tool,
    case: spec.case,
    hosts: spec.bed.hosts.length,
    forks: spec.forks,
    wallS,
    controllerCpuS: cpu,
    peakRssMb: rss,
    peakFds,
    hostsCpuS,
    ...recap,
    exitCode,
    load,
    otherCpuS: machine1.busyS - machine0.busyS - cpu - hostsCpuS,
    idleCoreS: machine1.idleS - machine0.idleS,
    log: logFile,
  }
  log(
    `  ${s.tool.padEnd(7)} ${s.case.padEnd(8)} ${String(s.hosts).padStart(5)} hosts${s.forks ? ` -f ${s.forks}` : ''}  ${wallS.toFixed(1).padStart(7)} s  ` +
      `cpu ${cpu.toFixed(2)} s (${((cpu / Math.max(1, s.taskHosts)) * 1000).toFixed(2)} ms/task-host)  hosts ${hostsCpuS.toFixed(1)} s  ` +
      `other ${s.otherCpuS!.toFixed(1)} s  idle ${s.idleCoreS!.toFixed(1)} s  rss ${rss.toFixed(0)} MB  fds ${peakFds}  changed=${s.changed} failed=${s.failed} unreachable=${s.unreachable} exit ${exitCode}`,
  )
  return s
}
