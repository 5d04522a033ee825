/**
 * Which port a task connects to, as Ansible's PlayContext decides it: the `port` keyword first
 * (the task's, else its blocks' and role's, else the play's), then the target's ansible_port /
 * ansible_ssh_port over it, from wherever the variables come (inventory, play and task vars, vars
 * files, roles, set_fact, -e). A host's connection is made with its inventory's and -e's port
 * (run.ts); only a port other than that one needs a connection of its own (host-state.ts).
 */
import { AcplayError } from '../errors.js'
import { portNumber } from '../playbook/keywords.js'
import type { PlayContext } from './context.js'
import type { HostState } from './host-state.js'
import { keywordValue } from './keyword-value.js'
import { taskVars, type TaskRun } from './scope.js'
import { templateValue } from '../vars/template.js'

/**
 * The port for the task on its own host, where it is not the host's connection's; undefined: the
 * host's connection as it is (without a keyword or a port variable, nothing is looked at but two names).
 */
export function taskPort(run: TaskRun, vars: Record<string, unknown>): number | undefined {
  const v = portVar(vars)
  if (v === undefined) return hasKeyword(run) ? portKeyword(run) : undefined
  return portOver(run, v, vars, run.host.name)
}

/**
 * The port for a task delegated to `target`: the delegate's variables (its inventory's, with the
 * play's, the task's and -e: Ansible's delegated vars), never the delegating host's, else the keyword.
 * Looked at only where a keyword applies or the task's variables set a port the host's inventory does not.
 */
export function delegatePort(run: TaskRun, target: HostState): number | undefined {
  if (!hasKeyword(run) && portVar(run.vars) === ownPort(run.pc, run.host.name)) return undefined
  const vars = taskVars(run.pc, target, run.scope, run.task)
  const v = portVar(vars)
  if (v === undefined) return hasKeyword(run) ? portKeyword(run) : undefined
  return portOver(run, v, vars, target.name)
}

const hasKeyword = ({ task, scope, pc }: TaskRun): boolean => (task.port ?? scope.port ?? pc.play.port) !== undefined

/** The keyword, a template rendered with the task's variables (gate.ts keywordFailure has failed the task where one renders no int). */
const portKeyword = ({ task, scope, pc, vars, where }: TaskRun): number | undefined =>
  keywordValue<number>('port', task.port ?? scope.port ?? pc.play.port, vars, where)

/** ansible_port, else ansible_ssh_port, as connectionFor reads them */
const portVar = (vars: Record<string, unknown>): unknown => vars.ansible_port ?? vars.ansible_ssh_port

/** The port variable `name`'s own connection was made with (run.ts: its inventory vars under -e), as written. */
function ownPort(pc: PlayContext, name: string): unknown {
  const { inventory, opts } = pc.run
  const inv = inventory.hosts.has(name) ? inventory.hostVars(name) : {}
  return opts.extraVars?.ansible_port ?? inv.ansible_port ?? opts.extraVars?.ansible_ssh_port ?? inv.ansible_ssh_port
}

/** A port variable `v` of `target`: undefined when its connection was made with it, else rendered and checked. */
function portOver({ pc, where }: TaskRun, v: unknown, vars: Record<string, unknown>, target: string): number | undefined {
  if (v === ownPort(pc, target)) return undefined
  const rendered = templateValue(v, vars, where)
  const port = portNumber(rendered)
  if (port === undefined) throw new AcplayError('E_PLAYBOOK', `ansible_port must be a port number (1-65535), got ${JSON.stringify(rendered)}`, where)
  return port
}
