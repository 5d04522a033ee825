import { readFileSync } from 'node:fs'
import { connect as tcpConnect } from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { NodeSSH } from 'node-ssh'
import pLimit from 'p-limit'
import type { ClientChannel } from 'ssh2'
import { hostKeyError, unreachable } from '../errors.js'
import { checkBecome, shellArgv } from './become.js'
import { shellJoin } from './quote.js'
import { SessionClosed, ShellSession } from './shell-session.js'
import { verifyHostKey, type HostKeyVerdict } from './known-hosts.js'
import type { Connection, ExecOptions, ExecResult } from './types.js'

export interface SshOptions {
  /** inventory name, for messages */
  name: string
  address: string
  port: number
  user: string
  privateKeyFile?: string
  /** false turns host key checking off (host_key_checking = False) */
  hostKeyChecking: boolean
  knownHostsFile?: string
  connectTimeoutMs?: number
}

/**
 * SSH handshakes in flight, per controller process, whatever -f is: OpenSSH's MaxStartups starts
 * refusing at 10 unauthenticated connections (10:30:100), which a fleet reached through one bastion
 * or NAT would hit; and a handshake costs the controller 1-2 ms of CPU (bench/README.md, fleet), so
 * 10 at once already keep its cores busy. Waiting here does not count against the connect timeout.
 */
export const MAX_HANDSHAKES = 10
const handshakes = pLimit(MAX_HANDSHAKES)

/**
 * One SSH connection per host for the whole run, and on it one persistent shell per become user
 * (shell-session.ts): a script costs the host a fork, not an sshd child and a login shell.
 */
export class SshConnection implements Connection {
  execCount = 0
  connectCount = 0
  private ssh = new NodeSSH()
  private connecting?: Promise<void>
  /** keyed by the become user ('' = the login user) */
  private sessions = new Map<string, Promise<ShellSession>>()

  constructor(private readonly opts: SshOptions) {}

  get host(): string {
    return this.opts.name
  }

  private connect(): Promise<void> {
    this.connecting ??= handshakes(() => this.open())
    return this.connecting
  }

  private async open(): Promise<void> {
    const o = this.opts
    const knownHosts = o.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts')
    let verdict = 'match' as HostKeyVerdict
    this.connectCount++
    // Nagle off from the first packet (ssh2 leaves it on): every exchange of the handshake, and later
    // each script, is a small write that would otherwise wait for the server's delayed ACK (~40 ms).
    const sock = tcpConnect({ host: o.address, port: o.port })
    sock.setNoDelay(true)
    try {
      await this.ssh.connect({
        sock,
        host: o.address,
        port: o.port,
        username: o.user,
        privateKey: o.privateKeyFile ? readFileSync(o.privateKeyFile, 'utf8') : undefined,
        agent: o.privateKeyFile ? undefined : process.env.SSH_AUTH_SOCK,
        readyTimeout: o.connectTimeoutMs ?? 10_000,
        keepaliveInterval: 15_000,
        hostVerifier: (key: Buffer) => {
          if (!o.hostKeyChecking) return true
          verdict = verifyHostKey(knownHosts, o.address, o.port, key)
          return verdict === 'match'
        },
      } as Parameters<NodeSSH['connect']>[0])
    } catch (e) {
      sock.destroy()
      if (verdict === 'mismatch') {
        throw hostKeyError(`host key for ${o.address}:${o.port} does NOT match ${knownHosts}: refusing to connect (possible man-in-the-middle)`, {
          host: o.name,
        })
      }
      if (verdict === 'unknown') {
        throw hostKeyError(`host key for ${o.address}:${o.port} is not in ${knownHosts}; add it (ssh-keyscan) or set host_key_checking=false`, { host: o.name })
      }
      const msg = e instanceof Error ? e.message : String(e)
      throw unreachable(`cannot connect to ${o.user}@${o.address}:${o.port}: ${msg}`, { host: o.name })
    }
  }

  async exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    try {
      await this.connect()
    } catch (e) {
      this.connecting = undefined // a later task may retry; the first failure is reported
      throw e
    }
    this.execCount++
    let out: ExecResult
    try {
      out = await (await this.session(opts)).run(script)
    } catch (e) {
      this.sessions.delete(opts.become?.user ?? '')
      // a shell that went away without an exit status: the connection is gone
      if (!(e instanceof SessionClosed) || !e.exited) {
        const msg = e instanceof Error ? e.message : String(e)
        throw unreachable(`connection to ${this.opts.address} lost: ${msg}`, { host: this.opts.name })
      }
      // sudo refused to start the shell, or the script killed it: the script's result, like a failed exec
      const { rc, stdout, stderr } = e.result
      out = { rc: rc === 0 ? 255 : rc, stdout, stderr: stderr || `${e.message}\n` }
    }
    checkBecome(out, opts.become, this.host)
    return out
  }

  /** The persistent shell for this become user, started on first use. */
  private session(opts: ExecOptions): Promise<ShellSession> {
    const key = opts.become?.user ?? ''
    let s = this.sessions.get(key)
    if (!s) {
      s = this.openChannel(shellJoin(shellArgv(opts.become))).then((stream) => new ShellSession(stream))
      s.catch(() => this.sessions.delete(key))
      this.sessions.set(key, s)
    }
    return s.then((x) => (x.closed ? (this.sessions.delete(key), this.session(opts)) : x))
  }

  /** An exec channel on the open connection, its stdin left open for the session's scripts. */
  private openChannel(command: string): Promise<ClientChannel> {
    const client = this.ssh.connection
    if (!client) return Promise.reject(new Error('not connected'))
    return new Promise((resolve, reject) => client.exec(command, (err: Error | undefined, stream: ClientChannel) => (err ? reject(err) : resolve(stream))))
  }

  async close(): Promise<void> {
    for (const s of this.sessions.values())
      s.then(
        (x) => x.close(),
        () => {},
      )
    this.sessions.clear()
    this.ssh.dispose()
  }
}
