/**
 * The vault of the run in progress, for the places that read files deep inside loading and running
 * (YAML sources, vars files, copy/template sources). `load` and `run` set it from RunOptions.vault.
 *
 * One vault per process at a time, not an AsyncLocalStorage: that installs promise hooks for every
 * promise of the process, ~4% of a fleet no-op's controller CPU (bench/README.md, fleet). Runs in
 * one process with the same vault (or none) may overlap; runs with different vaults at once are
 * refused rather than mixed, since a secret revealed into the wrong run would not be masked there.
 */
import type { Vault } from './vault.js'

let current: { vault: Vault | undefined; holders: number } | undefined

export function withVault<T>(vault: Vault | undefined, fn: () => T): T {
  if (current && current.vault !== vault)
    throw new Error('acplay: runs with different vaults at once in one process are not supported; run them one after another')
  current ??= { vault, holders: 0 }
  const held = current
  held.holders++
  const release = () => {
    if (--held.holders === 0 && current === held) current = undefined
  }
  let out: T
  try {
    out = fn()
  } catch (e) {
    release()
    throw e
  }
  if (out instanceof Promise) return out.finally(release) as T
  release()
  return out
}

export const currentVault = (): Vault | undefined => current?.vault
