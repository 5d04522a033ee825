/**
 * expect (ansible.builtin.expect): runs a command on a pseudo-terminal and answers its questions
 * (regular expressions) as Ansible's module does with pexpect, which the host does not need here
 * (command/expect-driver.ts, python3's standard library). A list of answers is used in turn;
 * running out of them fails the task. Always changed when it runs; creates/removes decide as for
 * command. Check mode: as command's (changed when it would run; its result unknown until then),
 * where Ansible's module, without check mode, is skipped.
 */
import { ModuleFailure } from '../engine/errors.js'
import { programUnknowns } from '../engine/unknown.js'
import { shlexSplit } from '../engine/connection/shlex.js'
import { EXPECT_DRIVER, EXPECT_MARK } from './command/expect-driver.js'
import { resolve, skipsRun } from './command/exec-plan.js'
import { runTimes } from './command/times.js'
import { defineModule, type Outcome, type Plan } from './types.js'

const MARKED = new RegExp(`(?:^|\\n)${EXPECT_MARK} (.*)\\n?$`)

export const expect = defineModule({
  name: 'expect',
  aliases: ['ansible.builtin.expect'],
  summary: 'Executes a command and responds to prompts',
  description:
    'Runs `command` (split like shlex, no shell) on a pseudo-terminal; when its output matches a key of `responses` (a Python ' +
    'regular expression), the answer is typed with a newline. A list of answers gives one per match, in order. Fails on a ' +
    'non-zero exit code, when a question has no answer left, or after `timeout` seconds without a match.',
  params: {
    command: { type: 'str', required: true, description: 'The command to run (no shell: use `bash -c` for pipes).' },
    chdir: { type: 'path', description: 'Change into this directory before running.' },
    creates: { type: 'path', description: 'A path; if it exists, the command is not run (relative to chdir).' },
    removes: { type: 'path', description: 'A path; if it does not exist, the command is not run (relative to chdir).' },
    responses: { type: 'dict', required: true, description: 'Question (regular expression) to answer, or list of answers in turn.' },
    timeout: { type: 'raw', default: 30, nullable: true, description: 'Seconds to wait for each expected question (null: no limit).' },
    echo: { type: 'bool', default: false, description: 'Echo the answers into the output (the terminal echoes them).' },
  },
  checkMode: 'skip',
  converges: false,
  returns: {
    cmd: 'the command',
    stdout: 'what the terminal showed (lines end in \\r\\n), trailing newlines stripped',
    rc: 'exit code (null: timed out or stopped)',
    start: 'when it started',
    end: 'when it ended',
    delta: 'how long it ran',
  },
  examples: `
- ansible.builtin.expect:
    command: passwd deploy
    responses:
      (?i)password: "{{ deploy_password }}"
  no_log: true
- expect:
    command: /opt/installer/setup
    responses:
      "Continue\\\\?": ["yes", "yes"]
    timeout: 300
`,
  async plan(p, ctx): Promise<Plan> {
    if (p.command.trim() === '') throw new ModuleFailure('no command given', { rc: 256 })
    const timeout = timeoutOf(p.timeout)
    let argv: string[]
    try {
      argv = shlexSplit(p.command)
    } catch (e) {
      throw new ModuleFailure(`cannot split argument 'command': ${(e as Error).message}`)
    }
    if (p.chdir !== undefined && !p.chdir.startsWith('/')) throw new ModuleFailure(`argument 'chdir' must be an absolute path, got ${JSON.stringify(p.chdir)}`)
    const skip = await skipsRun(p, ctx)
    if (skip) return { kind: 'ok', reason: skip.why, data: { cmd: p.command, stdout: skip.why, stdout_lines: [skip.why], rc: 0 } }
    const settings = { argv, responses: Object.entries(p.responses), timeout, echo: p.echo }
    const driver = `cd -- "$1" || exit; shift; exec python3 -c "$@"`
    return {
      kind: 'change',
      changes: [
        {
          summary: `run ${p.command} (answering ${Object.keys(p.responses).length} question(s))`,
          commands: [{ argv: ['sh', '-c', driver, 'sh', p.chdir ?? '.', EXPECT_DRIVER], stdin: JSON.stringify(settings) }],
          unknowns: programUnknowns({ creates: p.creates !== undefined ? resolve(p.creates, p.chdir) : undefined, chdir: p.chdir }),
        },
      ],
      data: { cmd: p.command },
    }
  },
  interpret(p, out): Outcome {
    const stdout = out.stdout.replace(/[\r\n]+$/, '')
    const ran = { cmd: p.command, stdout, stdout_lines: stdout === '' ? [] : stdout.split(/\r\n|\r|\n/), ...runTimes(out.startUs, out.endUs), changed: true }
    const marked = out.rc === 1 ? MARKED.exec(out.stderr) : null
    if (marked) {
      const reason = marked[1]!
      if (reason === 'timeout' || reason === 'stopped' || reason.startsWith('signal '))
        return { failed: true, msg: 'command exceeded timeout', data: { ...ran, rc: null } }
      return { failed: true, msg: reason, data: {} }
    }
    if (out.rc !== 0) return { failed: true, msg: 'non-zero return code', data: { ...ran, rc: out.rc } }
    return { failed: false, data: { ...ran, rc: 0 } }
  },
})

/** Ansible's int timeout, or null for none. */
function timeoutOf(v: unknown): number | null {
  if (v === null) return null
  const n = typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new ModuleFailure(`argument 'timeout' is of type ${typeof v} and we were unable to convert to int`)
  return n
}
