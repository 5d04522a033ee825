/**
 * The end of a check run: one row per host with how many tasks would change and the first few of
 * them, so a person reads the fleet's drift at a glance. A reporter of its own, registered after
 * the plain or TTY reporter, so it prints below their PLAY RECAP.
 */
import type { Reporter, RunSummary, TaskRef } from './types.js'

/** `role : name` (handlers marked), the way the recap and the reports name a task. */
export const taskLabel = (t: TaskRef) => `${t.handler ? 'handler ' : ''}${t.role ? `${t.role} : ` : ''}${t.name}`

export interface HostDrift {
  host: string
  /** tasks that would change, in run order (a task that changes on several items counts once) */
  tasks: string[]
  /** of those, the ones that may change (not an exact prediction: engine/unknown.ts) */
  mayChange?: string[]
  failed: number
  unreachable: boolean
}

/** Per host of the recap: the (host, task) pairs reported changed, and whether the host could be audited. */
export function driftByHost(summary: Pick<RunSummary, 'recap' | 'results'>): HostDrift[] {
  const by = new Map(
    summary.recap.map((r) => [r.host, { host: r.host, tasks: [] as string[], mayChange: [] as string[], failed: r.failed, unreachable: r.unreachable > 0 }]),
  )
  for (const r of summary.results) {
    if (r.status !== 'changed') continue
    const d = by.get(r.host)
    if (d) d.tasks.push(taskLabel(r.task))
    if (d && r.mayChange) d.mayChange?.push(taskLabel(r.task))
  }
  return [...by.values()]
}

const COLOR = { drift: '\x1b[33m', clean: '\x1b[32m', bad: '\x1b[31m', reset: '\x1b[0m' }

/** The table as lines; `shown` task names per host, then "+N more". */
export function driftTableLines(drift: readonly HostDrift[], opts: { shown?: number; color?: boolean } = {}): string[] {
  const shown = opts.shown ?? 3
  const rows = drift.map((d) => {
    const may = new Set(d.mayChange ?? [])
    const label = (t: string) => (may.has(t) ? `${t} (may change)` : t)
    const names = d.tasks.slice(0, shown).map(label).join(', ') + (d.tasks.length > shown ? `, +${d.tasks.length - shown} more` : '')
    const state = d.unreachable ? 'UNREACHABLE' : d.failed ? `${d.failed} failed` : d.tasks.length ? 'drift' : 'in sync'
    const count = d.mayChange?.length ? `${d.tasks.length} (${d.mayChange.length} may)` : String(d.tasks.length)
    return { host: d.host, count, state, names, kind: d.unreachable || d.failed ? 'bad' : d.tasks.length ? 'drift' : 'clean' } as const
  })
  const w = {
    host: Math.max(4, ...rows.map((r) => r.host.length)),
    count: Math.max('would change'.length, ...rows.map((r) => r.count.length)),
    state: Math.max(5, ...rows.map((r) => r.state.length)),
  }
  const line = (host: string, count: string, state: string, names: string) =>
    `${host.padEnd(w.host)}  ${count.padStart(w.count)}  ${state.padEnd(w.state)}  ${names}`.trimEnd()
  const out = [line('HOST', 'would change', 'STATE', 'TASKS'), line('-'.repeat(w.host), '-'.repeat(w.count), '-'.repeat(w.state), '-----')]
  for (const r of rows) {
    const text = line(r.host, r.count, r.state, r.names)
    out.push(opts.color ? `${COLOR[r.kind]}${text}${COLOR.reset}` : text)
  }
  const total = drift.reduce((n, d) => n + d.tasks.length, 0)
  const hosts = drift.filter((d) => d.tasks.length > 0).length
  // an unreachable host was not audited: never call it "no drift"
  const audited = drift.filter((d) => !d.unreachable).length
  const down = drift.length - audited
  const failed = drift.filter((d) => d.failed > 0 && !d.unreachable).length
  const notes = [down ? `${down} unreachable (not audited)` : '', failed ? `${failed} with failed tasks` : ''].filter(Boolean).join(', ')
  const may = drift.reduce((n, d) => n + (d.mayChange?.length ?? 0), 0)
  const exactly = may ? ` (${total - may} predicted exactly, ${may} may change: they wait for an earlier planned change)` : ''
  const summary = total ? `drift: ${total} task(s) would change on ${hosts} of ${audited} audited host(s)${exactly}` : `no drift on ${audited} audited host(s)`
  out.push('', `${summary}${notes ? `; ${notes}` : ''}`)
  return out
}

/** Prints the table at the end of a check run (nothing in a real run). */
export function driftTableReporter(opts: { out?: NodeJS.WritableStream; color?: boolean; shown?: number } = {}): Reporter {
  const out = opts.out ?? process.stdout
  return {
    onRunEnd: (s) => {
      if (!s.check) return
      const heading = 'DRIFT (check mode) '
      out.write(`\n${heading}${'*'.repeat(80 - heading.length)}\n`)
      for (const l of driftTableLines(driftByHost(s), opts)) out.write(`${l}\n`)
      out.write('\n')
    },
  }
}

/**
 * `acplay check`'s exit code (`--detailed-exitcode`): 4 a host unreachable, 1 a task failed
 * (not ignored or rescued), 2 something changed (in check mode: drift), 0 the hosts match.
 */
export function detailedExitCode(s: Pick<RunSummary, 'recap'>): number {
  if (s.recap.some((r) => r.unreachable > 0)) return 4
  if (s.recap.some((r) => r.failed > 0)) return 1
  if (s.recap.some((r) => r.changed > 0)) return 2
  return 0
}
