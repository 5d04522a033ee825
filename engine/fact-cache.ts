/**
 * Facts read ahead of their tasks: engine/run/read-ahead.ts reads them, module-runner.ts takes
 * them. One object owns every host's answers and how far ahead the run may look, so the rule that
 * keeps read-ahead truthful has one home: an answer is used once, by the task that asks exactly
 * that question as that user, and only while nothing has changed anywhere since it was read. Every
 * apply, on any host, makes every host's answers stale, reads still in flight included, because one
 * host's change can be another's fact (a database role read over the network).
 */

/** How far read-ahead looks at most, in module tasks. */
const MAX_AHEAD = 32

/** What one module invocation sees of read-ahead (ModuleEnv.readAhead). */
export interface ReadAheadView {
  /**
   * The answer read ahead for exactly this question as this become (becomeKey: method, user, flags, exe), once; undefined: ask the host.
   * Absent where answers read ahead do not apply (they are the host's own, read without a task
   * environment: not for a delegated task or one with `environment`).
   */
  take?(fact: string, key: string, become: string | undefined): { value: unknown } | undefined
  /** a plan is about to be applied: the host is about to change */
  changing(): void
}

/** One host's answers. */
export class FactCache {
  /** several tasks may ask the same question: one answer each */
  private entries = new Map<string, unknown[]>()
  /** the tasks the current entries were read for: reaching any other task reads ahead again */
  private coverSet = new Set<object>()
  /** the run's change count these entries belong to: an apply anywhere makes them stale (dropped when next touched) */
  private seen: number

  constructor(private readonly run: { readonly changes: number }) {
    this.seen = run.changes
  }

  private static id(fact: string, key: string, become: string | undefined): string {
    return JSON.stringify([fact, key, become ?? null])
  }

  private fresh(): void {
    if (this.seen === this.run.changes) return
    this.clear()
    this.seen = this.run.changes
  }

  get covers(): Set<object> {
    this.fresh()
    return this.coverSet
  }

  /** `readAt`: the run's change count when the read started; an answer read across a change is dropped. */
  put(fact: string, key: string, become: string | undefined, value: unknown, readAt = this.run.changes): void {
    this.fresh()
    if (readAt !== this.run.changes) return
    const id = FactCache.id(fact, key, become)
    this.entries.set(id, [...(this.entries.get(id) ?? []), value])
  }

  take(fact: string, key: string, become: string | undefined): { value: unknown } | undefined {
    this.fresh()
    const values = this.entries.get(FactCache.id(fact, key, become))
    if (!values?.length) return undefined
    return { value: values.shift() }
  }

  clear(): void {
    this.entries.clear()
    this.coverSet.clear()
  }
}

/** The run's read-ahead: each host's answers and the quiet-task window. */
export class ReadAhead {
  private readonly hosts = new Map<string, FactCache>()
  /** module tasks in a row after which nothing had changed on any host */
  private quietTasks = 0
  /** something was applied during the current task */
  private changedInTask = false
  private changeCount = 0

  /** Module tasks in a row after which nothing had changed on any host. */
  get quiet(): number {
    return this.quietTasks
  }

  /**
   * How many tasks to read for, learned like TCP's slow start: as many as have passed in a row
   * without a change (none on a first run, where nearly every task changes), at most MAX_AHEAD;
   * at least `atLeast` (the play's fact gathering reads its first task's facts with its own).
   */
  window(atLeast = 0): number {
    return Math.min(MAX_AHEAD, Math.max(this.quietTasks, atLeast))
  }

  answers(host: string): FactCache {
    let cache = this.hosts.get(host)
    if (!cache) {
      cache = new FactCache(this)
      this.hosts.set(host, cache)
    }
    return cache
  }

  /** Applies so far: each makes every host's answers stale (FactCache drops them when next touched, O(1) here). */
  get changes(): number {
    return this.changeCount
  }

  /** An apply is about to happen: nothing read so far can be trusted on any host. */
  changing(): void {
    this.changedInTask = true
    this.quietTasks = 0
    this.changeCount++
  }

  /** After a module task ran on every host: one more quiet task, unless something changed. */
  taskDone(): void {
    if (!this.changedInTask) this.quietTasks++
    this.changedInTask = false
  }

  /** A task's view: the host's answers (none when `answers` is false), and the change hook either way. */
  view(host: string, answers: boolean): ReadAheadView {
    const changing = () => this.changing()
    if (!answers) return { changing }
    const cache = this.answers(host)
    return { take: (fact, key, become) => cache.take(fact, key, become), changing }
  }
}
