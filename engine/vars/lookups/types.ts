/** The shape of a lookup plugin, as Ansible's LookupBase.run: terms and options in, a list out. */
import { isMapping, pyType } from '../py.js'
import type { LookupContext, SearchKind } from './context.js'
import type { TemplateLoader } from '../template.js'

export interface LookupEnv {
  name: string
  ctx: LookupContext
  /** the variables as given (varnames lists their names) */
  vars: Record<string, unknown>
  /** a variable's value, templated; an Undef when there is none */
  resolve(name: string): unknown
  /** templates a value with the variables; `strict: false` leaves strings with undefined names as written */
  template(value: unknown, strict?: boolean): unknown
  /** renders a template file's text with the variables and `extra` over them; `loader` serves its includes */
  renderFile(text: string, extra: Record<string, unknown>, loader?: TemplateLoader): string
  /** where first_found looks first: `templates` on a template task, `vars` on include_vars, else `files` */
  subdir: SearchKind
}

export type Lookup = (terms: unknown[], kw: Record<string, unknown>, env: LookupEnv) => unknown[]

/** A lookup's own failure: `errors='ignore'` and `errors='warn'` turn it into no value. */
export class LookupError extends Error {}

/** LookupBase._flatten: one level of lists (and tuples) spliced in. */
export function flatten(terms: unknown[]): unknown[] {
  const out: unknown[] = []
  for (const t of terms) {
    if (Array.isArray(t)) out.push(...t)
    else out.push(t)
  }
  return out
}

/** What Python's `for x in value` gives: a list's items, a mapping's keys, a string's characters. */
export function iterItems(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v
  if (isMapping(v)) return Object.keys(v)
  if (typeof v === 'string') return [...v]
  throw new LookupError(`${what}: '${pyType(v)}' object is not iterable`)
}

/** Ansible's listify_lookup_plugin_terms after templating: a string or a scalar becomes a one-item list. */
export function listify(v: unknown): unknown[] {
  if (Array.isArray(v)) return v
  if (isMapping(v)) return Object.keys(v)
  return [v]
}

/** A Python-style boolean option (yes/no/true/false/1/0). */
export function boolOpt(v: unknown, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback
  if (typeof v === 'boolean') return v
  if (typeof v === 'number') return v !== 0
  const s = String(v).toLowerCase()
  if (['yes', 'on', '1', 'true', 'y', 't'].includes(s)) return true
  if (['no', 'off', '0', 'false', 'n', 'f', ''].includes(s)) return false
  return fallback
}
