/**
 * What a module needs to run one task on one host (ModuleEnv): the connection (the host's, a
 * delegate's or local; the play's remote_user; the task environment), become, check and diff,
 * where its files are found, how it renders, read-ahead's answers, the task's timeout. The run's
 * path (task.ts) and read-ahead's (read-ahead.ts) build it here alike.
 */
import type { ModuleSpec } from '../../modules/types.js'
import { LocalConnection } from '../connection/local.js'
import { installedModuleSpec } from '../library/installed-spec.js'
import { AcplayError } from '../errors.js'
import type { ModuleEnv } from '../module-runner.js'
import type { ModuleTask } from '../playbook/types.js'
import type { RunOptions } from './options.js'
import { render, templateValue } from '../vars/template.js'
import { setting } from '../config/settings.js'
import { ansibleCfgFor, becomeAllowSameUser, withEnvironment } from './connections.js'
import { emit, type PlayContext } from './context.js'
import { findFile, searchContext, searchPaths } from './find-file.js'
import { runModes } from './gate.js'
import { environmentOf, keywordValue } from './keyword-value.js'
import type { TaskRun } from './scope.js'
import { argsOver } from './task-args.js'
import { delegatePort, taskPort } from './task-port.js'

/** The module and its environment for this task on this host: the run's path, and read-ahead's. */
export function hostModuleEnv(run: TaskRun): { mod?: ModuleSpec; lacked?: string; env: ModuleEnv } {
  const { pc, task, host, scope, vars, where } = run
  // a module acplay lacks runs from the controller's Ansible when it is there
  const installed = pc.run.modules[task.module] ? undefined : installedModuleSpec(task.module, pc.run.playbook.dir)
  const mod = installed ? ('reason' in installed ? undefined : installed) : pc.run.modules[task.module]
  const search = searchContext(run)
  const { become, check, diff } = runModes(run)
  const { delegated, keywordLocal, keywordSsh } = connectionChoice(run)
  const local = delegated === 'localhost' || delegated === '127.0.0.1' || (delegated === undefined && keywordLocal)
  const elsewhere = !local && delegated !== undefined && delegated !== host.name
  const baseConn = local
    ? new LocalConnection('localhost', undefined, becomeAllowSameUser(pc.run.opts))
    : elsewhere
      ? delegateConnection(run, delegated)
      : host.connection(remoteUser(run, vars), keywordSsh || undefined, taskPort(run, vars))
  // as Ansible's _low_level_execute_command: a local task's commands (and a relative path of its module) from the play's dir
  if (baseConn instanceof LocalConnection) baseConn.cwd = pc.play.dir ?? pc.run.playbook.dir
  const env = environmentOf([pc.play.environment, scope.environment, task.environment], vars, where, task.module === 'setup')
  return {
    mod,
    lacked: installed && 'reason' in installed ? installed.reason : undefined,
    env: {
      conn: withEnvironment(baseConn, env),
      become,
      check,
      diff,
      vars,
      effects: host.effects,
      masker: pc.run.masker,
      findFile: (p, kind) => findFile(p, kind, search),
      searchPaths: (kind) => searchPaths(kind, search),
      render: (text, o) => render(text, o?.vars ? { ...vars, ...o.vars } : vars, where, o),
      warn: (msg) => emit(pc.run, 'onWarning', msg),
      where,
      delegateTo: delegated,
      argsOver: (m) => argsOver(run, m),
      // facts read ahead are the host's own, read without a task environment
      readAhead: pc.run.readAhead.view(host.name, !local && !elsewhere && !env),
      timeoutMs: taskTimeoutMs(run, vars),
    },
  }
}

const isLocalName = (name: string) => name === 'localhost' || name === '127.0.0.1'

/** The names Ansible's PlayContext.update_vars fills in that acplay fills in too. */
const CONNECTION_VAR_NAMES = [
  'ansible_connection',
  'ansible_host',
  'ansible_ssh_host',
  'ansible_user',
  'ansible_ssh_user',
  'ansible_private_key_file',
  'ansible_ssh_private_key_file',
  'ansible_timeout',
  'ansible_ssh_timeout',
  'ansible_pipelining',
  'ansible_ssh_pipelining',
  'ansible_shell_executable',
  'ansible_module_compression',
]

/** What Ansible's PlayContext holds from the command line and config for every task: read once per run. */
const configured = new WeakMap<RunOptions, { timeout: unknown; pipelining: unknown; executable: unknown; compression: unknown; taskTimeout: unknown }>()
function configuredValues(opts: RunOptions) {
  let c = configured.get(opts)
  if (!c) {
    const src = { cfgFile: ansibleCfgFor(opts.playbook), env: process.env }
    c = {
      timeout: opts.timeout ?? setting('DEFAULT_TIMEOUT', src),
      pipelining: setting('ANSIBLE_PIPELINING', src),
      executable: setting('DEFAULT_EXECUTABLE', src),
      compression: setting('DEFAULT_MODULE_COMPRESSION', src),
      taskTimeout: setting('TASK_TIMEOUT', src),
    }
    configured.set(opts, c)
  }
  return c
}

/** The connection variables addConnectionVars added to a task's variables (not the host's own). */
const ADDED = Symbol('connection vars added')

/** A variable as the play and inventory set it: undefined where addConnectionVars only filled it in. */
const own = (vars: Record<string | symbol, unknown>, key: string): unknown => ((vars[ADDED] as Set<string> | undefined)?.has(key) ? undefined : vars[key])

/** What deciding a task's connection needs (a module task's run, or an include's). */
type ConnectionRun = Pick<TaskRun, 'pc' | 'host' | 'scope' | 'vars' | 'where'> & { task: Pick<ModuleTask, 'connection' | 'delegate_to' | 'remote_user'> }

/** How the task connects: delegated, or the connection keyword against the host's own ansible_connection. */
function connectionChoice(run: ConnectionRun): { delegated: string | undefined; keywordLocal: boolean; keywordSsh: boolean } {
  const { pc, task, host, scope, vars, where } = run
  const delegated = delegatedTo(run)
  const hostConnection = own(vars, 'ansible_connection')
  // the connection keyword (task, blocks and roles, play): local, unless the host's own ansible_connection says otherwise (the host's wins, as in Ansible)
  const keyword = keywordValue<string>('connection', task.connection ?? scope.connection ?? pc.play.connection, vars, where)
  const keywordLocal = keyword === 'local' && (hostConnection === undefined || hostConnection === 'local')
  // `connection: ssh` overrides `-c local` (the hosts' default), not the host's own ansible_connection
  const keywordSsh = (keyword === 'ssh' || keyword === 'smart') && hostConnection === undefined && pc.run.opts.connection === 'local' && !isLocalName(host.name)
  return { delegated, keywordLocal, keywordSsh }
}

/**
 * Ansible's PlayContext.update_vars: a task run by the TaskExecutor (a module, an engine action, an
 * include) sees the connection's variables where nothing set them, from its `when` on
 * (`when: ansible_connection != 'chroot'`): ansible_connection (ssh or local, as the task connects)
 * ansible_host / ansible_ssh_host (the address), ansible_user / ansible_ssh_user (the login user,
 * when one is set anywhere), the private key's two names, and the connect timeout, pipelining, shell
 * executable and module compression from -T, ansible.cfg and the environment. A meta task does not (Ansible's strategy
 * evaluates its `when` without them).
 */
export function addConnectionVars(run: ConnectionRun): void {
  const vars = run.vars as Record<string | symbol, unknown>
  const missing = CONNECTION_VAR_NAMES.filter((k) => vars[k] === undefined)
  if (missing.length === 0) return
  const added = new Set<string>()
  const opts = run.pc.run.opts
  const { pc, task, scope, where } = run
  const value = (k: string): unknown => {
    switch (k) {
      case 'ansible_host':
      case 'ansible_ssh_host':
        return vars.ansible_host ?? vars.ansible_ssh_host ?? run.host.name
      // the login user: the host's, else the remote_user keyword, else -u / ANSIBLE_REMOTE_USER / ansible.cfg (none: undefined, as Ansible's)
      case 'ansible_user':
      case 'ansible_ssh_user': {
        const keyword = task.remote_user ?? scope.remote_user ?? pc.play.remote_user
        return vars.ansible_user ?? vars.ansible_ssh_user ?? (keyword !== undefined ? keywordValue<string>('remote_user', keyword, vars, where) : opts.user)
      }
      case 'ansible_private_key_file':
      case 'ansible_ssh_private_key_file':
        return vars.ansible_ssh_private_key_file ?? vars.ansible_private_key_file ?? opts.privateKey
      case 'ansible_timeout':
      case 'ansible_ssh_timeout':
        return vars.ansible_ssh_timeout ?? vars.ansible_timeout ?? configuredValues(opts).timeout
      case 'ansible_pipelining':
      case 'ansible_ssh_pipelining':
        return vars.ansible_ssh_pipelining ?? vars.ansible_pipelining ?? configuredValues(opts).pipelining
      case 'ansible_shell_executable':
        return configuredValues(opts).executable
      case 'ansible_module_compression':
        return configuredValues(opts).compression
    }
    return undefined
  }
  for (const k of missing) {
    if (k !== 'ansible_connection') {
      const v = value(k)
      if (v === undefined || v === null) continue
      vars[k] = v
      added.add(k)
    } else {
      added.add(k)
      const { delegated, keywordLocal, keywordSsh } = connectionChoice(run)
      const local =
        delegated !== undefined
          ? isLocalName(delegated)
          : keywordLocal || (!keywordSsh && (isLocalName(run.host.name) || run.pc.run.opts.connection === 'local'))
      vars[k] = local ? 'local' : 'ssh'
    }
  }
  vars[ADDED] = added
}

/** The name the task is delegated to (delegate_to, templated with the task's variables), if it is. */
export function delegatedTo({ task, scope, vars, where }: Pick<ConnectionRun, 'task' | 'scope' | 'vars' | 'where'>): string | undefined {
  const delegateTo = task.delegate_to ?? scope.delegate_to
  return delegateTo !== undefined ? String(templateValue(delegateTo, vars, where)) : undefined
}

/**
 * How Ansible's output names the host a task was delegated to (its host_label): the name given,
 * with the delegate's ansible_host after it when that differs (`db1(10.0.0.5)`); undefined when
 * not delegated, or delegated to the host itself.
 */
export function delegateShown(run: TaskRun): string | undefined {
  let name: string | undefined
  try {
    name = delegatedTo(run)
  } catch {
    return undefined // the task's own error says why
  }
  if (name === undefined || name === run.host.name) return undefined
  const { inventory } = run.pc.run
  const address = inventory.hosts.has(name) ? inventory.hostVars(name).ansible_host : undefined
  return typeof address === 'string' && address !== name ? `${name}(${address})` : name
}

/**
 * delegate_to: the task runs over that host's connection. As in Ansible, a name outside the
 * inventory is first looked for among the hosts' addresses (ansible_host), and otherwise is a host
 * of its own, reached at that name with the defaults and the play's remote_user.
 */
function delegateConnection(run: TaskRun, name: string) {
  const { inventory, hostState } = run.pc.run
  if (!hostState) throw new AcplayError('E_PLAYBOOK', `delegate_to: '${name}' cannot be reached from here`, run.where)
  const known = inventory.hosts.has(name) ? name : hostByAddress(inventory, name)
  const target = hostState(known ?? name)
  return target.connection(known !== undefined ? undefined : remoteUser(run, {}), undefined, delegatePort(run, target))
}

/** Inventory hosts by ansible_host, built again when add_host grew the inventory. */
const addresses = new WeakMap<PlayContext['run']['inventory'], { size: number; byAddress: Map<string, string> }>()

/** The inventory host whose ansible_host is `address` (the first, in inventory order). */
function hostByAddress(inventory: PlayContext['run']['inventory'], address: string): string | undefined {
  let kept = addresses.get(inventory)
  if (kept?.size !== inventory.hosts.size) {
    kept = { size: inventory.hosts.size, byAddress: new Map() }
    for (const h of inventory.hosts.keys()) {
      const a = inventory.hostVars(h).ansible_host
      if (typeof a === 'string' && !kept.byAddress.has(a)) kept.byAddress.set(a, h)
    }
    addresses.set(inventory, kept)
  }
  return kept.byAddress.get(address)
}

/** The remote_user keyword (task, blocks and roles, play), where the host sets no ansible_user of its own (the host's wins, as in Ansible). */
function remoteUser({ pc, task, scope, where }: TaskRun, vars: Record<string, unknown>): string | undefined {
  const user = task.remote_user ?? scope.remote_user ?? pc.play.remote_user
  if (user === undefined || own(vars, 'ansible_user') !== undefined || own(vars, 'ansible_ssh_user') !== undefined) return undefined
  return keywordValue<string>('remote_user', user, vars, where)
}

/**
 * The `timeout` keyword (seconds; the task's, else its blocks' and role's, else the play's, else
 * ansible.cfg's task_timeout), templated; 0 or absent: no limit.
 */
function taskTimeoutMs({ pc, task, scope, where }: TaskRun, vars: Record<string, unknown>): number | undefined {
  const v = task.timeout ?? scope.timeout ?? pc.play.timeout ?? configuredValues(pc.run.opts).taskTimeout
  if (v === undefined || v === null) return undefined
  const s = Number(templateValue(v, vars, where))
  if (!Number.isFinite(s) || s < 0) throw new AcplayError('E_PARAM', `timeout must be a number of seconds, got ${JSON.stringify(v)}`, where)
  return s > 0 ? s * 1000 : undefined
}
