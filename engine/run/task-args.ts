/** A module task's arguments on a host: its module_defaults, then its own arguments over them. */
import { AcplayError } from '../errors.js'
import { taskDefaults } from '../playbook/module-defaults.js'
import { templateValue } from '../vars/template.js'
import type { TaskRun } from './scope.js'

/**
 * The arguments templated with the task's variables, over the defaults of the innermost level that
 * has them for its module (the play, the enclosing blocks and role entry, the task itself), as
 * Ansible's get_action_args_with_defaults: the defaults are templated too, the task's own win.
 */
export function taskArgs({ pc, task, scope, vars, where }: Pick<TaskRun, 'pc' | 'task' | 'scope' | 'vars' | 'where'>): Record<string, unknown> {
  const args = templateValue(task.args, vars, where) as Record<string, unknown>
  const defaults = taskDefaults([pc.play.module_defaults, scope.module_defaults, task.module_defaults], task)
  if (defaults.length === 0) return args
  const merged: Record<string, unknown> = {}
  for (const d of defaults) {
    const given = templateValue(d, vars, where)
    if (given === null || given === '') continue
    if (typeof given !== 'object' || Array.isArray(given))
      throw new AcplayError(
        'E_PLAYBOOK',
        `module_defaults for '${task.module}' must be a mapping of arguments, got ${Array.isArray(given) ? 'a list' : `a ${typeof given}`} (rendered from a template)`,
        where,
      )
    Object.assign(merged, given)
  }
  return { ...merged, ...args }
}
