/** What the run knows about one host while it plays: connection, facts, check overlay, handler notes. */
import type { Connection } from '../connection/types.js'
import { EffectStore } from '../effects.js'
import { FactCache } from '../fact-cache.js'

export class HostState {
  /** registered results and set_fact values (precedence above play vars, below extra vars) */
  facts: Record<string, unknown> = {}
  /** the host's facts (gathered, or a module's ansible_facts), as Ansible's fact cache holds them (facts.ts) */
  hostFacts: Record<string, unknown> = {}
  effects = new EffectStore()
  /** facts read ahead of the tasks that will ask them (read-ahead.ts) */
  readAhead = new FactCache()
  /** handler names notified on this host, in notification order */
  notified = new Set<string>()
  /** dropped out of the play */
  failed = false
  unreachable = false
  /** meta: end_host (reset at the next play) */
  ended = false
  private conn?: Connection

  constructor(
    readonly name: string,
    private readonly makeConnection: () => Connection,
  ) {}

  get active(): boolean {
    return !this.failed && !this.unreachable && !this.ended
  }

  connection(): Connection {
    this.conn ??= this.makeConnection()
    return this.conn
  }

  get execCount(): number {
    return this.conn?.execCount ?? 0
  }

  get connectCount(): number {
    return this.conn?.connectCount ?? 0
  }

  async close(): Promise<void> {
    await this.conn?.close()
  }
}
