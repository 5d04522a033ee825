/** A ModuleContext answering facts from recorded output (keyed by [fact name, ...args]), for planner unit tests. */
import type { Connection, ExecResult } from '../../../engine/connection/types.js'
import { EffectStore } from '../../../engine/effects.js'
import type { FactEffect, ModuleContext } from '../../../modules/types.js'

export function fakeCtx(
  recorded: Record<string, string>,
  opts: { check?: boolean; diff?: boolean; effects?: FactEffect[] } = {},
): ModuleContext & { reads: string[] } {
  const store = new EffectStore()
  store.record(opts.effects ?? [])
  const reads: string[] = []
  const answer = (key: string): ExecResult => {
    reads.push(key)
    const stdout = recorded[key]
    if (stdout === undefined) throw new Error(`no recorded output for ${key}`)
    return { rc: 0, stdout, stderr: '' }
  }
  return {
    host: 'h1',
    check: opts.check ?? false,
    diff: opts.diff ?? false,
    vars: {},
    reads,
    run: async () => answer('run'),
    async fact(fact, ...args) {
      const key = fact.key ? fact.key(...args) : JSON.stringify(args)
      if (opts.check && store.has(fact.name, key)) return store.get(fact.name, key) as never
      return fact.parse(answer(JSON.stringify([fact.name, ...args])), ...args)
    },
    effect: (f, k) => (opts.check ? store.get(f, k) : undefined),
    effectKeys: (f) => (opts.check ? store.keys(f) : []),
    findFile: (p) => p,
    render: (t) => t,
  }
}

/** A connection that answers every exec with `answer` and counts the round trips. */
export function fakeConn(answer: string): Connection & { count: number } {
  const c = {
    host: 'fake',
    count: 0,
    connectCount: 1,
    get execCount() {
      return c.count
    },
    async exec() {
      c.count++
      return { rc: 0, stdout: answer, stderr: '' }
    },
    async close() {},
  }
  return c
}
