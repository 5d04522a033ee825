/**
 * Where vault passwords come from, in Ansible's order (lib/ansible/cli/__init__.py
 * setup_vault_secrets): vault_identity_list, then each --vault-id, then each
 * --vault-password-file and the configured vault_password_file (labelled `default`), then
 * --ask-vault-pass. A source is `[label@]prompt`, or a file: an executable is run for the
 * password (one named *-client gets `--vault-id label`), any other file is read (and may itself
 * be vault-encrypted with a secret given before it).
 */
import { spawn } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { basename, extname, resolve } from 'node:path'
import { AcplayError } from '../errors.js'
import { DEFAULT_VAULT_ID, isVaulted } from './envelope.js'
import { askPassword } from './prompt.js'
import { Vault, vaultError, type VaultSecret } from './vault.js'

export interface VaultSecretOptions {
  /** `vault_identity_list` (ANSIBLE_VAULT_IDENTITY_LIST or ansible.cfg), tried before the command line's */
  identityList?: string[]
  /** --vault-id, in order: `label@source` or `source` */
  vaultIds?: string[]
  /** --vault-password-file, in order */
  passwordFiles?: string[]
  /** `vault_password_file` (ANSIBLE_VAULT_PASSWORD_FILE or ansible.cfg) */
  configPasswordFile?: string
  askVaultPass?: boolean
  /** prompts ask for a new password twice (encrypting) */
  newPassword?: boolean
  /** answers prompts (tests); default: the terminal, or stdin lines */
  ask?: (question: string) => Promise<string | undefined>
}

export interface LoadedSecrets {
  secrets: VaultSecret[]
  /** sources that failed while others worked (Ansible warns and goes on) */
  warnings: string[]
}

const PROMPTS = new Set(['prompt', 'prompt_ask_vault_pass'])

/** `label@source` → [label, source]; no `@` → [undefined, source] (only the first `@` splits). */
export function splitVaultId(slug: string): [string | undefined, string] {
  const at = slug.indexOf('@')
  return at < 0 ? [undefined, slug] : [slug.slice(0, at), slug.slice(at + 1)]
}

export async function loadVaultSecrets(o: VaultSecretOptions): Promise<LoadedSecrets> {
  const slugs = [
    ...(o.identityList ?? []),
    ...(o.vaultIds ?? []),
    ...[...(o.passwordFiles ?? []), ...(o.configPasswordFile ? [o.configPasswordFile] : [])].map((f) => `${DEFAULT_VAULT_ID}@${f}`),
    ...(o.askVaultPass ? [`${DEFAULT_VAULT_ID}@prompt_ask_vault_pass`] : []),
  ]
  const secrets: VaultSecret[] = []
  const warnings: string[] = []
  let lastError: AcplayError | undefined
  for (const slug of slugs) {
    if (slug.includes(';')) throw vaultError(`'${slug}' is not a valid vault id: the character ';' is not allowed in vault ids`)
    const [label, source] = splitVaultId(slug)
    if (PROMPTS.has(source)) {
      const id = label || DEFAULT_VAULT_ID
      secrets.push({ id, password: await prompted(id, source === 'prompt_ask_vault_pass', o), source: 'prompt' })
      continue
    }
    try {
      secrets.push({ id: label || DEFAULT_VAULT_ID, password: await fromFile(source, label, secrets), source })
    } catch (e) {
      if (!(e instanceof AcplayError)) throw e
      warnings.push(`Error getting vault password file (${label ?? DEFAULT_VAULT_ID}): ${e.message}`)
      lastError = e
    }
  }
  // one bad source among good ones is a warning; when none worked, its error is the error
  if (lastError && secrets.length === 0) throw lastError
  return { secrets, warnings }
}

async function prompted(id: string, legacy: boolean, o: VaultSecretOptions): Promise<Buffer> {
  const ask = o.ask ?? askPassword
  const questions = o.newPassword
    ? legacy
      ? ['New Vault password: ', 'Confirm New Vault password: ']
      : [`New vault password (${id}): `, `Confirm new vault password (${id}): `]
    : [legacy ? 'Vault password: ' : `Vault password (${id}): `]
  const answers: string[] = []
  for (const q of questions) {
    const a = await ask(q)
    if (a === undefined) throw vaultError(`end of input (ctrl-d) at the vault password prompt (${id})`)
    if (a.trim() === '') throw vaultError('Invalid vault password was provided (empty)')
    answers.push(a.trim())
  }
  if (answers.some((a) => a !== answers[0])) throw vaultError('Passwords do not match')
  return Buffer.from(answers[0]!, 'utf8')
}

const expandHome = (p: string) => (p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p)

/** A password file that is a program to run (an executable regular file), as Ansible tells them apart. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

async function fromFile(source: string, label: string | undefined, earlier: VaultSecret[]): Promise<Buffer> {
  const file = resolve(expandHome(source))
  if (!existsSync(file)) throw vaultError(`The vault password file ${file} was not found`)
  if (isExecutable(file)) {
    const client = basename(file, extname(file)).endsWith('-client')
    const args = client && label ? ['--vault-id', label] : []
    const password = stripNewlines(await runScript(file, args, client ? (label ?? DEFAULT_VAULT_ID) : undefined))
    if (password.length === 0) throw vaultError(`Invalid vault password was provided from script (${file}): it printed nothing`)
    return password
  }
  let data: Buffer
  try {
    data = Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8')
  } catch (e) {
    throw vaultError(`Could not read vault password file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
  if (isVaulted(data)) data = new Vault(earlier).decrypt(data.toString('utf8'), { file })
  const password = stripNewlines(data)
  if (password.length === 0) throw vaultError(`Invalid vault password was provided from file (${file}): it is empty`)
  return password
}

/** Ansible strips only CR and LF from a script's output (a password may end in a space). */
function stripNewlines(b: Buffer): Buffer {
  let start = 0
  let end = b.length
  while (start < end && (b[start] === 10 || b[start] === 13)) start++
  while (end > start && (b[end - 1] === 10 || b[end - 1] === 13)) end--
  return b.subarray(start, end)
}

function runScript(file: string, args: string[], clientId: string | undefined): Promise<Buffer> {
  return new Promise((resolvePw, reject) => {
    // a plain script may talk to the user on stderr; a client script's stderr explains a failure
    const child = spawn(file, args, { stdio: ['inherit', 'pipe', clientId === undefined ? 'inherit' : 'pipe'] })
    const out: Buffer[] = []
    let err = ''
    child.stdout!.on('data', (d: Buffer) => out.push(d))
    child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')))
    child.on('error', (e) =>
      reject(vaultError(`Problem running vault password script ${file} (${e.message}). If this is not a script, remove the executable bit from the file.`)),
    )
    child.on('close', (code, signal) => {
      const why = err.trim() ? `: ${err.trim()}` : ''
      if (code === 0) return resolvePw(Buffer.concat(out))
      if (clientId !== undefined && code === 2)
        return reject(vaultError(`Vault password client script ${file} did not find a secret for vault-id=${clientId}${why}`))
      reject(vaultError(`Vault password script ${file} returned non-zero (${code ?? signal})${why}`))
    })
  })
}

/** The run's Vault from the given sources (warnings printed by the caller). */
export async function openVault(o: VaultSecretOptions & { strictIdMatch?: boolean }): Promise<{ vault: Vault; warnings: string[] }> {
  const { secrets, warnings } = await loadVaultSecrets(o)
  return { vault: new Vault(secrets, { strictIdMatch: o.strictIdMatch }), warnings }
}
