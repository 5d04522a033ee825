/**
 * raw: a command line run as it is, through /bin/sh (or `executable`), with no module code on the
 * host: what Ansible users run before Python is there (`raw: apt-get install -y python3`). As
 * Ansible's raw: always changed, a non-zero exit code fails, output kept as printed, skipped in
 * check mode.
 */
import { ModuleFailure } from '../engine/errors.js'
import { interpretRaw, rawReturns } from './command/exec-plan.js'
import { defineModule } from './types.js'

export const raw = defineModule({
  name: 'raw',
  summary: 'Run a command line on the host as it is, without module code',
  description:
    'Runs `cmd` through `/bin/sh -c` (or `executable -c`). Always reports changed; a non-zero exit code fails the task. ' +
    'Skipped in check mode, as in Ansible. Prefer command or shell once the host has Python.',
  params: {
    cmd: { type: 'str', required: true, description: 'the command line (the free-form task text arrives here)' },
    executable: { type: 'str', description: 'the shell to run it with (called as EXECUTABLE -c CMD); default /bin/sh' },
  },
  checkMode: 'none',
  converges: false,
  returns: rawReturns,
  examples: `
- name: Python for the modules that need it
  raw: test -e /usr/bin/python3 || (apt-get update && apt-get install -y python3)
`,
  async plan(p) {
    if (!p.cmd.trim()) throw new ModuleFailure('no command given (cmd is empty)')
    return { kind: 'change', changes: [{ summary: `run ${p.cmd}`, commands: [{ argv: [p.executable ?? '/bin/sh', '-c', p.cmd] }] }] }
  },
  interpret: (_p, out) => interpretRaw(out),
})
