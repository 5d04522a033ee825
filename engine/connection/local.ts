import { type ChildProcess, spawn } from 'node:child_process'
import { userInfo } from 'node:os'
import { becomeError, interruptedError, timeoutError } from '../errors.js'
import { becomeFor, becomeStdin, checkBecome, shellArgv, streamArgv } from './become.js'
import { awaitLock, lockScript } from './run-lock.js'
import { sendStream } from './stream-exec.js'
import type { Connection, ExecOptions, ExecResult } from './types.js'

/**
 * `ansible_connection=local`: scripts run on the control machine. Each script is a process group of
 * its own, so a time limit or an interrupt stops it and what it started (SIGHUP to the group).
 */
export class LocalConnection implements Connection {
  execCount = 0
  readonly connectCount = 0
  private running = new Set<ChildProcess>()
  private interrupted?: string
  private locking?: Promise<ChildProcess>
  /** where scripts run: Ansible runs a local task's commands in the play's basedir (set per task, module-env.ts), not its own */
  cwd?: string

  /** become to this user (the controller's, Ansible's local login user) is skipped: becomeFor in become.ts */
  private readonly becomeSkippedFor?: string

  /**
   * `lockWaitS`: --lock, the host's run lock (run-lock.ts) held from the first script to close();
   * `allowSameUser`: become_allow_same_user (sudo even to the controller's own user)
   */
  constructor(
    readonly host: string,
    private readonly lockWaitS?: number,
    allowSameUser = false,
  ) {
    this.becomeSkippedFor = allowSameUser ? undefined : userInfo().username
  }

  private lock(): Promise<ChildProcess | undefined> {
    if (this.lockWaitS === undefined) return Promise.resolve(undefined)
    this.locking ??= (async () => {
      const child = spawn('/bin/sh', ['-c', lockScript(this.lockWaitS!)], { stdio: ['pipe', 'pipe', 'pipe'] })
      const done = new Promise((r) => child.on('close', r))
      await awaitLock(this.host, child.stdout!, child.stderr!, done, child.stdin!) // refused once, refused for the run
      return child
    })()
    return this.locking
  }

  async exec(script: string, given: ExecOptions = {}): Promise<ExecResult> {
    const opts = { ...given, become: becomeFor(given.become, this.becomeSkippedFor) }
    if (this.interrupted) throw interruptedError(`interrupted (${this.interrupted})`, { host: this.host })
    await this.lock()
    this.execCount++
    const [cmd, ...args] = opts.input ? streamArgv(script, opts.become) : shellArgv(opts.become)
    const child = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true, cwd: this.cwd })
    this.running.add(child)
    let timedOut = false
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true
          hangUp(child)
        }, opts.timeoutMs)
      : undefined
    const done = new Promise<number | null>((resolve, reject) => {
      child.on('error', (e: NodeJS.ErrnoException) =>
        // become on the local connection runs sudo (or become_exe) here: its absence is a become failure, not a raw ENOENT
        reject(e.code === 'ENOENT' ? becomeError(`become needs ${cmd} on this machine (local connection), and ${cmd} was not found`, { host: this.host }) : e),
      )
      child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
    })
    try {
      const res = await sendStream(
        { stdin: child.stdin!, stdout: child.stdout!, stderr: child.stderr!, done },
        becomeStdin(opts.become) + (opts.input ? script : ''),
        opts.input ?? (() => once(script)),
      )
      if (this.interrupted) throw interruptedError(`interrupted (${this.interrupted})`, { host: this.host })
      if (timedOut)
        throw timeoutError(`the command did not finish within ${opts.limitS ?? opts.timeoutMs! / 1000} s (timeout); it was stopped`, { host: this.host })
      const out = { rc: res.rc ?? 1, stdout: res.stdout, stderr: res.stderr }
      checkBecome(out, opts.become, this.host)
      return out
    } finally {
      clearTimeout(timer)
      this.running.delete(child)
    }
  }

  async interrupt(reason: string): Promise<boolean> {
    this.interrupted = reason
    for (const c of this.running) hangUp(c)
    return this.running.size > 0
  }

  async close(): Promise<void> {
    const holder = await this.locking?.catch(() => undefined)
    holder?.stdin?.end()
  }
}

async function* once(script: string): AsyncIterable<Buffer> {
  yield Buffer.from(script)
}

function hangUp(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGHUP')
  } catch {
    // already gone
  }
}
