import { becomeError } from '../errors.js'
import type { Become, ExecResult } from './types.js'

/**
 * Ansible's rule (ActionBase._low_level_execute_command): become is skipped when the become user is
 * the login user (root to root: no sudo needed, and none may be installed yet), unless
 * become_allow_same_user. `sameUser` is the login user as that rule knows it: unset when no
 * remote_user is given (Ansible then becomes) or when become_allow_same_user is on.
 */
export function becomeFor(become: Become | undefined, sameUser: string | undefined): Become | undefined {
  return become && sameUser !== undefined && become.user === sameUser ? undefined : become
}

/** The variable that carries the become password from the first line of stdin to sudo's askpass. */
const PASSWORD_VAR = 'ACPLAY_BECOME_PASS'

/**
 * `sudo -n -H -u USER --` before a command, or nothing (no pty, no password prompt). With a
 * password: a shell reads it from the first line of stdin (becomeStdin), whether or not sudo will
 * want it, so it can never be read as a command; sudo -A asks `printenv` for it only when the policy
 * wants a password (askpass is given the prompt, here the variable's name). It never reaches argv.
 */
function becomePrefix(become?: Become): string[] {
  if (!become) return []
  if (become.password === undefined) return ['sudo', '-n', '-H', '-u', become.user, '--']
  const wrapper = `IFS= read -r ${PASSWORD_VAR} || exit 1; export ${PASSWORD_VAR}; SUDO_ASKPASS=/usr/bin/printenv exec sudo -A -p ${PASSWORD_VAR} -H -u "$0" -- "$@"`
  return ['/bin/sh', '-c', wrapper, become.user]
}

/** What a command started with becomePrefix reads first from its stdin: the password's line, or nothing. */
export function becomeStdin(become?: Become): string {
  return become?.password === undefined ? '' : `${become.password}\n`
}

/** The argv that starts /bin/sh, as the connecting user or through `sudo -n` (no pty, no password prompt). */
export function shellArgv(become?: Become): string[] {
  return [...becomePrefix(become), '/bin/sh', '-s']
}

/**
 * The argv of a script whose stdin carries a stream after it: the shell reads exactly the script's
 * bytes (GNU head -c reads no further), runs it, and the script reads the rest itself. The stream
 * can never be taken for commands: what the script leaves unread is discarded with the channel.
 */
export function streamArgv(script: string, become?: Become): string[] {
  return [...becomePrefix(become), '/bin/sh', '-c', `eval "$(head -c ${Buffer.byteLength(script)})"`]
}

/** A command run as the become user (stopping a script: kill as the user that runs it). */
export function asUser(become: Become | undefined, script: string): string[] {
  return [...becomePrefix(become), '/bin/sh', '-c', script]
}

/** sudo refusing (password wanted, user not in sudoers) becomes a clear E_BECOME error. */
export function checkBecome(res: ExecResult, become: Become | undefined, host: string): void {
  if (!become || res.rc === 0) return
  if (/^sudo: (a password is required|a terminal is required)/m.test(res.stderr)) {
    throw becomeError(`sudo on ${host} wants a password; acplay's become needs passwordless sudo (sudo -n) for user ${become.user}`, { host })
  }
  // no sudo on the host: the login shell that was to start it says so (the password's wrapper
  // execs sudo itself), not the task's command (Ansible: a module failure, nothing changed)
  if (/^(\S+: )?(line \d+: |\d+: |exec: )*sudo: (command )?not found$/m.test(res.stderr) && (res.rc === 127 || become.password !== undefined)) {
    throw becomeError(`become needs sudo on ${host}, and sudo was not found`, { host })
  }
  if (/^sudo: \d+ incorrect password attempts?/m.test(res.stderr)) {
    throw becomeError(`sudo on ${host} refused the become password for user ${become.user}`, { host })
  }
  if (/^sudo: .*(is not in the sudoers file|not allowed to execute|unknown user)/m.test(res.stderr)) {
    throw becomeError(`become to ${become.user} refused on ${host}: ${res.stderr.trim().split('\n')[0]}`, { host })
  }
}
