/** The shape of our filters and tests, and the helpers that read Jinja's positional/keyword args. */
import { templateError } from './undefined.js'
import { pyType } from './py.js'

/** What map/select need: other filters and tests, by name. */
export interface FilterCtx {
  filter(name: string): (value: unknown, ...args: unknown[]) => unknown
  test(name: string): (value: unknown, ...args: unknown[]) => boolean
}

/** A filter gets `value | name(args..., kw=...)` split into positional and keyword args. */
export type Filter = (value: any, args: unknown[], kw: Record<string, unknown>, ctx: FilterCtx) => unknown
export type Test = (value: any, args: unknown[], kw: Record<string, unknown>, ctx: FilterCtx) => boolean

/** Argument `i` of a Python signature: by position, else by keyword, else the default. */
export function arg<T>(args: unknown[], kw: Record<string, unknown>, i: number, name: string, dflt: T): T {
  if (args.length > i) return args[i] as T
  if (Object.hasOwn(kw, name)) return kw[name] as T
  return dflt
}

/** nunjucks passes `k=v` arguments as a trailing object marked __keywords. */
export function splitArgs(args: unknown[]): { pos: unknown[]; kw: Record<string, unknown> } {
  const last = args[args.length - 1] as { __keywords?: boolean } | undefined
  if (last && typeof last === 'object' && last.__keywords) {
    const kw = { ...(last as Record<string, unknown>) }
    delete kw.__keywords
    return { pos: args.slice(0, -1), kw }
  }
  return { pos: args, kw: {} }
}

export function expect(filter: string, cond: boolean, want: string, got: unknown): void {
  if (!cond) throw templateError(`${filter} expects ${want}, got ${pyType(got)}`)
}
