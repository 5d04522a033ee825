/** Small process helpers for the testbed: argv arrays only, never a shell string built from values. */
import { execFile, execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

export interface RunResult {
  rc: number
  stdout: string
  stderr: string
}

/** Runs argv, resolves with rc/stdout/stderr (never rejects on a non-zero exit). */
export function run(argv: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    let timer: NodeJS.Timeout | undefined
    if (opts.timeoutMs) timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs)
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    child.stdin.on('error', () => {}) // the command may exit before reading its input
    child.on('error', (e) => {
      if (timer) clearTimeout(timer)
      resolve({ rc: 127, stdout: '', stderr: e.message })
    })
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      resolve({ rc: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() })
    })
    child.stdin.end(opts.input ?? '')
  })
}

/** Runs argv and throws with its stderr when it fails. */
export async function must(argv: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await run(argv, opts)
  if (r.rc !== 0) throw new Error(`${argv.join(' ')} failed (rc ${r.rc}): ${r.stderr.trim()}`)
  return r.stdout
}

/** Synchronous variant for exit hooks (process 'exit' cannot await). Returns false on failure. */
export function runSync(argv: readonly string[]): boolean {
  try {
    execFileSync(argv[0]!, argv.slice(1), { stdio: 'ignore', timeout: 15_000 })
    return true
  } catch {
    return false
  }
}

export function execFileText(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile(file, args, (e, stdout) => (e ? reject(e) : resolve(stdout))))
}

/** A zombie counts as dead: when our exit hook blocks the event loop, node cannot reap its children. */
export function pidAlive(pid: number | undefined): boolean {
  if (!pid) return false
  try {
    process.kill(pid, 0)
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

const sab = new Int32Array(new SharedArrayBuffer(4))
export function sleepSync(ms: number): void {
  Atomics.wait(sab, 0, 0, ms)
}
