/** What the fault tests share: a run that can be signalled mid-way, waiting on a host's state, no stack traces. */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BIN, type CliResult, ROOT } from '../helpers/cli.js'

export interface Running {
  pid: number
  signal(sig: NodeJS.Signals): void
  /** the run's output, exit code (128 + n when a signal ended it), wall time, and the controller's peak RSS (KiB, --rss runs) */
  result: Promise<CliResult & { ms: number; maxRssKb?: number }>
}

const RSS_RUNNER = new URL('./max-rss.js', import.meta.url).pathname

/** Starts `acplay ARGS` as an operator would; `rss`: through max-rss.js, which reports the peak RSS. */
export function startAcplay(args: string[], opts: { rss?: boolean; cwd?: string } = {}): Running {
  const t0 = Date.now()
  const child = spawn(process.execPath, [opts.rss ? RSS_RUNNER : BIN, ...args], { cwd: opts.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d))
  child.stderr.on('data', (d: Buffer) => (stderr += d))
  const result = new Promise<CliResult & { ms: number; maxRssKb?: number }>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const rss = /^MAXRSS_KB (\d+)$/m.exec(stderr)
      resolve({
        code: code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 2),
        stdout,
        stderr: stderr.replace(/^MAXRSS_KB \d+\n/m, ''),
        ms: Date.now() - t0,
        maxRssKb: rss ? Number(rss[1]) : undefined,
      })
    })
  })
  return { pid: child.pid!, signal: (sig) => child.kill(sig), result }
}

/** waitFor, but a run that ends first fails the wait with its output (the marker will never come). */
export async function waitInRun(run: Running, what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  let ended: (CliResult & { ms: number }) | undefined
  void run.result.then((r) => {
    ended = r
  })
  await waitFor(
    what,
    async () => {
      if (ended) assert.fail(`the run ended (exit ${ended.code}) before ${what}:\n${ended.stdout}${ended.stderr}`)
      return cond()
    },
    timeoutMs,
  )
}

export const runAcplay = (args: string[], opts: { rss?: boolean; cwd?: string } = {}) => startAcplay(args, opts).result

/** Polls `cond` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 20_000, everyMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/** Clean errors: no JavaScript stack trace and no raw Node error in what an operator sees. */
export function assertNoStackTrace(r: CliResult): void {
  const text = `${r.stdout}\n${r.stderr}`
  assert.doesNotMatch(text, /^\s+at .+[(:]\d+:\d+\)?$/m, `a stack trace in the output:\n${text}`)
  assert.doesNotMatch(text, /node:internal|Unhandled 'error' event|Node\.js v\d+|TypeError|ReferenceError|Cannot read properties/, `a raw Node error:\n${text}`)
}

/** A scratch directory with the given files (name -> text). */
export function scratch(prefix: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `acplay-${prefix}-`))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

/** The PLAY RECAP counts of one host, from plain output. */
export function recapOf(out: string, host: string): Record<string, number> | undefined {
  const line = out
    .slice(out.lastIndexOf('PLAY RECAP'))
    .split('\n')
    .find((l) => l.startsWith(`${host} `))
  if (!line) return undefined
  return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]))
}
