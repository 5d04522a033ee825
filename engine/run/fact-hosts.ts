/**
 * Which hosts a task's facts go to (set_fact, include_vars, a module's ansible_facts), Ansible's
 * rule in StrategyBase: with delegate_facts, the host the task was delegated to (by the name it was
 * delegated to: `localhost` is the implicit one); with run_once, every host of the batch (the first
 * host's facts, as Ansible's get_task_hosts); otherwise the host itself.
 */
import type { HostState } from './host-state.js'
import { keywordBool } from './keyword-value.js'
import { delegatedTo } from './module-env.js'
import type { TaskRun } from './scope.js'

export function factHosts(run: TaskRun): readonly HostState[] {
  const { pc, task, scope, vars, where } = run
  const delegated = delegatedTo(run)
  if (delegated !== undefined && pc.run.hostState && keywordBool('delegate_facts', [task.delegate_facts, scope.delegate_facts], vars, where)) {
    return [pc.run.hostState(delegated)]
  }
  return run.runOnceHosts ?? [run.host]
}
