/** What `~` means in a path argument: the home of the user the task's commands run as, or of a named user. */
import { shScript, type Fact } from '../types.js'
import { posix } from 'node:path'

export const runHome: Fact<string> = {
  name: 'run.home',
  key: () => '',
  command: () => shScript('u=$(id -un) && e=$(getent passwd -- "$u") && h=${e#*:*:*:*:*:} && printf "%s\\n" "${h%%:*}"'),
  parse(out) {
    const home = out.stdout.trim()
    if (out.rc !== 0 || !home.startsWith('/')) throw new Error(`cannot find the home directory of the remote user: ${out.stderr.trim() || `exit ${out.rc}`}`)
    return home
  },
}

/** A named user's home on the host (Python's pwd.getpwnam); undefined when there is no such user. */
export const userHome: Fact<string | undefined, [string]> = {
  name: 'user.home',
  key: (user) => user,
  // getent also answers a uid ("0"), where Python's pwd.getpwnam wants the name itself
  command: (user) => shScript('e=$(getent passwd -- "$1") || exit 3; [ "${e%%:*}" = "$1" ] || exit 3; h=${e#*:*:*:*:*:}; printf "%s\\n" "${h%%:*}"', user),
  parse(out, user) {
    if (out.rc === 3 || out.rc === 2) return undefined
    if (out.rc !== 0) throw new Error(`cannot read the home directory of ${user}: ${out.stderr.trim() || `exit ${out.rc}`}`)
    return out.stdout.replace(/\n$/, '')
  },
}

/**
 * The working directory of the task's commands, where Ansible's module resolves a relative path:
 * the login user's home over ssh, the play's directory for a local or delegated-to-localhost task
 * (engine/run/module-env.ts; robertdebock.users makes its `ssh_keys` directory there).
 */
export const runCwd: Fact<string> = {
  name: 'run.cwd',
  key: () => '',
  command: () => shScript('pwd'),
  parse(out) {
    const cwd = out.stdout.replace(/\n$/, '')
    if (out.rc !== 0 || !cwd.startsWith('/')) throw new Error(`cannot read the working directory: ${out.stderr.trim() || `exit ${out.rc}`}`)
    return cwd
  },
}

/** A path argument as the module would open it: a relative one under the working directory (an absolute one costs no read). */
export async function fromCwd(ctx: { fact: <T, A extends unknown[]>(f: Fact<T, A>, ...a: A) => Promise<T> }, path: string): Promise<string> {
  if (path.startsWith('/')) return path
  return posix.normalize(`${await ctx.fact(runCwd)}/${path}`)
}
