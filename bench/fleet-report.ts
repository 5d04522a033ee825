/** The fleet bench's results file and its tables (bench/README.md, fleet). */
import type { FleetCase, FleetSample, FleetTool } from './fleet-measure.js'
import { median } from './report.js'

export interface FleetBoot {
  hosts: number
  bootS: number
  phases?: { networkS: number; filesS: number; startS: number }
  /** proportional set size of an idle light host (its sshd), and its resident set */
  idlePssKb: number
  idleRssKb: number
  downS?: number
}

export interface FleetResults {
  date: string
  machine: { cores: number; memGb: number; kernel: string; node: string; ansible: string; loadBefore: number[] }
  boots: FleetBoot[]
  samples: FleetSample[]
}

export interface FleetRow {
  tool: FleetTool
  case: FleetCase
  hosts: number
  forks: number
  n: number
  wallS: number
  controllerCpuS: number
  cpuMsPerTaskHost: number
  peakRssMb: number
  peakFds: number
  hostsCpuS: number
  /** the hosts' own CPU over the machine's cores: no run on this machine can be shorter */
  floorS: number
  /**
   * (controller + hosts CPU) / hosts CPU: the least wall/floor this run's own CPU allows when the
   * controller shares the hosts' cores and nothing else runs; unlike wall/floor, other work on the
   * machine barely moves it
   */
  cpuBound: number
  /** median 1-minute load average when the runs started (other work on the same cores) */
  load?: number
  /** median CPU of neither the tool nor the hosts during a run, and idle core-seconds (FleetSample) */
  otherCpuS?: number
  idleCoreS?: number
  changed: number
  failed: number
}

/** Median per (tool, case, hosts, forks) over the runs that completed. */
export function fleetRows(r: FleetResults, defaultForks: Record<FleetTool, number>): FleetRow[] {
  const groups = new Map<string, FleetSample[]>()
  for (const s of r.samples) {
    const k = [s.tool, s.case, s.hosts, s.forks ?? defaultForks[s.tool]].join('|')
    groups.set(k, [...(groups.get(k) ?? []), s])
  }
  return [...groups.values()].map((g) => {
    const f = g[0]!
    const cpu = median(g.map((s) => s.controllerCpuS))
    const hostsCpu = median(g.map((s) => s.hostsCpuS))
    return {
      tool: f.tool,
      case: f.case,
      hosts: f.hosts,
      forks: f.forks ?? defaultForks[f.tool],
      n: g.length,
      wallS: median(g.map((s) => s.wallS)),
      controllerCpuS: cpu,
      cpuMsPerTaskHost: (cpu / Math.max(1, f.taskHosts)) * 1000,
      peakRssMb: Math.max(...g.map((s) => s.peakRssMb)),
      peakFds: Math.max(...g.map((s) => s.peakFds)),
      hostsCpuS: hostsCpu,
      floorS: hostsCpu / r.machine.cores,
      cpuBound: (cpu + hostsCpu) / hostsCpu,
      load: g.every((s) => s.load !== undefined) ? median(g.map((s) => s.load!)) : undefined,
      otherCpuS: g.every((s) => s.otherCpuS !== undefined) ? median(g.map((s) => s.otherCpuS!)) : undefined,
      idleCoreS: g.every((s) => s.idleCoreS !== undefined) ? median(g.map((s) => s.idleCoreS!)) : undefined,
      changed: Math.max(...g.map((s) => s.changed)),
      failed: Math.max(...g.map((s) => s.failed + s.unreachable)),
    }
  })
}

export function fleetTable(rows: FleetRow[]): string {
  const head = [
    'tool',
    'case',
    'hosts',
    'forks',
    'n',
    'wall s',
    'controller CPU s',
    'CPU ms/task-host',
    'peak RSS MB',
    'peak fds',
    'hosts CPU s',
    'hosts floor s',
    'wall/floor',
    'CPU bound',
    'other CPU s',
    'idle core-s',
    'load',
    'changed',
    'failed',
  ]
  const body = rows.map((r) => [
    r.tool,
    r.case,
    String(r.hosts),
    String(r.forks),
    String(r.n),
    r.wallS.toFixed(1),
    r.controllerCpuS.toFixed(2),
    r.cpuMsPerTaskHost.toFixed(2),
    r.peakRssMb.toFixed(0),
    String(r.peakFds),
    r.hostsCpuS.toFixed(1),
    r.floorS.toFixed(1),
    `${(r.wallS / r.floorS).toFixed(2)}x`,
    `${r.cpuBound.toFixed(2)}x`,
    r.otherCpuS?.toFixed(1) ?? '',
    r.idleCoreS?.toFixed(1) ?? '',
    r.load?.toFixed(0) ?? '',
    String(r.changed),
    String(r.failed),
  ])
  return [head, head.map(() => '---'), ...body].map((c) => `| ${c.join(' | ')} |`).join('\n')
}

export function bootTable(boots: FleetBoot[]): string {
  const head = ['light hosts', 'boot s', 'network s', 'files and keys s', 'sshd start s', 'idle PSS per host MB', 'idle RSS per host MB', 'teardown s']
  const body = boots.map((b) => [
    String(b.hosts),
    b.bootS.toFixed(1),
    b.phases?.networkS.toFixed(1) ?? '',
    b.phases?.filesS.toFixed(1) ?? '',
    b.phases?.startS.toFixed(1) ?? '',
    (b.idlePssKb / 1024).toFixed(2),
    (b.idleRssKb / 1024).toFixed(1),
    b.downS?.toFixed(1) ?? '',
  ])
  return [head, head.map(() => '---'), ...body].map((c) => `| ${c.join(' | ')} |`).join('\n')
}
