/**
 * How long acplay waits for a host, and how it checks its key: one place for Ansible's names.
 *
 *   connect timeout (TCP + SSH handshake): ansible_timeout > -o ConnectTimeout > -T/--timeout >
 *     ANSIBLE_TIMEOUT > ansible.cfg [defaults] timeout > 10 s
 *   dead link while connected: -o ServerAliveInterval=N -o ServerAliveCountMax=M in
 *     ansible_ssh_common_args / ansible_ssh_extra_args / --ssh-common-args / --ssh-extra-args /
 *     ansible_ssh_args / ANSIBLE_SSH_*ARGS / ansible.cfg [ssh_connection] ssh_args, ssh_*_args:
 *     no answer for N x M seconds and the host is unreachable (default 5 x 3 = 15 s)
 *   host keys: StrictHostKeyChecking (yes, accept-new, no) > ansible_host_key_checking >
 *     ANSIBLE_HOST_KEY_CHECKING > ansible.cfg [defaults] host_key_checking > the ssh config's
 *     StrictHostKeyChecking > yes (host_key_checking=False is an `-o StrictHostKeyChecking=no`
 *     Ansible passes; left true, it passes nothing and the config file's value applies)
 *   UserKnownHostsFile, ServerAlive*: the `-o` options > the ssh config (ssh-config.ts). Its
 *     ConnectTimeout never applies to the host: Ansible always passes -o ConnectTimeout.
 */
import { setting } from '../config/settings.js'
import type { HostKeyPolicy } from './known-hosts.js'
import type { SshHostConfig } from './ssh-config.js'
import { sshOptionList } from './ssh-args.js'

export const DEFAULT_TIMEOUTS = { connectTimeoutMs: 10_000, keepaliveIntervalMs: 5_000, keepaliveCountMax: 3 }

/** What acplay takes from ssh `-o` options; the others are ignored (acplay does not run ssh). */
export interface SshArgs {
  knownHostsFile?: string
  hostKeyChecking?: HostKeyPolicy
  connectTimeoutS?: number
  serverAliveIntervalS?: number
  serverAliveCountMax?: number
}

const FALSE = /^(false|no|off|0)$/i

export function policy(value: string): HostKeyPolicy {
  const v = value.toLowerCase()
  if (v === 'no' || v === 'off' || v === 'false') return 'no'
  if (v === 'accept-new') return 'accept-new'
  return 'yes' // yes, ask (no terminal to ask on): known keys only
}

/** `-o Key=Value`, `-oKey=Value`, `-o "Key Value"` out of an ssh argument string (shell-quoted, as Ansible passes it). */
export function parseSshArgs(args: string): SshArgs {
  const out: SshArgs = {}
  for (const [key, value] of sshOptionList(args)) {
    const n = Number(value)
    switch (key) {
      case 'userknownhostsfile':
        out.knownHostsFile = value
        break
      case 'stricthostkeychecking':
        out.hostKeyChecking = policy(value)
        break
      case 'connecttimeout':
        if (n > 0) out.connectTimeoutS = n
        break
      case 'serveraliveinterval':
        if (n > 0) out.serverAliveIntervalS = n
        break
      case 'serveralivecountmax':
        if (Number.isInteger(n) && n > 0) out.serverAliveCountMax = n
        break
    }
  }
  return out
}

export interface SettingsInput {
  /** the host's variables */
  vars: Record<string, unknown>
  /** -T/--timeout (seconds) */
  timeout?: number
  /** --ssh-common-args, --ssh-extra-args */
  sshArgs?: string[]
  /** host_key_checking = False from the caller (the API's RunOptions) */
  hostKeyChecking?: boolean
  /** ansible.cfg in effect, if any */
  ansibleCfg?: string
  env?: NodeJS.ProcessEnv
  /** what the ssh config says for the host (ssh-config.ts lookupHost), below the -o options */
  sshConfig?: SshHostConfig
}

export interface ConnectionSettings {
  knownHostsFile?: string
  hostKeyChecking: HostKeyPolicy
  connectTimeoutMs: number
  keepaliveIntervalMs: number
  keepaliveCountMax: number
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v))
const seconds = (v: unknown): number | undefined => {
  const n = Number(v)
  return v !== undefined && v !== null && v !== '' && n > 0 ? n : undefined
}

/**
 * The ssh argument strings in the order ssh sees them (its first value obtained wins): ssh_args
 * (`before`, ahead of the User, Port and IdentityFile Ansible adds), then the common and extra args
 * (`after`: the host's variables, the command line's, ansible.cfg's).
 */
export function sshArgStrings(input: SettingsInput): { before: string[]; after: string[] } {
  const { vars } = input
  const src = { cfgFile: input.ansibleCfg, env: input.env ?? process.env }
  const before = [str(vars.ansible_ssh_args) ?? setting('ssh_args', src)]
  const after = [
    str(vars.ansible_ssh_common_args),
    str(vars.ansible_ssh_extra_args),
    ...(input.sshArgs ?? []),
    setting('ssh_common_args', src),
    setting('ssh_extra_args', src),
  ]
  const given = (a: (string | undefined)[]) => a.filter((x): x is string => typeof x === 'string' && !!x)
  return { before: given(before), after: given(after) }
}

export function connectionSettings(input: SettingsInput): ConnectionSettings {
  const { vars } = input
  const env = input.env ?? process.env
  const src = { cfgFile: input.ansibleCfg, env }
  // ansible.cfg's and the environment's first, then the command line's, then the host's own: the later win
  const configured = [str(vars.ansible_ssh_args) ?? setting('ssh_args', src), setting('ssh_common_args', src), setting('ssh_extra_args', src)]
  const given = [...(input.sshArgs ?? []), str(vars.ansible_ssh_common_args), str(vars.ansible_ssh_extra_args)]
  const ssh: SshArgs = Object.assign({}, ...[...configured, ...given].filter((a): a is string => !!a).map(parseSshArgs))
  const file = input.sshConfig
  const keyVar = str(vars.ansible_host_key_checking)
  const checkKeys = keyVar !== undefined ? !FALSE.test(keyVar) : input.hostKeyChecking === false ? false : setting('HOST_KEY_CHECKING', src)
  const connectS = seconds(vars.ansible_timeout) ?? ssh.connectTimeoutS ?? input.timeout ?? seconds(setting('DEFAULT_TIMEOUT', src))
  const aliveS = ssh.serverAliveIntervalS ?? (file?.serverAliveIntervalS || undefined)
  return {
    knownHostsFile: ssh.knownHostsFile ?? file?.userKnownHostsFile,
    hostKeyChecking: ssh.hostKeyChecking ?? (checkKeys === false ? 'no' : file?.strictHostKeyChecking ? policy(file.strictHostKeyChecking) : 'yes'),
    connectTimeoutMs: connectS ? connectS * 1000 : DEFAULT_TIMEOUTS.connectTimeoutMs,
    keepaliveIntervalMs: aliveS ? aliveS * 1000 : DEFAULT_TIMEOUTS.keepaliveIntervalMs,
    keepaliveCountMax: ssh.serverAliveCountMax ?? (file?.serverAliveCountMax || undefined) ?? DEFAULT_TIMEOUTS.keepaliveCountMax,
  }
}
