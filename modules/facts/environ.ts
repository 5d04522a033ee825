/**
 * The environment the task's commands run in, and Ansible's expansion of `$VAR`, `${VAR}` and a
 * leading `~` against it: a module's `path` arguments get it when Ansible validates them, and every
 * argument of a command list gets it in run_command (make's `params: {PREFIX: $HOME/.local}`).
 */
import { type Fact, shScript } from '../types.js'

export const runEnviron: Fact<Record<string, string>> = {
  name: 'run.environ',
  key: () => '',
  command: () => shScript('env -0'),
  parse(out) {
    if (out.rc !== 0) throw new Error(`cannot read the environment: ${out.stderr.trim() || `exit ${out.rc}`}`)
    const env: Record<string, string> = {}
    for (const entry of out.stdout.split('\0')) {
      const eq = entry.indexOf('=')
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1)
    }
    return env
  },
}

/**
 * Python's os.path.expanduser(os.path.expandvars(s)) against `env`: unknown names stay as written;
 * `~` and `~/...` take HOME; `~user` stays as written (acplay does not read other users' homes).
 */
export function expandWith(s: string, env: Readonly<Record<string, string>>): string {
  const vars = s.replace(/\$(\w+|\{[^}]*\})/g, (m, name: string) => env[name.startsWith('{') ? name.slice(1, -1) : name] ?? m)
  if (!vars.startsWith('~')) return vars
  const slash = vars.indexOf('/', 1)
  if ((slash < 0 ? vars.length : slash) !== 1 || env.HOME === undefined) return vars
  return `${env.HOME.replace(/\/+$/, '')}${vars.slice(1)}` || '/'
}

const needsExpansion = (s: string) => s.includes('$') || s.startsWith('~')

/** `values` expanded as Ansible expands them on the host (the environment is read only when one needs it). */
export async function expandOnHost(ctx: { fact: <T, A extends unknown[]>(f: Fact<T, A>, ...a: A) => Promise<T> }, values: string[]): Promise<string[]> {
  if (!values.some(needsExpansion)) return values
  const env = await ctx.fact(runEnviron)
  return values.map((v) => expandWith(v, env))
}
