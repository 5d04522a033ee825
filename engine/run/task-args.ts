/** A module task's arguments on a host: its module_defaults, then its own arguments over them. */
import { AcplayError } from '../errors.js'
import { type DefaultArgs, defaultsFor, taskDefaults } from '../playbook/module-defaults.js'
import { templateValue } from '../vars/template.js'
import type { TaskRun } from './scope.js'

/**
 * The arguments templated with the task's variables, over the defaults of the innermost level that
 * has them for its module (the play, the enclosing blocks and role entry, the task itself), as
 * Ansible's get_action_args_with_defaults: the defaults are templated too, the task's own win.
 */
export function taskArgs(run: ArgsRun): Record<string, unknown> {
  const { pc, task, scope, vars, where } = run
  const args = templateValue(task.args, vars, where) as Record<string, unknown>
  const defaults = taskDefaults([pc.play.module_defaults, scope.module_defaults, task.module_defaults], task)
  return defaults.length ? { ...rendered(defaults, task.module, run), ...args } : args
}

/**
 * The task's arguments over `module`'s module_defaults, undefined when it has none: what Ansible's
 * service action hands the module it picks on the host (ModuleContext.argsOver).
 */
export function argsOver(run: ArgsRun, module: string): Record<string, unknown> | undefined {
  const { pc, task, scope } = run
  const defaults = defaultsFor([pc.play.module_defaults, scope.module_defaults, task.module_defaults], module)
  return defaults.length ? { ...rendered(defaults, module, run), ...taskArgs(run) } : undefined
}

type ArgsRun = Pick<TaskRun, 'pc' | 'task' | 'scope' | 'vars' | 'where'>

/** `module`'s default arguments templated and merged in order (a later entry's keys win). */
function rendered(defaults: DefaultArgs[], module: string, { vars, where }: ArgsRun): Record<string, unknown> {
  const merged: Record<string, unknown> = {}
  for (const d of defaults) {
    const given = templateValue(d, vars, where)
    if (given === null || given === '') continue
    if (typeof given !== 'object' || Array.isArray(given))
      throw new AcplayError(
        'E_PLAYBOOK',
        `module_defaults for '${module}' must be a mapping of arguments, got ${Array.isArray(given) ? 'a list' : `a ${typeof given}`} (rendered from a template)`,
        where,
      )
    Object.assign(merged, given)
  }
  return merged
}
