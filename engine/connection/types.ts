/** What a connection can do: run a shell script on the host, one round trip per call. */
export interface ExecResult {
  rc: number
  stdout: string
  stderr: string
}

export interface Become {
  user: string
}

export interface ExecOptions {
  /** Run the script through `sudo -n -u USER`. */
  become?: Become
}

/** Where an ssh connection goes, for controller-side tools that reach the host themselves (rsync). */
export interface SshTarget {
  address: string
  port: number
  user: string
  privateKeyFile?: string
  /** false turns host key checking off (host_key_checking = False) */
  hostKeyChecking: boolean
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
  close(): Promise<void>
}
