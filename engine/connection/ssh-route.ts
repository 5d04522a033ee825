/**
 * Where a host's SSH connection goes, as Ansible's ssh command line and OpenSSH's config give it:
 *
 *   host string: ansible_host, else the inventory name (what Ansible hands ssh), looked up in the
 *     ssh config (ssh-config.ts: -F file, else ~/.ssh/config and /etc/ssh/ssh_config)
 *   each value: ssh_args > Ansible's own -o User/Port/IdentityFile (only when ansible_user/-u/
 *     remote_user, ansible_port, ansible_ssh_private_key_file/--private-key are set) > the common
 *     and extra args > the config file > ssh's default (the local user, 22)
 *   ProxyJump / ProxyCommand: the first obtained of either; `none` turns both off
 *
 * A jump host is looked up in the config by its own name: its User/Port/IdentityFile/HostName and,
 * for the first hop, its own ProxyJump/ProxyCommand; `user@host:port` in the spec wins. It is checked
 * against known_hosts as the target is (its config's UserKnownHostsFile/StrictHostKeyChecking first).
 * The config files are read once per run (SshRun), jump connections shared in it (jump-hosts.ts).
 */
import { userInfo } from 'node:os'
import { type AcplayError, unreachable } from '../errors.js'
import { JumpHosts } from './jump-hosts.js'
import type { HostKeyPolicy } from './known-hosts.js'
import { expandProxyCommand } from './proxy-command.js'
import { type SshOptions, SshConnection } from './ssh.js'
import { parseJumpSpec, type RouteArgs, routeArgs } from './ssh-args.js'
import { configFiles, expandTilde, loadSshConfig, lookupHost, type SshConfig, SshConfigError, type SshHostConfig } from './ssh-config.js'
import { policy } from './settings.js'
import { commandVia, type Via } from './via.js'

const MAX_HOPS = 8

/** One run's ssh configs (parsed once per -F value) and its shared jump connections. */
export class SshRun {
  readonly jumps = new JumpHosts()
  private configs = new Map<string, SshConfig | SshConfigError>()

  constructor(private readonly warn: (msg: string) => void = () => {}) {}

  /** The config ssh would read (`-F file`, else the default files), or why it cannot be read. */
  config(dashF: string | undefined): SshConfig | SshConfigError {
    const key = dashF ?? ''
    let c = this.configs.get(key)
    if (!c) {
      try {
        c = loadSshConfig(configFiles(dashF), undefined, dashF !== undefined)
        for (const w of c.warnings) this.warn(w)
      } catch (e) {
        c = e instanceof SshConfigError ? e : new SshConfigError(String(e))
      }
      this.configs.set(key, c)
    }
    return c
  }
}

export interface RouteInput {
  /** inventory name, for messages */
  name: string
  /** the string Ansible hands ssh: ansible_host, else the inventory name */
  host: string
  /** ansible_user / remote_user / -u: passed as -o User= only when set */
  user?: string
  /** ansible_port: passed as -o Port= only when set */
  port?: number
  /** ansible_ssh_private_key_file / --private-key / private_key_file (expanded) */
  privateKeyFile?: string
  /** sshArgStrings (settings.ts) */
  args: { before: string[]; after: string[] }
}

export interface Route {
  address: string
  port: number
  user: string
  privateKeyFile?: string
  identityFiles: string[]
  via?: Via
  /** the config's values for the host (settings.ts takes its known_hosts, checking, keepalive) */
  config: SshHostConfig
  configFile?: string
  /** the jump spec or the proxy command as given */
  proxyJump?: string
  proxyCommand?: string
  /** the route is broken (bad config file, bad jump spec): the host is unreachable with this */
  error?: AcplayError
}

/** What the connection needs of the target's own settings to connect its jump hosts alike. */
export interface HopDefaults {
  hostKeyChecking: HostKeyPolicy
  knownHostsFile?: string
  connectTimeoutMs: number
  privateKeyFile?: string
}

const isNone = (v: string | undefined) => v?.toLowerCase() === 'none'

/** The target's address, user, port, keys and config; its Via comes from viaFor once its settings are known. */
export function routeFor(run: SshRun, input: RouteInput): Route {
  const before = routeArgs(input.args.before)
  const after = routeArgs(input.args.after)
  const dashF = after.configFile ?? before.configFile
  const loaded = run.config(dashF)
  const config = loaded instanceof SshConfigError ? { identityFiles: [] } : lookupHost(loaded, input.host)
  const proxy = firstProxy([before, after, config])
  const route: Route = {
    address: before.hostName ?? after.hostName ?? config.hostName ?? input.host,
    port: before.port ?? input.port ?? after.port ?? config.port ?? 22,
    user: before.user ?? input.user ?? after.user ?? config.user ?? userInfo().username,
    privateKeyFile: input.privateKeyFile,
    identityFiles: [...[...before.identityFiles, ...after.identityFiles].map((f) => expandTilde(f)), ...config.identityFiles].filter(
      (f) => f !== input.privateKeyFile,
    ),
    config,
    configFile: dashF,
    ...proxy,
  }
  if (loaded instanceof SshConfigError) route.error = unreachable(`ssh config: ${loaded.message}`, { host: input.name })
  return route
}

function firstProxy(sources: (RouteArgs | SshHostConfig)[]): { proxyJump?: string; proxyCommand?: string } {
  for (const s of sources) {
    if (s.proxyJump !== undefined) return isNone(s.proxyJump) ? {} : { proxyJump: s.proxyJump }
    if (s.proxyCommand !== undefined) return isNone(s.proxyCommand) ? {} : { proxyCommand: s.proxyCommand }
  }
  return {}
}

/** The Via for a route (its ProxyJump or ProxyCommand), or an unreachable error saying what is wrong with it. */
export function viaFor(run: SshRun, name: string, route: Route, defaults: HopDefaults, original: string): Via | AcplayError | undefined {
  try {
    if (route.proxyCommand !== undefined)
      return commandVia(expandProxyCommand(route.proxyCommand, { host: route.address, port: route.port, user: route.user, original }))
    if (route.proxyJump !== undefined)
      return jumpVia(run, route.proxyJump, route.configFile, defaults, { names: [original, route.address], port: route.port, user: route.user }, 0)
  } catch (e) {
    return unreachable(e instanceof Error ? e.message : String(e), { host: name })
  }
  return undefined
}

/** The host a jump leads to: its names (as given, and its address), port and login user. */
interface HopTarget {
  names: string[]
  port: number
  user: string
}

function jumpVia(run: SshRun, spec: string, dashF: string | undefined, defaults: HopDefaults, to: HopTarget, depth: number): Via {
  if (depth >= MAX_HOPS) throw new Error(`ProxyJump '${spec}': more than ${MAX_HOPS} hops (a loop in the ssh config?)`)
  const hops = parseJumpSpec(spec)
  const last = hops[hops.length - 1]!
  // ssh refuses to jump through the host it is connecting to (a `Host *` ProxyJump that reaches the bastion itself)
  if (to.names.includes(last.host) && (last.port ?? 22) === to.port && (last.user ?? to.user) === to.user) throw new Error(`jumphost loop via ${last.host}`)
  const loaded = run.config(dashF)
  if (loaded instanceof SshConfigError) throw new Error(`ssh config: ${loaded.message}`)
  const cfg = lookupHost(loaded, last.host)
  const address = cfg.hostName ?? last.host
  const user = last.user ?? cfg.user ?? userInfo().username
  const port = last.port ?? cfg.port ?? 22
  const keys = cfg.identityFiles.length ? cfg.identityFiles : defaults.privateKeyFile ? [defaults.privateKeyFile] : []
  // the hops before this one carry it (ssh -J a,b: b is reached through a); the first hop's own config may
  let via: Via | undefined
  const self = { names: [last.host, address], port, user }
  if (hops.length > 1) via = jumpVia(run, hops.slice(0, -1).map(specOf).join(','), dashF, defaults, self, depth + 1)
  else {
    const own = firstProxy([cfg])
    if (own.proxyJump !== undefined) via = jumpVia(run, own.proxyJump, dashF, defaults, self, depth + 1)
    else if (own.proxyCommand !== undefined) via = commandVia(expandProxyCommand(own.proxyCommand, { host: address, port, user, original: last.host }))
  }
  const opts: SshOptions = {
    name: last.host,
    address,
    port,
    user,
    identityFiles: keys,
    hostKeyChecking: cfg.strictHostKeyChecking ? policy(cfg.strictHostKeyChecking) : defaults.hostKeyChecking,
    knownHostsFile: cfg.userKnownHostsFile ?? defaults.knownHostsFile,
    connectTimeoutMs: cfg.connectTimeoutS ? cfg.connectTimeoutS * 1000 : defaults.connectTimeoutMs,
    via,
  }
  const key = JSON.stringify([user, address, port, keys, opts.hostKeyChecking, opts.knownHostsFile, via?.describe ?? ''])
  return run.jumps.via(
    key,
    `jump host ${last.host} (${user}@${address}:${port}${via ? `, itself through ${via.describe}` : ''})`,
    () => new SshConnection(opts),
  )
}

const specOf = (h: { user?: string; host: string; port?: number }) =>
  `${h.user ? `${h.user}@` : ''}${h.host.includes(':') ? `[${h.host}]` : h.host}${h.port ? `:${h.port}` : ''}`
