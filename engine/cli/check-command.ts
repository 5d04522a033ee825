/**
 * `acplay check`: audit hosts against a playbook. The same options as `run` (one option list, in
 * run-command.ts), with --check and --diff always on and detailed exit codes:
 *   0 the hosts match the playbook, 2 drift (a task would change), 1 an error (a task failed, or
 *   the playbook or inventory did not load), 4 a host was unreachable, 5 bad options.
 * `run --check` keeps ansible-playbook's codes (0 whatever would change).
 */
import type { Command } from 'commander'
import { AcplayError } from '../errors.js'
import { detailedExitCode } from '../report/drift-table.js'
import { execute, runCommand, type Flags } from './run-command.js'

export function checkCommand(): Command {
  return runCommand('check', 'audit hosts against a playbook: run --check --diff, exit 0 in sync, 2 drift, 1 error, 4 unreachable')
}

export async function executeCheck(playbook: string, f: Flags): Promise<number> {
  return executeDetailed(playbook, { ...f, check: true, diff: true })
}

/** `run --check --detailed-exitcode` (and `check`, where it is the default): the audit's exit codes. */
export async function executeDetailed(playbook: string, f: Flags): Promise<number> {
  try {
    return await execute(playbook, f, detailedExitCode)
  } catch (e) {
    // 4 means "unreachable" here, so a playbook that does not load is an error (1), not Ansible's 4
    if (!(e instanceof AcplayError) || e.code === 'E_OPTION') throw e
    process.stderr.write(`ERROR! ${e.describe()}\n`)
    if (f.verbose >= 3) process.stderr.write(`${e.stack}\n`)
    return 1
  }
}
