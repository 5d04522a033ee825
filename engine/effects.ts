/** The per-host overlay of check mode: what earlier (unapplied) changes would have made true. */
import type { FactEffect } from '../modules/types.js'

export class EffectStore {
  private map = new Map<string, unknown>()

  private static id(fact: string, key: string): string {
    return `${fact}\u0000${key}`
  }

  record(effects: readonly FactEffect[] = []): void {
    for (const e of effects) this.map.set(EffectStore.id(e.fact, e.key), e.value)
  }

  has(fact: string, key: string): boolean {
    return this.map.has(EffectStore.id(fact, key))
  }

  get(fact: string, key: string): unknown {
    return this.map.get(EffectStore.id(fact, key))
  }
}
