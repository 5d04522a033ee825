/**
 * The command Ansible's pip runs to create a missing virtualenv (setup_virtualenv): virtualenv_command
 * (default `virtualenv`) split as a shell would, its program found on the host's PATH when it is a
 * bare name (else the task fails as Ansible's does), then `-pPYTHON` for virtualenv itself (the
 * interpreter the module runs under unless virtualenv_python), never for `-m venv` or pyvenv, which
 * refuse virtualenv_python. Ansible's `--no-site-packages` (virtualenv < 20 only) is not added.
 */
import { ModuleFailure } from '../../engine/errors.js'
import { shlexSplit } from '../../engine/connection/shlex.js'
import { binPath, missingExecutable } from '../facts/bin-path.js'
import type { ModuleContext } from '../types.js'

/** The argv (the path is appended later) from the arguments alone; the program is not resolved (pure). */
export function virtualenvArgv(command: string, python: string | undefined, interpreter: string): string[] {
  let argv: string[]
  try {
    argv = shlexSplit(command)
  } catch (e) {
    throw new ModuleFailure(`virtualenv_command: ${(e as Error).message}`)
  }
  if (argv.length === 0) throw new ModuleFailure('virtualenv_command is empty')
  if (['pyvenv', '-m venv'].some((ex) => command.includes(ex))) {
    if (python) throw new ModuleFailure('virtualenv_python should not be used when using the venv module or pyvenv as virtualenv_command')
    return argv
  }
  return [...argv, `-p${python ?? interpreter}`]
}

/**
 * The argv with its program resolved on the host as Ansible does before running it; check mode
 * never gets here in Ansible (a missing virtualenv is `changed` at once), so neither does acplay.
 */
export async function resolveVirtualenvArgv(argv: string[], ctx: ModuleContext): Promise<string[]> {
  const program = argv[0]!
  if (program.includes('/')) return argv
  const where = await ctx.fact(binPath, program)
  if ('missing' in where) throw new ModuleFailure(missingExecutable(program, where.missing))
  return [where.found, ...argv.slice(1)]
}
