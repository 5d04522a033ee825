/** Plain lines for CI and pipes: one per task per host, then Ansible's PLAY RECAP. */
import { taskBanners } from './banners.js'
import { pyJson } from './failure.js'
import { asyncLines, heading, resultLines, warningLine } from './format.js'
import { recapLines } from './recap.js'
import { isDebug } from './shown-result.js'
import type { HostResult, Reporter } from './types.js'

export function plainReporter(opts: { verbosity?: number; diff?: boolean; out?: NodeJS.WritableStream } = {}): Reporter {
  const out = opts.out ?? process.stdout
  const write = (s: string) => out.write(`${s}\n`)
  const v = opts.verbosity ?? 0
  const banners = taskBanners()
  const banner = (b: string | undefined) => b !== undefined && write(`\n${b}`)
  // a result's lines, after its task's banner where Ansible's callback prints one then; a polled
  // job's lines before it, as the callback prints them with no banner of their own
  const result = (r: HostResult, lines: string[]) => {
    asyncLines(r).forEach(write)
    if (lines.length) banner(banners.before(r.task))
    lines.forEach(write)
  }
  return {
    onPlayStart: (p) => {
      banners.play(!!p.free)
      write(`\n${heading(`PLAY [${p.name}]`)}${p.hosts.length ? '' : '\nskipping: no hosts matched'}`)
    },
    onPlayBatch: (p) => write(`\n${heading(`PLAY [${p.name}]`)}`),
    onTaskStart: (t) => banner(banners.start(t)),
    onItemResult: (r) => result(r, resultLines(r, v)),
    onHostResult: (r) => {
      // a loop printed its items already, a failed one too (a loop fails only by an item): as
      // Ansible, no line of its own but `...ignoring` under an ignored failure, and `skipping:
      // [host]` closing a loop whose every item was skipped (or that had none); an unreachable
      // host stops the loop and is told once more, as Ansible's `fatal: ... UNREACHABLE!`. Under
      // no_log the censored result has no items left, so Ansible's callback prints its own line.
      if (r.items !== undefined && r.status !== 'unreachable' && !r.hidden) {
        if (r.status === 'skipped') result(r, [`skipping: [${r.host}]`])
        // debug's loop is the exception: the callback's _clean_results keeps its msg alone, so no items are left
        if (r.status === 'failed' && isDebug(r.task.action)) result(r, [`fatal: [${r.host}]: FAILED! => ${pyJson({ msg: 'One or more items failed' })}`])
        if (r.status === 'failed' && r.ignored) write('...ignoring')
        return
      }
      result(r, resultLines(r.items !== undefined ? { ...r, changes: [] } : r, v))
    },
    onNoHostsLeft: () => write(`\n${heading('NO MORE HOSTS LEFT')}`),
    onWarning: (m, kind) => process.stderr.write(`${warningLine(m, kind)}\n`),
    onRunEnd: (s) => {
      write(`\n${heading('PLAY RECAP')}`)
      recapLines(s.recap).forEach(write)
      write('')
    },
  }
}
