/**
 * Runs a program with its arguments, no shell: `cmd` is split like Python's shlex (Ansible's way) or
 * `argv` is given as a list; either way the engine quotes each element. Not idempotent by itself:
 * `creates`/`removes` make it so. In check mode it is skipped unless creates/removes decide it.
 */
import { ModuleFailure } from '../engine/errors.js'
import { notYet } from './schema.js'
import { defineModule } from './types.js'
import { EXEC_PARAMS, execReturns, interpretExec, planExec } from './command/exec-plan.js'
import { shlexSplit } from '../engine/connection/shlex.js'

function argvOf(p: { cmd?: string; argv?: string[] }): string[] {
  if (p.argv !== undefined) return p.argv
  try {
    return shlexSplit(p.cmd ?? '')
  } catch (e) {
    throw new ModuleFailure(`cannot split argument 'cmd': ${(e as Error).message}`)
  }
}

export const command = defineModule({
  name: 'command',
  summary: 'Execute a command on the host (no shell)',
  description:
    'Runs `cmd` (split like shlex; shell operators such as | > ; are passed as plain arguments) or `argv`. ' +
    'Fails on a non-zero exit code. Use `shell` for pipes, redirections and variables.',
  params: {
    cmd: { type: 'str', description: 'the command line (the free-form task text arrives here)' },
    argv: { type: 'list', elements: 'str', description: 'the command as a list: no splitting, no quoting worries' },
    ...EXEC_PARAMS,
    executable: notYet(
      { type: 'str' },
      'A shell to run the command with.',
      'Ansible ignores it for command since 2.4 (it only warns); use the shell module, which takes executable',
    ),
  },
  mutuallyExclusive: [['cmd', 'argv']],
  requiredOneOf: [['cmd', 'argv']],
  checkMode: 'skip',
  converges: false,
  returns: execReturns('the argv that ran'),
  examples: `
- name: Initialise the Airflow database once
  command: /home/astro/airflow-venv/bin/airflow db migrate
  args:
    creates: /home/astro/airflow/airflow.db

- name: Arguments with spaces, no quoting needed
  command:
    argv: [/usr/bin/printf, '%s\\n', 'hello world']
`,
  async plan(p, ctx) {
    const argv = argvOf(p)
    return planExec(argv, argv, p, ctx)
  },
  interpret(p, out) {
    return interpretExec(argvOf(p), out, p.strip_empty_ends)
  },
})
