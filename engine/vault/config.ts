/**
 * Vault settings from the environment and ansible.cfg `[defaults]` (the environment wins, as in
 * Ansible): ANSIBLE_VAULT_PASSWORD_FILE / vault_password_file, ANSIBLE_VAULT_IDENTITY_LIST /
 * vault_identity_list, ANSIBLE_VAULT_ID_MATCH / vault_id_match, ANSIBLE_VAULT_ENCRYPT_IDENTITY /
 * vault_encrypt_identity, ANSIBLE_ASK_VAULT_PASS / ask_vault_pass.
 */
import { homedir } from 'node:os'
import { dirname, resolve } from 'node:path'
import { findAnsibleCfg, readAnsibleCfg } from '../config/ansible-cfg.js'

export interface VaultConfig {
  identityList: string[]
  passwordFile?: string
  strictIdMatch: boolean
  encryptVaultId?: string
  askVaultPass: boolean
}

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on|y|t)$/i.test(v.trim())
const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
const expandHome = (p: string) => (p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p)

/** `baseDir` is the playbook's directory (an ansible.cfg beside it counts); none for `acplay vault`. */
export function vaultConfig(baseDir: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): VaultConfig {
  const cfg = findAnsibleCfg(baseDir)
  const defaults = cfg ? (readAnsibleCfg(cfg).defaults ?? {}) : {}
  const fromCfg = (key: string): string | undefined => defaults[key]
  const cfgFile = fromCfg('vault_password_file')
  // a path in ansible.cfg is relative to the file; one in the environment to the current directory
  const passwordFile = env.ANSIBLE_VAULT_PASSWORD_FILE || (cfgFile && cfg ? resolve(dirname(cfg), expandHome(cfgFile)) : undefined)
  return {
    identityList: list(env.ANSIBLE_VAULT_IDENTITY_LIST ?? fromCfg('vault_identity_list')),
    passwordFile: passwordFile || undefined,
    strictIdMatch: truthy(env.ANSIBLE_VAULT_ID_MATCH ?? fromCfg('vault_id_match')),
    encryptVaultId: env.ANSIBLE_VAULT_ENCRYPT_IDENTITY || fromCfg('vault_encrypt_identity') || undefined,
    askVaultPass: truthy(env.ANSIBLE_ASK_VAULT_PASS ?? fromCfg('ask_vault_pass')),
  }
}
