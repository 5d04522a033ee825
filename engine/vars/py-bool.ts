/** Ansible's strict `boolean()` (module_utils/parsing/convert_bool.py): its sets and its error. */
import { isMapping, PyFloat } from './py-value.js'
import { pystr } from './py-str.js'

export const BOOLEANS_TRUE = ['y', 'yes', 'on', '1', 'true', 't']
export const BOOLEANS_FALSE = ['n', 'no', 'off', '0', 'false', 'f']
// Python prints its frozenset in hash order, which changes from run to run; this is one of them
export const VALID_BOOLEANS = "0, 1, 'on', '0', 'n', 'off', 'false', 'f', 't', '1', 'no', 'y', 'true', 'yes'"

/** `boolean(value, strict=True)`: a bool, one of the strings (any case, trimmed), 1 or 0; else throws Python's TypeError text. */
export function pyBoolean(v: unknown): boolean {
  if (typeof v === 'boolean') return v
  const n = v instanceof PyFloat ? v.v : v
  const s = typeof n === 'string' ? n.toLowerCase().trim() : n
  if (s === 1 || BOOLEANS_TRUE.includes(s as string)) return true
  if (s === 0 || BOOLEANS_FALSE.includes(s as string)) return false
  // a list or a mapping cannot be looked up in a frozenset
  if (Array.isArray(v)) throw new TypeError("unhashable type: 'list'")
  if (isMapping(v)) throw new TypeError("unhashable type: 'dict'")
  throw new TypeError(`The value '${pystr(v)}' is not a valid boolean.  Valid booleans include: ${VALID_BOOLEANS}`)
}
