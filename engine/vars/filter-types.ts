/** The shape of our filters and tests, and the helpers they share (arguments, attribute paths, sorting). */
import { getitem } from './jinja/runtime.js'
import { cmp, pyType } from './py.js'
import { templateError, Undef } from './undefined.js'

/** A filter or test as templates call it: value, positional args, keyword args. */
export type FilterFn = (value: unknown, args: unknown[], kw: Record<string, unknown>) => unknown
export type TestFn = (value: unknown, args: unknown[], kw: Record<string, unknown>) => boolean

/** What map/select need: other filters and tests, by name. */
export interface FilterCtx {
  filter(name: string): FilterFn
  test(name: string): TestFn
}

/** A filter gets `value | name(args..., kw=...)` split into positional and keyword args. */
export type Filter = (value: unknown, args: unknown[], kw: Record<string, unknown>, ctx: FilterCtx) => unknown
export type Test = (value: unknown, args: unknown[], kw: Record<string, unknown>, ctx: FilterCtx) => boolean

/** Argument `i` of a Python signature: by position, else by keyword, else the default. */
export function arg<T>(args: unknown[], kw: Record<string, unknown>, i: number, name: string, dflt: T): T {
  if (args.length > i) return args[i] as T
  if (Object.hasOwn(kw, name)) return kw[name] as T
  return dflt
}

export function expect(filter: string, cond: boolean, want: string, got: unknown): void {
  if (!cond) throw templateError(`${filter} expects ${want}, got ${pyType(got)}`)
}

export const ignoreCase = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v)

/** Jinja's make_attrgetter: `attribute='a.b.0'` looked up item by item (digits as indexes). */
export function attrGetter(attribute: unknown, postprocess?: (v: unknown) => unknown, dflt?: unknown): (item: unknown) => unknown {
  const parts: unknown[] =
    attribute === null || attribute === undefined
      ? []
      : typeof attribute === 'string'
        ? attribute.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
        : [attribute]
  return (item) => {
    let v = item
    for (const p of parts) {
      v = getitem(v, p)
      if (dflt !== undefined && dflt !== null && v instanceof Undef) v = dflt
    }
    return postprocess ? postprocess(v) : v
  }
}

/** Python's sorted(items, key, reverse): stable, and reverse keeps equal items in order. */
export function sortedBy<T>(items: readonly T[], key: (x: T) => unknown, reverse: boolean): T[] {
  const keyed = items.map((x) => ({ x, k: key(x) }))
  keyed.sort(reverse ? (a, b) => cmp(b.k, a.k) : (a, b) => cmp(a.k, b.k))
  return keyed.map((e) => e.x)
}
