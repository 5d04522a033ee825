/**
 * What community.crypto's modules know about a key, decided on the controller from what the host's
 * `openssl` printed: the public key (SubjectPublicKeyInfo, DER) and the first line of the key file.
 * The private key itself never leaves the host (except with return_content); its type, size and
 * curve, and the fingerprints Ansible returns, all follow from the public key.
 */
import { createHash, createPublicKey } from 'node:crypto'

/** The key types openssl_privatekey makes (Ansible's names); DSA is Ansible's too, refused by acplay. */
export const KEY_TYPES = ['DSA', 'ECC', 'Ed25519', 'Ed448', 'RSA', 'X25519', 'X448'] as const
export type KeyType = (typeof KEY_TYPES)[number]

/** Ansible's curve names; the second is OpenSSL's name where it differs (what genpkey takes and Node reports). */
export const CURVES: Record<string, string> = {
  secp224r1: 'secp224r1',
  secp256k1: 'secp256k1',
  secp256r1: 'prime256v1',
  secp384r1: 'secp384r1',
  secp521r1: 'secp521r1',
  secp192r1: 'prime192v1',
  brainpoolP256r1: 'brainpoolP256r1',
  brainpoolP384r1: 'brainpoolP384r1',
  brainpoolP512r1: 'brainpoolP512r1',
  sect163k1: 'sect163k1',
  sect163r2: 'sect163r2',
  sect233k1: 'sect233k1',
  sect233r1: 'sect233r1',
  sect283k1: 'sect283k1',
  sect283r1: 'sect283r1',
  sect409k1: 'sect409k1',
  sect409r1: 'sect409r1',
  sect571k1: 'sect571k1',
  sect571r1: 'sect571r1',
}
/** The curves Ansible warns about when it makes a key on them. */
export const DEPRECATED_CURVES = new Set(Object.keys(CURVES).filter((c) => !/^secp(224r1|256k1|256r1|384r1|521r1)$/.test(c)))

/** A public key as Ansible's modules compare it. */
export interface PublicKeyInfo {
  type: KeyType | 'unknown'
  /** RSA and DSA: bits */
  size?: number
  /** ECC: Ansible's curve name (or OpenSSL's, for a curve Ansible does not list) */
  curve?: string
  /** the DER, base64: equal keys have equal DER */
  der: string
}

const NODE_TYPES: Record<string, KeyType> = { rsa: 'RSA', dsa: 'DSA', ec: 'ECC', ed25519: 'Ed25519', ed448: 'Ed448', x25519: 'X25519', x448: 'X448' }

/** The public key's type, size and curve (Node reads the DER). undefined: not a public key Node can read. */
export function publicKeyInfo(derB64: string): PublicKeyInfo | undefined {
  try {
    const key = createPublicKey({ key: Buffer.from(derB64, 'base64'), format: 'der', type: 'spki' })
    const type = NODE_TYPES[key.asymmetricKeyType ?? ''] ?? 'unknown'
    const d = key.asymmetricKeyDetails ?? {}
    const info: PublicKeyInfo = { type, der: derB64 }
    if (d.modulusLength !== undefined) info.size = d.modulusLength
    if (d.namedCurve !== undefined) info.curve = Object.keys(CURVES).find((k) => CURVES[k] === d.namedCurve) ?? d.namedCurve
    return info
  } catch {
    return undefined
  }
}

/**
 * Ansible's fingerprint of a public key (get_fingerprint_of_bytes): every hash of Python's
 * hashlib.algorithms_guaranteed over the DER, as colon-separated hex (the shakes at 32 bytes).
 */
export function fingerprints(derB64: string): Record<string, string> {
  const der = Buffer.from(derB64, 'base64')
  const algos: [string, string, number?][] = [
    ['md5', 'md5'],
    ['sha1', 'sha1'],
    ['sha224', 'sha224'],
    ['sha256', 'sha256'],
    ['sha384', 'sha384'],
    ['sha512', 'sha512'],
    ['sha3_224', 'sha3-224'],
    ['sha3_256', 'sha3-256'],
    ['sha3_384', 'sha3-384'],
    ['sha3_512', 'sha3-512'],
    ['blake2b', 'blake2b512'],
    ['blake2s', 'blake2s256'],
    ['shake_128', 'shake128', 32],
    ['shake_256', 'shake256', 32],
  ]
  const out: Record<string, string> = {}
  for (const [name, node, outputLength] of algos) {
    const hex = createHash(node, outputLength ? { outputLength } : undefined)
      .update(der)
      .digest('hex')
    out[name] = hex.replace(/(..)(?!$)/g, '$1:')
  }
  return out
}

/** A key file's format as Ansible's identify_private_key_format names it, from its first line (undefined: not text). */
export function keyFormat(firstLine: string | undefined): 'pkcs1' | 'pkcs8' | 'unknown-pem' | 'raw' {
  const m = firstLine === undefined ? null : /^-----BEGIN (.+)-----$/.exec(firstLine)
  if (!m) return 'raw'
  const name = m[1]!
  if (name === 'PRIVATE KEY' || name === 'ENCRYPTED PRIVATE KEY') return 'pkcs8'
  if (name.length > ' PRIVATE KEY'.length && name.endsWith(' PRIVATE KEY')) return 'pkcs1'
  return 'unknown-pem'
}

/** The PKCS#8 DER header that makes a raw key (its bytes follow) a key openssl reads, by type and length. */
export const RAW_PKCS8_PREFIX: Record<string, { type: KeyType; length: number; hex: string }> = {
  Ed25519: { type: 'Ed25519', length: 32, hex: '302e020100300506032b657004220420' },
  X25519: { type: 'X25519', length: 32, hex: '302e020100300506032b656e04220420' },
  Ed448: { type: 'Ed448', length: 57, hex: '3047020100300506032b6571043b0439' },
  X448: { type: 'X448', length: 56, hex: '3046020100300506032b656f043a0438' },
}

/** The header as printf's octal escapes (a shell script's own text: no value of the user's in it). */
export const printfOctal = (hex: string): string => hex.replace(/../g, (b) => `\\${Number.parseInt(b, 16).toString(8).padStart(3, '0')}`)
