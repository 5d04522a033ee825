/** Builds a host's connection from its variables (ansible_host, ansible_port, ...) and the CLI options. */
import { LocalConnection } from '../connection/local.js'
import { SshConnection } from '../connection/ssh.js'
import type { Connection, ExecOptions, ExecResult } from '../connection/types.js'
import { quote } from '../connection/quote.js'
import { optionError } from '../errors.js'
import type { RunOptions } from './options.js'
import { userInfo } from 'node:os'

/** `-o UserKnownHostsFile=X` / `-o StrictHostKeyChecking=no` out of ansible_ssh_common_args. */
export function parseSshCommonArgs(args: string): { knownHostsFile?: string; hostKeyChecking?: boolean } {
  const out: { knownHostsFile?: string; hostKeyChecking?: boolean } = {}
  const re = /-o\s*['"]?(\w+)\s*=\s*([^\s'"]+)['"]?/g
  for (const m of args.matchAll(re)) {
    const [, key, value] = m
    if (key === 'UserKnownHostsFile') out.knownHostsFile = value
    if (key === 'StrictHostKeyChecking') out.hostKeyChecking = !/^(no|off|accept-new)$/i.test(value!)
  }
  return out
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v))

export function connectionFor(name: string, vars: Record<string, unknown>, opts: RunOptions): Connection {
  const kind = str(vars.ansible_connection) ?? (name === 'localhost' || name === '127.0.0.1' ? 'local' : 'ssh')
  if (kind === 'local') return new LocalConnection(name)
  if (kind !== 'ssh' && kind !== 'paramiko' && kind !== 'smart') throw optionError(`host ${name}: ansible_connection '${kind}' is not supported (ssh or local)`)
  const common = parseSshCommonArgs(str(vars.ansible_ssh_common_args) ?? '')
  const globalCheck = opts.hostKeyChecking ?? !/^(false|no|0)$/i.test(process.env.ANSIBLE_HOST_KEY_CHECKING ?? 'true')
  return new SshConnection({
    name,
    address: str(vars.ansible_host) ?? name,
    port: Number(vars.ansible_port ?? 22),
    user: str(vars.ansible_user) ?? opts.user ?? userInfo().username,
    privateKeyFile: str(vars.ansible_ssh_private_key_file) ?? opts.privateKey,
    hostKeyChecking:
      common.hostKeyChecking ?? (vars.ansible_host_key_checking !== undefined ? !/^(false|no|0)$/i.test(String(vars.ansible_host_key_checking)) : globalCheck),
    knownHostsFile: common.knownHostsFile,
  })
}

/** Wraps a connection so every script starts by exporting the task's `environment`. */
export function withEnvironment(conn: Connection, env: Record<string, unknown> | undefined): Connection {
  if (!env || Object.keys(env).length === 0) return conn
  const prefix = Object.entries(env)
    .map(([k, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw optionError(`environment: '${k}' is not a valid variable name`)
      return `export ${k}=${quote(String(v))}`
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
    close: () => conn.close(),
  }
}
