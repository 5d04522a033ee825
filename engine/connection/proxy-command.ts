/**
 * ProxyCommand: run as OpenSSH runs it (`/bin/sh -c 'exec COMMAND'`), its stdin and stdout the
 * connection's socket. %h %p %r %n are expanded shell-quoted (quote.ts), so a host value cannot
 * reach the shell as code. Its stderr is kept for the unreachable message; it is killed by PID
 * (SIGHUP, as ssh does) when the connection closes.
 */
import { spawn } from 'node:child_process'
import { Duplex } from 'node:stream'
import { quote } from './quote.js'

export interface ProxyValues {
  /** %h: the host to connect to (after HostName) */
  host: string
  /** %p */
  port: number
  /** %r: the login user */
  user: string
  /** %n: the host as given to ssh (ansible_host, else the inventory name) */
  original: string
}

/** The command with its %-tokens replaced by shell-quoted values; an unknown token is an error, as in ssh. */
export function expandProxyCommand(command: string, v: ProxyValues): string {
  return command.replace(/%(.?)/g, (_, c: string) => {
    switch (c) {
      case '%':
        return '%'
      case 'h':
        return quote(v.host)
      case 'p':
        return String(v.port)
      case 'r':
        return quote(v.user)
      case 'n':
        return quote(v.original)
      default:
        throw new Error(`ProxyCommand '${command}': unknown token %${c} (acplay expands %h %p %r %n %%)`)
    }
  })
}

export interface ProxyProcess {
  sock: Duplex
  /** why the command went away, for the unreachable message: its exit status and the end of its stderr (waits briefly for its exit) */
  failure(): Promise<{ text: string; ended: boolean } | undefined>
  kill(): void
}

const STDERR_KEEP = 2000
/** a command that closed its output is given this long to exit, for its status in the message */
const EXIT_WAIT_MS = 300

export function startProxyCommand(command: string): ProxyProcess {
  const child = spawn('/bin/sh', ['-c', `exec ${command}`], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  let exit: string | undefined
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()))
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-STDERR_KEEP)
  })
  child.on('error', (e) => {
    exit = e.message
  })
  child.on('exit', (code, signal) => {
    exit = signal ? `killed by ${signal}` : `exited with status ${code}`
  })
  const sock = Duplex.from({ readable: child.stdout, writable: child.stdin })
  // ssh2 writes after the command is gone (EPIPE): that is the failure reported, not an unhandled error
  sock.on('error', () => {})
  child.stdin.on('error', () => {})
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(child.pid, 'SIGHUP')
      } catch {
        // gone already
      }
    }
  }
  return {
    sock,
    failure: async () => {
      await Promise.race([exited, new Promise((r) => setTimeout(r, EXIT_WAIT_MS).unref())])
      if (exit === undefined && !stderr.trim()) return undefined
      const text = `ProxyCommand '${command}' ${exit ?? 'closed its output'}${stderr.trim() ? `: ${stderr.trim()}` : ''}`
      return { text, ended: exit !== undefined }
    },
    kill,
  }
}
