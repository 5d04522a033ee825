/**
 * Vault settings from the environment and ansible.cfg `[defaults]` (the environment wins, as in
 * Ansible): ANSIBLE_VAULT_PASSWORD_FILE / vault_password_file, ANSIBLE_VAULT_IDENTITY_LIST /
 * vault_identity_list, ANSIBLE_VAULT_ID_MATCH / vault_id_match, ANSIBLE_VAULT_ENCRYPT_IDENTITY /
 * vault_encrypt_identity, ANSIBLE_ASK_VAULT_PASS / ask_vault_pass (engine/config/settings.ts).
 */
import { findAnsibleCfg } from '../config/ansible-cfg.js'
import { setting } from '../config/settings.js'

export interface VaultConfig {
  identityList: string[]
  passwordFile?: string
  strictIdMatch: boolean
  encryptVaultId?: string
  askVaultPass: boolean
}

/** `baseDir` is the playbook's directory (an ansible.cfg beside it counts); none for `acplay vault`. */
export function vaultConfig(baseDir: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): VaultConfig {
  // a path in ansible.cfg is relative to the file; one in the environment to the current directory
  const src = { cfgFile: findAnsibleCfg(baseDir), env }
  return {
    identityList: setting('DEFAULT_VAULT_IDENTITY_LIST', src)!,
    passwordFile: setting('DEFAULT_VAULT_PASSWORD_FILE', src),
    strictIdMatch: setting('DEFAULT_VAULT_ID_MATCH', src)!,
    encryptVaultId: setting('DEFAULT_VAULT_ENCRYPT_IDENTITY', src) || undefined,
    askVaultPass: setting('DEFAULT_ASK_VAULT_PASS', src)!,
  }
}
