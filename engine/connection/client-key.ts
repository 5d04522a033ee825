/**
 * The controller's private key, parsed once per version of its file: ssh2 parses the key it is
 * given on every connect (for an ed25519 key: PEM, ASN.1, the public half derived again), ~1% of
 * the controller's CPU over a fleet. It also signs from the PEM text, which OpenSSL 3 decodes again
 * on every login (~350 us of the ~380 an ed25519 signature costs); here it signs with a key object.
 */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import ssh2, { type ParsedKey } from 'ssh2'

const parsed = new Map<string, { version: string; key: ParsedKey }>()

/** The key in `file`, or why it cannot be used (a message for the unreachable error). */
export function privateKeyOf(file: string): ParsedKey | string {
  let version: string
  try {
    const st = statSync(file)
    version = `${st.mtimeMs}:${st.size}:${st.ino}`
  } catch (e) {
    return `cannot read private key ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`
  }
  const known = parsed.get(file)
  if (known?.version === version) return known.key
  let key: ReturnType<typeof ssh2.utils.parseKey>
  try {
    key = ssh2.utils.parseKey(readFileSync(file))
  } catch (e) {
    return `cannot read private key ${file}: ${(e as Error).message}`
  }
  const one = Array.isArray(key) ? (key[0] as ParsedKey | undefined) : key
  if (!one || one instanceof Error) return `cannot use private key ${file}: ${one ? one.message : 'no key in it'}`
  if (!one.isPrivateKey()) return `cannot use private key ${file}: it holds a public key only`
  signWithKeyObject(one)
  parsed.set(file, { version, key: one })
  return one
}

/** The hash each key type signs with when ssh2 names none (RFC 4253, 5656, 8709). */
const defaultHash: Record<string, string | null> = {
  'ssh-ed25519': null,
  'ssh-rsa': 'sha1',
  'ecdsa-sha2-nistp256': 'sha256',
  'ecdsa-sha2-nistp384': 'sha384',
  'ecdsa-sha2-nistp521': 'sha512',
}

/** The same signature as ssh2's `sign` (DER for ECDSA, as it expects), from a parsed key object. */
function signWithKeyObject(key: ParsedKey): void {
  if (!(key.type in defaultHash)) return
  let keyObject: KeyObject
  try {
    keyObject = createPrivateKey(key.getPrivatePEM())
  } catch {
    return // ssh2's own signing stays
  }
  key.sign = (data: Buffer | string, algo?: string) => {
    try {
      return sign(algo ?? defaultHash[key.type] ?? null, typeof data === 'string' ? Buffer.from(data) : data, keyObject)
    } catch (e) {
      return e as Buffer // ssh2's sign returns its error, which the caller tests with instanceof
    }
  }
}
