/** Plain lines for CI and pipes: one per task per host, then Ansible's PLAY RECAP. */
import { heading, resultLines, taskTitle } from './format.js'
import { recapLines } from './recap.js'
import type { Reporter } from './types.js'

export function plainReporter(opts: { verbosity?: number; diff?: boolean; out?: NodeJS.WritableStream } = {}): Reporter {
  const out = opts.out ?? process.stdout
  const write = (s: string) => out.write(`${s}\n`)
  const v = opts.verbosity ?? 0
  // the hosts of the current task with a failed item already printed
  const itemFailed = new Set<string>()
  return {
    onPlayStart: (p) => write(`\n${heading(`PLAY [${p.name}]`)}`),
    onTaskStart: (t) => {
      itemFailed.clear()
      write(`\n${heading(taskTitle(t))}`)
    },
    onItemResult: (r) => {
      if (r.status === 'failed') itemFailed.add(r.host)
      resultLines(r, v, !!opts.diff).forEach(write)
    },
    onHostResult: (r) => {
      // a loop printed its items already: its aggregate line only tells a failure no item line
      // told (as Ansible, which prints no line for a loop whose items failed), and Ansible's
      // `skipping: [host]` closes a loop whose every item was skipped (or that had none)
      if (r.items !== undefined && ((r.status !== 'failed' && r.status !== 'unreachable') || (r.status === 'failed' && itemFailed.has(r.host)))) {
        if (r.status === 'skipped') write(`skipping: [${r.host}]`)
        if (r.status === 'failed' && r.ignored) write('...ignoring')
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
