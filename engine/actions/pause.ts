/**
 * pause: waits `seconds` or `minutes`, or for Enter after `prompt`. As in Ansible, a prompt is
 * answered only on a terminal: without one it does not wait (a warning says so), and a timed
 * pause just waits. Runs once per batch (names.ts ONCE_PER_BATCH).
 */
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { ModuleFailure } from '../errors.js'
import { toBool } from '../vars/filters-core.js'
import type { ActionEnv, ActionOutcome } from './run-action.js'

/** Ansible's `int` type for minutes/seconds: whole numbers, floats truncated. */
function whole(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null) return undefined
  const n = Number(v)
  if (!Number.isFinite(n)) throw new ModuleFailure(`pause: ${name} must be a number, got ${JSON.stringify(v)}`)
  return Math.trunc(n)
}

/** Python's str(datetime.now()): local time with microseconds. */
function pyNow(): string {
  const d = new Date()
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`
}

async function sleepUnlessInterrupted(ms: number, env: ActionEnv): Promise<void> {
  const until = Date.now() + ms
  while (!env.host.interrupted && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())))
}

/** One line from the terminal; with `echo` false what is typed is not shown (Ansible's echo: false). */
function readLine(question: string, echo: boolean): Promise<string> {
  let muted = false
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk)
      done()
    },
  })
  const rl = createInterface({ input: process.stdin, output, terminal: true })
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close()
      if (!echo) process.stderr.write('\n')
      resolve(answer)
    })
    muted = !echo
  })
}

export async function pause(args: Record<string, unknown>, env: ActionEnv): Promise<ActionOutcome> {
  const minutes = whole(args.minutes, 'minutes')
  let seconds = whole(args.seconds, 'seconds')
  if (minutes !== undefined && seconds !== undefined) throw new ModuleFailure('parameters are mutually exclusive: minutes|seconds')
  const echo = toBool(args.echo ?? true)
  const unit = minutes !== undefined ? 'minutes' : 'seconds'
  if (minutes !== undefined) seconds = minutes * 60
  if (seconds !== undefined && seconds < 1) seconds = 1
  const prompt = args.prompt === undefined || args.prompt === null ? undefined : String(args.prompt)
  const started = Date.now()
  const start = pyNow()
  let userInput = ''
  const interactive = !!process.stdin.isTTY
  if (seconds !== undefined) {
    env.say(`Pausing for ${seconds} seconds`)
    if (prompt) env.say(`[${env.taskName}]\n${prompt}:`)
    await sleepUnlessInterrupted(seconds * 1000, env)
  } else if (!interactive) {
    env.warn('Not waiting for response to prompt as stdin is not interactive')
  } else {
    userInput = await readLine(`[${env.taskName}]\n${prompt ?? 'Press enter to continue, Ctrl+C to interrupt'}${echo ? '' : ' (output is hidden)'}:\n`, echo)
  }
  const elapsed = (Date.now() - started) / 1000
  const shown = Math.round((unit === 'minutes' ? elapsed / 60 : elapsed) * 100) / 100
  return {
    status: 'ok',
    data: {
      changed: false,
      rc: 0,
      stderr: '',
      // Python prints the rounded float: 1.0, 0.02
      stdout: `Paused for ${Number.isInteger(shown) ? shown.toFixed(1) : shown} ${unit}`,
      start,
      stop: pyNow(),
      delta: Math.trunc(elapsed),
      echo,
      user_input: userInput,
    },
  }
}
