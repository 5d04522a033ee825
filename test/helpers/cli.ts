/** Runs the built `acplay` binary as a user would, capturing output and exit code. */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const BIN = `${ROOT}bin/acplay`

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command, capturing its output (stdin: `input`, else none); never rejects on a non-zero exit. */
export function capture(cmd: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const stdin: 'ignore' | 'pipe' = opts.input === undefined ? 'ignore' : 'pipe'
    const child = spawn(cmd[0]!, cmd.slice(1), { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: [stdin, 'pipe', 'pipe'] })
    if (opts.input !== undefined) child.stdin!.end(opts.input)
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d: Buffer) => (stdout += d))
    child.stderr!.on('data', (d: Buffer) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }))
  })
}

export const acplay = (args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}) =>
  capture([process.execPath, BIN, ...args], opts)

/** The PLAY RECAP line of one host. */
export function recapLine(out: string, host: string): string | undefined {
  const recap = out.slice(out.lastIndexOf('PLAY RECAP'))
  return recap
    .split('\n')
    .find((l) => l.startsWith(`${host} `))
    ?.trimEnd()
}

export const expectedRecap = (host: string, c: Partial<Record<'ok' | 'changed' | 'unreachable' | 'failed' | 'skipped' | 'rescued' | 'ignored', number>>) =>
  `${host.padEnd(26)} : ${(['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const).map((k) => `${k}=${String(c[k] ?? 0).padEnd(4)}`).join(' ')}`.trimEnd()
