/** Keywords inherited from enclosing blocks and roles, and the variables a task sees on a host. */
import type { Location } from '../errors.js'
import { mergeVars } from '../vars/precedence.js'
import { INHERITED, type Inherited } from '../playbook/keyword-table.js'
import type { ModuleTask, TaskKeywords } from '../playbook/types.js'
import type { HostState } from './host-state.js'
import type { PlayContext } from './context.js'
import { factVars } from './host-facts.js'

/** What a block or role passes down to its tasks: the keywords the keyword table marks inherited, and the role. */
export type Scope = Pick<TaskKeywords, Inherited | 'role'>

export const rootScope = (): Scope => ({ vars: {}, when: [], tags: [] })

/** The scope inside a block (or role), each keyword as the table says: the inner value wins, lists append, mappings merge. */
export function enter(scope: Scope, k: TaskKeywords): Scope {
  const out: Record<string, unknown> = { role: k.role ?? scope.role }
  for (const [name, how] of INHERITED) {
    const outer = scope[name]
    const inner = k[name]
    if (how === 'append') out[name] = [...(outer as unknown[]), ...(inner as unknown[])]
    else if (how === 'merge') out[name] = inner ? { ...(outer as object), ...(inner as object) } : outer
    else out[name] = inner ?? outer
  }
  return out as Scope
}

/** One module task on one host, as it runs: what each step of running it (or reading ahead for it) needs. */
export interface TaskRun {
  pc: PlayContext
  task: ModuleTask
  host: HostState
  /** what the enclosing blocks and roles pass down */
  scope: Scope
  /** the task's variables on this host (with the loop variable, inside a loop) */
  vars: Record<string, unknown>
  /** the task's file:line, name and host, for errors */
  where: Location
}

export function taskRun(pc: PlayContext, task: ModuleTask, host: HostState, scope: Scope): TaskRun {
  const where = { file: task.pos.file, line: task.pos.line, col: task.pos.col, task: task.name ?? task.module, host: host.name }
  return { pc, task, host, scope, vars: taskVars(pc, host, scope, task), where }
}

/** The variables a task sees on a host: each layer by name, in the order engine/vars/precedence.ts keeps; then the magic ones. */
export function taskVars(pc: PlayContext, host: HostState, scope: Scope, task: TaskKeywords): Record<string, unknown> {
  const role = task.role ?? scope.role
  const opts = pc.run.opts
  const layered = mergeVars({
    // every role's defaults and vars are visible play-wide; the task's own role's win
    roleDefaults: [pc.roleDefaults, role?.defaults ?? {}],
    inventory: pc.run.inventory.hostVars(host.name),
    hostFacts: factVars(pc.run, host),
    play: pc.playVars,
    varsFiles: pc.varsFiles,
    roleVars: [pc.roleVars, role?.vars ?? {}, role?.params ?? {}],
    block: scope.vars,
    task: task.vars,
    facts: host.facts,
    extra: opts.extraVars,
  })
  const vars: Record<string, unknown> = {
    ...layered,
    ansible_check_mode: !!opts.check,
    ansible_diff_mode: !!opts.diff,
    playbook_dir: pc.run.playbook.dir,
    role_path: role?.dir,
    role_name: role?.name,
    ansible_play_hosts_all: pc.hostNames,
    hostvars: hostvars(pc),
  }
  // computed when first read (a loop's items and a spread read it): filtering every play host for
  // every task and host made each task O(hosts²)
  let playHosts: string[] | undefined
  Object.defineProperty(vars, 'ansible_play_hosts', {
    enumerable: true,
    configurable: true,
    // a host of a later serial batch has no state yet: it is in the play, not failed
    get: () => (playHosts ??= pc.hostNames.filter((h) => pc.run.hosts.get(h)?.active ?? true)),
    set: (value: unknown) => Object.defineProperty(vars, 'ansible_play_hosts', { value, writable: true, enumerable: true, configurable: true }),
  })
  return vars
}

const hostvarsOfPlay = new WeakMap<PlayContext, Record<string, unknown>>()

/**
 * `hostvars[name]`: every host's inventory vars, host facts and registered facts (in precedence order), computed on access. One object per
 * play (its getters read the live state): built per task and host it made a run O(hosts²) per task,
 * 11 s of a 1,000-host no-op (bench/README.md, fleet).
 */
function hostvars(pc: PlayContext): Record<string, unknown> {
  let out = hostvarsOfPlay.get(pc)
  if (out) return out
  out = {}
  hostvarsOfPlay.set(pc, out)
  for (const name of pc.run.inventory.hosts.keys()) {
    Object.defineProperty(out, name, {
      enumerable: true,
      get: () => {
        const h = pc.run.hosts.get(name)
        return mergeVars({ inventory: pc.run.inventory.hostVars(name), hostFacts: h && factVars(pc.run, h), facts: h?.facts })
      },
    })
  }
  return out
}
