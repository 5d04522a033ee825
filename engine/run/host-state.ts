/** What the run knows about one host while it plays: connection, facts, check overlay, handler notes. */
import type { Connection } from '../connection/types.js'
import { EffectStore } from '../effects.js'

/** What a reconnect may change: the connect timeout (reboot's and wait_for_connection's connect_timeout). */
export interface ConnectionOverrides {
  connectTimeoutS?: number
  /** log in as this user instead of the host's own (a play's remote_user) */
  user?: string
}

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
  /** connections as another user than the host's own (a play's remote_user) */
  private asUsers = new Map<string, Connection>()
  /** round trips and connects of connections closed by reconnect() */
  private pastExecs = 0
  private pastConnects = 0

  constructor(
    readonly name: string,
    private readonly makeConnection: (o?: ConnectionOverrides) => Connection,
  ) {}

  get active(): boolean {
    return !this.failed && !this.unreachable && !this.ended && !this.interrupted
  }

  /** Stops what runs on the host now and refuses what would start; true when something was running. */
  async interrupt(reason: string): Promise<boolean> {
    this.interrupted = true
    const others = await Promise.all([...this.asUsers.values()].map((c) => c.interrupt?.(reason)))
    return ((await this.conn?.interrupt?.(reason)) ?? false) || others.some(Boolean)
  }

  /** The host's connection; with `user`, one that logs in as that user (opened once, kept until a reconnect). */
  connection(user?: string): Connection {
    if (user !== undefined) {
      let c = this.asUsers.get(user)
      if (!c) {
        c = this.makeConnection({ user })
        this.asUsers.set(user, c)
      }
      return c
    }
    this.conn ??= this.makeConnection()
    return this.conn
  }

  /**
   * A new connection from now on (meta: reset_connection, reboot, wait_for_connection): the
   * current one is closed, the next script opens a new ssh session (with `o`, when given).
   */
  async reconnect(o?: ConnectionOverrides): Promise<Connection> {
    const old = [...(this.conn ? [this.conn] : []), ...this.asUsers.values()]
    this.conn = undefined
    this.asUsers.clear()
    for (const c of old) {
      this.pastExecs += c.execCount
      this.pastConnects += c.connectCount
    }
    await Promise.all(old.map((c) => c.close()))
    this.conn = this.makeConnection(o)
    return this.conn
  }

  get execCount(): number {
    return this.pastExecs + this.live().reduce((n, c) => n + c.execCount, 0)
  }

  get connectCount(): number {
    return this.pastConnects + this.live().reduce((n, c) => n + c.connectCount, 0)
  }

  private live(): Connection[] {
    return [...(this.conn ? [this.conn] : []), ...this.asUsers.values()]
  }

  async close(): Promise<void> {
    await Promise.all(this.live().map((c) => c.close()))
  }
}
