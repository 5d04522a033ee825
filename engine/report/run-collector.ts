/**
 * What the file reporters (audit JSON, JUnit) gather during a run: the run's flags, the plays, and
 * each (host, task) result with the play it belongs to and its loop items. Results arrive masked.
 */
import type { HostResult, Reporter, RunInfo, TaskRef } from './types.js'

export interface CollectedResult {
  play: string
  result: HostResult
  /** per-item results of a loop, in order */
  items: HostResult[]
}

export interface CollectedRun {
  info: RunInfo
  startedAt: Date
  plays: { name: string; hosts: string[] }[]
  results: CollectedResult[]
  warnings: string[]
  hooks: Required<Pick<Reporter, 'onRunStart' | 'onPlayStart' | 'onItemResult' | 'onHostResult' | 'onWarning'>>
}

const key = (host: string, t: TaskRef) => JSON.stringify([host, t.name, t.role ?? '', t.handler ?? false, t.pos?.file ?? '', t.pos?.line ?? 0, t.pos?.col ?? 0])

export function collectRun(): CollectedRun {
  const items = new Map<string, HostResult[]>()
  let play = ''
  const run: CollectedRun = {
    info: { playbook: '', check: false, diff: false },
    startedAt: new Date(),
    plays: [],
    results: [],
    warnings: [],
    hooks: {
      onRunStart: (i) => {
        run.info = { ...i }
        run.startedAt = new Date()
      },
      onPlayStart: (p) => {
        play = p.name
        run.plays.push({ name: p.name, hosts: [...p.hosts] })
      },
      onItemResult: (r) => {
        const k = key(r.host, r.task)
        items.set(k, [...(items.get(k) ?? []), r])
      },
      onHostResult: (r) => {
        const k = key(r.host, r.task)
        run.results.push({ play, result: r, items: r.items !== undefined ? (items.get(k) ?? []) : [] })
        items.delete(k)
      },
      onWarning: (m) => void run.warnings.push(m),
    },
  }
  return run
}
