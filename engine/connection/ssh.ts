import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { NodeSSH } from 'node-ssh'
import type { ClientChannel } from 'ssh2'
import { hostKeyError, unreachable } from '../errors.js'
import { checkBecome, shellArgv } from './become.js'
import { shellJoin } from './quote.js'
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

/** One SSH connection per host for the whole run; every exec is a channel on it. */
export class SshConnection implements Connection {
  execCount = 0
  connectCount = 0
  private ssh = new NodeSSH()
  private connecting?: Promise<void>

  constructor(private readonly opts: SshOptions) {}

  get host(): string {
    return this.opts.name
  }

  private connect(): Promise<void> {
    this.connecting ??= this.open()
    return this.connecting
  }

  private async open(): Promise<void> {
    const o = this.opts
    const knownHosts = o.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts')
    let verdict = 'match' as HostKeyVerdict
    this.connectCount++
    try {
      await this.ssh.connect({
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
      if (verdict === 'mismatch') {
        throw hostKeyError(`host key for ${o.address}:${o.port} does NOT match ${knownHosts}: refusing to connect (possible man-in-the-middle)`, { host: o.name })
      }
      if (verdict === 'unknown') {
        throw hostKeyError(`host key for ${o.address}:${o.port} is not in ${knownHosts}; add it (ssh-keyscan) or set host_key_checking=false`, { host: o.name })
      }
      const msg = e instanceof Error ? e.message : String(e)
      throw unreachable(`cannot connect to ${o.user}@${o.address}:${o.port}: ${msg}`, { host: o.name })
    }
    // Each exec writes several small packets back to back (channel data, EOF, close): with Nagle on
    // (ssh2's default) the later ones wait for the server's delayed ACK, ~40 ms per task.
    this.ssh.connection?.setNoDelay(true)
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
      out = await this.channel(shellJoin(shellArgv(opts.become)), script)
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e)
      throw unreachable(`connection to ${this.opts.address} lost: ${msg}`, { host: this.opts.name })
    }
    checkBecome(out, opts.become, this.host)
    return out
  }

  /** One exec channel on the open connection. node-ssh's execCommand trims output, so use ssh2 directly. */
  private channel(command: string, stdin: string): Promise<ExecResult> {
    const client = this.ssh.connection
    if (!client) return Promise.reject(new Error('not connected'))
    return new Promise((resolve, reject) => {
      client.exec(command, (err: Error | undefined, stream: ClientChannel) => {
        if (err) return reject(err)
        const out: Buffer[] = []
        const errs: Buffer[] = []
        let rc: number | null = null
        stream.on('data', (d: Buffer) => out.push(d))
        stream.stderr.on('data', (d: Buffer) => errs.push(d))
        stream.on('exit', (code: number | null, signal?: string) => {
          rc = code ?? (signal ? 255 : 0)
        })
        stream.on('close', () => resolve({ rc: rc ?? 255, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(errs).toString() }))
        stream.on('error', reject)
        stream.end(stdin)
      })
    })
  }

  async close(): Promise<void> {
    this.ssh.dispose()
  }
}
