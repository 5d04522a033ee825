/**
 * Runs `cmd` as a shell script: `executable -c CMD` with CMD as ONE argument (the script is the
 * user's intent, so it is not quoted away). Same creates/removes/chdir/stdin and result as `command`.
 */
import { defineModule } from './types.js'
import { EXEC_PARAMS, execReturns, interpretExec, planExec } from './command/exec-plan.js'

export const shell = defineModule({
  name: 'shell',
  summary: 'Execute a shell script on the host',
  description: 'Runs `cmd` through `/bin/sh -c` (or `executable -c`): pipes, redirections and variables work. Fails on a non-zero exit code.',
  params: {
    cmd: { type: 'str', required: true, description: 'the shell script (the free-form task text arrives here)' },
    executable: { type: 'str', default: '/bin/sh', description: 'the shell to run it with (called as EXECUTABLE -c CMD)' },
    ...EXEC_PARAMS,
  },
  checkMode: 'skip',
  converges: false,
  returns: execReturns('the script that ran'),
  examples: `
- name: Count the DAG files
  shell: ls /home/astro/airflow/dags | wc -l
  register: dag_count

- name: bash features
  shell:
    cmd: set -o pipefail; journalctl -u airflow-scheduler | tail -n 5
    executable: /bin/bash
`,
  async plan(p, ctx) {
    return planExec([p.executable, '-c', p.cmd], p.cmd, p, ctx)
  },
  interpret(p, out) {
    return interpretExec(p.cmd, out, p.strip_empty_ends, [p.executable, '-c', p.cmd])
  },
})
