/** A private key as Ansible's load_privatekey (cryptography backend) loads it, or its failure words. */
import { ModuleFailure } from '../../engine/errors.js'
import type { PrivateKeyState } from '../facts/crypto.js'
import type { PublicKeyInfo } from './keys.js'

export function loadedKey(key: PrivateKeyState, path: string, passphrase: string | undefined): PublicKeyInfo {
  if (!key.exists) throw new ModuleFailure(`[Errno 2] No such file or directory: '${path}'`)
  if (key.notFile) throw new ModuleFailure(`[Errno 21] Is a directory: '${path}'`)
  // cryptography: TypeError (a passphrase for a plain key, none for an encrypted one), else ValueError
  if (key.format === 'pkcs1' || key.format === 'pkcs8') {
    if (key.encrypted !== (passphrase !== undefined)) throw new ModuleFailure('Wrong or empty passphrase provided for private key')
    if (key.pub) return key.pub
  }
  throw new ModuleFailure('Wrong passphrase provided for private key')
}

/** Whether a key signs with a digest (RSA, DSA, ECC) or without one (Ed25519, Ed448). */
export const needsDigest = (pub: PublicKeyInfo | undefined): boolean => pub?.type !== 'Ed25519' && pub?.type !== 'Ed448'
