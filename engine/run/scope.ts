/** Keywords inherited from enclosing blocks and roles, and the variables a task sees on a host. */
import { keepMarksInside, mergeMarked } from '../vars/unsafe.js'
import { taskLabel } from '../playbook/module-task.js'
import type { Location } from '../errors.js'
import { mergeVars } from '../vars/precedence.js'
import { INHERITED, type Inherited } from '../playbook/keyword-table.js'
import { LOCALHOST } from '../inventory/patterns.js'
import type { ModuleTask, RoleContext, TaskKeywords } from '../playbook/types.js'
import { LOOKUP_CONTEXT, type LookupContext } from '../vars/lookups/context.js'
import type { HostState } from './host-state.js'
import { emit, type PlayContext } from './context.js'
import { candidates } from './find-file.js'
import { factVars } from './host-facts.js'
import { addMagicVars } from './magic-vars.js'
import { addConnectionVars } from './module-env.js'
import { hostVarsFiles } from './vars-files.js'

/**
 * What a block or role passes down to its tasks: the keywords the keyword table marks inherited, the
 * role, and inside an included file what its templated tags are rendered with (includeTagVars).
 */
export type Scope = Pick<TaskKeywords, Inherited | 'role'> & {
  tagVars?: Record<string, unknown>
  /** inside an include_tasks / include_role: its vars and loop variable (Ansible's include params, above set_fact) */
  includeParams?: Record<string, unknown>
  /** inside a block with a rescue (or in one): a failure here is rescued, never fatal to the play (gate.ts failFast) */
  rescuable?: boolean
}

export const rootScope = (): Scope => ({ vars: {}, when: [], tags: [] })

/** The scope inside a block (or role), each keyword as the table says: the inner value wins, lists append, mappings merge. */
export function enter(scope: Scope, k: TaskKeywords): Scope {
  const out: Record<string, unknown> = { role: k.role ?? scope.role }
  if (scope.tagVars) out.tagVars = scope.tagVars
  if (scope.includeParams) out.includeParams = scope.includeParams
  if (scope.rescuable) out.rescuable = true
  for (const [name, how] of INHERITED) {
    const outer = scope[name]
    const inner = k[name]
    if (how === 'append') out[name] = [...((outer ?? []) as unknown[]), ...((inner ?? []) as unknown[])]
    else if (how === 'merge') out[name] = merged(outer, inner)
    else out[name] = inner ?? outer
  }
  return out as Scope
}

/** Mappings merge; where one is a template (a per-host `environment: "{{ env }}"`) both are kept, in order, for the run to render and merge. */
function merged(outer: unknown, inner: unknown): unknown {
  if (!inner) return outer
  if (!outer) return inner
  if (typeof outer === 'object' && !Array.isArray(outer) && typeof inner === 'object' && !Array.isArray(inner)) return { ...outer, ...inner }
  return [outer, inner].flat().filter((l) => l !== undefined)
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
  /** run_once: the batch's hosts, which the task's facts go to as well (fact-hosts.ts) */
  runOnceHosts?: readonly HostState[]
  /** the warnings this task has shown on this host (gate.ts TaskWarnings) */
  shown: Set<string>
}

export function taskRun(pc: PlayContext, task: ModuleTask, host: HostState, scope: Scope, runOnceHosts?: readonly HostState[]): TaskRun {
  const where = { file: task.pos.file, line: task.pos.line, col: task.pos.col, task: taskLabel(task), host: host.name }
  const run = { pc, task, host, scope, vars: taskVars(pc, host, scope, task), where, runOnceHosts, shown: new Set<string>() }
  addConnectionVars(run)
  return run
}

/** The variables a task sees on a host: each layer by name, in the order engine/vars/precedence.ts keeps; then the magic ones. */
export function taskVars(pc: PlayContext, host: HostState, scope: Scope, task: TaskKeywords): Record<string, unknown> {
  const role = task.role ?? scope.role
  const opts = pc.run.opts
  // mergeVars' mapping is this task's own: filled in place, not copied again (a copy per task and host weighs at 1,000 hosts)
  const vars: Record<string | symbol, unknown> = mergeVars({
    // every role's defaults and vars are visible play-wide; the task's own role's win
    roleDefaults: [pc.roleDefaults, role?.defaults ?? {}],
    inventory: pc.run.inventory.hostVars(host.name),
    hostFacts: factVars(pc.run, host),
    play: pc.playVars,
    varsFiles: hostVarsFiles(pc, host),
    roleVars: role ? [pc.roleVars, role.definitionVars, role.vars] : pc.roleVars,
    block: scope.vars,
    task: task.vars,
    includedVars: host.includedVars,
    facts: host.facts,
    roleParams: role && roleParams(role),
    includeParams: scope.includeParams,
    extra: opts.extraVars,
  })
  vars.hostvars = hostvars(pc)
  vars[LOOKUP_CONTEXT] = lookupContextOf(pc, role, task.pos?.file)
  addMagicVars(vars, pc, role, task.pos?.file)
  return vars
}

/** What a role of the play gives every task of it: its entry's (or import's) `vars:`, then its vars/main.yml (Ansible's Role.get_vars without params). */
export const exportedVars = (role: RoleContext): Record<string, unknown> => mergeMarked([role.definitionVars, role.vars])

const paramChains = new WeakMap<RoleContext, Record<string, unknown>[]>()

/** A role's params with those of the roles that pulled it in, the outermost first (Ansible's get_role_params over the dependency chain); made once per role. */
function roleParams(role: RoleContext): Record<string, unknown>[] {
  let chain = paramChains.get(role)
  if (!chain) {
    chain = [...(role.parents ?? [])].reverse().map((p) => p.params)
    chain.push(role.params)
    paramChains.set(role, chain)
  }
  return chain
}

/** The play's variables without a host (Ansible's get_vars(play=play)): what templated tags are rendered with. */
export function playLevelVars(pc: PlayContext): Record<string, unknown> {
  const layered = mergeVars({
    roleDefaults: [pc.roleDefaults],
    play: pc.playVars,
    varsFiles: pc.varsFiles,
    roleVars: [pc.roleVars],
    extra: pc.run.opts.extraVars,
  })
  const vars: Record<string | symbol, unknown> = {
    ...layered,
    groups: pc.run.inventory.groupsVar(),
    [LOOKUP_CONTEXT]: lookupContextOf(pc, undefined, undefined),
  }
  addMagicVars(vars, pc, undefined, undefined)
  return vars
}

/**
 * What the templated tags of an included file's tasks are rendered with: Ansible's get_vars(play,
 * task=the include), the play's variables with the include's own (its vars, loop item, enclosing
 * blocks' vars, its role's), still without a host. `included`: the role an include_role loaded
 * (whose own variables are not there: Ansible renders with the including task's). Also what a
 * templated handler name is rendered with (notify.ts).
 */
export function includeTagVars(pc: PlayContext, scope: Scope, included?: RoleContext): Record<string, unknown> {
  const role = scope.role
  const vars: Record<string, unknown> = {
    ...playLevelVars(pc),
    ...role?.defaults,
    ...role?.definitionVars,
    ...role?.vars,
    ...scope.vars,
    ...(role && Object.assign({}, ...roleParams(role))),
    ...scope.includeParams,
    ...pc.run.opts.extraVars,
  }
  // the include's role's magic variables (role_name, ansible_collection_name...), and an
  // include_role's params ansible_parent_role_names / _paths (IncludeRole.get_include_params):
  // a collection role's tags are often made of them
  if (role) addMagicVars(vars, pc, role, undefined)
  if (included) {
    const inner: Record<string, unknown> = {}
    addMagicVars(inner, pc, included, undefined)
    for (const k of ['ansible_parent_role_names', 'ansible_parent_role_paths']) if (k in inner) vars[k] = inner[k]
  }
  return vars
}

const lookupContexts = new WeakMap<PlayContext, Map<RoleContext | undefined, Map<string | undefined, LookupContext>>>()

/** What lookups of a task need from the run: one per play, role and task file (its search path). */
function lookupContextOf(pc: PlayContext, role: RoleContext | undefined, taskFile: string | undefined): LookupContext {
  let byRole = lookupContexts.get(pc)
  if (!byRole) {
    byRole = new Map()
    lookupContexts.set(pc, byRole)
  }
  let byFile = byRole.get(role)
  if (!byFile) {
    byFile = new Map()
    byRole.set(role, byFile)
  }
  let ctx = byFile.get(taskFile)
  if (!ctx) {
    const baseDir = pc.play.dir ?? pc.run.playbook.dir
    const search = { role, taskFile, playDir: baseDir }
    ctx = {
      baseDir,
      candidates: (path, kind) => candidates(path, kind, search),
      secret: (v) => pc.run.masker.add(v),
      warn: (m) => emit(pc.run, 'onWarning', m),
      hosts: (pattern) => pc.run.inventory.select(pattern),
    }
    byFile.set(taskFile, ctx)
  }
  return ctx
}

const hostvarsOfPlay = new WeakMap<PlayContext, Record<string, unknown>>()

/**
 * `hostvars[name]`: every host's inventory vars, host facts and registered facts (in precedence order), computed on access. One object per
 * play (its getters read the live state): built per task and host it made a run O(hosts²) per task,
 * 11 s of a 1,000-host no-op (bench/README.md, fleet).
 */
/** add_host: the next tasks' `hostvars` include the new host. */
export function forgetHostvars(pc: PlayContext): void {
  hostvarsOfPlay.delete(pc)
}

function hostvars(pc: PlayContext): Record<string, unknown> {
  let out = hostvarsOfPlay.get(pc)
  if (out) return out
  out = keepMarksInside({})
  hostvarsOfPlay.set(pc, out)
  const define = (name: string, enumerable: boolean) =>
    Object.defineProperty(out, name, {
      enumerable,
      get: () => {
        const h = pc.run.hosts.get(name)
        return mergeVars({
          inventory: pc.run.inventory.hostVars(name),
          hostFacts: h && factVars(pc.run, h),
          includedVars: h?.includedVars,
          facts: h?.facts,
        })
      },
    })
  for (const name of pc.run.inventory.hosts.keys()) define(name, true)
  // Ansible's implicit localhost (facts delegated to it): listed last as `localhost`, also found as 127.0.0.1 and ::1
  for (const name of LOCALHOST) if (!pc.run.inventory.hosts.has(name)) define(name, name === 'localhost')
  return out
}
