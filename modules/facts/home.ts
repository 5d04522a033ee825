/** What `~` means in a path argument: the home of the user the task's commands run as, or of a named user. */
import { shScript, type Fact } from '../types.js'

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
