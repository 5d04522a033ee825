/**
 * The SSH password from the command line: `-k` / `--ask-pass` asks for it (on the terminal; a line of
 * stdin when piped), `--connection-password-file` reads it (an executable file is run and its output
 * taken, as Ansible's password files are). A host's ansible_password wins over either.
 */
import { execFileSync } from 'node:child_process'
import { accessSync, constants, readFileSync } from 'node:fs'
import { optionError } from '../errors.js'
import { askPassword } from '../vault/prompt.js'

export async function connectionPassword(f: Record<string, unknown>): Promise<string | undefined> {
  const file = f.connectionPasswordFile as string | undefined
  if (file !== undefined) return passwordFromFile(file)
  if (f.askPass) return (await askPassword('SSH password: ')) ?? ''
  return undefined
}

function passwordFromFile(file: string): string {
  try {
    if (isExecutable(file)) return execFileSync(file, { encoding: 'utf8', stdio: ['inherit', 'pipe', 'inherit'] }).replace(/\r?\n$/, '')
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '')
  } catch (e) {
    throw optionError(`--connection-password-file ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
  }
}

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}
