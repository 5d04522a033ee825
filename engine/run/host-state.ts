/** What the run knows about one host while it plays: connection, facts, check overlay, handler notes. */
import type { Connection } from '../connection/types.js'
import type { Handler } from '../playbook/types.js'
import { EffectStore } from '../effects.js'

/** What a reconnect may change: the connect timeout (reboot's and wait_for_connection's connect_timeout). */
export interface ConnectionOverrides {
  connectTimeoutS?: number
  /** log in as this user instead of the host's own (a play's remote_user) */
  user?: string
  /** over ssh whatever `-c` says (a play's or task's `connection: ssh`) */
  ssh?: boolean
  /** to this port instead of the host's own (the `port` keyword) */
  port?: number
}

/**
 * Bumped whenever a host joins or leaves the play (one of its flags changes): lists of the active
 * hosts are kept against it (magic-vars.ts), since rebuilding them for every task and host made
 * each task O(hosts²).
 */
let activeVersion = 0
export const activeHostsVersion = (): number => activeVersion

export class HostState {
  /** registered results and set_fact values (precedence above play vars, below extra vars) */
  facts: Record<string, unknown> = {}
  /** include_vars' values: a layer of their own, under `facts` (precedence.ts) */
  includedVars: Record<string, unknown> = {}
  /** the host's facts (gathered, or a module's ansible_facts), as Ansible's fact cache holds them (facts.ts) */
  hostFacts: Record<string, unknown> = {}
  effects = new EffectStore()
  /** strategy free: tasks that are this host's own copy after an include (linear.ts ownTasksAfterInclude) */
  readonly ownTasks = new WeakSet<object>()
  /** names tasks notified on this host (those no handler answers to are warned about: handlers.ts) */
  notified = new Set<string>()
  /** the handlers those names reached when notified (handlers.ts notify) */
  handlers = new Set<Handler>()
  /** check mode: of those, the ones only tasks that "may change" notified (engine/unknown.ts): the handler may run */
  mayHandlers = new Set<Handler>()
  private flags = { failed: false, unreachable: false, ended: false, interrupted: false }
  private conn?: Connection
  /** the other connections: as another user than the host's own (a play's remote_user), over ssh despite -c local, to another port */
  private others = new Map<string, Connection>()
  /** round trips and connects of connections closed by reconnect() */
  private pastExecs = 0
  private pastConnects = 0

  constructor(
    readonly name: string,
    private readonly makeConnection: (o?: ConnectionOverrides) => Connection,
  ) {}

  /** dropped out of the play */
  get failed(): boolean {
    return this.flags.failed
  }
  set failed(v: boolean) {
    this.setFlag('failed', v)
  }
  get unreachable(): boolean {
    return this.flags.unreachable
  }
  set unreachable(v: boolean) {
    this.setFlag('unreachable', v)
  }
  /** meta: end_host (reset at the next play) */
  get ended(): boolean {
    return this.flags.ended
  }
  set ended(v: boolean) {
    this.setFlag('ended', v)
  }
  /** the run was interrupted: nothing more starts on this host */
  get interrupted(): boolean {
    return this.flags.interrupted
  }
  set interrupted(v: boolean) {
    this.setFlag('interrupted', v)
  }

  private setFlag(name: keyof HostState['flags'], v: boolean): void {
    if (this.flags[name] === v) return
    this.flags[name] = v
    activeVersion++
  }

  get active(): boolean {
    const f = this.flags
    return !f.failed && !f.unreachable && !f.ended && !f.interrupted
  }

  /** Stops what runs on the host now and refuses what would start; true when something was running. */
  async interrupt(reason: string): Promise<boolean> {
    this.interrupted = true
    const others = await Promise.all([...this.others.values()].map((c) => c.interrupt?.(reason)))
    return ((await this.conn?.interrupt?.(reason)) ?? false) || others.some(Boolean)
  }

  /**
   * The host's connection; with `user`, one that logs in as that user; with `ssh`, one over ssh; with
   * `port`, one to that port, unless the host's own is at that port already (each opened once, kept
   * until a reconnect).
   */
  connection(user?: string, ssh?: boolean, port?: number): Connection {
    const key = `${ssh ? 'ssh' : ''}:${user ?? ''}:${port ?? ''}`
    let c = this.others.get(key)
    if (!c && user === undefined && !ssh) {
      this.conn ??= this.makeConnection()
      // a local connection has no port
      if (port === undefined || !this.conn.sshTarget || this.conn.sshTarget.port === port) return this.conn
    }
    if (!c) {
      c = this.makeConnection({ user, ssh, port })
      this.others.set(key, c)
    }
    return c
  }

  /**
   * A new connection from now on (meta: reset_connection, reboot, wait_for_connection): the
   * current ones are closed, the next script opens a new ssh session (with `o`, when given; with
   * `o.port`, the connection to that port is the new one, the host's own opens when next used).
   */
  async reconnect(o?: ConnectionOverrides): Promise<Connection> {
    const old = [...(this.conn ? [this.conn] : []), ...this.others.values()]
    this.conn = undefined
    this.others.clear()
    for (const c of old) {
      this.pastExecs += c.execCount
      this.pastConnects += c.connectCount
    }
    await Promise.all(old.map((c) => c.close()))
    const c = this.makeConnection(o)
    if (o?.port === undefined) this.conn = c
    else this.others.set(`::${o.port}`, c)
    return c
  }

  get execCount(): number {
    return this.pastExecs + this.live().reduce((n, c) => n + c.execCount, 0)
  }

  get connectCount(): number {
    return this.pastConnects + this.live().reduce((n, c) => n + c.connectCount, 0)
  }

  private live(): Connection[] {
    return [...(this.conn ? [this.conn] : []), ...this.others.values()]
  }

  async close(): Promise<void> {
    await Promise.all(this.live().map((c) => c.close()))
  }
}
