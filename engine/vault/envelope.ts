/**
 * The Ansible Vault text format: a header line `$ANSIBLE_VAULT;1.1;AES256` (1.2 adds `;label`,
 * the vault id), then the hexlified payload in lines of 80 characters. The payload itself (salt,
 * HMAC, ciphertext) is the cipher's business (aes256.ts).
 */

export const VAULT_HEADER = '$ANSIBLE_VAULT'
export const DEFAULT_VAULT_ID = 'default'

export interface Envelope {
  version: string
  cipher: string
  /** the label of a 1.2 envelope; undefined for 1.1 */
  vaultId?: string
  /** hex text, newlines removed */
  payload: string
}

/** Ansible's is_encrypted: the text starts with the header (leading whitespace is not allowed). */
export const isVaulted = (text: string | Buffer): boolean =>
  (typeof text === 'string' ? text : text.subarray(0, VAULT_HEADER.length).toString('latin1')).startsWith(VAULT_HEADER)

export class VaultFormatError extends Error {}

export function parseEnvelope(text: string): Envelope {
  const lines = text.split(/\r?\n/)
  const header = lines[0]!.trim().split(';')
  // the text itself is never quoted: it may be a plaintext secret tagged by mistake
  if (header[0] !== VAULT_HEADER || header.length < 3) throw new VaultFormatError(`it does not start with a '${VAULT_HEADER};version;cipher' header`)
  const [, version, cipher, vaultId] = header.map((s) => s.trim())
  const payload = lines
    .slice(1)
    .map((l) => l.trim())
    .join('')
  return { version: version!, cipher: cipher!, vaultId: vaultId || undefined, payload }
}

/** The file text: a labelled secret (other than `default`) makes a 1.2 envelope, as Ansible writes it. */
export function formatEnvelope(payload: string, vaultId?: string): string {
  const labelled = vaultId !== undefined && vaultId !== DEFAULT_VAULT_ID
  const header = [VAULT_HEADER, labelled ? '1.2' : '1.1', 'AES256', ...(labelled ? [vaultId] : [])].join(';')
  const lines = [header]
  for (let i = 0; i < payload.length; i += 80) lines.push(payload.slice(i, i + 80))
  return `${lines.join('\n')}\n`
}
