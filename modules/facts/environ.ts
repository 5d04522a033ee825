/**
 * The environment the task's commands run in, and Ansible's expansion of `$VAR`, `${VAR}` and a
 * leading `~` against it: a module's `path` arguments get it when Ansible validates them, and every
 * argument of a command list gets it in run_command (make's `params: {PREFIX: $HOME/.local}`).
 */
import { expanduserWith, expandvars } from '../../engine/vars/py-path.js'
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
export const expandWith = (s: string, env: Readonly<Record<string, string>>): string => expanduserWith(expandvars(s, env), env.HOME)

const needsExpansion = (s: string) => s.includes('$') || s.startsWith('~')

type FactReader = { fact: <T, A extends unknown[]>(f: Fact<T, A>, ...a: A) => Promise<T> }

/** The host's environment when one of `values` needs expanding (one read), else undefined. */
export async function environFor(ctx: FactReader, values: string[]): Promise<Readonly<Record<string, string>> | undefined> {
  return values.some(needsExpansion) ? ctx.fact(runEnviron) : undefined
}

/** `values` expanded as Ansible expands them on the host (the environment is read only when one needs it). */
export async function expandOnHost(ctx: FactReader, values: string[]): Promise<string[]> {
  const env = await environFor(ctx, values)
  return env ? values.map((v) => expandWith(v, env)) : values
}
