/** The home directory of the user the task's commands run as (what `~` means in a path argument). */
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

/** `~/x` and `~` in a path argument, expanded on the host (one read, only when the path starts with ~). */
export async function expandHome(ctx: { fact: <T, A extends unknown[]>(f: Fact<T, A>, ...a: A) => Promise<T> }, path: string): Promise<string> {
  if (path !== '~' && !path.startsWith('~/')) return path
  const home = await ctx.fact(runHome)
  return path === '~' ? home : `${home.replace(/\/+$/, '')}${path.slice(1)}`
}
