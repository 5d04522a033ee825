/**
 * `acplay vault encrypt|decrypt|view|encrypt_string|rekey`: ansible-vault's sub-commands, same
 * options and file format (what one writes the other reads). `-` or no file is stdin to stdout.
 * Files are replaced atomically (temp file, then rename); a new file is created mode 0600.
 */
import { Command, Option } from 'commander'
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { optionError } from '../errors.js'
import { vaultConfig } from '../vault/config.js'
import { isVaulted } from '../vault/envelope.js'
import { openVault } from '../vault/secrets.js'
import { type Vault, vaultError } from '../vault/vault.js'
import { addVaultOptions, type VaultFlags, vaultFromFlags } from './vault-options.js'

type Run = <A extends unknown[]>(fn: (...a: A) => Promise<number>) => (...a: A) => Promise<void>
type Flags = VaultFlags & { output?: string; encryptVaultId?: string }

const collect = (v: string, prev: string[]) => [...prev, v]

export function vaultCommand(run: Run): Command {
  const vault = new Command('vault').description('encrypt and decrypt Ansible Vault files and values (as ansible-vault)')
  const sub = (name: string, description: string, args: string) => {
    const c = addVaultOptions(
      new Command(name).description(description).argument(args, args.includes('string') ? 'strings to encrypt' : "files ('-' or none: stdin)"),
    )
    vault.addCommand(c)
    return c.exitOverride()
  }
  const output = () => new Option('--output <file>', "write here instead of in place ('-': stdout)")
  const encryptId = () => new Option('--encrypt-vault-id <label>', 'the vault id to encrypt with (needed when several are given)')
  sub('encrypt', 'encrypt files in place (or stdin to stdout)', '[files...]')
    .addOption(output())
    .addOption(encryptId())
    .action(run((files: string[], f: Flags) => encryptFiles(files, f)))
  sub('decrypt', 'decrypt files in place (or stdin to stdout)', '[files...]')
    .addOption(output())
    .action(run((files: string[], f: Flags) => decryptFiles(files, f)))
  sub('view', 'print the decrypted files', '[files...]').action(run((files: string[], f: Flags) => viewFiles(files, f)))
  sub('encrypt_string', 'encrypt strings as YAML `!vault` values (stdin when none is given)', '[strings...]')
    .option('-n, --name <name>', 'the variable name of each string, in order (repeatable)', collect, [])
    .option('--stdin-name <name>', 'the variable name for the string read from stdin')
    .addOption(output())
    .addOption(encryptId())
    .action(run((strings: string[], f: Flags) => encryptStrings(strings, f)))
  sub('rekey', 'encrypt files again with a new password', '<files...>')
    .option('--new-vault-id <[label@]source>', 'the new vault id and password source')
    .option('--new-vault-password-file <file>', 'the new vault password file')
    .addOption(encryptId())
    .action(run((files: string[], f: Flags) => rekeyFiles(files, f)))
  return vault
}

/** Secrets for a vault command; with none given and a terminal, ask as ansible-vault does. */
async function secretsFor(f: Flags, newPassword = false): Promise<Vault> {
  const given = [f.vaultId, f.vaultPasswordFile, f.vaultPassFile].some((v) => Array.isArray(v) && v.length > 0)
  const cfg = vaultConfig()
  const ask = f.askVaultPass || f.askVaultPassword || (!given && !cfg.passwordFile && cfg.identityList.length === 0 && process.stdin.isTTY)
  const vault = await vaultFromFlags({ ...f, askVaultPass: ask }, { newPassword })
  if (vault.secrets.length === 0) throw vaultError('a vault password is needed: pass --vault-password-file FILE, --vault-id [LABEL@]FILE or --ask-vault-pass')
  return vault
}

const encryptIdOf = (f: Flags) => f.encryptVaultId ?? vaultConfig().encryptVaultId

async function readInput(file: string): Promise<Buffer> {
  if (file === '-') {
    const chunks: Buffer[] = []
    for await (const c of process.stdin) chunks.push(c as Buffer)
    return Buffer.concat(chunks)
  }
  try {
    return readFileSync(file)
  } catch (e) {
    throw vaultError(`Unable to read source file (${file}): ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file })
  }
}

/** stdout for '-'; otherwise temp file + rename, keeping an existing file's mode (a new one is 0600). */
function writeOutput(file: string, data: Buffer | string): void {
  if (file === '-') {
    process.stdout.write(data)
    return
  }
  const path = resolve(file)
  const mode = existsSync(path) ? statSync(path).mode & 0o7777 : 0o600
  const tmp = `${path}.${process.pid}.acplay-vault.tmp`
  writeFileSync(tmp, data, { mode: 0o600 })
  chmodSync(tmp, mode)
  renameSync(tmp, path)
}

function targets(files: string[], f: Flags): string[] {
  const list = files.length ? files : ['-']
  if (f.output && list.length > 1) throw optionError('At most one input file may be used with the --output option')
  return list
}

const done = (msg: string) => {
  if (process.stdout.isTTY) process.stderr.write(`${msg}\n`)
  return 0
}

async function encryptFiles(files: string[], f: Flags): Promise<number> {
  const list = targets(files, f)
  const vault = await secretsFor(f, true)
  const id = encryptIdOf(f)
  for (const file of list) {
    const plain = await readInput(file)
    if (isVaulted(plain)) throw vaultError('input is already encrypted', file === '-' ? {} : { file })
    writeOutput(f.output ?? file, vault.encrypt(plain, id))
  }
  return done('Encryption successful')
}

function decryptOne(vault: Vault, data: Buffer, file: string): Buffer {
  const where = file === '-' ? { file: '(stdin)' } : { file }
  if (!isVaulted(data)) throw vaultError('input is not vault encrypted data', where)
  return vault.decrypt(data.toString('utf8'), where)
}

async function decryptFiles(files: string[], f: Flags): Promise<number> {
  const list = targets(files, f)
  const vault = await secretsFor(f)
  for (const file of list) writeOutput(f.output ?? file, decryptOne(vault, await readInput(file), file))
  return done('Decryption successful')
}

async function viewFiles(files: string[], f: Flags): Promise<number> {
  const vault = await secretsFor(f)
  for (const file of files.length ? files : ['-']) process.stdout.write(decryptOne(vault, await readInput(file), file))
  return 0
}

/** ansible-vault's layout: `name: !vault |` then the vault text indented by 10. */
export function vaultYaml(vaultText: string, name?: string): string {
  const lines = vaultText.trimEnd().split('\n')
  return [`${name ? `${name}: ` : ''}!vault |`, ...lines.map((l) => `${' '.repeat(10)}${l}`)].join('\n')
}

async function encryptStrings(strings: string[], f: Flags & { name?: string[]; stdinName?: string }): Promise<number> {
  const args = strings.filter((s) => s !== '-')
  const fromStdin = strings.includes('-') || strings.length === 0 || !!f.stdinName
  const names = f.name ?? []
  const vault = await secretsFor(f, true)
  const id = encryptIdOf(f)
  const items: { text: string; name?: string; from: string }[] = []
  if (fromStdin) {
    const text = (await readInput('-')).toString('utf8')
    if (text === '') throw optionError('stdin was empty, not encrypting')
    items.push({ text, name: f.stdinName, from: 'stdin' })
  }
  args.forEach((text, i) => {
    if (text === '') throw optionError('The plaintext provided from the command line args was empty, not encrypting')
    items.push({ text, name: names[i], from: 'the command line args' })
  })
  const out = items.map((it, i) => {
    const yaml = vaultYaml(vault.encrypt(it.text, id), it.name)
    const note =
      items.length > 1
        ? `# The encrypted version of ${it.name ? `variable ("${it.name}", the string #${i + 1}` : `the string #${i + 1}`} from ${it.from}.)\n`
        : ''
    return { yaml, note }
  })
  if (f.output && f.output !== '-') {
    writeOutput(f.output, `${out.map((o) => o.yaml).join('\n')}\n`)
  } else {
    for (const o of out) {
      process.stderr.write(o.note)
      process.stdout.write(`${o.yaml}\n`)
    }
  }
  return done('Encryption successful')
}

async function rekeyFiles(files: string[], f: Flags & { newVaultId?: string; newVaultPasswordFile?: string }): Promise<number> {
  const vault = await secretsFor(f)
  const { vault: next, warnings } = await openVault({
    vaultIds: f.newVaultId ? [f.newVaultId] : [],
    passwordFiles: f.newVaultPasswordFile ? [f.newVaultPasswordFile] : [],
    askVaultPass: !f.newVaultId && !f.newVaultPasswordFile,
    newPassword: true,
  })
  for (const w of warnings) process.stderr.write(`[WARNING]: ${w}\n`)
  if (next.secrets.length === 0) throw vaultError('a new vault password is needed: pass --new-vault-password-file FILE or --new-vault-id [LABEL@]SOURCE')
  for (const file of files) writeOutput(file, next.encrypt(decryptOne(vault, await readInput(file), file), f.encryptVaultId))
  process.stderr.write('Rekey successful\n')
  return 0
}
