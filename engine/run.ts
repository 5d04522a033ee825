/** plays → hosts → tasks. Loads the inventory and playbook, runs each play, closes connections, recaps. */
import pLimit from 'p-limit'
import { loadInventory } from './inventory/index.js'
import type { Inventory } from './inventory/types.js'
import { loadPlaybook } from './playbook/load.js'
import type { Playbook } from './playbook/types.js'
import { exitCode, recap } from './report/recap.js'
import type { RunSummary } from './report/types.js'
import { Masker } from './secrets.js'
import { Retainer } from './report/retain.js'
import { connectionFor } from './run/connections.js'
import { emit, emitAsync, type RunContext } from './run/context.js'
import { HostState } from './run/host-state.js'
import { DEFAULT_FORKS, type RunOptions } from './run/options.js'
import { runPlay } from './run/play.js'
import { loadModules } from './library/load.js'
import type { ModuleSpec } from '../modules/types.js'
import { dirname, resolve } from 'node:path'
import { withVault } from './vault/context.js'
import { sliceInventory } from './inventory/slice.js'

export type { RunOptions } from './run/options.js'

export interface Loaded {
  inventory: Inventory
  playbook: Playbook
  modules: Record<string, ModuleSpec>
}

/**
 * Everything a run reads before it touches a host; bad input fails here with file:line.
 * Without `modules`: the built-in ones plus the playbook's custom modules (library/, acplay.config.json, ansible.cfg).
 */
export function load(opts: RunOptions, modules?: Record<string, ModuleSpec>): Promise<Loaded> {
  return withVault(opts.vault, () => loadFiles(opts, modules))
}

async function loadFiles(opts: RunOptions, modules?: Record<string, ModuleSpec>): Promise<Loaded> {
  const playbookFile = resolve(opts.playbook)
  modules ??= (await loadModules(dirname(playbookFile))).modules
  const inventory = sliceInventory(await loadInventory(opts.inventory, { playbookDir: dirname(playbookFile) }), opts.slice)
  const playbook = await loadPlaybook(playbookFile, { modules })
  return { inventory, playbook, modules }
}

export function run(opts: RunOptions, loaded?: Loaded): Promise<RunSummary> {
  return withVault(opts.vault, () => runLoaded(opts, loaded))
}

async function runLoaded(opts: RunOptions, loaded?: Loaded): Promise<RunSummary> {
  const started = Date.now()
  const masker = new Masker()
  // vault values decrypted while loading, and later (vars_files, include_vars, copy src), are secrets
  const unsubscribe = opts.vault?.onReveal((plaintext) => masker.add(plaintext))
  try {
    return await runWith(opts, masker, loaded ?? (await loadFiles(opts)), started)
  } finally {
    unsubscribe?.()
  }
}

async function runWith(opts: RunOptions, masker: Masker, { inventory, playbook, modules }: Loaded, started: number): Promise<RunSummary> {
  const rc: RunContext = {
    opts,
    inventory,
    playbook,
    modules,
    masker,
    reporters: opts.reporters ?? [],
    hosts: new Map(),
    results: [],
    retainer: new Retainer(),
    limit: pLimit(opts.forks ?? DEFAULT_FORKS),
    started: !opts.startAtTask,
    quietTasks: 0,
    changedInTask: false,
  }
  const hostState = (name: string) => {
    let h = rc.hosts.get(name)
    if (!h) {
      h = new HostState(name, () => connectionFor(name, inventory.hostVars(name), opts))
      rc.hosts.set(name, h)
    }
    return h
  }
  emit(rc, 'onRunStart', { playbook: opts.playbook, check: !!opts.check, diff: !!opts.diff, slice: opts.slice })
  try {
    for (const play of playbook.plays) await runPlay(rc, play, hostState)
  } finally {
    await Promise.all([...rc.hosts.values()].map((h) => h.close()))
  }
  const recaps = recap([...rc.hosts.keys()], rc.results)
  const connections = [...rc.hosts.values()].map((h) => ({ host: h.name, connects: h.connectCount, execs: h.execCount }))
  const summary: RunSummary = {
    recap: recaps,
    exitCode: exitCode(recaps),
    durationMs: Date.now() - started,
    check: !!opts.check,
    results: rc.results,
    connections,
  }
  await emitAsync(rc, 'onRunEnd', summary)
  return summary
}

export type { HostRecap, HostResult, RunSummary, Reporter } from './report/types.js'
