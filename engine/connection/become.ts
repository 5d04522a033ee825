import { becomeError } from '../errors.js'
import type { Become, ExecResult } from './types.js'

/** The argv that starts /bin/sh, as the connecting user or through `sudo -n` (no pty, no password prompt). */
export function shellArgv(become?: Become): string[] {
  if (!become) return ['/bin/sh', '-s']
  return ['sudo', '-n', '-H', '-u', become.user, '--', '/bin/sh', '-s']
}

/** sudo refusing (password wanted, user not in sudoers) becomes a clear E_BECOME error. */
export function checkBecome(res: ExecResult, become: Become | undefined, host: string): void {
  if (!become || res.rc === 0) return
  if (/^sudo: (a password is required|a terminal is required)/m.test(res.stderr)) {
    throw becomeError(`sudo on ${host} wants a password; acplay's become needs passwordless sudo (sudo -n) for user ${become.user}`, { host })
  }
  if (/^sudo: .*(is not in the sudoers file|not allowed to execute|unknown user)/m.test(res.stderr)) {
    throw becomeError(`become to ${become.user} refused on ${host}: ${res.stderr.trim().split('\n')[0]}`, { host })
  }
}
