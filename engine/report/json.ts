/** One JSON document on stdout at the end (`--json`): for machines and for the tests. */
import { withStreamLines } from './failure.js'
import type { HostResult, Reporter, RunSummary } from './types.js'

export interface JsonDocument {
  playbook: string
  check: boolean
  plays: { name: string; hosts: string[] }[]
  results: HostResult[]
  warnings: string[]
  recap: RunSummary['recap']
  exitCode: number
  durationMs: number
  /** per host: connections opened and commands executed (round trips) */
  connections: RunSummary['connections']
  /** present when the run was interrupted: what was stopped, what was left undone */
  interrupted?: RunSummary['interrupted']
}

export function jsonReporter(out: NodeJS.WritableStream = process.stdout): Reporter {
  const doc: JsonDocument = { playbook: '', check: false, plays: [], results: [], warnings: [], recap: [], exitCode: 0, durationMs: 0, connections: [] }
  return {
    onRunStart: (i) => {
      doc.playbook = i.playbook
      doc.check = i.check
    },
    onPlayStart: (p) => void doc.plays.push({ name: p.name, hosts: p.hosts }),
    onHostResult: (r) => void doc.results.push(r.result ? { ...r, result: withStreamLines(r.result) } : r),
    onWarning: (m) => void doc.warnings.push(m),
    onRunEnd: (s) => {
      doc.recap = s.recap
      doc.exitCode = s.exitCode
      doc.durationMs = s.durationMs
      doc.connections = s.connections
      if (s.interrupted) doc.interrupted = s.interrupted
      out.write(`${JSON.stringify(doc, null, 2)}\n`)
    },
  }
}
