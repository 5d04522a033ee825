/**
 * Python's values as acplay holds them, with their type names (pyType) and their truth (truthy:
 * [] and {} are false, an undefined value fails unless lenient).
 *
 * Values: None is null (a JS undefined counts as None too), ints are integral JS numbers, floats
 * are non-integral JS numbers or, when integral, a PyFloat box; tuples are PyTuple arrays; dicts are
 * plain objects; other Python-like objects (loop, macros, datetimes) extend PyObj.
 */
import { Undef } from './undefined.js'

/** A Python float whose value is integral (5.0): a plain JS 5 would print as the int 5. */
export class PyFloat {
  /** how many were made; a render that made none needs no unboxing pass over its result */
  static made = 0
  constructor(readonly v: number) {
    PyFloat.made++
  }
  valueOf(): number {
    return this.v
  }
  toJSON(): number {
    return this.v
  }
}

/** A Python tuple: an array that prints as `(1, 2)` and never equals a list. */
export class PyTuple<T = unknown> extends Array<T> {
  static override get [Symbol.species]() {
    return Array
  }
}
export function tuple<T>(items: Iterable<T>): PyTuple<T> {
  const t = new PyTuple<T>()
  for (const x of items) t.push(x)
  return t
}

/** Python objects that are not plain data: they say how they print and what attributes they have. */
export abstract class PyObj {
  /** how many were made: a template result made none needs no walk for them (template.ts) */
  static made = 0
  abstract readonly pyType: string
  constructor() {
    PyObj.made++
  }
  pyStr(): string {
    return this.pyRepr()
  }
  pyRepr(): string {
    return `<${this.pyType} object>`
  }
  /** an attribute (`obj.name`), or undefined when there is none */
  pyAttr(_name: string): unknown {
    return undefined
  }
  pyTruthy(): boolean {
    return true
  }
  /** `self op other` (or `other op self` when reflected); undefined when not supported */
  binop?(op: string, other: unknown, reflected: boolean): unknown
  /** what ==, < and > compare, for objects that are ordered (datetimes) */
  compareKey?(): number
}

/** A float from a JS number: integral ones are boxed so they stay floats. */
export const mkFloat = (n: number): number | PyFloat => (Number.isInteger(n) ? new PyFloat(n) : n)

/** The number behind an int, float or bool (Python's bool is an int), else undefined. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v
  if (v instanceof PyFloat) return v.v
  if (typeof v === 'boolean') return v ? 1 : 0
  return undefined
}
export const isFloat = (v: unknown): boolean => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v))
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)
export const isNumber = (v: unknown): boolean => typeof v === 'number' || v instanceof PyFloat

/** A dict: a plain object (class instances such as a Buffer are not). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

export function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  if (v instanceof PyFloat) return 'float'
  if (typeof v === 'string') return 'str'
  if (v instanceof PyTuple) return 'tuple'
  if (Array.isArray(v)) return 'list'
  if (v instanceof Undef) return 'AnsibleUndefined'
  if (v instanceof PyObj) return v.pyType
  if (typeof v === 'function') return 'function'
  return 'dict'
}

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false
  if (typeof v === 'boolean') return v
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v)
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0
  if (v instanceof Undef) {
    if (v.lenient) return false
    throw v.error()
  }
  if (v instanceof PyFloat) return v.v !== 0
  if (v instanceof PyObj) return v.pyTruthy()
  if (isMapping(v)) {
    for (const _ in v) return true
    return false
  }
  return true
}
