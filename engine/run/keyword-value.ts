/**
 * Keywords at run time: a keyword Ansible templates (keyword-table.ts marks it `templated: true`)
 * may still be a template here; it is rendered with the variables of the task on the host (or of
 * the play) and checked as the loader checks a literal, an error naming the task's file:line.
 */
import { AcplayError, type Location } from '../errors.js'
import { checkRendered, type KeywordName } from '../playbook/keyword-table.js'
import { isTemplate } from '../playbook/keywords.js'
import { templateValue } from '../vars/template.js'

/** Rendered and checked when a template; a literal as the loader left it; undefined stays undefined. */
export function keywordValue<T>(key: KeywordName, value: T | string | undefined, vars: Record<string, unknown>, where: Location): T | undefined {
  if (value === undefined || !isTemplate(value)) return value as T | undefined
  const v = templateValue(value, vars, where)
  try {
    return checkRendered(key, v) as T
  } catch (e) {
    throw new AcplayError('E_PLAYBOOK', (e as Error).message, where)
  }
}

/** A boolean keyword: the first of `values` that is set (task, then blocks and roles, then play), rendered; `fallback` when none is. */
export function keywordBool(
  key: KeywordName,
  values: readonly (boolean | string | undefined)[],
  vars: Record<string, unknown>,
  where: Location,
  fallback = false,
): boolean {
  const v = values.find((x) => x !== undefined)
  return keywordValue<boolean>(key, v, vars, where) ?? fallback
}

/**
 * `environment` on the play, blocks, roles and task, outer first: each a mapping (values templated)
 * or a template that yields one (a block's layers may be a list of them, scope.ts), merged, the inner winning.
 */
export function environmentOf(layers: readonly unknown[], vars: Record<string, unknown>, where: Location): Record<string, unknown> | undefined {
  const set = layers.flat().filter((l) => l !== undefined)
  if (set.length === 0) return undefined
  let out: Record<string, unknown> = {}
  for (const l of set) {
    const v = templateValue(l, vars, where)
    try {
      out = { ...out, ...(checkRendered('environment', v) as Record<string, unknown>) }
    } catch (e) {
      throw new AcplayError('E_PLAYBOOK', (e as Error).message, where)
    }
  }
  return out
}
