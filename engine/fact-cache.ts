/**
 * Facts read ahead of their tasks (engine/run/read-ahead.ts), one host's worth. An entry answers
 * once, the task that asks exactly that question as that user, and only while nothing has changed
 * anywhere since it was read: every apply, on any host, clears every host's cache, because one
 * host's change can be another's fact (a database role read over the network).
 */
export class FactCache {
  /** several tasks may ask the same question: one answer each */
  private entries = new Map<string, unknown[]>()
  /** the tasks the current entries were read for: reaching any other task reads ahead again */
  covers = new Set<object>()

  private static id(fact: string, key: string, become: string | undefined): string {
    return JSON.stringify([fact, key, become ?? null])
  }

  put(fact: string, key: string, become: string | undefined, value: unknown): void {
    const id = FactCache.id(fact, key, become)
    this.entries.set(id, [...(this.entries.get(id) ?? []), value])
  }

  take(fact: string, key: string, become: string | undefined): { value: unknown } | undefined {
    const values = this.entries.get(FactCache.id(fact, key, become))
    if (!values?.length) return undefined
    return { value: values.shift() }
  }

  clear(): void {
    this.entries.clear()
    this.covers.clear()
  }
}
