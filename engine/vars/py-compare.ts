/**
 * Python's ==, ordering and `in`: 1 == 1.0 == True, a tuple never equals a list, dicts are equal by
 * their items, only like values are ordered (else Python's TypeError), `in` on str, list and dict.
 */
import { isMapping, num, PyObj, PyTuple, pyType } from './py-value.js'
import { strict, templateError, Undef } from './undefined.js'

export function eq(a: unknown, b: unknown): boolean {
  if (a === b) return !(typeof a === 'number' && Number.isNaN(a))
  if (a instanceof Undef) strict(a)
  if (b instanceof Undef) strict(b)
  if (a === null || a === undefined || b === null || b === undefined) return (a === null || a === undefined) && (b === null || b === undefined)
  const na = num(a)
  if (na !== undefined) return na === num(b)
  if (num(b) !== undefined) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length || a instanceof PyTuple !== b instanceof PyTuple) return false
    for (let i = 0; i < a.length; i++) if (!eq(a[i], b[i])) return false
    return true
  }
  if (a instanceof PyObj && b instanceof PyObj && a.compareKey && b.compareKey) return a.compareKey() === b.compareKey()
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && eq(a[k], b[k]))
  }
  return false
}

/** Python ordering: numbers with numbers, strings with strings, lists elementwise; else TypeError. */
export function cmp(a: unknown, b: unknown, op = '<'): number {
  strict(a)
  strict(b)
  const na = num(a)
  const nb = num(b)
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (a instanceof PyObj && b instanceof PyObj && a.compareKey && b.compareKey) return Math.sign(a.compareKey() - b.compareKey())
  if (Array.isArray(a) && Array.isArray(b) && a instanceof PyTuple === b instanceof PyTuple) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!eq(a[i], b[i])) return cmp(a[i], b[i], op)
    }
    return a.length - b.length
  }
  throw templateError(`'${op}' not supported between instances of '${pyType(a)}' and '${pyType(b)}'`)
}

export function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return eq(a, b)
    case '!=':
      return !eq(a, b)
    case '<':
      return cmp(a, b, op) < 0
    case '>':
      return cmp(a, b, op) > 0
    case '<=':
      return cmp(a, b, op) <= 0
    case '>=':
      return cmp(a, b, op) >= 0
  }
  throw templateError(`unknown comparison ${op}`)
}

export function pyIn(item: unknown, container: unknown): boolean {
  strict(item)
  strict(container)
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw templateError(`'in <string>' requires string as left operand, not ${pyType(item)}`)
    return container.includes(item)
  }
  if (Array.isArray(container)) {
    for (const x of container) if (eq(x, item)) return true
    return false
  }
  // YAML's integer keys are strings here, so 1 finds '1'
  if (isMapping(container)) return (typeof item === 'string' || typeof item === 'number') && Object.hasOwn(container, String(item))
  if (container instanceof PyObj && 'pyContains' in container) return (container as PyObj & { pyContains(x: unknown): boolean }).pyContains(item)
  throw templateError(`argument of type '${pyType(container)}' is not iterable`)
}
