/** plays → hosts → tasks. Loads the inventory and playbook, runs each play, closes connections, recaps. */
import { configurePythonPlugins } from './library/python-plugins.js'
import pLimit from 'p-limit'
import { loadInventory } from './inventory/index.js'
import type { Inventory } from './inventory/types.js'
import { loadPlaybook } from './playbook/load.js'
import type { Playbook } from './playbook/types.js'
import { exitCode, recap } from './report/recap.js'
import type { Interruption, RunSummary, TaskRef } from './report/types.js'
import { ReadAhead } from './fact-cache.js'
import { AcplayError } from './errors.js'
import { Masker } from './secrets.js'
import { Retainer } from './report/retain.js'
import { connectionFor } from './run/connections.js'
import { emit, emitAsync, type RunContext } from './run/context.js'
import { flushFactCache } from './run/host-facts.js'
import { HostState } from './run/host-state.js'
import { DEFAULT_FORKS, type RunOptions } from './run/options.js'
import { runPlay } from './run/play.js'
import { NOT_STARTED } from './run/task.js'
import { loadModules } from './library/load.js'
import { checkTargets } from './run/targets.js'
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
  // filters and lookups acplay lacks find the playbook's collections too (engine/library/python-plugins.ts)
  configurePythonPlugins(dirname(playbookFile))
  modules ??= (await loadModules(dirname(playbookFile), { modulePath: opts.modulePath })).modules
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
  for (const given of [opts.connectionPassword, opts.becomePassword]) if (given) masker.add(given)
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
    readAhead: new ReadAhead(),
    warned: new Set(),
    stepping: !!opts.step,
  }
  const hostState = (name: string) => {
    let h = rc.hosts.get(name)
    if (!h) {
      h = new HostState(name, (o) => {
        // a delegate_to name outside the inventory has no vars of its own (module-env.ts)
        // extra vars win over the inventory's, for the connection too (-e ansible_host=..., as in Ansible)
        const vars = { ...(inventory.hosts.has(name) ? inventory.hostVars(name) : {}), ...opts.extraVars }
        const user = o?.user === undefined ? {} : { ansible_user: o.user }
        const timeout = o?.connectTimeoutS ? { ansible_timeout: o.connectTimeoutS } : {}
        const ssh = o?.ssh ? { ansible_connection: 'ssh' } : {}
        // the port the task's keyword and variables chose (module-env.ts taskPort)
        const port = o?.port === undefined ? {} : { ansible_port: o.port }
        return (opts.connectionFor ?? connectionFor)(name, { ...vars, ...user, ...timeout, ...ssh, ...port }, opts)
      })
      rc.hosts.set(name, h)
    }
    return h
  }
  rc.hostState = hostState
  const where = trackPosition(rc)
  const onAbort = () => void interrupt(rc, abortReason(opts.signal!))
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  emit(rc, 'onRunStart', { playbook: opts.playbook, check: !!opts.check, diff: !!opts.diff, slice: opts.slice })
  for (const w of inventory.warnings) emit(rc, 'onWarning', w)
  try {
    checkTargets(rc)
    if (opts.flushCache) flushFactCache(rc)
    for (const play of playbook.plays) {
      if (rc.interrupted) break
      // every host of a batch failed (or any_errors_fatal, max_fail_percentage): no later play runs, as in Ansible
      if (!(await runPlay(rc, play, hostState))) break
    }
  } catch (e) {
    throw maskedError(rc.masker, e)
  } finally {
    opts.signal?.removeEventListener('abort', onAbort)
    await Promise.all([...rc.hosts.values()].map((h) => h.close()))
  }
  // as Ansible's stats: a host with no result of its own (only delegated to, or every task
  // filtered out by tags) has no line
  const reported = new Set(rc.results.map((r) => r.host))
  const recaps = recap(
    [...rc.hosts.keys()].filter((h) => reported.has(h)),
    rc.results,
  )
  const connections = [...rc.hosts.values()].map((h) => ({ host: h.name, connects: h.connectCount, execs: h.execCount }))
  const summary: RunSummary = {
    recap: recaps,
    exitCode: exitCode(recaps),
    durationMs: Date.now() - started,
    check: !!opts.check,
    results: rc.results,
    connections,
    interrupted: rc.interrupted ? interruption(rc, where) : undefined,
  }
  await emitAsync(rc, 'onRunEnd', summary)
  return summary
}

const abortReason = (s: AbortSignal) => (typeof s.reason === 'string' ? s.reason : s.reason instanceof Error ? s.reason.message : 'aborted')

/** The run is interrupted: every host stops what it runs (its remote commands too) and starts nothing new. */
async function interrupt(rc: RunContext, reason: string): Promise<void> {
  rc.interrupted = reason
  await Promise.all([...rc.hosts.values()].map((h) => h.interrupt(reason)))
}

/** Where the run is (play, task, their hosts), as the reporters are told: for the interruption's account. */
function trackPosition(rc: RunContext): { play?: string; hosts: string[]; task?: TaskRef; plays: string[] } {
  const where: { play?: string; hosts: string[]; task?: TaskRef; plays: string[] } = { hosts: [], plays: [] }
  rc.reporters = [
    ...rc.reporters,
    {
      onPlayStart: (p) => Object.assign(where, { play: p.name, hosts: p.hosts, task: undefined, plays: [...where.plays, p.name] }),
      onTaskStart: (t) => {
        where.task = t
      },
    },
  ]
  return where
}

function interruption(rc: RunContext, where: ReturnType<typeof trackPosition>): Interruption {
  const stopped = rc.results.filter((r) => r.status === 'failed' && r.msg?.startsWith('E_INTERRUPTED')).map((r) => ({ host: r.host, task: r.task }))
  const notStarted = rc.results.filter((r) => r.status === 'skipped' && r.reason?.startsWith(NOT_STARTED)).map((r) => ({ host: r.host, task: r.task }))
  const cutShort = new Set([...stopped, ...notStarted].map((s) => s.host))
  return {
    reason: rc.interrupted!,
    stopped,
    notStarted,
    play: where.play,
    task: where.task,
    // the play's hosts that were still in it: those the interruption cut short, and those it found between tasks
    hosts: where.hosts.filter((h) => cutShort.has(h) || (!rc.hosts.get(h)?.failed && !rc.hosts.get(h)?.unreachable)),
    playsNotRun: rc.playbook.plays.slice(where.plays.length).map((p) => p.name),
  }
}

/** An error leaving the run is printed by the CLI: it passes the masker like every other output. */
function maskedError(masker: Masker, e: unknown): unknown {
  if (!(e instanceof Error)) return e
  const masked = e instanceof AcplayError ? new AcplayError(e.code, masker.mask(e.message), e.where) : new Error(masker.mask(e.message))
  masked.stack = masker.mask(e.stack ?? '')
  return masked
}

export type { HostRecap, HostResult, RunSummary, Reporter } from './report/types.js'
