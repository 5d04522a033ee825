/** Names every template can use that are not variables: range, dict, lookup/query, omit. */
import { readFileSync } from 'node:fs'
import { splitArgs } from './filter-types.js'
import type { RenderContext } from './jinja-runtime.js'
import { pystr } from './py.js'
import { isUndef, templateError } from './undefined.js'

/** The value `default(omit)` yields; templateValue drops mapping keys that hold it (as Ansible drops module args). */
export const OMIT = '__omit_place_holder__acplay__'

function range(a: unknown, b?: unknown, c?: unknown): number[] {
  const [start, stop, step] = b === undefined ? [0, Number(a), 1] : [Number(a), Number(b), c === undefined ? 1 : Number(c)]
  if (step === 0) throw templateError('range() arg 3 must not be zero')
  const out: number[] = []
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i)
  return out
}

/** The controller-side lookups that need no plugin machinery: env, file, vars. */
function lookupAll(this: RenderContext, plugin: unknown, ...rest: unknown[]): unknown[] {
  const { pos, kw } = splitArgs(rest)
  const terms = pos.map((t) => pystr(t))
  switch (plugin) {
    case 'env':
      return terms.map((t) => process.env[t] ?? (kw.default as string | undefined) ?? '')
    case 'file':
      return terms.map((t) => {
        try {
          const text = readFileSync(t, 'utf8')
          return kw.rstrip === false ? text : text.replace(/\s+$/, '')
        } catch (e) {
          throw templateError(`lookup('file'): cannot read ${t}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
        }
      })
    case 'vars':
      return terms.map((t) => {
        const v = this.lookup(t)
        return isUndef(v) && kw.default !== undefined ? kw.default : v
      })
  }
  throw templateError(`lookup plugin '${pystr(plugin)}' is not supported (env, file, vars are)`)
}

function lookup(this: RenderContext, plugin: unknown, ...rest: unknown[]): unknown {
  const all = lookupAll.call(this, plugin, ...rest)
  const { kw } = splitArgs(rest)
  return kw.wantlist ? all : all.length === 1 ? all[0] : all.map(pystr).join(',')
}

export const globals: Record<string, unknown> = {
  range,
  dict: (...args: unknown[]) => {
    const { kw } = splitArgs(args)
    return kw
  },
  lookup,
  query: lookupAll,
  q: lookupAll,
  omit: OMIT,
}
