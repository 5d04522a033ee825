import { becomeError } from '../errors.js'
import { shellJoin } from './quote.js'
import { shlexSplit } from './shlex.js'
import type { Become, BecomeMethod, ExecResult } from './types.js'

/**
 * Ansible's rule (ActionBase._low_level_execute_command): become is skipped when the become user is
 * the login user (root to root: no sudo needed, and none may be installed yet), unless
 * become_allow_same_user. `sameUser` is the login user as that rule knows it: unset when no
 * remote_user is given (Ansible then becomes) or when become_allow_same_user is on.
 */
export function becomeFor(become: Become | undefined, sameUser: string | undefined): Become | undefined {
  return become && sameUser !== undefined && become.user === sameUser ? undefined : become
}

/** The variable that carries the become password from the first line of stdin to sudo's askpass or su's prompt. */
const PASSWORD_VAR = 'ACPLAY_BECOME_PASS'

/**
 * A session key for a become: one persistent shell per method and user ('' = the login user), and
 * per become_flags and become_exe when given (two flag sets never share a shell).
 */
export function becomeKey(become?: Become): string {
  if (!become) return ''
  const key = `${become.method ?? 'sudo'}:${become.user}`
  return become.flags || become.exe ? `${key}\0${JSON.stringify([become.flags ?? null, become.exe ?? null])}` : key
}

/** sudo's short options that take a value, the rest of the word or the next one (sudo(8); -h's value is optional and attached). */
const SUDO_VALUE = new Set('aCcDgpRrTtUu')
const SUDO_LONG_VALUE = new Set([
  '--auth-type',
  '--chdir',
  '--chroot',
  '--close-from',
  '--command-timeout',
  '--group',
  '--login-class',
  '--other-user',
  '--prompt',
  '--role',
  '--type',
  '--user',
])

/**
 * become_flags as acplay passes them: split as Python's shlex.split (Ansible's sudo splits them too;
 * su's are written into its command line, which splits the same), each word quoted when run.
 * For sudo the flags replace its default `-H -S -n`, as in Ansible, less what would fight acplay's
 * own way past the prompt (`-n` without a password, `-A` with askpass with one): `-S`, `-n`,
 * `--stdin`, `--non-interactive` are dropped, also from a bundle (`-Sn` goes, `-nH` is `-H`);
 * a value (`-u x`, `-px`, `--prompt x`) is left as written. su's flags are passed as given.
 * Throws (a plain Error) on an unbalanced quote.
 */
export function becomeFlags(method: BecomeMethod, given: string): string[] {
  const words = shlexSplit(given)
  if (method === 'su') return words
  const out: string[] = []
  let value = false
  for (const w of words) {
    if (value || !w.startsWith('-') || w === '-') {
      out.push(w)
      value = false
    } else if (w.startsWith('--')) {
      if (w !== '--stdin' && w !== '--non-interactive') out.push(w)
      value = SUDO_LONG_VALUE.has(w)
    } else {
      let kept = '-'
      for (let i = 1; i < w.length; i++) {
        const c = w[i]!
        if (SUDO_VALUE.has(c) || c === 'h') {
          kept += w.slice(i)
          value = c !== 'h' && i === w.length - 1
          break
        }
        if (c !== 'S' && c !== 'n') kept += c
      }
      if (kept !== '-') out.push(kept)
    }
  }
  return out
}

/** become_exe as run: split as shlex.split (Ansible writes it into the command line as given); undefined for '' (the method's own name, as there). */
export function becomeExe(given: string): string[] | undefined {
  const words = shlexSplit(given)
  return words.length ? words : undefined
}

/**
 * `argv` run as the become user.
 *
 * sudo: `sudo -n -H -u USER -- ARGV` (no pty, no password prompt; become_flags in place of -H, become_exe
 * in place of sudo: becomeFlags, becomeExe). With a password: a shell reads it
 * from the first line of stdin (becomeStdin), whether or not sudo will want it, so it can never be
 * read as a command; sudo -A asks `printenv` for it only when the policy wants a password (askpass is
 * given the prompt, here the variable's name). It never reaches argv.
 *
 * su (Ansible's su plugin: `su FLAGS USER -c 'CMD'`, USER's login shell runs CMD, or the shell
 * given by `-s`): su reads its password
 * from stdin when that is no terminal (Linux-PAM's conversation; util-linux su on Debian 12 needs
 * no pty, measured), so su's stdin is a pipe that carries the password's line and then ends, and
 * the command reads the channel's stdin through fd 3. su can never take a script for its password,
 * nor wait for one: with no password given its stdin is /dev/null (a refusal, not a hang). The
 * password is a shell variable of the wrapper (not exported), printed by the builtin printf: never
 * in argv nor in an environment. As root su asks for nothing and the pipe goes unread.
 */
export function becomeArgv(become: Become | undefined, argv: string[]): string[] {
  if (!become) return argv
  if (become.method === 'su') {
    const su = become.flags || become.exe ? shellJoin([...(become.exe ?? ['su']), ...(become.flags ?? [])]) : 'su'
    const cmd = `${shellJoin(argv)} <&3 3<&-`
    const wrapper =
      become.password === undefined
        ? `exec 3<&0 </dev/null; exec ${su} "$0" -c "$1"`
        : `IFS= read -r ${PASSWORD_VAR} || exit 1; exec 3<&0; printf '%s\\n' "$${PASSWORD_VAR}" | ${su} "$0" -c "$1"`
    return ['/bin/sh', '-c', wrapper, become.user, cmd]
  }
  const sudo = become.exe ?? ['sudo']
  const flags = become.flags ?? ['-H']
  if (become.password === undefined) return [...sudo, '-n', ...flags, '-u', become.user, '--', ...argv]
  const wrapper = `IFS= read -r ${PASSWORD_VAR} || exit 1; export ${PASSWORD_VAR}; SUDO_ASKPASS=/usr/bin/printenv exec ${shellJoin([...sudo, ...flags])} -A -p ${PASSWORD_VAR} -u "$0" -- "$@"`
  return ['/bin/sh', '-c', wrapper, become.user, ...argv]
}

/** What a command started with becomeArgv reads first from its stdin: the password's line, or nothing. */
export function becomeStdin(become?: Become): string {
  return become?.password === undefined ? '' : `${become.password}\n`
}

/** The argv that starts /bin/sh, as the connecting user or through sudo / su (no pty). */
export function shellArgv(become?: Become): string[] {
  return becomeArgv(become, ['/bin/sh', '-s'])
}

/**
 * The argv of a script whose stdin carries a stream after it: the shell reads exactly the script's
 * bytes (GNU head -c reads no further), runs it, and the script reads the rest itself. The stream
 * can never be taken for commands: what the script leaves unread is discarded with the channel.
 */
export function streamArgv(script: string, become?: Become): string[] {
  return becomeArgv(become, ['/bin/sh', '-c', `eval "$(head -c ${Buffer.byteLength(script)})"`])
}

/** A command run as the become user (stopping a script: kill as the user that runs it). */
export function asUser(become: Become | undefined, script: string): string[] {
  return becomeArgv(become, ['/bin/sh', '-c', script])
}

/** sudo or su refusing (password wanted or wrong, user not in sudoers, no such user) becomes a clear E_BECOME error. */
export function checkBecome(res: ExecResult, become: Become | undefined, host: string): void {
  if (!become || res.rc === 0) return
  if (become.method === 'su') {
    checkSu(res, become, host)
    return
  }
  if (/^sudo: (a password is required|a terminal is required)/m.test(res.stderr)) {
    throw becomeError(`sudo on ${host} wants a password; acplay's become needs passwordless sudo (sudo -n) for user ${become.user}`, { host })
  }
  // no sudo on the host: the login shell that was to start it says so (the password's wrapper
  // execs sudo itself), not the task's command (Ansible: a module failure, nothing changed)
  const sudo = become.exe?.[0] ?? 'sudo'
  if (notFound(res, sudo) && (res.rc === 127 || become.password !== undefined)) {
    throw becomeError(`become needs ${sudo} on ${host}, and ${sudo} was not found`, { host })
  }
  if (/^sudo: \d+ incorrect password attempts?/m.test(res.stderr)) {
    throw becomeError(`sudo on ${host} refused the become password for user ${become.user}`, { host })
  }
  if (/^sudo: .*(is not in the sudoers file|not allowed to execute|unknown user)/m.test(res.stderr)) {
    throw becomeError(`become to ${become.user} refused on ${host}: ${res.stderr.trim().split('\n')[0]}`, { host })
  }
}

/**
 * su's refusals. Ansible's su fails the task the same ways: "Incorrect su password", a timeout
 * waiting for the prompt with no password, MODULE FAILURE with the nologin shell's message.
 */
function checkSu(res: ExecResult, become: Become, host: string): void {
  const user = become.user
  if (/^(Password: ?)*su: Authentication failure$/m.test(res.stderr)) {
    throw becomeError(
      become.password === undefined
        ? `su on ${host} wants a password for user ${user}; give it with ansible_become_password or -K (--ask-become-pass)`
        : `su on ${host} refused the become password for user ${user}`,
      { host },
    )
  }
  const su = become.exe?.[0] ?? 'su'
  if (notFound(res, su) && res.rc === 127) {
    throw becomeError(`become_method su needs ${su} on ${host}, and ${su} was not found`, { host })
  }
  if (/^su: (user \S+ does not exist|.*(not permitted|denied))/m.test(res.stderr)) {
    throw becomeError(`become to ${user} refused on ${host}: ${res.stderr.trim().split('\n')[0]}`, { host })
  }
  // su runs the command with the user's login shell: nologin (system users) runs none
  // (the shell's exit status may trail its channel's close: 1, or 255 for unknown, ssh.ts)
  if (/^This account is currently not available\.\s*$/.test(res.stdout) && /^(remote shell exited.*\n?)?$/.test(res.stderr)) {
    throw becomeError(
      `su to ${user} on ${host}: the user's login shell runs no commands (This account is currently not available.); su runs the command with it, as in Ansible`,
      { host },
    )
  }
}

/** The shell that was to start `program` (sudo, su or become_exe's) says there is no such program. */
function notFound(res: ExecResult, program: string): boolean {
  const name = program.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^(\\S+: )?(line \\d+: |\\d+: |exec: )*${name}: ((command )?not found|No such file or directory)$`, 'm').test(res.stderr)
}
