/**
 * make (community.general.make): a Makefile target built in `chdir`, as Ansible's module decides
 * it: `make ... -q` first (question mode: exit 0 when the target is up to date), and only when
 * that says no, `make ...` (changed). In check mode the question alone decides (any non-zero
 * answer, an error too, is changed). The binary is `make` if given, else gmake or make found on
 * the host. Like Ansible's run_command, `$VAR` and a leading `~` in every argument are expanded
 * against the host's environment (`command` shows them as written). Effects: none; what is below
 * `chdir` becomes unknown for later tasks in check mode (engine/unknown.ts).
 */
import { ModuleFailure } from '../engine/errors.js'
import { streams } from '../engine/apply-outcome.js'
import { programUnknowns } from '../engine/unknown.js'
import { pystr } from '../engine/vars/py-str.js'
import { shlexQuote } from '../engine/vars/filters-core.js'
import { execCommand } from './command/exec-plan.js'
import { environFor, expandWith } from './facts/environ.js'
import { FIND_BIN_SH } from './facts/bin-path.js'
import { defineModule, type Fact, type Plan, shScript } from './types.js'

/** What Ansible runs, before `-q` is added: [make, -j N, -f FILE, TARGET, NAME=VALUE...]; target undefined where none is given. */
export function makeArgv(bin: string, o: { jobs?: number; file?: string; target?: string; params?: Record<string, unknown> }): (string | undefined)[] {
  const params = Object.entries(o.params ?? {}).map(([k, v]) => `${k}=${pystr(v)}`)
  return [bin, ...(o.jobs !== undefined ? ['-j', String(o.jobs)] : []), ...(o.file !== undefined ? ['-f', o.file] : []), o.target, ...params]
}

/** The result's `command`: each part shell-quoted as Python's shlex.quote (a missing target shows as ''). */
export const commandText = (argv: readonly (string | undefined)[]) => argv.map((a) => shlexQuote(a ?? '')).join(' ')

export type MakeAnswer = { status: 'answered'; bin: string; rc: number; stdout: string; stderr: string } | { status: 'no-chdir' } | { status: 'no-make' }

// $1 chdir, $2 the make binary ('' to find gmake or make as Ansible's get_bin_path does), then make's arguments
const QUESTION = `d=$1 m=$2; shift 2
[ -d "$d" ] || { echo acplay-make-no-chdir; exit 0; }
${FIND_BIN_SH}
if [ -z "$m" ]; then
  { find_bin gmake || find_bin make; } || { echo acplay-make-no-make; exit 0; }
  m=$bin
elif ! command -v "$m" >/dev/null 2>&1; then echo acplay-make-no-make; exit 0; fi
cd -- "$d" || exit 1
printf 'acplay-make %s\\n' "$m"
exec "$m" "$@" -q`

/** `make ARGS -q` in chdir: is the target up to date (rc 0), and which binary answered. */
export const makeQuestion: Fact<MakeAnswer, [string, string, string[]]> = {
  name: 'make.question',
  // chdir itself, not what is below it: after an earlier build in the same directory (check mode),
  // the host still answers right, as make -q is transitive (what depends on an out-of-date target is
  // out of date already); a tree unpacked above chdir still makes the question unknown
  key: (chdir, bin, args) => JSON.stringify([chdir, bin, ...args]),
  command: (chdir, bin, args) => shScript(QUESTION, chdir, bin, ...args),
  parse: (out) => parseQuestion(out.rc, out.stdout, out.stderr),
}

export function parseQuestion(rc: number, stdout: string, stderr: string): MakeAnswer {
  const nl = stdout.indexOf('\n')
  const head = nl < 0 ? stdout : stdout.slice(0, nl)
  if (head === 'acplay-make-no-chdir') return { status: 'no-chdir' }
  if (head === 'acplay-make-no-make') return { status: 'no-make' }
  if (!head.startsWith('acplay-make ')) throw new Error(`cannot run make: ${stderr.trim() || `exit ${rc}`}`)
  return { status: 'answered', bin: head.slice('acplay-make '.length), rc, stdout: nl < 0 ? '' : stdout.slice(nl + 1), stderr }
}

/** Ansible's failed build: make's stderr as the message, the output as printed, the command that ran (expanded, no empty target). */
export function buildFailure(argv: readonly string[], rc: number, stdout: string, stderr: string) {
  const lines = streams({ stdout, stderr })
  return {
    msg: stderr.trimEnd() || `make failed (exit ${rc})`,
    data: { cmd: commandText(argv), rc, stdout, stderr, stdout_lines: lines.stdout_lines, stderr_lines: lines.stderr_lines, changed: false },
  }
}

// the build's argv sits after `sh -c SCRIPT sh CHDIR` (execCommand)
const BUILD_ARGV_AT = 5

export const make = defineModule({
  name: 'make',
  aliases: ['community.general.make'],
  summary: 'Build a target of a Makefile, when make says it is out of date',
  description:
    '`make TARGET -q` decides: up to date is ok; otherwise the target is built (changed). In check mode the question alone ' +
    'decides, as in Ansible (an error answer counts as changed too). `params` become NAME=VALUE arguments.',
  params: {
    chdir: { type: 'path', required: true, description: 'The directory make runs in (absolute, or ~/...).' },
    target: { type: 'str', description: "The target to build (install, all...); make's default goal without it." },
    params: { type: 'dict', description: 'Variables given on the command line: {NAME: VALUE} becomes NAME=VALUE (values as Python prints them).' },
    file: { type: 'path', description: 'The Makefile to use (make -f; relative to chdir).' },
    jobs: { type: 'int', description: 'Jobs to run at once (make -j).' },
    make: { type: 'path', description: 'The make binary; default gmake, else make, found on the host.' },
  },
  returns: {
    command: 'the make command line (shell-quoted, without -q)',
    stdout: "make's output (of the question when nothing was built), trailing newlines stripped",
    stderr: 'its error output, the same way',
    chdir: 'chdir, expanded',
    target: 'target',
    params: 'params',
    file: 'file',
    jobs: 'jobs',
  },
  examples: `
- name: Build the default goal
  community.general.make:
    chdir: /usr/local/src/tool-1.2
- name: Install it, with variables
  community.general.make:
    chdir: /usr/local/src/tool-1.2
    target: install
    params:
      PREFIX: /opt/tool
    jobs: 4
`,
  async plan(p, ctx): Promise<Plan> {
    const commandArgs = (file: string | undefined) =>
      makeArgv('', { ...p, file })
        .slice(1)
        .filter((a): a is string => a !== undefined)
    // one read of the host's environment (when anything needs it): the path arguments expanded as
    // Ansible validates them, then every argument of the command as run_command does (file twice)
    const env = await environFor(ctx, [p.chdir, p.file ?? '', p.make ?? '', ...commandArgs(p.file)])
    const x = (s: string) => (env ? expandWith(s, env) : s)
    const [chdir, file, bin] = [x(p.chdir), p.file === undefined ? undefined : x(p.file), x(p.make ?? '')]
    if (!chdir.startsWith('/')) throw new ModuleFailure(`argument 'chdir' must be an absolute path, got ${JSON.stringify(p.chdir)}`)
    const o = { jobs: p.jobs, file, target: p.target, params: p.params }
    const args = commandArgs(file).map(x)
    const answer = await ctx.fact(makeQuestion, chdir, bin, args)
    const data = (b: string, out: { stdout: string; stderr: string }) => {
      const { stdout, stderr, stdout_lines, stderr_lines } = streams(out)
      const given = { chdir, target: p.target ?? null, params: p.params ?? null, file: o.file ?? null, jobs: p.jobs ?? null }
      return { command: commandText(makeArgv(b, o)), stdout, stderr, stdout_lines, stderr_lines, ...given }
    }
    const unknowns = programUnknowns({ chdir })
    const what = p.target ?? 'the default goal'
    if (answer.status === 'no-chdir') {
      // check mode: an earlier planned task creates the directory (its Makefile is not there to ask yet)
      if (ctx.check && (ctx.effect('path.stat', chdir) as { exists?: boolean } | undefined)?.exists) {
        const summary = `make ${what} in ${chdir} (created by an earlier task, so not built yet)`
        return { kind: 'change', changes: [{ summary, commands: [], unknowns }], data: data(bin || 'make', { stdout: '', stderr: '' }) }
      }
      throw new ModuleFailure(`chdir ${chdir} is not a directory on the host`)
    }
    if (answer.status === 'no-make')
      throw new ModuleFailure(bin ? `make binary ${bin} not found on the host` : 'Failed to find required executable "gmake" or "make" on the host')
    if (answer.rc === 0) return { kind: 'ok', reason: `${what} is up to date in ${chdir}`, data: data(answer.bin, answer) }
    const built = [answer.bin, ...args]
    return {
      kind: 'change',
      changes: [{ summary: `make ${what} in ${chdir}`, commands: [execCommand(built, { chdir, stdin_add_newline: false })], unknowns }],
      data: data(answer.bin, answer),
    }
  },
  interpret(_p, out) {
    if (out.rc === 0) return { failed: false, data: streams(out) }
    const { msg, data } = buildFailure(out.failedCommand?.argv.slice(BUILD_ARGV_AT) ?? [], out.rc, out.stdout, out.stderr)
    return { failed: true, msg, data }
  },
})
