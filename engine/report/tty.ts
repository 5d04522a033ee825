/** On a terminal: a live listr2 view of each task with one line per host, then the recap. */
import { Listr, type ListrTask } from 'listr2'
import { asyncLines, heading, resultLines, taskTitle, warningLine } from './format.js'
import { recapLines } from './recap.js'
import type { HostResult, Reporter } from './types.js'

const COLOR: Record<HostResult['status'], string> = { ok: '\x1b[32m', changed: '\x1b[33m', failed: '\x1b[31m', unreachable: '\x1b[31m', skipped: '\x1b[36m' }
const RESET = '\x1b[0m'
/** check mode's "may change" (engine/unknown.ts): magenta, apart from the exact yellow */
const MAY_CHANGE = '\x1b[35m'

export function ttyReporter(opts: { verbosity?: number; diff?: boolean } = {}): Reporter {
  // a fast host's result can arrive before listr2 has started that host's row: keep it until then
  let early = new Map<string, HostResult>()
  let waiting = new Map<string, (r: HostResult) => void>()
  let running: Promise<void> = Promise.resolve()
  const v = opts.verbosity ?? 0

  const hostTask =
    (host: string): ListrTask['task'] =>
    async (_ctx, task) => {
      const r = early.get(host) ?? (await new Promise<HostResult>((resolve) => waiting.set(host, resolve)))
      // the row's title is the result's line; a polled job's lines go under it
      const [first, ...more] = resultLines(r, v)
      const rest = [...asyncLines(r), ...more]
      task.title = `${r.mayChange ? MAY_CHANGE : COLOR[r.status]}${first}${RESET}`
      if (rest.length) task.output = rest.join('\n')
      if (r.status === 'skipped') task.skip(task.title)
    }

  return {
    onPlayStart: (p) => process.stdout.write(`\n${heading(`PLAY [${p.name}]`)}\n${p.hosts.length ? '' : 'skipping: no hosts matched\n'}`),
    onPlayBatch: (p) => process.stdout.write(`\n${heading(`PLAY [${p.name}]`)}\n`),
    onTaskStart: (t, hosts) => {
      early = new Map()
      waiting = new Map()
      const list = new Listr(
        hosts.map((h): ListrTask => ({ title: h, task: hostTask(h), rendererOptions: { persistentOutput: true } })),
        // the run handles SIGINT itself (it stops the hosts' commands and says what it left undone): listr2 would exit 127
        { concurrent: true, exitOnError: false, registerSignalListeners: false, rendererOptions: { collapseSubtasks: false, collapseSkips: false } },
      )
      process.stdout.write(`${taskTitle(t)}\n`)
      running = list.run().then(
        () => undefined,
        () => undefined,
      )
    },
    onHostResult: (r) => {
      const resolve = waiting.get(r.host)
      if (resolve) resolve(r)
      else early.set(r.host, r)
    },
    onTaskEnd: () => running,
    // after the task's host lines, which listr is still drawing
    onNoHostsLeft: () => {
      running = running.then(() => void process.stdout.write(`\n${heading('NO MORE HOSTS LEFT')}\n`))
    },
    onWarning: (m, kind) => process.stderr.write(`\x1b[35m${warningLine(m, kind)}${RESET}\n`),
    onRunEnd: async (s) => {
      await running
      process.stdout.write(`\n${heading('PLAY RECAP')}\n`)
      for (const [i, line] of recapLines(s.recap).entries()) {
        const r = s.recap[i]!
        const color = r.failed || r.unreachable ? COLOR.failed : r.changed ? COLOR.changed : COLOR.ok
        process.stdout.write(`${color}${line}${RESET}\n`)
      }
    },
  }
}
