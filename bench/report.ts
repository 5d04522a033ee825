/** Samples -> the table: median / min / max per (tool, configuration, case, hosts), and ratios. */
import type { Case, Measured, Tool } from './tools.js'

export interface Sample {
  tool: 'ansible' | 'acplay'
  config: string
  case: Case
  hosts: number
  wallS: number
  maxRssMb: number
  /** CPU seconds of the tool on the controller, and of the hosts' processes during the run */
  controllerCpuS: number
  hostsCpuS: number
  changed: number
  failed: number
  /** acplay: commands executed per task per host */
  roundTrips?: number
}

/** One measured run as a sample; `hostsCpuS` is what the hosts used during it. */
export function sampleOf(tool: Tool, config: string, kase: Case, hosts: number, m: Measured, hostsCpuS: number, roundTrips?: number): Sample {
  return {
    tool: tool.kind,
    config: tool.kind === 'ansible' ? tool.config : config,
    case: kase,
    hosts,
    wallS: m.wallS,
    maxRssMb: m.maxRssMb,
    controllerCpuS: m.controllerCpuS,
    hostsCpuS,
    changed: m.changed,
    failed: m.failed,
    roundTrips,
  }
}

export interface Row {
  tool: string
  config: string
  case: Case
  hosts: number
  n: number
  median: number
  min: number
  max: number
  rssMb: number
  controllerCpuS: number
  hostsCpuS: number
  roundTrips?: number
  changed: number
  failed: number
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

export function rows(samples: Sample[]): Row[] {
  const groups = new Map<string, Sample[]>()
  // a run that failed (or printed no recap/JSON) measures nothing; run.ts lists it in the notes
  for (const s of samples.filter((x) => x.failed === 0)) {
    const k = [s.tool, s.config, s.case, s.hosts].join('|')
    groups.set(k, [...(groups.get(k) ?? []), s])
  }
  return [...groups.values()].map((g) => {
    const w = g.map((s) => s.wallS)
    const rt = g.flatMap((s) => (s.roundTrips === undefined ? [] : [s.roundTrips]))
    return {
      tool: g[0]!.tool,
      config: g[0]!.config,
      case: g[0]!.case,
      hosts: g[0]!.hosts,
      n: g.length,
      median: median(w),
      min: Math.min(...w),
      max: Math.max(...w),
      rssMb: Math.max(...g.map((s) => s.maxRssMb)),
      controllerCpuS: median(g.map((s) => s.controllerCpuS)),
      hostsCpuS: median(g.map((s) => s.hostsCpuS)),
      roundTrips: rt.length ? median(rt) : undefined,
      changed: Math.max(...g.map((s) => s.changed)),
      failed: Math.max(...g.map((s) => s.failed)),
    }
  })
}

/** ansible median / acplay median for the same case and host count. */
export function ratio(all: Row[], r: Row): number | undefined {
  if (r.tool !== 'ansible') return undefined
  const ac = all.find((x) => x.tool === 'acplay' && x.case === r.case && x.hosts === r.hosts)
  return ac ? r.median / ac.median : undefined
}

export function table(all: Row[]): string {
  const head = [
    'tool',
    'configuration',
    'case',
    'hosts',
    'n',
    'median s',
    'min s',
    'max s',
    'controller CPU s',
    'hosts CPU s',
    'peak RSS MB',
    'changed',
    'failed',
    'round trips/task/host',
    'ansible/acplay',
  ]
  const f = (x: number) => x.toFixed(2)
  const body = all.map((r) => [
    r.tool,
    r.config,
    r.case,
    String(r.hosts),
    String(r.n),
    f(r.median),
    f(r.min),
    f(r.max),
    f(r.controllerCpuS),
    f(r.hostsCpuS),
    r.rssMb.toFixed(0),
    String(r.changed),
    String(r.failed),
    r.roundTrips === undefined ? '' : r.roundTrips.toFixed(2),
    ratio(all, r) === undefined ? '' : `${ratio(all, r)!.toFixed(1)}x`,
  ])
  return [head, head.map(() => '---'), ...body].map((cols) => `| ${cols.join(' | ')} |`).join('\n')
}
