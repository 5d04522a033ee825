/**
 * Vault's AES256 cipher: PBKDF2-HMAC-SHA256 (10000 iterations, 32-byte salt) derives an AES key,
 * an HMAC key and the CTR counter; the plaintext is PKCS#7-padded, encrypted with AES-256-CTR and
 * authenticated with HMAC-SHA256 over the ciphertext. The payload is
 * hex(hex(salt) \n hex(hmac) \n hex(ciphertext)).
 */
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'
import { VaultFormatError } from './envelope.js'

const KEY_LENGTH = 32
const IV_LENGTH = 16
const ITERATIONS = 10000
const BLOCK = 16

function deriveKeys(password: Buffer, salt: Buffer): { aesKey: Buffer; hmacKey: Buffer; iv: Buffer } {
  const derived = pbkdf2Sync(password, salt, ITERATIONS, 2 * KEY_LENGTH + IV_LENGTH, 'sha256')
  return { aesKey: derived.subarray(0, KEY_LENGTH), hmacKey: derived.subarray(KEY_LENGTH, 2 * KEY_LENGTH), iv: derived.subarray(2 * KEY_LENGTH) }
}

const hmacOf = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest()

function unhex(text: string, what: string): Buffer {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw new VaultFormatError(`the ${what} is not hexadecimal`)
  return Buffer.from(text, 'hex')
}

export function encryptAes256(plaintext: Buffer, password: Buffer, salt: Buffer = randomBytes(32)): string {
  const { aesKey, hmacKey, iv } = deriveKeys(password, salt)
  const pad = BLOCK - (plaintext.length % BLOCK)
  const padded = Buffer.concat([plaintext, Buffer.alloc(pad, pad)])
  const cipher = createCipheriv('aes-256-ctr', aesKey, iv)
  const ciphertext = Buffer.concat([cipher.update(padded), cipher.final()])
  const inner = [salt.toString('hex'), hmacOf(hmacKey, ciphertext).toString('hex'), ciphertext.toString('hex')].join('\n')
  return Buffer.from(inner, 'ascii').toString('hex')
}

/** The plaintext, or undefined when the HMAC does not match (a wrong password). Throws VaultFormatError on a mangled payload. */
export function decryptAes256(payload: string, password: Buffer): Buffer | undefined {
  const parts = unhex(payload, 'vault payload').toString('latin1').split('\n')
  if (parts.length !== 3) throw new VaultFormatError('the vault payload does not hold salt, HMAC and ciphertext')
  const [salt, hmac, ciphertext] = [unhex(parts[0]!, 'salt'), unhex(parts[1]!, 'HMAC'), unhex(parts[2]!, 'ciphertext')]
  const { aesKey, hmacKey, iv } = deriveKeys(password, salt)
  const expected = hmacOf(hmacKey, ciphertext)
  if (hmac.length !== expected.length || !timingSafeEqual(hmac, expected)) return undefined
  const decipher = createDecipheriv('aes-256-ctr', aesKey, iv)
  const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()])
  const pad = padded.at(-1) ?? 0
  if (pad < 1 || pad > BLOCK || pad > padded.length || !padded.subarray(padded.length - pad).every((b) => b === pad)) {
    throw new VaultFormatError('bad padding after decryption')
  }
  return padded.subarray(0, padded.length - pad)
}
