import { spawn } from 'node:child_process'
import { checkBecome, shellArgv } from './become.js'
import type { Connection, ExecOptions, ExecResult } from './types.js'

/** `ansible_connection=local`: scripts run on the control machine. */
export class LocalConnection implements Connection {
  execCount = 0
  readonly connectCount = 0
  constructor(readonly host: string) {}

  exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.execCount++
    const [cmd, ...args] = shellArgv(opts.become)
    return new Promise((resolve, reject) => {
      const child = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'pipe'] })
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout.on('data', (d: Buffer) => out.push(d))
      child.stderr.on('data', (d: Buffer) => err.push(d))
      child.on('error', reject)
      child.on('close', (code, signal) => {
        const res = { rc: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }
        try {
          checkBecome(res, opts.become, this.host)
          resolve(res)
        } catch (e) {
          reject(e)
        }
      })
      child.stdin.on('error', () => {}) // the script may exit before reading all of stdin
      child.stdin.end(script)
    })
  }

  async close(): Promise<void> {}
}
