import type { HostKeyPolicy } from './known-hosts.js'
/** What a connection can do: run a shell script on the host, one round trip per call. */
export interface ExecResult {
  rc: number
  stdout: string
  stderr: string
}

/** How a become user is reached (become_method): sudo (the default) or su. */
export type BecomeMethod = 'sudo' | 'su'

export interface Become {
  user: string
  /** the become password (ansible_become_password, -K): sudo asks for it through askpass, su reads it at its prompt (become.ts) */
  password?: string
  /** unset: sudo */
  method?: BecomeMethod
  /** become_flags as split and adjusted by become.ts becomeFlags; unset: sudo's -H, none for su */
  flags?: readonly string[]
  /** become_exe as split by become.ts becomeExe: run instead of `sudo` or `su`; unset: the method's name (from the PATH) */
  exe?: readonly string[]
}

export interface ExecOptions {
  /** Run the script as another user: `sudo -n -u USER`, or `su USER -c` (become.ts). */
  become?: Become
  /**
   * The script's time limit (the task keyword `timeout`): past it the remote commands are stopped
   * (SIGHUP to their process group) and exec rejects with E_TIMEOUT.
   */
  timeoutMs?: number
  /** the limit an expired command is reported against (the task's `timeout`, in s); timeoutMs is what is left of it */
  limitS?: number
  /**
   * Bytes for the script's stdin after the script itself (large uploads), streamed as the link
   * takes them; the script reads them (head -c). Runs on its own channel, not the persistent shell.
   */
  input?: () => AsyncIterable<Buffer>
}

/** Where an ssh connection goes, for controller-side tools that reach the host themselves (rsync). */
export interface SshTarget {
  address: string
  port: number
  user: string
  privateKeyFile?: string
  /** true or 'yes': known keys only; 'accept-new': unknown keys are recorded, changed ones refused; false or 'no': no checking */
  hostKeyChecking: boolean | HostKeyPolicy
  knownHostsFile?: string
}

export interface Connection {
  readonly host: string
  /** set by ssh connections: the same target, credentials and host key checking for rsync */
  readonly sshTarget?: SshTarget
  /** Runs `script` with /bin/sh on the host (the script travels on stdin, so size is not limited by argv). */
  exec(script: string, opts?: ExecOptions): Promise<ExecResult>
  /** How many round trips this connection has made (for tests and the benchmark). */
  readonly execCount: number
  /** How many transport connections were opened (ssh: must stay 1 per run). */
  readonly connectCount: number
  /**
   * The run is interrupted: stop the scripts running now (and what they started), refuse new ones
   * (exec rejects with E_INTERRUPTED). Resolves true when something was running.
   */
  interrupt?(reason: string): Promise<boolean>
  close(): Promise<void>
}
