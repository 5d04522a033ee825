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
  command: (user) => shScript('e=$(getent passwd -- "$1") || exit 3; h=${e#*:*:*:*:*:}; printf "%s\\n" "${h%%:*}"', user),
  parse(out, user) {
    if (out.rc === 3 || out.rc === 2) return undefined
    if (out.rc !== 0) throw new Error(`cannot read the home directory of ${user}: ${out.stderr.trim() || `exit ${out.rc}`}`)
    return out.stdout.replace(/\n$/, '')
  },
}

type FactReader = { fact: <T, A extends unknown[]>(f: Fact<T, A>, ...a: A) => Promise<T> }

/**
 * A leading `~` or `~user` of a path argument, expanded on the host as Python's os.path.expanduser
 * does in Ansible's type='path' check (`~deploy/.rhosts`: deploy's home; an unknown user's path
 * stays as written). One read, only when the path starts with ~.
 */
export async function expandHome(ctx: FactReader, path: string): Promise<string> {
  if (!path.startsWith('~')) return path
  const slash = path.indexOf('/')
  const name = slash < 0 ? path.slice(1) : path.slice(1, slash)
  const home = name === '' ? await ctx.fact(runHome) : await ctx.fact(userHome, name)
  if (home === undefined) return path
  const rest = slash < 0 ? '' : path.slice(slash)
  // as expanduser: the home without its trailing slashes, then the rest ('/' for a home of '/')
  return `${home.replace(/\/+$/, '')}${rest}` || '/'
}
