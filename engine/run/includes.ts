/**
 * include_tasks / include_role are dynamic: the file or role name is templated per host, loaded
 * when reached, and the hosts that resolve to the same file run it together (linear strategy).
 * Each host gets the include's own result, as in Ansible: `included` (counted ok; an include_role
 * that loads is not a result of its own), skipped by `when`, or failed (a file that is not there
 * fails that host's include, not the run).
 */
import { assignEntries } from '../vars/unsafe.js'
import { AcplayError } from '../errors.js'
import { IncludedFileMissing, loadIncludedRole, loadIncludedTasks } from '../playbook/load.js'
import type { IncludeRoleTask, IncludeTasksTask, RoleContext, Task } from '../playbook/types.js'
import type { HostResult } from '../report/types.js'
import { templateValue } from '../vars/template.js'
import { taskRef, type PlayContext } from './context.js'
import { failureHidden, falseCondition, ignoresErrors, keywordFailure } from './gate.js'
import type { HostState } from './host-state.js'
import { itemLabel, loopItem, loopItems, loopSettings } from './loop.js'
import { addConnectionVars } from './module-env.js'
import { enter, exportedVars, includeTagVars, taskVars, type Scope } from './scope.js'

export interface IncludeGroup {
  hosts: HostState[]
  tasks: Task[]
  scope: Scope
}

export interface IncludeOutcome {
  /** the include as a task (its header) */
  ref: HostResult['task']
  groups: IncludeGroup[]
  /** one result per host: included, skipped or failed */
  results: HostResult[]
  /** a looped include_tasks: each item's `included:` line, before its host's result */
  itemResults: HostResult[]
}

export function loadInclude(pc: PlayContext, task: IncludeTasksTask | IncludeRoleTask, hosts: HostState[], outer: Scope): IncludeOutcome {
  // a dynamic include passes only its vars down (Ansible skips a non-static parent when tasks
  // inherit keywords): its tags, become, ignore_errors... are its own; `apply:` gives them to the tasks
  const scope = enter(outer, { pos: task.pos, when: [], tags: [], vars: task.vars, role: task.role })
  // its vars (and loop variable, below) are Ansible's include params for the tasks it brings: above their set_fact
  scope.includeParams = { ...outer.includeParams, ...task.vars }
  // Ansible's get_name: an unnamed include_role is called after its role, and an include_role
  // (IncludeRole's own get_name) is shown without the role it sits in; an include_tasks with it
  const name = task.name ?? (task.kind === 'include_role' ? `${task.action ?? task.kind} : ${task.roleName}` : (task.action ?? task.kind))
  const ref = taskRef({ ...task, name, role: task.kind === 'include_role' ? undefined : (task.role ?? outer.role) })
  const groups = new Map<string, IncludeGroup>()
  const results: HostResult[] = []
  const itemResults: HostResult[] = []
  const includedFiles = new Map<string, string>()
  const ctx = { modules: pc.run.modules, playDir: pc.play.dir ?? pc.run.playbook.dir, seen: pc.play.seen, collections: pc.play.collections }
  for (const host of hosts) {
    const where = { file: task.pos.file, line: task.pos.line, col: task.pos.col, task: task.name ?? task.kind, host: host.name }
    const result = (status: HostResult['status'], extra: Partial<HostResult> = {}): HostResult => ({
      host: host.name,
      task: ref,
      status,
      changes: [],
      durationMs: 0,
      ...extra,
    })
    let vars: Record<string, unknown> | undefined
    try {
      vars = taskVars(pc, host, outer, task)
      addConnectionVars({ pc, task, host, scope: outer, vars, where })
      const cond = falseCondition(outer, task, vars, where, { pc, shown: new Set() })
      if (cond !== undefined) {
        results.push(result('skipped', { reason: `Conditional result was False: ${cond}` }))
        continue
      }
      const items = loopItems(task, task.kind, vars, where)
      const loop = items && loopSettings(task, vars, where)
      // after `when` and the loop's items, as Ansible's TaskExecutor (with the first item's variables)
      const first = items?.length && loop ? loopItem(loop, items, 0, {}).vars : {}
      const bad = items?.length === 0 ? undefined : keywordFailure({ pc, task, scope: outer, vars: { ...vars, ...first }, where })
      if (bad !== undefined) {
        if (!bad.ignored) host.failed = true
        results.push(result('failed', { msg: bad.msg, hidden: bad.hidden || undefined, ignored: bad.ignored || undefined, beforeAction: true }))
        continue
      }
      const files: string[] = []
      const labels: string[] = []
      for (let i = 0; i < (items?.length ?? 1); i++) {
        const item = items && loop ? loopItem(loop, items, i, {}) : undefined
        const loopVars = item?.vars ?? {}
        if (item && loop) labels.push(itemLabel(loop, item, where))
        const target = String(templateValue(task.kind === 'include_tasks' ? task.file : task.roleName, { ...vars, ...loopVars }, where))
        const key = `${target}\u0000${JSON.stringify(items?.[i] ?? null)}`
        let g = groups.get(key)
        if (!g) {
          const loaded = task.kind === 'include_tasks' ? loadTaskFile(task, target, ctx) : loadIncludedRole(task, target, ctx)
          const tasks = 'tasks' in loaded ? loaded.tasks : [loaded.block]
          if ('file' in loaded) includedFiles.set(key, loaded.file)
          addHandlers(pc, loaded.handlers)
          if ('block' in loaded && task.kind === 'include_role' && task.public) publishRole(pc, loaded.block.role!)
          const inner = { ...scope, vars: { ...scope.vars, ...loopVars }, includeParams: { ...scope.includeParams, ...loopVars } }
          g = {
            hosts: [],
            tasks: applied(task, tasks),
            scope: { ...inner, tagVars: includeTagVars(pc, inner, 'block' in loaded ? loaded.block.role : undefined) },
          }
          groups.set(key, g)
        }
        g.hosts.push(host)
        files.push(task.kind === 'include_tasks' ? (includedFiles.get(key) ?? target) : target)
      }
      // Ansible prints and counts an include_tasks ("included: FILE for HOST"), not an include_role
      // a loop's: a line per item, each counted, as Ansible prints and counts them (`included: FILE for HOST => (item=x)`)
      if (task.kind === 'include_tasks' && items) {
        for (const [i, f] of files.entries()) itemResults.push(result('ok', { reason: `included: ${f}`, included: [f], item: labels[i] }))
        results.push(result('ok', { reason: `included: ${files.join(', ')}`, included: files, items: files.length }))
      } else if (task.kind === 'include_tasks') results.push(result('ok', { reason: `included: ${files.join(', ')}`, included: files }))
    } catch (e) {
      const msg = e instanceof AcplayError ? e.describe() : e instanceof Error ? e.message : String(e)
      if (e instanceof RunStop) throw e.error
      if (e instanceof FileNotLoaded) {
        // a missing file fails the host, whatever its ignore_errors
        host.failed = true
        const hidden = vars !== undefined && failureHidden({ task, scope: outer, vars, where })
        results.push(result('failed', { msg: e.describe(), result: { msg: e.describe(), failed: true }, hidden: hidden || undefined, beforeAction: true }))
        continue
      }
      let ignored = false
      try {
        ignored = ignoresErrors(task, outer, vars, where)
      } catch {
        // a bad ignore_errors leaves the failure as it is
      }
      if (!ignored) host.failed = true
      // censored under no_log, as Ansible's include result
      const hidden = vars !== undefined && failureHidden({ task, scope: outer, vars, where })
      results.push(result('failed', { msg, result: { msg, failed: true }, ignored: ignored || undefined, hidden: hidden || undefined, beforeAction: true }))
    }
  }
  return { ref, groups: [...groups.values()], results, itemResults }
}

/** An include_tasks file that is not there: the host's failure, not the task's to ignore. */
class FileNotLoaded extends AcplayError {}

/** An included file that does not load: the run's error (the loader's, with its file:line). */
class RunStop {
  constructor(readonly error: unknown) {}
}

/**
 * An include_tasks file, as Ansible's strategy reads it (not its TaskExecutor, so `ignore_errors`
 * takes none of this): a missing file fails the host; one that does not load (YAML, a bad keyword)
 * stops the run, as Ansible's parser error ends ansible-playbook (exit 4).
 */
function loadTaskFile(task: IncludeTasksTask, file: string, ctx: Parameters<typeof loadIncludedTasks>[2]): ReturnType<typeof loadIncludedTasks> {
  try {
    return loadIncludedTasks(task, file, ctx)
  } catch (e) {
    if (e instanceof IncludedFileMissing) throw new FileNotLoaded(e.code, e.message, e.where)
    throw new RunStop(e)
  }
}

/** `apply:` on the include: its keywords become a block around the included tasks. */
function applied(task: IncludeTasksTask | IncludeRoleTask, tasks: Task[]): Task[] {
  if (!task.apply) return tasks
  return [{ kind: 'block', ...task.apply, block: tasks, rescue: [], always: [] }]
}

/** include_role `public: true`: from now on the role's defaults and vars are the play's, as Ansible adds it to the play's roles. */
function publishRole(pc: PlayContext, role: RoleContext): void {
  assignEntries(pc.roleDefaults, role.defaults)
  assignEntries(pc.roleVars, exportedVars(role))
}

/** An included role's handlers join the play's as copies of their own, as Ansible adds the new role's (handlers.ts notify). */
function addHandlers(pc: PlayContext, handlers: PlayContext['handlers']): void {
  for (const h of handlers) pc.handlers.push({ ...h })
}
