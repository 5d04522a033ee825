/**
 * A persistent remote shell on one SSH channel: every script of a run goes down the same
 * `/bin/sh -s` as `( eval 'SCRIPT' ) </dev/null`, followed by end markers on stdout and stderr.
 *
 * Why: an exec channel costs the host an sshd child, the login shell and the channel's packets
 * (~3 ms of host CPU); a subshell of a shell that is already running costs a fork (~0.2 ms). With
 * ten hosts sharing a controller's cores, that is most of a no-op task's cost.
 *
 * Each script runs in its own subshell, so nothing it does (cd, variables, set -e, traps, exit)
 * reaches the next one, and its stdin is /dev/null. The agent defines no variables of its own.
 * Scripts are serialized: one at a time per session, in the order they were asked for.
 *
 * The session's first line reports the shell's process group: stop() ends a running script (and
 * everything it started) with a SIGHUP to that group, as a terminal's hangup would.
 */
import { randomBytes } from 'node:crypto'
import type { ClientChannel } from 'ssh2'
import { quote } from './quote.js'
import type { ExecResult } from './types.js'

/**
 * The session's channel ended (sudo refused, the shell was killed, the connection dropped). Which
 * one is the connection's to tell (ssh.ts): the exit status may trail the channel's close.
 */
export class SessionClosed extends Error {
  constructor(readonly result: ExecResult) {
    const code = result.rc === 255 ? '' : ` with code ${result.rc}`
    const stderr = result.stderr.trim()
    super(`remote shell exited${code}${stderr ? `: ${stderr.split('\n').slice(-3).join(' / ')}` : ''}`)
  }
}

interface Pending {
  resolve: (r: ExecResult) => void
  reject: (e: Error) => void
}

export class ShellSession {
  private readonly nonce = `ACPLAY_END_${randomBytes(16).toString('hex')}`
  private readonly outMarker = Buffer.from(`${this.nonce} `)
  private readonly errMarker = Buffer.from(`${this.nonce}\n`)
  private out: Buffer = Buffer.alloc(0)
  private err: Buffer = Buffer.alloc(0)
  /** where the markers are searched from: bytes before it were searched already (large outputs) */
  private outScan = 0
  private errScan = 0
  private pending?: Pending
  private queue: Promise<unknown> = Promise.resolve()
  private exitCode: number | null = null
  /** the remote shell's process group (undefined until its first line arrives, or without /proc) */
  pgid?: number
  private pgidLine = true
  /** a first line that was no process group: what started instead of the shell said it */
  private firstLine?: Buffer
  closed = false

  constructor(private readonly stream: ClientChannel) {
    stream.on('data', (d: Buffer) => this.onData('out', d))
    stream.stderr.on('data', (d: Buffer) => this.onData('err', d))
    stream.on('exit', (code: number | null, signal?: string) => {
      this.exitCode = code ?? (signal ? 255 : 0)
    })
    stream.on('close', () => this.onClose())
    stream.on('error', () => {}) // 'close' follows; the pending script is rejected there
    // field 5 of /proc/PID/stat is the process group (the shell's name, "sh", has no spaces)
    stream.write(`read -r _ _ _ _ g _ </proc/$$/stat 2>/dev/null; printf '%s\\n' "$g"\n`)
  }

  /** A script is running (sent, its end markers not yet back). */
  get busy(): boolean {
    return this.pending !== undefined
  }

  /** Runs one script; resolves with its exit code and output, byte for byte. */
  run(script: string): Promise<ExecResult> {
    const next = this.queue.then(() => this.send(script))
    this.queue = next.catch(() => {})
    return next
  }

  private send(script: string): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new SessionClosed(this.closedResult()))
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject }
      // $? of the subshell is the script's exit code; the markers follow everything it printed
      this.stream.write(`( eval ${quote(script)}\n) </dev/null; printf '%s %d\\n' ${this.nonce} $?; printf '%s\\n' ${this.nonce} >&2\n`)
    })
  }

  private onData(which: 'out' | 'err', d: Buffer): void {
    if (which === 'out') this.out = this.out.length ? Buffer.concat([this.out, d]) : d
    else this.err = this.err.length ? Buffer.concat([this.err, d]) : d
    if (this.pgidLine && which === 'out') this.takePgid()
    this.tryFinish()
  }

  private takePgid(): void {
    const nl = this.out.indexOf(0x0a)
    if (nl < 0) return
    const line = this.out.subarray(0, nl).toString()
    const g = Number(line)
    if (Number.isInteger(g) && g > 1) this.pgid = g
    // not our shell's answer (su to a nologin user: its shell's refusal): kept for closedResult
    if (!/^\d*$/.test(line)) this.firstLine = this.out.subarray(0, nl + 1)
    this.out = this.out.subarray(nl + 1)
    this.pgidLine = false
  }

  /** Both markers in: hand the bytes before them to the waiting script, keep what follows. */
  private tryFinish(): void {
    if (!this.pending || this.pgidLine) return
    const i = this.out.indexOf(this.outMarker, this.outScan)
    const j = this.err.indexOf(this.errMarker, this.errScan)
    // a marker may be split across chunks: search again from just before the end
    if (i < 0) this.outScan = Math.max(0, this.out.length - this.outMarker.length)
    if (j < 0) this.errScan = Math.max(0, this.err.length - this.errMarker.length)
    const nl = i < 0 ? -1 : this.out.indexOf(0x0a, i + this.outMarker.length)
    if (nl < 0 || j < 0) return
    const rc = Number(this.out.subarray(i + this.outMarker.length, nl).toString())
    const res = { rc, stdout: this.out.subarray(0, i).toString(), stderr: this.err.subarray(0, j).toString() }
    this.out = this.out.subarray(nl + 1)
    this.err = this.err.subarray(j + this.errMarker.length)
    this.outScan = 0
    this.errScan = 0
    const p = this.pending
    this.pending = undefined
    p.resolve(res)
  }

  private closedResult(): ExecResult {
    const out = this.firstLine ? Buffer.concat([this.firstLine, this.out]) : this.out
    return { rc: this.exitCode ?? 255, stdout: out.toString(), stderr: this.err.toString() }
  }

  private onClose(): void {
    this.closed = true
    const p = this.pending
    this.pending = undefined
    p?.reject(new SessionClosed(this.closedResult()))
  }

  close(): void {
    if (!this.closed) this.stream.end()
  }
}
