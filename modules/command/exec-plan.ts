/**
 * The shared planner of `command` and `shell`: creates/removes decide whether to run (through the
 * path.stat fact, so check mode sees files that earlier changes would create); otherwise the plan is
 * one change that runs the argv. Effects: none (what a command does cannot be known).
 */
import { posix } from 'node:path'
import { ModuleFailure } from '../../engine/errors.js'
import { shellJoin } from '../../engine/connection/quote.js'
import type { ExecResult } from '../../engine/connection/types.js'
import { pathStat } from '../facts/path.js'
import type { Command, ModuleContext, Outcome, Plan } from '../types.js'

export interface ExecParams {
  chdir?: string
  creates?: string
  removes?: string
  stdin?: string
  stdin_add_newline: boolean
}

/** What command and shell return (`cmd` is described by each). */
export const execReturns = (cmd: string) => ({
  rc: 'exit code',
  stdout: 'standard output, trailing newlines stripped',
  stderr: 'standard error, trailing newlines stripped',
  stdout_lines: 'stdout split into lines',
  stderr_lines: 'stderr split into lines',
  cmd,
})

export const EXEC_PARAMS = {
  chdir: { type: 'path', description: 'change into this directory before running' },
  creates: { type: 'path', description: 'a path; if it exists, the command is not run (relative to chdir)' },
  removes: { type: 'path', description: 'a path; if it does not exist, the command is not run (relative to chdir)' },
  stdin: { type: 'str', description: "text fed to the command's standard input" },
  stdin_add_newline: { type: 'bool', default: true, description: 'append a newline to stdin' },
  strip_empty_ends: { type: 'bool', default: true, description: 'strip the trailing newlines (empty lines) from stdout and stderr' },
} as const

const resolve = (path: string, chdir?: string) => (chdir && !path.startsWith('/') ? posix.join(chdir, path) : path)

/** The command to run: the argv, inside `cd` when chdir is given (the directory is a positional arg). */
export function execCommand(argv: string[], p: ExecParams): Command {
  const full = p.chdir !== undefined ? ['sh', '-c', 'cd -- "$1" || exit; shift; exec "$@"', 'sh', p.chdir, ...argv] : argv
  const cmd: Command = { argv: full }
  if (p.stdin !== undefined) cmd.stdin = p.stdin + (p.stdin_add_newline ? '\n' : '')
  return cmd
}

export async function planExec(argv: string[], shown: string, p: ExecParams, ctx: ModuleContext): Promise<Plan> {
  if (argv.length === 0) throw new ModuleFailure('no command given (cmd is empty)')
  if (p.chdir !== undefined && !p.chdir.startsWith('/')) throw new ModuleFailure(`argument 'chdir' must be an absolute path, got ${JSON.stringify(p.chdir)}`)
  const skipped = (why: string): Plan => ({
    kind: 'ok',
    reason: why,
    data: { rc: 0, stdout: why, stderr: '', stdout_lines: [why], stderr_lines: [], cmd: shown, changed: false },
  })
  if (p.creates !== undefined) {
    const path = resolve(p.creates, p.chdir)
    if ((await ctx.fact(pathStat, path)).exists) return skipped(`skipped, since ${path} exists`)
  }
  if (p.removes !== undefined) {
    const path = resolve(p.removes, p.chdir)
    if (!(await ctx.fact(pathStat, path)).exists) return skipped(`skipped, since ${path} does not exist`)
  }
  return { kind: 'change', changes: [{ summary: `run ${shown}`, commands: [execCommand(argv, p)] }], data: { cmd: shown } }
}

const strip = (s: string) => s.replace(/[\r\n]+$/, '')
// Python's splitlines: a final line ending makes no empty last line
const lines = (s: string) => (s === '' ? [] : s.replace(/\r?\n$/, '').split(/\r?\n/))

/** Ansible's result shape; a non-zero rc fails the task. `stripEmptyEnds`: Ansible's strip_empty_ends. */
export function interpretExec(cmd: string | string[], out: ExecResult, stripEmptyEnds = true): Outcome {
  const stdout = stripEmptyEnds ? strip(out.stdout) : out.stdout
  const stderr = stripEmptyEnds ? strip(out.stderr) : out.stderr
  const data = { rc: out.rc, stdout, stderr, stdout_lines: lines(stdout), stderr_lines: lines(stderr), cmd }
  return out.rc === 0 ? { failed: false, data } : { failed: true, msg: 'non-zero return code', data }
}

export { shellJoin }
