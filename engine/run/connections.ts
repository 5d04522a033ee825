/** Builds a host's connection from its variables (ansible_host, ansible_port, ...) and the CLI options. */
import { LocalConnection } from '../connection/local.js'
import { SshConnection } from '../connection/ssh.js'
import type { Connection, ExecOptions, ExecResult } from '../connection/types.js'
import { quote } from '../connection/quote.js'
import { connectionSettings, sshArgStrings } from '../connection/settings.js'
import { routeFor, SshRun, viaFor } from '../connection/ssh-route.js'
import { setting } from '../config/settings.js'
import { findAnsibleCfg } from '../config/ansible-cfg.js'
import { AcplayError, inventoryError, optionError } from '../errors.js'
import { connectionVarProblem } from '../inventory/connection-vars.js'
import { expanduser } from '../vars/py-path.js'
import { pystr } from '../vars/py-str.js'
import { templateValue } from '../vars/template.js'
import type { RunOptions } from './options.js'
import { dirname, resolve } from 'node:path'

const CONNECTION_VARS = ['ansible_connection', 'ansible_host', 'ansible_port', 'ansible_user', 'ansible_timeout']

/** The host's vars with its connection variables rendered (`ansible_port: "{{ port }}"`), against its vars and -e. */
function renderedConnectionVars(name: string, hostVars: Record<string, unknown>, opts: RunOptions): Record<string, unknown> {
  const context = { ...hostVars, ...opts.extraVars }
  const out = { ...hostVars }
  for (const key of Object.keys(hostVars)) {
    if (key.startsWith('ansible_') && typeof hostVars[key] === 'string' && /\{\{|\{%/.test(hostVars[key] as string))
      out[key] = templateValue(hostVars[key], context, { host: name })
  }
  return out
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v))
const cfgFiles = new Map<string, string | undefined>()

/** ansible.cfg for this playbook, looked up once per run's playbook directory. */
export function ansibleCfgFor(playbook: string): string | undefined {
  const dir = dirname(resolve(playbook))
  if (!cfgFiles.has(dir)) cfgFiles.set(dir, findAnsibleCfg(dir))
  return cfgFiles.get(dir)
}

/**
 * The login user: the host's ansible_user > the play's remote_user (run.ts passes it as ansible_user
 * where the host has none) > -u > ANSIBLE_REMOTE_USER > ansible.cfg remote_user (opts.user holds
 * the first of those three: cli/run-command.ts) > the local user.
 */
export function connectionFor(name: string, hostVars: Record<string, unknown>, opts: RunOptions): Connection {
  const vars = renderedConnectionVars(name, hostVars, opts)
  // values that were templates in the inventory are checked here, rendered (the others when it loaded)
  for (const key of CONNECTION_VARS) {
    const problem = connectionVarProblem(key, vars[key])
    if (problem) throw inventoryError(problem, { host: name })
  }
  const kind = str(vars.ansible_connection) ?? (name === 'localhost' || name === '127.0.0.1' || opts.connection === 'local' ? 'local' : 'ssh')
  const allowSameUser = becomeAllowSameUser(opts)
  if (kind === 'local') return new LocalConnection(name, opts.lock, allowSameUser)
  const input = { vars, timeout: opts.timeout, sshArgs: opts.sshArgs, hostKeyChecking: opts.hostKeyChecking, ansibleCfg: ansibleCfgFor(opts.playbook) }
  // `~/.ssh/id` as ssh reads it (ansible.cfg's private_key_file comes expanded already)
  const key = str(vars.ansible_ssh_private_key_file ?? vars.ansible_private_key_file) ?? opts.privateKey
  const user = str(vars.ansible_user ?? vars.ansible_ssh_user) ?? opts.user
  const port = vars.ansible_port ?? vars.ansible_ssh_port
  const host = str(vars.ansible_host ?? vars.ansible_ssh_host) ?? name
  // ssh config, ProxyJump, ProxyCommand: ssh-route.ts
  const run = sshRunOf(opts)
  const route = routeFor(run, {
    name,
    host,
    user,
    port: port === undefined || port === null ? undefined : Number(port),
    privateKeyFile: key === undefined ? undefined : expanduser(key),
    args: sshArgStrings(input),
  })
  const s = connectionSettings({ ...input, sshConfig: route.config })
  const via = route.error ? undefined : viaFor(run, name, route, { ...s, privateKeyFile: route.privateKeyFile }, host)
  return new SshConnection({
    name,
    address: route.address,
    port: route.port,
    user: route.user,
    // Ansible's remote_user is unset without them (it then becomes, even to the local user)
    becomeSkippedFor: allowSameUser ? undefined : user,
    privateKeyFile: route.privateKeyFile,
    identityFiles: route.identityFiles,
    via: via instanceof AcplayError ? undefined : via,
    routeError: route.error ?? (via instanceof AcplayError ? via : undefined),
    // the ssh plugin's password option: its later variables win
    password: str(vars.ansible_ssh_password ?? vars.ansible_ssh_pass ?? vars.ansible_password) ?? opts.connectionPassword,
    ...s,
    lockWaitS: opts.lock,
  })
}

const sshRuns = new WeakMap<RunOptions, SshRun>()

/** The run's ssh configs and jump connections: the config files are read once per run, not per host. */
function sshRunOf(opts: RunOptions): SshRun {
  let r = sshRuns.get(opts)
  if (!r) {
    r = new SshRun((msg) => {
      for (const rep of opts.reporters ?? []) rep.onWarning?.(msg)
    })
    sshRuns.set(opts, r)
  }
  return r
}

const allowSameUser = new WeakMap<RunOptions, boolean>()

/** [privilege_escalation] become_allow_same_user: sudo even to the login user (becomeFor in connection/become.ts); read once per run. */
export function becomeAllowSameUser(opts: RunOptions): boolean {
  let v = allowSameUser.get(opts)
  if (v === undefined) {
    v = setting('BECOME_ALLOW_SAME_USER', { cfgFile: ansibleCfgFor(opts.playbook), env: process.env }) === true
    allowSameUser.set(opts, v)
  }
  return v
}

/** Wraps a connection so every script starts by exporting the task's `environment`. */
export function withEnvironment(conn: Connection, env: Record<string, unknown> | undefined): Connection {
  if (!env || Object.keys(env).length === 0) return conn
  const prefix = Object.entries(env)
    .map(([k, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw optionError(`environment: '${k}' is not a valid variable name`)
      // as Python's str() of the value (Ansible's): True, None, [1, 'a']
      return `export ${k}=${quote(pystr(v))}`
    })
    .join('\n')
  return {
    host: conn.host,
    sshTarget: conn.sshTarget,
    get execCount() {
      return conn.execCount
    },
    get connectCount() {
      return conn.connectCount
    },
    exec: (script: string, opts?: ExecOptions): Promise<ExecResult> => conn.exec(`${prefix}\n${script}`, opts),
    interrupt: conn.interrupt ? (reason) => conn.interrupt!(reason) : undefined,
    close: () => conn.close(),
  }
}
