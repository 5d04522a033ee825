/**
 * openssh_keypair's decisions, as community.crypto 2.14's keypair_backend makes them: when a key
 * pair is (re)generated, when only its .pub is rewritten (missing, another key's, or another
 * comment: the comment is changed without a new key), when the task fails instead, and the values
 * it returns. Two ways of reading the key, as Ansible's two backends do: opensshbin (ssh-keygen,
 * no passphrase) and, with a passphrase, its cryptography backend's rules (the key must open with
 * the passphrase and must not open without it), which acplay follows with ssh-keygen too.
 */
import type { KeypairState, ListedKey, PubKey } from './keypair-state.js'

export type Regenerate = 'never' | 'fail' | 'partial_idempotence' | 'full_idempotence' | 'always'

export interface KeypairWant {
  type: string
  /** the size after Ansible's defaults (keypairSize) */
  size: number
  comment?: string
  regenerate: Regenerate
  /** Ansible's cryptography backend's rules (a passphrase was given with backend auto) */
  withPassphrase: boolean
  /** with a passphrase: 'ssh' makes a key in another format invalid; 'auto' never looks */
  privateKeyFormat: 'auto' | 'ssh'
}

export type KeypairAction =
  | { kind: 'generate' }
  /** rewrite the .pub from the private key; `comment`: then set this comment */
  | { kind: 'restore-pub'; comment?: string }
  | { kind: 'keep' }

export class KeypairFailure extends Error {}

const FORCE_WORDS = 'To force regeneration, call the module with `generate` set to'
export const UNREADABLE_MSG = `Unable to read the key. The key is protected with a passphrase or broken. Will not proceed. ${FORCE_WORDS} \`full_idempotence\` or \`always\`, or with \`force=true\`.`
export const WRONG_KEY_MSG = `Key has wrong type and/or size. Will not proceed. ${FORCE_WORDS} \`partial_idempotence\`, \`full_idempotence\` or \`always\`, or with \`force=true\`.`

/** Ansible's _get_size: the size a type takes (its default where none is given), or the failure. */
export function keypairSize(type: string, size: number | undefined): number {
  switch (type) {
    case 'rsa': {
      const s = size ?? 4096
      if (s < 1024)
        throw new KeypairFailure(
          'For RSA keys, the minimum size is 1024 bits and the default is 4096 bits. Attempting to use bit lengths under 1024 will cause the module to fail.',
        )
      return s
    }
    case 'dsa':
      if ((size ?? 1024) !== 1024) throw new KeypairFailure('DSA keys must be exactly 1024 bits as specified by FIPS 186-2.')
      return 1024
    case 'ecdsa': {
      const s = size ?? 256
      if (![256, 384, 521].includes(s))
        throw new KeypairFailure(
          'For ECDSA keys, size determines the key length by selecting from one of three elliptic curve sizes: 256, 384 or 521 bits. ' +
            'Attempting to use bit lengths other than these three values for ECDSA keys will cause this module to fail.',
        )
      return s
    }
    case 'ed25519':
      return 256
    default:
      throw new KeypairFailure(`${type} is not a valid value for key type`)
  }
}

/** The private key as the backend loads it (its size, type, fingerprint), or undefined. */
export function loadedKey(w: KeypairWant, st: KeypairState): ListedKey | undefined {
  if (st.priv !== 'file') return undefined
  if (w.withPassphrase && !st.withPass?.loads) return undefined
  return st.listed
}

/** The backend's _private_key_readable: opens as it should (with a passphrase: only with it). */
function readable(w: KeypairWant, st: KeypairState): boolean {
  if (w.withPassphrase) return st.withPass?.loads === true && st.plain?.loads !== true
  return st.plain !== undefined && !st.plain.unreadable
}

/** What a present key pair needs; throws KeypairFailure where Ansible's module fails. */
export function keypairAction(w: KeypairWant, st: KeypairState): KeypairAction {
  const original = loadedKey(w, st)
  if (st.priv !== 'absent' && ['never', 'fail', 'partial_idempotence'].includes(w.regenerate) && (!original || !readable(w, st)))
    throw new KeypairFailure(UNREADABLE_MSG)
  if (shouldGenerate(w, st, original)) return { kind: 'generate' }
  // the public key the private key derives: its comment is the wanted one, or any when none is given
  const derived = w.withPassphrase ? st.withPass?.pub : st.plain?.pub
  if (!derived) throw new KeypairFailure('unexpected error occurred: list index out of range')
  const pub = st.pubFile
  const pubValid =
    pub !== 'absent' && pub !== null && pub.type === derived.type && pub.data === derived.data && (w.comment === undefined || w.comment === pub.comment)
  if (pubValid) return { kind: 'keep' }
  return { kind: 'restore-pub', ...(w.comment ? { comment: w.comment } : {}) }
}

function shouldGenerate(w: KeypairWant, st: KeypairState, original: ListedKey | undefined): boolean {
  if (!original) return true
  const valid = original.size === w.size && original.type === w.type && (!w.withPassphrase || w.privateKeyFormat === 'auto' || st.format === 'SSH')
  switch (w.regenerate) {
    case 'never':
      return false
    case 'fail':
      if (!valid) throw new KeypairFailure(WRONG_KEY_MSG)
      return false
    case 'partial_idempotence':
    case 'full_idempotence':
      return !valid
    case 'always':
      return true
  }
}

/** The .pub line Ansible writes when it restores one (with a comment: after the comment is set). */
export function restoredPub(derived: PubKey, comment: string | undefined): PubKey {
  return { type: derived.type, data: derived.data, comment: comment ?? '' }
}

/** The values Ansible returns for the key pair it leaves (or, in check mode, finds). */
export function keypairResult(
  base: { filename: string; size: number; type: string },
  priv: ListedKey | undefined,
  pub: PubKey | undefined,
): Record<string, unknown> {
  return {
    ...base,
    fingerprint: priv?.fingerprint ?? '',
    public_key: pub ? `${pub.type} ${pub.data}` : '',
    comment: pub?.comment ?? '',
  }
}

/** The public key type string ssh-keygen writes for a key type and size. */
export function pubKeyType(type: string, size: number): string {
  if (type === 'rsa') return 'ssh-rsa'
  if (type === 'dsa') return 'ssh-dss'
  if (type === 'ecdsa') return `ecdsa-sha2-nistp${size}`
  return 'ssh-ed25519'
}
