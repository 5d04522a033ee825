/**
 * The controller's private key, parsed once per version of its file: ssh2 parses the key it is
 * given on every connect (for an ed25519 key: PEM, ASN.1, the public half derived again), ~1% of
 * the controller's CPU over a fleet.
 */
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
  parsed.set(file, { version, key: one })
  return one
}
