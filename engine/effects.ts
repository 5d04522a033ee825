/**
 * The per-host overlay of check mode: what earlier (unapplied) changes would have made true, and
 * what they make unknowable until they have run (engine/unknown.ts). The later of the two wins: a
 * pip install makes its venv's files unknown but its own pip.installed effect known; a second
 * install into the same tree makes them unknown again.
 */
import type { FactEffect, Unknowable } from '../modules/types.js'
import { unknowableMatches } from './unknown.js'

export class EffectStore {
  private map = new Map<string, { value: unknown; seq: number; after: string }>()
  private unknowns: { u: Unknowable; after: string; seq: number }[] = []
  private seq = 0

  private static id(fact: string, key: string): string {
    return `${fact}\u0000${key}`
  }

  /** A change's unknowns (named by the task `after`) then its effects: its effects are newer. */
  record(effects: readonly FactEffect[] = [], unknowns: readonly Unknowable[] = [], after = 'an earlier task'): void {
    for (const u of unknowns) this.unknowns.push({ u, after, seq: ++this.seq })
    const seq = ++this.seq
    for (const e of effects) this.map.set(EffectStore.id(e.fact, e.key), { value: e.value, seq, after })
  }

  /** The task a read of (fact, key) waits for, when a change after its last known effect made it unknowable. */
  unknown(fact: string, key: string): string | undefined {
    if (this.unknowns.length === 0) return undefined
    const known = this.map.get(EffectStore.id(fact, key))?.seq ?? 0
    for (let i = this.unknowns.length - 1; i >= 0; i--) {
      const x = this.unknowns[i]!
      if (x.seq < known) return undefined
      if (unknowableMatches(x.u, fact, key)) return x.after
    }
    return undefined
  }

  has(fact: string, key: string): boolean {
    return this.map.has(EffectStore.id(fact, key)) && this.unknown(fact, key) === undefined
  }

  /** Every key of `fact` with an effect that is still known. */
  keys(fact: string): string[] {
    const prefix = `${fact}\u0000`
    return [...this.map.keys()]
      .filter((id) => id.startsWith(prefix))
      .map((id) => id.slice(prefix.length))
      .filter((k) => this.has(fact, k))
  }

  /** The task whose (still known) effect is about `key`, of any fact: a database, a role, a path an earlier change makes. */
  madeBy(key: string): string | undefined {
    for (const [id, e] of this.map) {
      const at = id.indexOf('\u0000')
      if (id.slice(at + 1) === key && this.has(id.slice(0, at), key)) return e.after
    }
    return undefined
  }

  get(fact: string, key: string): unknown {
    return this.has(fact, key) ? this.map.get(EffectStore.id(fact, key))?.value : undefined
  }
}
