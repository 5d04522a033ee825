/**
 * Ansible's unsafe values: what a host answered (a registered result, its facts), what a lookup
 * read, and what was rendered from either, is data: never templated again when a variable holding
 * it is read (a host's output of `{{ lookup('pipe', ...) }}` would otherwise run on the controller),
 * and a condition written as a template that read any of it is refused (Ansible 2.14.12+).
 *
 * A string cannot carry a mark, so the mapping or list holding an unsafe value lists its key
 * (UNSAFE_KEYS): a host's facts, its registered and set_fact variables, arguments rendered from unsafe data, and the merged variables a task sees (precedence.ts).
 * Numbers and booleans are never unsafe, as in Ansible.
 */

/** On a mapping or list: the keys whose values are unsafe. A spread copies it with the values. */
export const UNSAFE_KEYS: unique symbol = Symbol('unsafe keys')

type Marked = { [UNSAFE_KEYS]?: ReadonlySet<string> }

/** Whether a value can be unsafe at all: text and containers, as Ansible's wrap_var. */
export const canBeUnsafe = (v: unknown): boolean => typeof v === 'string' || (typeof v === 'object' && v !== null)

export const unsafeKeys = (container: object | undefined): ReadonlySet<string> | undefined => (container as Marked | undefined)?.[UNSAFE_KEYS]

/** Whether `container[key]` is unsafe: a value its container marks. */
export function isUnsafeEntry(container: object, key: string): boolean {
  return canBeUnsafe((container as Record<string, unknown>)[key]) && !!unsafeKeys(container)?.has(key)
}

/** `set` with `key` added (a new set when there was none). */
export function withKey(set: Set<string> | undefined, key: string): Set<string> {
  const out = set ?? new Set<string>()
  out.add(key)
  return out
}

/**
 * Whether a marked value is unsafe whole (never walked): text, or a container marking nothing inside
 * (rendered from unsafe data). A container marking entries only holds unsafe data: its other
 * entries are still templated.
 */
export const unsafeWhole = (v: unknown): boolean => typeof v === 'string' || (typeof v === 'object' && v !== null && !unsafeKeys(v)?.size)

/** Sets the keys a container marks (none: the mark is removed); sets are never changed in place (spreads share them). */
export function setUnsafeKeys(container: object, keys: ReadonlySet<string> | undefined): void {
  if (keys?.size) (container as Marked)[UNSAFE_KEYS] = keys
  else if (UNSAFE_KEYS in container) delete (container as Marked)[UNSAFE_KEYS]
}

/** `container[key] = value`, marked unsafe or not. */
export function setEntry(container: Record<string, unknown>, key: string, value: unknown, unsafe: boolean): void {
  container[key] = value
  const had = unsafeKeys(container)
  if (unsafe === !!had?.has(key)) return
  const next = new Set(had)
  if (unsafe) next.add(key)
  else next.delete(key)
  setUnsafeKeys(container, next)
}

/**
 * Mappings merged in order, a later one winning per key and with it, whether its value is unsafe
 * (Object.assign would copy the last mapping's marks for all).
 */
export function mergeMarked(parts: readonly Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  let unsafe: Set<string> | undefined
  for (const vars of parts) {
    Object.assign(out, vars)
    const marked = unsafeKeys(vars)
    if (unsafe?.size) for (const k in vars) if (!marked?.has(k)) unsafe.delete(k)
    if (marked) for (const k of marked) if (Object.hasOwn(vars, k)) unsafe = withKey(unsafe, k)
  }
  setUnsafeKeys(out, unsafe)
  return out
}

/** Copies `from`'s entries into `to` with their marks (set_fact's facts into the host's). */
export function assignEntries(to: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(from)) setEntry(to, k, v, isUnsafeEntry(from, k))
}

/** Every key of a mapping marked unsafe (a host's facts). */
export function allUnsafe<T extends object>(container: T): T {
  const keys = Object.entries(container)
    .filter(([, v]) => canBeUnsafe(v) && !isEmpty(v))
    .map(([k]) => k)
  setUnsafeKeys(container, new Set(keys))
  return container
}

/** Ansible's test looks inside containers: an empty one holds nothing unsafe. */
const isEmpty = (v: unknown): boolean => typeof v === 'object' && v !== null && Object.keys(v).length === 0

const marksInside = new WeakSet<object>()

/**
 * `hostvars`: each host's variables keep their marks, but the mapping of hosts marks none (as Ansible's
 * HostVars, reading one host's name is not reading another's output).
 */
export function keepMarksInside<T extends object>(container: T): T {
  marksInside.add(container)
  return container
}
export const marksStayInside = (container: object): boolean => marksInside.has(container)

/** Ansible's refusal of a condition whose template read unsafe data. */
export const UNSAFE_CONDITION = 'Conditional is marked as unsafe, and cannot be evaluated.'
