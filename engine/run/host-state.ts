/** What the run knows about one host while it plays: connection, facts, check overlay, handler notes. */
import type { Connection } from '../connection/types.js'
import { EffectStore } from '../effects.js'

export class HostState {
  /** registered results and set_fact values (precedence above play vars, below extra vars) */
  facts: Record<string, unknown> = {}
  /** the host's facts (gathered, or a module's ansible_facts), as Ansible's fact cache holds them (facts.ts) */
  hostFacts: Record<string, unknown> = {}
  effects = new EffectStore()
  /** handler names notified on this host, in notification order */
  notified = new Set<string>()
  /** check mode: of those, the ones only tasks that "may change" notified (engine/unknown.ts): the handler may run */
  mayNotified = new Set<string>()
  /** dropped out of the play */
  failed = false
  unreachable = false
  /** meta: end_host (reset at the next play) */
  ended = false
  /** the run was interrupted: nothing more starts on this host */
  interrupted = false
  private conn?: Connection

  constructor(
    readonly name: string,
    private readonly makeConnection: () => Connection,
  ) {}

  get active(): boolean {
    return !this.failed && !this.unreachable && !this.ended && !this.interrupted
  }

  /** Stops what runs on the host now and refuses what would start; true when something was running. */
  async interrupt(reason: string): Promise<boolean> {
    this.interrupted = true
    return (await this.conn?.interrupt?.(reason)) ?? false
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
