/** Plain lines for CI and pipes: one per task per host, then Ansible's PLAY RECAP. */
import { heading, resultLines, taskTitle } from './format.js'
import { recapLines } from './recap.js'
import type { Reporter } from './types.js'

export function plainReporter(opts: { verbosity?: number; diff?: boolean; out?: NodeJS.WritableStream } = {}): Reporter {
  const out = opts.out ?? process.stdout
  const write = (s: string) => out.write(`${s}\n`)
  const v = opts.verbosity ?? 0
  return {
    onPlayStart: (p) => write(`\n${heading(`PLAY [${p.name}]`)}`),
    onTaskStart: (t) => write(`\n${heading(taskTitle(t))}`),
    onItemResult: (r) => resultLines(r, v, !!opts.diff).forEach(write),
    onHostResult: (r) => {
      // a loop printed its items already; its aggregate line only matters when it failed, and
      // Ansible's `skipping: [host]` closes a loop whose every item was skipped (or that had none)
      if (r.items !== undefined && r.status !== 'failed' && r.status !== 'unreachable') {
        if (r.status === 'skipped') write(`skipping: [${r.host}]`)
        return
      }
      resultLines(r.items !== undefined ? { ...r, changes: [] } : r, v, !!opts.diff).forEach(write)
    },
    onWarning: (m) => process.stderr.write(`[WARNING]: ${m}\n`),
    onRunEnd: (s) => {
      write(`\n${heading('PLAY RECAP')}`)
      recapLines(s.recap).forEach(write)
      write('')
    },
  }
}
