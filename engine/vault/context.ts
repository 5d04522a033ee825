/**
 * The vault of the run in progress, for the places that read files deep inside loading and running
 * (YAML sources, vars files, copy/template sources). `load` and `run` set it from RunOptions.vault;
 * AsyncLocalStorage keeps two runs in one process apart.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Vault } from './vault.js'

const storage = new AsyncLocalStorage<Vault | undefined>()

export const withVault = <T>(vault: Vault | undefined, fn: () => T): T => storage.run(vault, fn)

export const currentVault = (): Vault | undefined => storage.getStore()
