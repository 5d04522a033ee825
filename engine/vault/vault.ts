/**
 * A run's vault: the secrets (passwords by vault id) it may decrypt with, and every plaintext it
 * revealed, so the run's Masker hides them in all output. Decryption tries the secrets labelled
 * with the envelope's vault id first, then (unless vault_id_match is on) the others, in the order
 * they were given, as ansible's VaultLib does.
 */
import { AcplayError, type Location } from '../errors.js'
import { decryptAes256, encryptAes256 } from './aes256.js'
import { DEFAULT_VAULT_ID, formatEnvelope, isVaulted, parseEnvelope, VaultFormatError } from './envelope.js'

export interface VaultSecret {
  /** the vault id label (`default` when none was given) */
  id: string
  password: Buffer
  /** where it came from, for messages: a file name or `prompt` (never the password) */
  source: string
}

export const vaultError = (msg: string, where: Location = {}) => new AcplayError('E_VAULT', msg, where)

export const NO_SECRETS_HINT = 'pass --vault-password-file FILE, --vault-id [LABEL@]FILE or --ask-vault-pass'

export class Vault {
  private revealed = new Set<string>()
  private listeners = new Set<(plaintext: string) => void>()
  private cache = new Map<string, Buffer>()

  constructor(
    readonly secrets: readonly VaultSecret[] = [],
    private readonly opts: { strictIdMatch?: boolean } = {},
  ) {}

  /** Decrypts vault text (a whole file or a `!vault` value); `where` names it in errors. */
  decrypt(text: string, where: Location): Buffer {
    const cached = this.cache.get(text)
    if (cached) return cached
    let env: ReturnType<typeof parseEnvelope>
    try {
      env = parseEnvelope(text)
    } catch (e) {
      throw vaultError(`not valid vault data: ${(e as Error).message}`, where)
    }
    if (env.cipher !== 'AES256') throw vaultError(`vault cipher '${env.cipher}' is not supported (only AES256)`, where)
    if (this.secrets.length === 0) throw vaultError(`this is encrypted with Ansible Vault but no vault password was given: ${NO_SECRETS_HINT}`, where)
    const id = env.vaultId ?? DEFAULT_VAULT_ID
    const labelled = this.secrets.filter((s) => s.id === id)
    const candidates = this.opts.strictIdMatch ? labelled : [...labelled, ...this.secrets.filter((s) => s.id !== id)]
    for (const s of candidates) {
      let plain: Buffer | undefined
      try {
        plain = decryptAes256(env.payload, s.password)
      } catch (e) {
        if (e instanceof VaultFormatError) throw vaultError(`not valid vault data: ${e.message}`, where)
        throw e
      }
      if (plain) {
        this.cache.set(text, plain)
        return plain
      }
    }
    const tried = candidates.map((s) => `${s.id} (${s.source})`).join(', ') || 'none'
    throw vaultError(
      `Decryption failed (no vault secrets were found that could decrypt): it is for vault id '${id}'; tried ${tried}${this.opts.strictIdMatch ? ' (vault_id_match is on)' : ''}`,
      where,
    )
  }

  /** Decrypts to text and marks the text as a secret of the run. */
  decryptText(text: string, where: Location): string {
    const plain = this.decrypt(text, where).toString('utf8')
    this.reveal(plain)
    return plain
  }

  /**
   * Vault text for the plaintext, with the secret labelled `encryptId` (or the first one; an
   * error when several are given without a choice, as ansible-vault's --encrypt-vault-id rule).
   */
  encrypt(plaintext: Buffer | string, encryptId?: string): string {
    const data = Buffer.from(plaintext)
    if (isVaulted(data)) throw vaultError('input is already encrypted')
    const secret = this.encryptSecret(encryptId)
    return formatEnvelope(encryptAes256(data, secret.password), secret.id)
  }

  encryptSecret(encryptId?: string): VaultSecret {
    if (this.secrets.length === 0) throw vaultError(`a vault password is needed to encrypt: ${NO_SECRETS_HINT}`)
    if (encryptId === undefined) {
      if (this.secrets.length > 1) {
        throw vaultError(`the vault ids ${this.secrets.map((s) => s.id).join(', ')} are available to encrypt; choose one with --encrypt-vault-id`)
      }
      return this.secrets[0]!
    }
    const s = this.secrets.find((x) => x.id === encryptId)
    if (!s) throw vaultError(`--encrypt-vault-id ${encryptId} matches none of the vault ids given (${this.secrets.map((x) => x.id).join(', ')})`)
    return s
  }

  /** Registers a decrypted value as a secret of the run. */
  reveal(plaintext: string): void {
    if (this.revealed.has(plaintext)) return
    this.revealed.add(plaintext)
    for (const l of this.listeners) l(plaintext)
  }

  /** Calls `listener` with every secret revealed so far and from now on; returns the unsubscribe. */
  onReveal(listener: (plaintext: string) => void): () => void {
    for (const p of this.revealed) listener(p)
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
