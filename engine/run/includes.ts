/**
 * include_tasks / include_role are dynamic: the file or role name is templated per host, loaded
 * when reached, and the hosts that resolve to the same file run it together (linear strategy).
 */
import { loadIncludedRole, loadIncludedTasks } from '../playbook/load.js'
import type { IncludeRoleTask, IncludeTasksTask, Task } from '../playbook/types.js'
import { templateValue } from '../vars/template.js'
import type { PlayContext } from './context.js'
import { falseCondition } from './gate.js'
import type { HostState } from './host-state.js'
import { loopItem, loopItems, loopSettings } from './loop.js'
import { enter, taskVars, type Scope } from './scope.js'

export interface IncludeGroup {
  hosts: HostState[]
  tasks: Task[]
  scope: Scope
}

export async function loadInclude(pc: PlayContext, task: IncludeTasksTask | IncludeRoleTask, hosts: HostState[], outer: Scope): Promise<IncludeGroup[]> {
  const scope = enter(outer, { ...task, when: [] })
  const where = { file: task.pos.file, line: task.pos.line, col: task.pos.col, task: task.name }
  const groups = new Map<string, IncludeGroup>()
  const ctx = { modules: pc.run.modules, playDir: pc.play.dir ?? pc.run.playbook.dir }
  for (const host of hosts) {
    const vars = taskVars(pc, host, outer, task)
    if (falseCondition(outer, task, vars, where) !== undefined) continue
    const items = loopItems(task, task.kind, vars, where)
    const loop = items && loopSettings(task, vars, where)
    for (let i = 0; i < (items?.length ?? 1); i++) {
      const loopVars = items && loop ? loopItem(loop, items, i, {}).vars : {}
      const itemVars = { ...vars, ...loopVars }
      const target = String(templateValue(task.kind === 'include_tasks' ? task.file : task.roleName, itemVars, where))
      const key = `${target}\u0000${JSON.stringify(items?.[i] ?? null)}`
      let g = groups.get(key)
      if (!g) {
        const loaded = task.kind === 'include_tasks' ? loadIncludedTasks(task, target, ctx) : loadIncludedRole(task, target, ctx)
        const tasks = 'tasks' in loaded ? loaded.tasks : [loaded.block]
        addHandlers(pc, loaded.handlers)
        g = { hosts: [], tasks, scope: { ...scope, vars: { ...scope.vars, ...loopVars } } }
        groups.set(key, g)
      }
      g.hosts.push(host)
    }
  }
  return [...groups.values()]
}

function addHandlers(pc: PlayContext, handlers: PlayContext['handlers']): void {
  for (const h of handlers) {
    if (!pc.handlers.some((x) => x.name === h.name && x.role?.dir === h.role?.dir)) pc.handlers.push(h)
  }
}
