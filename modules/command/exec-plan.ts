/**
 * The shared planner of `command` and `shell`: creates/removes decide whether to run (through the
 * path.stat fact, so check mode sees files that earlier changes would create); otherwise the plan is
 * one change that runs the argv. Effects: none; its creates and chdir paths become unknown (engine/unknown.ts).
 */
import { posix } from 'node:path'
import { ModuleFailure } from '../../engine/errors.js'
import { programUnknowns } from '../../engine/unknown.js'
import { streams } from '../../engine/apply-outcome.js'
import { shellJoin } from '../../engine/connection/quote.js'
import { pathStat } from '../facts/path.js'
import { statPaths } from '../files/stat.js'
import { bytesRepr } from '../../engine/vars/py-str.js'
import { shlexQuote } from '../../engine/vars/filters-core.js'
import { type Applied, type Command, type ModuleContext, type Outcome, type Plan, shScript } from '../types.js'
import { runTimes } from './times.js'

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
  start: "when the command started ('%Y-%m-%d %H:%M:%S.%f', the controller's clock; null when it did not run)",
  end: 'when the command ended (same format)',
  delta: "how long it ran ('0:00:00.016082')",
  msg: "'non-zero return code' on failure; '' on success; why it did not run (creates/removes)",
})

export const EXEC_PARAMS = {
  chdir: { type: 'path', description: 'change into this directory before running' },
  creates: { type: 'path', description: 'a path; if it exists, the command is not run (relative to chdir)' },
  removes: { type: 'path', description: 'a path; if it does not exist, the command is not run (relative to chdir)' },
  stdin: { type: 'str', description: "text fed to the command's standard input" },
  stdin_add_newline: { type: 'bool', default: true, description: 'append a newline to stdin' },
  strip_empty_ends: { type: 'bool', default: true, description: 'strip the trailing newlines (empty lines) from stdout and stderr' },
} as const

export const resolve = (path: string, chdir?: string) => (chdir && !path.startsWith('/') ? posix.join(chdir, path) : path)

/**
 * Runs `$2...` after `cd -- "$1"` (when $1 is not empty), but first fails as Python's os.chdir and
 * subprocess would (Ansible's command module runs the argv with execvp after os.chdir): a chdir that
 * is not a directory, a program that is not found or not executable. Then it says so on stderr in
 * one line (EXEC_FAILED: what, errno, name) and the result becomes Ansible's (interpretExec).
 * Its variables are its own (`acplay_*`): they die with the subshell, the program never sees them.
 * Not mirrored: an executable file with no `#!` and no binary format, which execve refuses
 * (Errno 8) and sh runs as a script: telling them apart needs the file's first bytes (a fork).
 */
const EXEC_SCRIPT = `acplay_fail() { printf 'ACPLAY-EXEC-FAILED %s %s %s\\n' "$1" "$2" "$3" >&2; exit 1; }
if [ -n "$1" ] && ! cd -- "$1" 2>/dev/null; then
  if [ ! -e "$1" ]; then acplay_fail chdir 2 "$1"; elif [ ! -d "$1" ]; then acplay_fail chdir 20 "$1"; else acplay_fail chdir 13 "$1"; fi
fi
shift
case $1 in
*/*) [ -f "$1" ] && [ -x "$1" ] || { if [ -e "$1" ]; then acplay_fail exec 13 "$1"; else acplay_fail exec 2 "$1"; fi; } ;;
*)
  acplay_errno=2
  set -f; IFS=:
  for acplay_dir in $PATH; do
    if [ -f "\${acplay_dir:-.}/$1" ] && [ -x "\${acplay_dir:-.}/$1" ]; then acplay_errno=0; break; fi
    [ -e "\${acplay_dir:-.}/$1" ] && acplay_errno=13
  done
  set +f; unset IFS
  [ "$acplay_errno" = 0 ] || acplay_fail exec "$acplay_errno" "$1" ;;
esac
unset acplay_errno acplay_dir
exec "$@"`

/** EXEC_SCRIPT's report: the whole of stderr. */
const EXEC_FAILED = /^ACPLAY-EXEC-FAILED (chdir|exec) (\d+) ([\s\S]*)\n$/
const STRERROR: Record<string, string> = { '2': 'No such file or directory', '13': 'Permission denied', '20': 'Not a directory' }

/** The command to run: the argv, inside `cd` when chdir is given, checked as Ansible's execvp would (EXEC_SCRIPT). */
export function execCommand(argv: string[], p: ExecParams): Command {
  const cmd = shScript(EXEC_SCRIPT, p.chdir ?? '', ...argv)
  if (p.stdin !== undefined) cmd.stdin = p.stdin + (p.stdin_add_newline ? '\n' : '')
  return cmd
}

/**
 * Whether creates/removes decide not to run (relative paths are under chdir): Ansible's words for
 * why, and the path. Read through path.stat, so check mode sees what earlier tasks would create.
 */
export async function skipsRun(p: Pick<ExecParams, 'chdir' | 'creates' | 'removes'>, ctx: ModuleContext): Promise<{ why: string; path: string } | undefined> {
  if (p.creates !== undefined) {
    const path = resolve(p.creates, p.chdir)
    if ((await ctx.fact(pathStat, path)).exists) return { why: `skipped, since ${path} exists`, path }
  }
  if (p.removes !== undefined) {
    const path = resolve(p.removes, p.chdir)
    if (!(await ctx.fact(pathStat, path)).exists) return { why: `skipped, since ${path} does not exist`, path }
  }
  return undefined
}

/**
 * Check mode: where what a command creates begins: the topmost directory of its `creates` path that
 * does not exist yet (the program makes it too: `git init --bare DIR` for DIR/HEAD), else the path.
 * One read of the path's directories, only for a command that would run, with the earlier planned
 * changes laid over it (statPaths): a directory an earlier task would make exists (a jail's `dev`
 * made by `file` before `mknod DIR/dev/null` creates only that node, not the whole jail).
 */
async function createdRoot(path: string, ctx: ModuleContext): Promise<string> {
  const dirs: string[] = []
  for (let d = posix.dirname(path); d.startsWith('/') && d !== '/'; d = posix.dirname(d)) dirs.unshift(d)
  if (dirs.length === 0) return path
  const stats = await statPaths(ctx, dirs)
  for (const d of dirs) {
    const st = stats.get(d)
    // a directory an earlier planned change makes unknown: the creates path is below it, unknown already
    if (st.unknown !== undefined) return path
    if (!st.exists) return d
  }
  return path
}

/** Plans `argv`; `cmd` is what the result calls it (command: the argv list; shell: the script). */
export async function planExec(argv: string[], cmd: string | string[], p: ExecParams, ctx: ModuleContext): Promise<Plan> {
  if (argv.length === 0) throw new ModuleFailure('no command given (cmd is empty)')
  if (p.chdir !== undefined && !p.chdir.startsWith('/')) throw new ModuleFailure(`argument 'chdir' must be an absolute path, got ${JSON.stringify(p.chdir)}`)
  // Ansible's result when creates/removes decide not to run
  const skipped = (why: string, path: string): Plan => ({
    kind: 'ok',
    reason: why,
    data: {
      cmd,
      rc: 0,
      ...streams({ stdout: why, stderr: '' }),
      start: null,
      end: null,
      delta: null,
      // Ansible's words: "Would" in check mode
      msg: `${ctx.check ? 'Would' : 'Did'} not run command since '${path}' ${why.endsWith('exists') ? 'exists' : 'does not exist'}`,
    },
  })
  const skip = await skipsRun(p, ctx)
  if (skip) return skipped(skip.why, skip.path)
  const shown = typeof cmd === 'string' ? cmd : shellJoin(cmd)
  // what a program writes cannot be known: its creates path and what is below its chdir (engine/unknown.ts)
  const creates = p.creates !== undefined ? resolve(p.creates, p.chdir) : undefined
  const unknowns = programUnknowns({ creates: creates && ctx.check ? await createdRoot(creates, ctx) : creates, chdir: p.chdir })
  return { kind: 'change', changes: [{ summary: `run ${shown}`, commands: [execCommand(argv, p)], unknowns }], data: { cmd } }
}

// Python's splitlines: a final line ending makes no empty last line
const splitLines = (s: string) => (s === '' ? [] : s.replace(/\r?\n$/, '').split(/\r?\n/))

/** stdout and stderr as the program wrote them (trailing newlines kept), with their lines. */
const rawStreams = (out: Pick<Applied, 'stdout' | 'stderr'>) => ({
  stdout: out.stdout,
  stderr: out.stderr,
  stdout_lines: splitLines(out.stdout),
  stderr_lines: splitLines(out.stderr),
})

/** What raw and script return (Ansible's low-level run): rc and the output as printed. */
export const rawReturns = {
  rc: 'exit code',
  stdout: 'standard output as printed',
  stderr: 'standard error as printed',
  stdout_lines: 'stdout split into lines',
  stderr_lines: 'stderr split into lines',
}

/** raw's and script's result: always changed (it ran); a non-zero rc fails the task. */
export function interpretRaw(out: Applied): Outcome {
  const data = { rc: out.rc, ...rawStreams(out), changed: true }
  return out.rc === 0 ? { failed: false, data } : { failed: true, msg: 'non-zero return code', data }
}

/**
 * Ansible's result shape (a failed command changed the host too: it ran); a non-zero rc fails the
 * task. `stripEmptyEnds`: Ansible's strip_empty_ends (false keeps the output's trailing newlines).
 * `argv`: what ran, when `cmd` is not it (shell's script), for a program that could not start.
 */
export function interpretExec(cmd: string | string[], out: Applied, stripEmptyEnds = true, argv = cmd): Outcome {
  const notRun = EXEC_FAILED.exec(out.rc === 1 ? out.stderr : '')
  if (notRun) return execFailure(cmd, argv, notRun[1] as 'chdir' | 'exec', notRun[2]!, notRun[3]!)
  const shown = stripEmptyEnds ? streams(out) : rawStreams(out)
  const data = { cmd, rc: out.rc, ...shown, ...runTimes(out.startUs, out.endUs), changed: true }
  return out.rc === 0 ? { failed: false, data: { ...data, msg: '' } } : { failed: true, msg: 'non-zero return code', data }
}

/**
 * What Ansible returns when the program never ran (nothing changed): os.chdir's error (rc null, the
 * times null), or subprocess's OSError (rc the errno, cmd as one shell-quoted line, no times).
 */
function execFailure(cmd: string | string[], argv: string | string[], what: 'chdir' | 'exec', errno: string, name: string): Outcome {
  const error = `[Errno ${errno}] ${STRERROR[errno]}: ${bytesRepr(name)}`
  const empty = { stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], changed: false }
  if (what === 'chdir') {
    const msg = `Unable to change directory before execution: ${error}`
    return { failed: true, msg, data: { cmd, rc: null, start: null, end: null, delta: null, ...empty } }
  }
  return { failed: true, msg: error, data: { cmd: typeof argv === 'string' ? argv : argv.map(shlexQuote).join(' '), rc: Number(errno), ...empty } }
}
