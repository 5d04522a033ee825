/**
 * Role passwords without ever sending or printing the plain text: PostgreSQL stores a verifier
 * (SCRAM-SHA-256, RFC 5802/7677) or an md5 hash; we check a plain password against it here and,
 * to set one, compute the verifier client-side (as psql's \password does), so the server's logs
 * never see the plain password either.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'

export type PasswordKind = 'plain' | 'md5' | 'scram'

export function passwordKind(pw: string): PasswordKind {
  if (/^md5[0-9a-f]{32}$/.test(pw)) return 'md5'
  if (pw.startsWith('SCRAM-SHA-256$')) return 'scram'
  return 'plain'
}

// biome-ignore lint/suspicious/noMisleadingCharacterClass: each code point is removed on its own (RFC 3454 B.1)
const MAPPED_TO_NOTHING = /[\u00ad\u034f\u1806\u180b-\u180d\u200c\u200d\u2060\ufe00-\ufe0f\ufeff]/g

/**
 * A simplified SASLprep as PostgreSQL's pg_saslprep: ASCII passwords are used as they are; others
 * get non-ASCII spaces mapped to a space, "mapped to nothing" characters removed and NFKC.
 */
export function saslprep(pw: string): string {
  if (/^[\x00-\x7f]*$/.test(pw)) return pw
  return pw
    .replace(/[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/g, ' ')
    .replace(MAPPED_TO_NOTHING, '')
    .normalize('NFKC')
}

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest()

function keys(password: string, salt: Buffer, iterations: number): { storedKey: Buffer; serverKey: Buffer } {
  const salted = pbkdf2Sync(Buffer.from(saslprep(password), 'utf8'), salt, iterations, 32, 'sha256')
  return { storedKey: createHash('sha256').update(hmac(salted, 'Client Key')).digest(), serverKey: hmac(salted, 'Server Key') }
}

interface ScramVerifier {
  iterations: number
  salt: Buffer
  storedKey: Buffer
  serverKey: Buffer
}

/** `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (base64 parts), or undefined. */
export function parseScram(v: string): ScramVerifier | undefined {
  const m = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(v)
  if (!m) return undefined
  return { iterations: Number(m[1]), salt: Buffer.from(m[2]!, 'base64'), storedKey: Buffer.from(m[3]!, 'base64'), serverKey: Buffer.from(m[4]!, 'base64') }
}

export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const k = keys(password, salt, iterations)
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${k.storedKey.toString('base64')}:${k.serverKey.toString('base64')}`
}

export function md5Hash(password: string, role: string): string {
  return `md5${createHash('md5')
    .update(password + role, 'utf8')
    .digest('hex')}`
}

const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b)

/**
 * Does the stored `rolpassword` accept `wanted` for role `role`? `wanted` may itself be a hash
 * (then it must equal the stored one) or plain text (then it is checked against the verifier).
 */
export function passwordMatches(stored: string | null, wanted: string, role: string): boolean {
  if (stored === null) return false
  const kind = passwordKind(wanted)
  if (kind !== 'plain') return stored === wanted
  if (stored.startsWith('md5')) return stored === md5Hash(wanted, role)
  const v = parseScram(stored)
  if (!v) return false
  const k = keys(wanted, v.salt, v.iterations)
  return same(k.storedKey, v.storedKey) && same(k.serverKey, v.serverKey)
}

/** What to store for `wanted` under the server's password_encryption: hashes as given, plain text hashed here. */
export function passwordToStore(wanted: string, role: string, encryption: string): string {
  if (passwordKind(wanted) !== 'plain') return wanted
  return encryption === 'md5' ? md5Hash(wanted, role) : scramVerifier(wanted)
}
