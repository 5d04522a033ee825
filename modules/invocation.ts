/**
 * What Ansible's module result holds as `invocation.module_args`: the arguments the module ran with,
 * every one it knows (null when not given), the aliases given beside their names, `no_log` ones
 * masked. Ansible's strategy drops it from a registered result, but a loop item's result keeps it,
 * and roles read it there (`item.invocation.module_args.dest` over a registered loop).
 */
import { isSecretParam, type ParamSpecs } from './schema.js'

/** Ansible's mask of a `no_log` argument's value */
export const NO_LOG_VALUE = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'

/** Ansible's action plugins that run no module of their own: their results have no invocation. */
const NO_MODULE = new Set(['raw', 'script', 'fetch'])

export function invocationOf(
  mod: { name: string; params: ParamSpecs; anyParams?: boolean },
  raw: Record<string, unknown>,
  params: Record<string, unknown>,
): { module_args: Record<string, unknown> } | undefined {
  if (NO_MODULE.has(mod.name)) return undefined
  // a module written for Ansible checks its own arguments: they are passed on as given
  if (mod.anyParams) return { module_args: { ...params } }
  const args: Record<string, unknown> = {}
  for (const [name, def] of Object.entries(mod.params)) {
    const value = params[name] === undefined ? null : isSecretParam(def, params) ? NO_LOG_VALUE : params[name]
    args[name] = value
    for (const alias of def.aliases ?? []) if (alias in raw) args[alias] = value
  }
  return { module_args: args }
}
