/** Vault-encrypted files and `!vault` values where acplay reads YAML and control-side files. */
import { readFileSync } from 'node:fs'
import { type Document, type LineCounter, type ScalarTag, visit } from 'yaml'
import type { Location } from '../errors.js'
import { currentVault } from './context.js'
import { isVaulted } from './envelope.js'
import { NO_SECRETS_HINT, type Vault, vaultError } from './vault.js'

const vaultOf = (where: Location): Vault => {
  const v = currentVault()
  if (!v || v.secrets.length === 0) throw vaultError(`this is encrypted with Ansible Vault but no vault password was given: ${NO_SECRETS_HINT}`, where)
  return v
}

/** `!vault |` values parse as their vault text; revealVaultValues decrypts them once positions are known. */
export const VAULT_TAG: ScalarTag = { tag: '!vault', resolve: (s: string) => s }

/** The file's text, decrypted (and its values marked secret by the caller) when it is a vault file. */
export function decryptIfVaulted(text: string, file: string): { text: string; vaulted: boolean } {
  if (!isVaulted(text)) return { text, vaulted: false }
  return { text: vaultOf({ file }).decrypt(text, { file }).toString('utf8'), vaulted: true }
}

/**
 * Replaces every `!vault` scalar of a parsed document by its plaintext (errors name file:line),
 * and marks the plaintexts secret; in a whole-file vault every string value is secret.
 */
export function revealVaultValues(doc: Document, lc: LineCounter, file: string, wholeFileVaulted: boolean, text: string): void {
  if (!wholeFileVaulted && !text.includes('!vault')) return
  visit(doc, {
    Scalar(key, node) {
      if (node.tag === '!vault') {
        const where = { file, ...lc.linePos(node.range?.[0] ?? 0) }
        if (typeof node.value !== 'string') throw vaultError('a !vault value must be a string of vault text', where)
        node.value = vaultOf(where).decryptText(node.value, where)
        node.tag = undefined
      } else if (wholeFileVaulted && key !== 'key' && typeof node.value === 'string') {
        currentVault()?.reveal(node.value)
      }
    },
  })
}

/**
 * A control-side file (copy/template `src`), decrypted when it is a vault file, as Ansible does
 * on the controller; `vaulted` tells the module to keep its content out of diffs.
 */
export function readControlFile(path: string, opts: { decrypt?: boolean } = {}): { content: Buffer; vaulted: boolean } {
  const raw = readFileSync(path)
  if (opts.decrypt === false || !isVaulted(raw)) return { content: raw, vaulted: false }
  const where = { file: path }
  const content = vaultOf(where).decrypt(raw.toString('utf8'), where)
  currentVault()?.reveal(content.toString('utf8'))
  return { content, vaulted: true }
}
