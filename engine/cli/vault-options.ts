/** The vault options of `run`, `check` and `vault`, with ansible-playbook's spelling, and the Vault they open. */
import { type Command, Option } from 'commander'
import { vaultConfig } from '../vault/config.js'
import { openVault } from '../vault/secrets.js'
import type { Vault } from '../vault/vault.js'

const collect = (v: string, prev: string[]) => [...prev, v]

export function addVaultOptions(cmd: Command): Command {
  return cmd
    .option(
      '--vault-id <[label@]source>',
      'vault password source: a file, an executable script, or "prompt"; with a label for vault ids (repeatable)',
      collect,
      [],
    )
    .option('--vault-password-file <file>', 'vault password file, or an executable that prints the password (repeatable)', collect, [])
    .addOption(new Option('--vault-pass-file <file>').hideHelp().argParser(collect).default([]))
    .addOption(
      new Option('--ask-vault-pass', 'ask for the vault password (on the terminal; a line of stdin when piped)').conflicts([
        'vaultPasswordFile',
        'vaultPassFile',
      ]),
    )
    .addOption(new Option('--ask-vault-password').hideHelp())
}

export type VaultFlags = Record<string, unknown>

/**
 * The Vault for these flags plus ANSIBLE_VAULT_* and ansible.cfg (always a Vault: one without
 * secrets explains, when it meets vault data, which option is missing). Warnings go to stderr.
 */
export async function vaultFromFlags(f: VaultFlags, opts: { baseDir?: string; newPassword?: boolean } = {}): Promise<Vault> {
  const cfg = vaultConfig(opts.baseDir)
  const strings = (v: unknown) => (Array.isArray(v) ? (v as string[]) : [])
  const { vault, warnings } = await openVault({
    identityList: cfg.identityList,
    vaultIds: strings(f.vaultId),
    passwordFiles: [...strings(f.vaultPasswordFile), ...strings(f.vaultPassFile)],
    configPasswordFile: cfg.passwordFile,
    askVaultPass: !!(f.askVaultPass || f.askVaultPassword || cfg.askVaultPass),
    newPassword: opts.newPassword,
    strictIdMatch: cfg.strictIdMatch,
  })
  for (const w of warnings) process.stderr.write(`[WARNING]: ${w}\n`)
  return vault
}
