/**
 * Everything a run needs, as the CLI (or a TypeScript caller) hands it over. The CLI fills inventory,
 * forks, user, privateKey and become* from the environment and ansible.cfg where no option gives
 * them (engine/cli/run-command.ts toOptions); a TypeScript caller's values are taken as given.
 */
import type { Reporter } from '../report/types.js'
import type { Vault } from '../vault/vault.js'
import type { Slice } from '../inventory/slice.js'
import type { Connection } from '../connection/types.js'

/** hosts worked on at once (-f); see bench/README.md (fleet) for how it was chosen */
export const DEFAULT_FORKS = 10

export interface RunOptions {
  playbook: string
  /** each module result carries its return values (HostResult.data): acplay adhoc prints them */
  moduleResults?: boolean
  /** the command line's host pattern (acplay adhoc's), checked before the run as `ansible` checks it; a playbook's is all */
  hostPattern?: string
  inventory: string[]
  check?: boolean
  diff?: boolean
  limit?: string
  tags?: string[]
  skipTags?: string[]
  /** already parsed -e values, later ones win */
  extraVars?: Record<string, unknown>
  forks?: number
  user?: string
  /** -c / ANSIBLE_TRANSPORT / ansible.cfg transport: the connection of hosts that set no ansible_connection (ssh, smart, local) */
  connection?: string
  /** builds a host's connection from its variables in place of connections.ts (the engine bench's replay, bench/engine.ts) */
  connectionFor?: (name: string, hostVars: Record<string, unknown>, opts: RunOptions) => Connection
  privateKey?: string
  /** -k / --connection-password-file: the SSH password where a host sets no ansible_password (a secret: masked) */
  connectionPassword?: string
  become?: boolean
  becomeUser?: string
  /** -K / --become-password-file: the become password where a host sets none (a secret: masked) */
  becomePassword?: string
  /** the default become method (ansible.cfg become_method): sudo or su */
  becomeMethod?: string
  /** become_flags and become_exe by method from ANSIBLE_BECOME_FLAGS / _EXE, ANSIBLE_SUDO_* / ANSIBLE_SU_*, ansible.cfg (below the variables and keywords) */
  becomeConfig?: { sudo: BecomeConfig; su: BecomeConfig }
  verbosity?: number
  startAtTask?: string
  /** host_key_checking = False */
  hostKeyChecking?: boolean
  /** -T/--timeout: seconds to wait for a connection (default 10; ansible_timeout per host wins) */
  timeout?: number
  /** --ssh-common-args, --ssh-extra-args: the -o options acplay understands (engine/connection/settings.ts) */
  sshArgs?: string[]
  /** --step: confirm each task before it runs */
  step?: boolean
  /** -M/--module-path: module directories before ANSIBLE_LIBRARY's (engine/library/sources.ts) */
  modulePath?: string[]
  reporters?: Reporter[]
  /** --lock: one run at a time per host; wait this many seconds for another run to finish */
  lock?: number
  /** aborting it interrupts the run (its reason, e.g. 'SIGINT', is reported): running commands are stopped, nothing new starts */
  signal?: AbortSignal
  /** vault secrets for encrypted files and `!vault` values; every decrypted value is masked in output */
  vault?: Vault
  /** --flush-cache: the fact cache of every inventory host is cleared before the run */
  flushCache?: boolean
  /** --force-handlers: notified handlers run even on hosts that failed (a play's force_handlers wins) */
  forceHandlers?: boolean
  /** --slice K/N: only part K of N of the inventory's hosts (engine/inventory/slice.ts) */
  slice?: Slice
}

/** A become method's flags and exe as configured (strings as given; engine/connection/become.ts reads them). */
export interface BecomeConfig {
  flags?: string
  exe?: string
}
