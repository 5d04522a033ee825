/**
 * Keywords at run time: a keyword Ansible templates (keyword-table.ts marks it `templated: true`)
 * may still be a template here; it is rendered with the variables of the task on the host (or of
 * the play) and checked as the loader checks a literal, an error naming the task's file:line.
 */
import { AcplayError, type Location } from '../errors.js'
import { checkRendered, type KeywordName } from '../playbook/keyword-table.js'
import { isTemplate } from '../playbook/keywords.js'
import { withErrorContext } from '../error-context.js'
import type { Pos } from '../yaml-source.js'
import { pyBoolean } from '../vars/py-bool.js'
import { pyInt } from '../vars/py-int.js'
import { templateValue } from '../vars/template.js'

/** Rendered and checked when a template; a literal as the loader left it; undefined stays undefined. */
export function keywordValue<T>(key: KeywordName, value: T | string | undefined, vars: Record<string, unknown>, where: Location): T | undefined {
  if (value === undefined || !isTemplate(value)) return value as T | undefined
  return checked<T>(key, templateValue(value, vars, where), where)
}

/** A rendered keyword value checked as the loader checks a literal one, the error naming the task's place. */
function checked<T>(key: KeywordName, v: unknown, where: Location): T {
  try {
    return checkRendered(key, v) as T
  } catch (e) {
    throw new AcplayError('E_PLAYBOOK', (e as Error).message, where)
  }
}

/** A boolean keyword: the first of `values` that is set (task, then blocks and roles, then play), rendered; `fallback` when none is (or it renders None). */
export function keywordBool(
  key: KeywordName,
  values: readonly (boolean | string | undefined)[],
  vars: Record<string, unknown>,
  where: Location,
  fallback = false,
): boolean {
  const v = values.find((x) => x !== undefined)
  if (v === undefined || !isTemplate(v)) return (v as boolean | undefined) ?? fallback
  const rendered = templateValue(v, vars, where)
  // rendered once: a template may read a lookup whose every call differs
  return rendered === null || rendered === undefined ? fallback : checked<boolean>(key, rendered, where)
}

/** Ansible's words for a boolean keyword whose template `raw` rendered no boolean (`error`: why, as Python's boolean() says). */
export const invalidBool = (key: string, raw: string, error: string): string =>
  `the field '${key}' has an invalid value (${raw}), and could not be converted to an bool.The error was: ${error}`

/** Why a boolean keyword's template renders no boolean (Python's error), or undefined when it renders one or None (left unchecked, as Ansible). */
export function boolError(raw: string, vars: Record<string, unknown>, where: Location): string | undefined {
  const v = templateValue(raw, vars, where)
  if (v === null || v === undefined) return undefined
  try {
    pyBoolean(v)
    return undefined
  } catch (e) {
    return (e as Error).message
  }
}

/** Ansible's words for an int keyword (`port`) whose template `raw` rendered no int (`error`: Python's int() error). */
export const invalidInt = (key: string, raw: string, error: string): string =>
  `the field '${key}' has an invalid value (${raw}), and could not be converted to an int.The error was: ${error}`

/** Why an int keyword's template renders no int (Python's error; None renders as '' there, measured), or undefined when it renders one. */
export function intError(raw: string, vars: Record<string, unknown>, where: Location): string | undefined {
  const v = templateValue(raw, vars, where)
  try {
    pyInt(v === null || v === undefined ? '' : v)
    return undefined
  } catch (e) {
    return (e as Error).message
  }
}

/**
 * A play's boolean keyword (gather_facts, force_handlers) rendered with the play's variables, as
 * Ansible's post_validate of the play does before it starts: one that renders no boolean stops the
 * run, in Ansible's words with the play's file context. None leaves the default.
 */
export function playBool(key: KeywordName, value: boolean | string | undefined, vars: Record<string, unknown>, where: Pos): boolean | undefined {
  if (typeof value !== 'string') return value
  const v = templateValue(value, vars, where)
  if (v === null || v === undefined) return undefined
  try {
    return pyBoolean(v)
  } catch (e) {
    throw new AcplayError('E_PLAYBOOK', withErrorContext(invalidBool(key, value, (e as Error).message), where.file, where.line, where.col))
  }
}

/**
 * `environment` on the play, blocks, roles and task, outer first: each a mapping (values templated)
 * or a template that yields one (a block's layers may be a list of them, scope.ts), merged, the inner winning.
 *
 * A mapping's values are templated one by one, as Ansible's Task._post_validate_environment does:
 * a value whose undefined variable is `ansible_env` (for any task), or `ansible_facts.env` (for fact
 * gathering, `gathering`), leaves that name out of the environment rather than failing the task, so
 * a play's `PATH: "{{ ansible_env.PATH }}:..."` lets Gathering Facts run (and then has its value).
 */
export function environmentOf(
  layers: readonly unknown[],
  vars: Record<string, unknown>,
  where: Location,
  gathering = false,
): Record<string, unknown> | undefined {
  const set = layers.flat().filter((l) => l !== undefined)
  if (set.length === 0) return undefined
  let out: Record<string, unknown> = {}
  for (const l of set) {
    if (l !== null && typeof l === 'object' && !Array.isArray(l)) {
      for (const [k, raw] of Object.entries(l)) {
        try {
          out[k] = templateValue(raw, vars, where)
        } catch (e) {
          if (!(e instanceof AcplayError) || e.code !== 'E_UNDEFINED_VAR' || !envFactMissing(e.message, gathering)) throw e
        }
      }
      continue
    }
    const v = templateValue(l, vars, where)
    try {
      out = { ...out, ...(checkRendered('environment', v) as Record<string, unknown>) }
    } catch (e) {
      throw new AcplayError('E_PLAYBOOK', (e as Error).message, where)
    }
  }
  return out
}

/** Ansible's test, precedence and all: `gathering and 'ansible_facts.env' in error or 'ansible_env' in error`. */
const envFactMissing = (message: string, gathering: boolean): boolean => (gathering && message.includes('ansible_facts.env')) || message.includes('ansible_env')
