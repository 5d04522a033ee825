/**
 * Passwords from the command line, as ansible-playbook takes them: the SSH password (`-k` /
 * `--ask-pass`, `--connection-password-file`) and the become password (`-K` / `--ask-become-pass`,
 * `--become-password-file`). Asked on the terminal (a line of stdin when piped); a password file
 * that is executable is run and its output taken. A host's own variables win over either.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { optionError } from '../errors.js'
import { askPassword } from '../vault/prompt.js'
import { isExecutable } from '../vault/secrets.js'

export async function cliPasswords(f: Record<string, unknown>): Promise<{ connectionPassword?: string; becomePassword?: string }> {
  const connectionPassword = await given(f.connectionPasswordFile, '--connection-password-file', f.askPass, 'SSH password: ')
  const becomePassword = await given(f.becomePasswordFile, '--become-password-file', f.askBecomePass, 'BECOME password: ')
  return { ...(connectionPassword === undefined ? {} : { connectionPassword }), ...(becomePassword === undefined ? {} : { becomePassword }) }
}

async function given(file: unknown, flag: string, ask: unknown, question: string): Promise<string | undefined> {
  if (typeof file === 'string') return passwordFromFile(file, flag)
  if (ask) return (await askPassword(question)) ?? ''
  return undefined
}

function passwordFromFile(file: string, flag: string): string {
  try {
    if (isExecutable(file)) return execFileSync(file, { encoding: 'utf8', stdio: ['inherit', 'pipe', 'inherit'] }).replace(/\r?\n$/, '')
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '')
  } catch (e) {
    throw optionError(`${flag} ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
  }
}
