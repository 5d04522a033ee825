import { connect as tcpConnect } from 'node:net'
import type { Duplex } from 'node:stream'
import { homedir } from 'node:os'
import { join } from 'node:path'
import pLimit from 'p-limit'
import { Client, type AnyAuthMethod, type AuthMethod, type ClientChannel, type ConnectConfig, type Prompt } from 'ssh2'
import { AcplayError, hostKeyError, interruptedError, timeoutError, unreachable } from '../errors.js'
import { asUser, becomeFor, becomeKey, becomeStdin, checkBecome, shellArgv, streamArgv } from './become.js'
import { privateKeyOf } from './client-key.js'
import { Keepalive } from './keepalive.js'
import { hostKeyAlgorithms, knownHostKeys, recordHostKey, type HostKeyPolicy, type HostKeyVerdict } from './known-hosts.js'
import { shellJoin } from './quote.js'
import { awaitLock, lockScript } from './run-lock.js'
import { SessionClosed, ShellSession } from './shell-session.js'
import { sendStream } from './stream-exec.js'
import { ignoreHostKeyAnnouncements, sendProbe } from './ssh2-internals.js'
import { DEFAULT_TIMEOUTS } from './settings.js'
import type { Become, Connection, ExecOptions, ExecResult, SshTarget } from './types.js'
import type { Link, Via } from './via.js'

export interface SshOptions extends SshTarget {
  /** inventory name, for messages */
  name: string
  /** TCP connect and SSH handshake (ConnectTimeout, ansible_timeout) */
  connectTimeoutMs?: number
  /** ServerAliveInterval and ServerAliveCountMax: a link that answers nothing for interval x count is lost */
  keepaliveIntervalMs?: number
  keepaliveCountMax?: number
  /** --lock: hold the host's run lock while connected, waiting this long for another run to release it */
  lockWaitS?: number
  /** the login user when become to it is skipped (becomeFor in become.ts): a given remote user, not allow_same_user */
  becomeSkippedFor?: string
  /** ansible_password: tried after the key (or the agent), as password and keyboard-interactive auth */
  password?: string
  /** more keys to offer after privateKeyFile (IdentityFile in the ssh config); unreadable ones are skipped, as ssh does */
  identityFiles?: string[]
  /** ProxyJump or ProxyCommand (via.ts): the link the connection runs on instead of TCP to address:port */
  via?: Via
  /** the route could not be worked out (an ssh config that does not parse): every connect fails with this */
  routeError?: AcplayError
  /** ssh2's protocol trace, a line per packet (tests) */
  debug?: (line: string) => void
}

/**
 * ansible_password as OpenSSH offers it after the key: the password method, then keyboard-
 * interactive (PAM's prompt, what sshd offers when PasswordAuthentication is off), answering each
 * prompt that does not echo with the password.
 */
function passwordAuth(username: string, password: string | undefined): AnyAuthMethod[] {
  if (password === undefined) return []
  return [
    { type: 'password', username, password },
    {
      type: 'keyboard-interactive',
      username,
      prompt: (_name: string, _instructions: string, _lang: string, prompts: Prompt[], finish: (answers: string[]) => void) =>
        finish(prompts.map((p) => (p.echo ? '' : password))),
    },
  ]
}

const policyOf = (v: SshOptions['hostKeyChecking']): HostKeyPolicy => (v === true ? 'yes' : v === false ? 'no' : v)
const msgOf = (e: unknown) => (e instanceof Error ? e.message : String(e))

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
 *
 * Faults: a link that stops answering is found by keepalives within interval x count and every
 * script waiting on it fails as unreachable; a script's time limit (ExecOptions.timeoutMs) and
 * interrupt() stop the remote commands (SIGHUP to the shell's process group) before giving up.
 */
export class SshConnection implements Connection {
  execCount = 0
  connectCount = 0
  private client?: Client
  private connecting?: Promise<Client>
  /** the current link's keepalive (keepalive.ts): probes while a script waits on the host */
  private alive?: Keepalive
  /** why the link went away (keepalive timeout, reset), for the unreachable message */
  private lost?: string
  private interrupted?: AcplayError
  private lockRefused?: AcplayError
  /** keyed by the become method and user (becomeKey: '' = the login user) */
  private sessions = new Map<string, Promise<ShellSession>>()
  /** the become each session was started with (to stop its scripts as the same user, with the same password) */
  private sessionBecome = new Map<string, Become | undefined>()
  /** exec channels of streamed scripts (large uploads) still running */
  private streams = new Set<ClientChannel>()

  constructor(private readonly opts: SshOptions) {}

  get host(): string {
    return this.opts.name
  }

  get sshTarget(): SshTarget {
    const { address, port, user, privateKeyFile, hostKeyChecking, knownHostsFile } = this.opts
    return { address, port, user, privateKeyFile, hostKeyChecking, knownHostsFile }
  }

  private get keepalive(): { intervalMs: number; countMax: number } {
    return {
      intervalMs: this.opts.keepaliveIntervalMs ?? DEFAULT_TIMEOUTS.keepaliveIntervalMs,
      countMax: this.opts.keepaliveCountMax ?? DEFAULT_TIMEOUTS.keepaliveCountMax,
    }
  }

  private connect(): Promise<Client> {
    if (this.interrupted) return Promise.reject(this.interrupted)
    // a run that did not get the lock never takes it later, halfway through its tasks
    if (this.lockRefused) return Promise.reject(this.lockRefused)
    if (this.opts.routeError) return Promise.reject(this.opts.routeError)
    // the jump host or proxy command first, outside the handshake limit (a jump host takes a slot of its own)
    this.connecting ??= (this.opts.via ? this.openLink(this.opts.via) : Promise.resolve(undefined))
      .then((link) => handshakes(() => this.open(link)))
      .then((client) => this.lock(client))
      .catch((e) => {
        this.connecting = undefined // a later task may retry; the first failure is reported
        throw e
      })
    return this.connecting
  }

  /** --lock: the run lock, held by a command on its own channel until the connection closes. */
  private async lock(client: Client): Promise<Client> {
    if (this.opts.lockWaitS === undefined) return client
    const ch = await this.openChannel(client, shellJoin(['/bin/sh', '-c', lockScript(this.opts.lockWaitS)]))
    const done = new Promise((r) => ch.on('close', r))
    try {
      await awaitLock(this.opts.name, ch, ch.stderr, done, ch)
    } catch (e) {
      if (this.client === client) this.client = undefined
      client.end()
      this.lockRefused = e as AcplayError
      throw e
    }
    return client
  }

  /** The link through the jump host or proxy command, within the connect timeout; a failure names the hop. */
  private async openLink(via: Via): Promise<Link> {
    const o = this.opts
    const timeoutMs = o.connectTimeoutMs ?? DEFAULT_TIMEOUTS.connectTimeoutMs
    let timer: NodeJS.Timeout | undefined
    const opening = via.open({ host: o.address, port: o.port })
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s (ansible_timeout, -T)`)), timeoutMs)
    })
    try {
      return await Promise.race([opening, expired])
    } catch (e) {
      opening.then(
        (l) => l.close(),
        () => {},
      )
      throw unreachable(`cannot connect to ${o.user}@${o.address}:${o.port} through ${via.describe}: ${e instanceof AcplayError ? e.message : netMessage(e)}`, {
        host: o.name,
      })
    } finally {
      clearTimeout(timer)
    }
  }

  /** A direct-tcpip channel from this host to host:port: the socket of a connection that jumps through this one. */
  async forward(host: string, port: number): Promise<Duplex> {
    const client = await this.connect()
    return new Promise((resolve, reject) =>
      client.forwardOut('127.0.0.1', 0, host, port, (err, ch) =>
        err ? reject(new Error(`${this.opts.address} could not open a channel to ${host}:${port}: ${err.message}`)) : resolve(ch),
      ),
    )
  }

  private open(link?: Link): Promise<Client> {
    const o = this.opts
    const knownHosts = o.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts')
    const policy = policyOf(o.hostKeyChecking)
    const known = policy === 'no' ? [] : knownHostKeys(knownHosts, o.address, o.port)
    const timeoutMs = o.connectTimeoutMs ?? DEFAULT_TIMEOUTS.connectTimeoutMs
    const ka = this.keepalive
    let verdict: HostKeyVerdict = 'match'
    const key = o.privateKeyFile ? privateKeyOf(o.privateKeyFile) : undefined
    if (typeof key === 'string') {
      link?.close()
      return Promise.reject(unreachable(key, { host: o.name }))
    }
    const keys = [...(key ? [key] : []), ...(o.identityFiles ?? []).map(privateKeyOf).filter((k) => typeof k !== 'string')]
    // the key straight away (ssh2 would try "none" first, a round trip that always fails), or the agent
    const byKey: AuthMethod[] = keys.length
      ? keys.map((key) => ({ type: 'publickey', username: o.user, key }) as AuthMethod)
      : process.env.SSH_AUTH_SOCK
        ? [{ type: 'agent', username: o.user, agent: process.env.SSH_AUTH_SOCK } as AuthMethod]
        : []
    const auth = [...byKey, ...passwordAuth(o.user, o.password)] as AuthMethod[]
    this.connectCount++
    return new Promise((resolve, reject) => {
      const client = new Client()
      // Nagle off from the first packet (ssh2 leaves it on): every exchange of the handshake, and later
      // each script, is a small write that would otherwise wait for the server's delayed ACK (~40 ms).
      const sock: Duplex = link?.sock ?? tcpConnect({ host: o.address, port: o.port }).setNoDelay(true)
      let ready = false
      const started = Date.now()
      const fail = (e: unknown) => {
        if (ready) return
        ready = true // settled
        sock.destroy()
        // ssh2 reports its readyTimeout in more than one way (timed out, or connection lost before handshake)
        const timedOut = Date.now() - started >= timeoutMs - 100
        const err = this.connectError(timedOut ? new Error(`no answer within ${timeoutMs / 1000} s (ansible_timeout, -T)`) : e, verdict, knownHosts)
        if (!link) return reject(err)
        // a proxy command that went away is the story (the socket's EPIPE only follows from it); what one still running printed is added
        link
          .failure()
          .then((why) => {
            if (!why) return reject(err)
            const msg =
              why.ended && err.code === 'E_UNREACHABLE' ? `cannot connect to ${o.user}@${o.address}:${o.port}: ${why.text}` : `${err.message}; ${why.text}`
            reject(new AcplayError(err.code, msg, err.where))
          })
          .finally(() => link.close())
      }
      let alive: Keepalive | undefined
      client.on('ready', () => {
        ready = true
        this.client = client
        this.lost = undefined
        alive = this.alive = new Keepalive({
          ...ka,
          probe: () => {
            if (sock.writable) sendProbe(client)
          },
          lost: () => {
            this.lost = `no answer for ${(ka.intervalMs * ka.countMax) / 1000} s (ServerAliveInterval=${ka.intervalMs / 1000}, ServerAliveCountMax=${ka.countMax})`
            sock.destroy()
          },
        })
        sock.on('data', () => alive?.heard())
        resolve(client)
      })
      // after 'ready' an error (a reset) must never go unhandled: it is why the link went away
      client.on('error', (e: Error & { level?: string }) => {
        if (!ready) return fail(e)
        this.lost ??= e.message
      })
      client.on('close', () => {
        alive?.stop()
        if (ready) link?.close()
        fail(new Error('connection closed during the handshake'))
        this.lost ??= 'the host closed the connection'
        if (this.client !== client) return
        this.client = undefined
        this.connecting = undefined
        this.sessions.clear()
      })
      const config: ConnectConfig = {
        sock,
        host: o.address,
        port: o.port,
        username: o.user,
        authHandler: auth.length > 0 ? auth : undefined,
        debug: o.debug,
        readyTimeout: timeoutMs,
        keepaliveInterval: 0, // keepalive.ts probes instead
        algorithms: known.length ? { serverHostKey: hostKeyAlgorithms(known) as never } : undefined,
        hostVerifier: (key: Buffer) => {
          if (policy === 'no') return true
          const blob = key.toString('base64')
          verdict = known.length === 0 ? 'unknown' : known.some((k) => k.blob === blob) ? 'match' : 'mismatch'
          if (verdict === 'unknown' && policy === 'accept-new') {
            recordHostKey(knownHosts, o.address, o.port, key)
            verdict = 'match'
          }
          return verdict === 'match'
        },
      }
      client.connect(config)
      ignoreHostKeyAnnouncements(client)
    })
  }

  private connectError(e: unknown, verdict: HostKeyVerdict, knownHosts: string): AcplayError {
    const o = this.opts
    if (verdict === 'mismatch') {
      return hostKeyError(`host key for ${o.address}:${o.port} does NOT match ${knownHosts}: refusing to connect (possible man-in-the-middle)`, {
        host: o.name,
      })
    }
    if (verdict === 'unknown') {
      return hostKeyError(
        `host key for ${o.address}:${o.port} is not in ${knownHosts}; add it (ssh-keyscan), or set StrictHostKeyChecking=accept-new or host_key_checking=false`,
        { host: o.name },
      )
    }
    return unreachable(`cannot connect to ${o.user}@${o.address}:${o.port}: ${netMessage(e)}`, { host: o.name })
  }

  private lostError(e: unknown): AcplayError {
    if (this.interrupted) return this.interrupted
    return unreachable(`connection to ${this.opts.address} lost: ${this.lost ?? msgOf(e)}`, { host: this.opts.name })
  }

  async exec(script: string, given: ExecOptions = {}): Promise<ExecResult> {
    const opts = { ...given, become: becomeFor(given.become, this.opts.becomeSkippedFor) }
    const client = await this.connect()
    this.execCount++
    const alive = this.alive
    alive?.begin()
    try {
      return await (opts.input ? this.execStreamed(client, script, opts) : this.execInShell(client, script, opts))
    } finally {
      alive?.end()
    }
  }

  private async execInShell(client: Client, script: string, opts: ExecOptions): Promise<ExecResult> {
    let out: ExecResult
    const session = await this.session(opts).catch((e) => {
      throw e instanceof AcplayError ? e : this.lostError(e)
    })
    try {
      out = await this.limited(session.run(script), opts, () => this.stopSession(session, opts.become))
    } catch (e) {
      if (e instanceof AcplayError) throw e
      this.sessions.delete(becomeKey(opts.become))
      // the connection is gone when the client closed (ssh2 closes it before its channels); a shell that
      // went away on a live connection was refused by sudo or killed by its script (its exit status may
      // trail the channel's close)
      if (!(e instanceof SessionClosed) || this.client !== client || this.interrupted) throw this.lostError(e)
      // sudo refused to start the shell, or the script killed it: the script's result, like a failed exec
      const { rc, stdout, stderr } = e.result
      out = { rc: rc === 0 ? 255 : rc, stdout, stderr: stderr || `${e.message}\n` }
    }
    checkBecome(out, opts.become, this.host)
    return out
  }

  /** A script's time limit: past it, `stop` ends the remote commands and the script fails with E_TIMEOUT. */
  private async limited<T>(running: Promise<T>, opts: ExecOptions, stop: () => Promise<void>): Promise<T> {
    if (!opts.timeoutMs) return running
    let timer: NodeJS.Timeout | undefined
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), opts.timeoutMs)
    })
    try {
      const first = await Promise.race([running, expired])
      if (first !== 'expired') return first
    } finally {
      clearTimeout(timer)
    }
    running.catch(() => {})
    await stop()
    throw timeoutError(`the command did not finish within ${opts.limitS ?? opts.timeoutMs / 1000} s (timeout); it was stopped`, { host: this.opts.name })
  }

  /** A script with a stream on its stdin (large uploads): its own exec channel, see stream-exec.ts. */
  private async execStreamed(client: Client, script: string, opts: ExecOptions): Promise<ExecResult> {
    const argv = streamArgv(script, opts.become)
    const channel = await this.openChannel(client, shellJoin(argv)).catch((e) => {
      throw this.lostError(e)
    })
    this.streams.add(channel)
    try {
      const out = await this.limited(sendStream(channel, becomeStdin(opts.become) + script, opts.input!), opts, async () => {
        channel.close()
      })
      // an interrupt closes the channel: the script's complaint about its short stream is not the story
      if (this.interrupted) throw this.interrupted
      if (out.rc === null) throw this.lostError(new Error('the channel closed without an exit status'))
      const res = { rc: out.rc, stdout: out.stdout, stderr: out.stderr }
      checkBecome(res, opts.become, this.host)
      return res
    } finally {
      this.streams.delete(channel)
    }
  }

  /** The persistent shell for this become user, started on first use. */
  private session(opts: ExecOptions): Promise<ShellSession> {
    const key = becomeKey(opts.become)
    let s = this.sessions.get(key)
    if (!s) {
      s = this.connect()
        .then((client) => this.openChannel(client, shellJoin(shellArgv(opts.become))))
        .then((stream) => {
          const first = becomeStdin(opts.become)
          if (first) stream.write(first)
          return new ShellSession(stream)
        })
      s.catch(() => this.sessions.delete(key))
      this.sessions.set(key, s)
      this.sessionBecome.set(key, opts.become)
    }
    return s.then((x) => {
      if (!x.closed) return x
      this.sessions.delete(key)
      return this.session(opts)
    })
  }

  /** An exec channel on the open connection, its stdin left open for the session's scripts. */
  private openChannel(client: Client, command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => client.exec(command, (err: Error | undefined, stream: ClientChannel) => (err ? reject(err) : resolve(stream))))
  }

  /**
   * Ends the script running in `session` and whatever it started: SIGHUP to the shell's process
   * group, sent from a new channel as the same (become) user; then the session is dropped.
   */
  private async stopSession(session: ShellSession, become: Become | undefined): Promise<void> {
    this.sessions.delete(becomeKey(become))
    const client = this.client
    if (session.pgid && client) {
      const kill = shellJoin(asUser(become, `kill -HUP -${session.pgid} 2>/dev/null; exit 0`))
      const stopped = this.openChannel(client, kill).then((ch) => new Promise((r) => ch.on('close', r).resume().end(becomeStdin(become))))
      await Promise.race([stopped, sleep(3000)]).catch(() => {})
    }
    session.close()
  }

  /**
   * The run was interrupted: stop every running script on this host, refuse new ones, close.
   * Resolves with what was stopped (for the interrupted message).
   */
  async interrupt(reason: string): Promise<boolean> {
    this.interrupted = interruptedError(`interrupted (${reason})`, { host: this.opts.name })
    let stopped = this.streams.size > 0
    for (const ch of this.streams) ch.close()
    const running: Promise<void>[] = []
    for (const [key, s] of this.sessions) {
      const session = await Promise.race([s.catch(() => undefined), sleep(0).then(() => undefined)])
      if (!session?.busy) continue
      stopped = true
      running.push(this.stopSession(session, this.sessionBecome.get(key)))
    }
    await Promise.all(running)
    return stopped
  }

  async close(): Promise<void> {
    for (const s of this.sessions.values())
      s.then(
        (x) => x.close(),
        () => {},
      )
    this.sessions.clear()
    const connecting = this.connecting
    this.connecting = undefined
    this.client?.end()
    this.client = undefined
    // a connection still being made (waiting for the run lock) is ended once it is there
    connecting?.then(
      (c) => c.end(),
      () => {},
    )
  }
}

const NET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is sshd running?)',
  ECONNRESET: 'connection reset by the host',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  ENOTFOUND: 'no such host name',
}

/** A socket error as an operator reads it: what happened, with Node's code after it. */
function netMessage(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code
  return code && NET_ERRORS[code] ? `${NET_ERRORS[code]} (${code})` : msgOf(e)
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref())
