/**
 * Unix crypt schemes as passlib writes and checks them: sha512_crypt / sha256_crypt / md5_crypt
 * (the password_hash filter; Ansible uses passlib: its default rounds, `rounds=` shown unless 5000),
 * Apache's apr_md5_crypt, ldap_sha1 and plaintext (the htpasswd module); bcrypt (engine/bcrypt.ts)
 * for password_hash. des_crypt is not implemented: a hash of its cannot be checked here.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto'
import { bcrypt } from './bcrypt.js'

/** A scheme or a salt that cannot be used; callers turn it into their own error kind. */
export class CryptError extends Error {}

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** Byte indices, three per output group; -1 stands for a zero byte. */
type Triple = readonly [number, number, number]

/** Encodes digest bytes in crypt's base64, three bytes (in the given order) at a time. */
function encode(bytes: Buffer, groups: readonly Triple[]): string {
  let out = ''
  for (const g of groups) {
    const [a, b, c] = g
    let w = ((a < 0 ? 0 : bytes[a]!) << 16) | ((b < 0 ? 0 : bytes[b]!) << 8) | bytes[c]!
    const n = a < 0 ? (b < 0 ? 2 : 3) : 4
    for (let i = 0; i < n; i++) {
      out += ITOA64[w & 0x3f]
      w >>= 6
    }
  }
  return out
}

const SHA512_ORDER: readonly Triple[] = [
  [0, 21, 42],
  [22, 43, 1],
  [44, 2, 23],
  [3, 24, 45],
  [25, 46, 4],
  [47, 5, 26],
  [6, 27, 48],
  [28, 49, 7],
  [50, 8, 29],
  [9, 30, 51],
  [31, 52, 10],
  [53, 11, 32],
  [12, 33, 54],
  [34, 55, 13],
  [56, 14, 35],
  [15, 36, 57],
  [37, 58, 16],
  [59, 17, 38],
  [18, 39, 60],
  [40, 61, 19],
  [62, 20, 41],
  [-1, -1, 63],
]
const SHA256_ORDER: readonly Triple[] = [
  [0, 10, 20],
  [21, 1, 11],
  [12, 22, 2],
  [3, 13, 23],
  [24, 4, 14],
  [15, 25, 5],
  [6, 16, 26],
  [27, 7, 17],
  [18, 28, 8],
  [9, 19, 29],
  [-1, 31, 30],
]
const MD5_ORDER: readonly Triple[] = [
  [0, 6, 12],
  [1, 7, 13],
  [2, 8, 14],
  [3, 9, 15],
  [4, 10, 5],
  [-1, -1, 11],
]

/** Drepper's SHA-crypt ($5$ / $6$). */
function shaCrypt(alg: 'sha256' | 'sha512', password: string, salt: string, rounds: number): string {
  const H = (...parts: Buffer[]) => {
    const h = createHash(alg)
    for (const p of parts) h.update(p)
    return h.digest()
  }
  const P = Buffer.from(password, 'utf8')
  const S = Buffer.from(salt, 'utf8')
  const size = alg === 'sha512' ? 64 : 32
  const B = H(P, S, P)
  const a = createHash(alg).update(P).update(S)
  for (let n = P.length; n > 0; n -= size) a.update(B.subarray(0, Math.min(size, n)))
  for (let n = P.length; n > 0; n >>= 1) a.update(n & 1 ? B : P)
  let C = a.digest()
  const repeatTo = (d: Buffer, len: number) => {
    const out = Buffer.alloc(len)
    for (let i = 0; i < len; i += d.length) d.copy(out, i, 0, Math.min(d.length, len - i))
    return out
  }
  const DP = H(...Array.from({ length: P.length }, () => P))
  const Pseq = repeatTo(DP, P.length)
  const DS = H(...Array.from({ length: 16 + C[0]! }, () => S))
  const Sseq = repeatTo(DS, S.length)
  for (let i = 0; i < rounds; i++) {
    const h = createHash(alg)
    h.update(i & 1 ? Pseq : C)
    if (i % 3) h.update(Sseq)
    if (i % 7) h.update(Pseq)
    h.update(i & 1 ? C : Pseq)
    C = h.digest()
  }
  const id = alg === 'sha512' ? '6' : '5'
  return `$${id}$${rounds === 5000 ? '' : `rounds=${rounds}$`}${salt}$${encode(C, alg === 'sha512' ? SHA512_ORDER : SHA256_ORDER)}`
}

/** The FreeBSD / passlib md5_crypt ($1$), and Apache's variant of it (apr_md5_crypt, $apr1$). */
function md5Crypt(password: string, salt: string, magicText = '$1$'): string {
  const md5 = (...parts: Buffer[]) => {
    const h = createHash('md5')
    for (const p of parts) h.update(p)
    return h.digest()
  }
  const P = Buffer.from(password, 'utf8')
  const S = Buffer.from(salt, 'utf8')
  const magic = Buffer.from(magicText)
  const alt = md5(P, S, P)
  const parts = [P, magic, S]
  for (let n = P.length; n > 0; n -= 16) parts.push(alt.subarray(0, Math.min(16, n)))
  for (let n = P.length; n; n >>= 1) parts.push(n & 1 ? Buffer.from([0]) : P.subarray(0, 1))
  let final = md5(...parts)
  for (let i = 0; i < 1000; i++) {
    const p: Buffer[] = [i & 1 ? P : final]
    if (i % 3) p.push(S)
    if (i % 7) p.push(P)
    p.push(i & 1 ? final : P)
    final = md5(...p)
  }
  return `${magicText}${salt}$${encode(final, MD5_ORDER)}`
}

const ALGORITHMS: Record<string, { crypt: (pw: string, salt: string, rounds: number) => string; saltSize: number; rounds: number; maxRounds: number }> = {
  sha512_crypt: { crypt: (p, s, r) => shaCrypt('sha512', p, s, r), saltSize: 16, rounds: 656000, maxRounds: 999999999 },
  sha256_crypt: { crypt: (p, s, r) => shaCrypt('sha256', p, s, r), saltSize: 16, rounds: 535000, maxRounds: 999999999 },
  md5_crypt: { crypt: (p, s) => md5Crypt(p, s), saltSize: 8, rounds: 0, maxRounds: 0 },
  apr_md5_crypt: { crypt: (p, s) => md5Crypt(p, s, '$apr1$'), saltSize: 8, rounds: 0, maxRounds: 0 },
}
const ALIASES: Record<string, string> = { sha512: 'sha512_crypt', sha256: 'sha256_crypt', md5: 'md5_crypt', blowfish: 'bcrypt' }

/** A random salt of `length` characters of crypt's alphabet (./0-9A-Za-z), as passlib makes one. */
export const randomSalt = (length: number): string => Array.from({ length }, () => ITOA64[randomInt(64)]).join('')

export function passwordHash(password: string, hashtype: string, salt: string | null, rounds: number | null): string {
  const name = ALIASES[hashtype] ?? hashtype
  if (name === 'bcrypt') return bcryptHash(password, salt, rounds)
  const algo = ALGORITHMS[name]
  if (!algo) throw new CryptError(`password_hash: '${hashtype}' is not supported here (sha512, sha256, md5, apr_md5_crypt and bcrypt are)`)
  let s = salt
  if (s === null || s === '') s = randomSalt(algo.saltSize)
  if (!/^[./0-9A-Za-z]*$/.test(s)) throw new CryptError('invalid characters in salt (allowed: ./0-9A-Za-z)')
  s = s.slice(0, algo.saltSize)
  const r = rounds ?? algo.rounds
  if (algo.maxRounds && (r < 1000 || r > algo.maxRounds)) throw new CryptError(`rounds must be between 1000 and ${algo.maxRounds}`)
  return algo.crypt(password, s, r)
}

/** bcrypt as Ansible asks passlib for it: a salt of exactly 22 characters (its unused bits repaired), rounds 4 to 31 (12 by default), ident 2b. */
function bcryptHash(password: string, salt: string | null, rounds: number | null): string {
  const s = salt === null || salt === '' ? randomSalt(22) : salt
  if (!/^[./0-9A-Za-z]*$/.test(s)) throw new CryptError('invalid characters in salt')
  if (s.length !== 22) throw new CryptError(`Could not hash the secret. salt too ${s.length < 22 ? 'small' : 'large'} (bcrypt requires exactly 22 chars)`)
  const r = rounds ?? 12
  if (!Number.isInteger(r) || r < 4 || r > 31) throw new CryptError(`Could not hash the secret. bcrypt rounds must be between 4 and 31, not ${rounds}`)
  if (password.includes('\0')) throw new CryptError('Could not hash the secret. bcrypt passwords cannot contain a NUL character')
  return bcrypt(password, s, r)
}

const ldapSha1 = (password: string) => `{SHA}${createHash('sha1').update(password, 'utf8').digest('base64')}`

/** A new hash of `password` in `scheme` (a random salt, passlib's default rounds); undefined: a scheme not implemented here. */
export function cryptHash(scheme: string, password: string): string | undefined {
  if (scheme === 'ldap_sha1') return ldapSha1(password)
  if (scheme === 'plaintext') return password
  return ALGORITHMS[scheme] ? passwordHash(password, scheme, null, null) : undefined
}

/** The schemes cryptHash makes. */
export const CRYPT_SCHEMES = ['apr_md5_crypt', 'md5_crypt', 'sha256_crypt', 'sha512_crypt', 'ldap_sha1', 'plaintext'] as const

/** Which of `schemes` a hash is, as passlib's CryptContext.identify decides: the first that claims it (plaintext claims anything). */
export function identifyHash(hash: string, schemes: readonly string[]): string | undefined {
  const claims: Record<string, (h: string) => boolean> = {
    bcrypt: (h) => /^\$2[abxy]?\$/.test(h),
    sha256_crypt: (h) => h.startsWith('$5$'),
    sha512_crypt: (h) => h.startsWith('$6$'),
    apr_md5_crypt: (h) => h.startsWith('$apr1$'),
    md5_crypt: (h) => h.startsWith('$1$'),
    des_crypt: (h) => /^[./0-9A-Za-z]{13}$/.test(h),
    ldap_sha1: (h) => h.startsWith('{SHA}'),
    plaintext: () => true,
  }
  return schemes.find((s) => claims[s]?.(hash))
}

/**
 * Whether `password` is the one `hash` (of `scheme`, from identifyHash) was made from: the hash is
 * made again with its own salt and rounds. undefined: a scheme this file cannot check (des_crypt).
 */
export function cryptVerify(password: string, hash: string, scheme: string): boolean | undefined {
  let again: string
  if (scheme === 'plaintext') again = password
  else if (scheme === 'ldap_sha1') again = ldapSha1(password)
  else if (scheme === 'md5_crypt' || scheme === 'apr_md5_crypt') {
    const magic = scheme === 'md5_crypt' ? '$1$' : '$apr1$'
    const salt = hash.slice(magic.length).split('$')[0]!.slice(0, 8)
    again = md5Crypt(password, salt, magic)
  } else if (scheme === 'sha256_crypt' || scheme === 'sha512_crypt') {
    const m = /^\$[56]\$(?:rounds=(\d+)\$)?([^$]{0,16})/.exec(hash)
    if (!m) return false
    const rounds = m[1] === undefined ? 5000 : Math.min(Math.max(Number(m[1]), 1000), 999999999)
    again = shaCrypt(scheme === 'sha512_crypt' ? 'sha512' : 'sha256', password, m[2]!, rounds)
    // passlib writes rounds=5000 out only when the hash had it
    if (m[1] !== undefined && rounds === 5000) again = again.replace(/^(\$[56]\$)/, '$1rounds=5000$')
  } else if (scheme === 'bcrypt') {
    const m = /^\$(2[abxy]?)\$(\d\d)\$([./0-9A-Za-z]{22})/.exec(hash)
    if (!m) return false
    again = bcrypt(password, m[3]!, Number(m[2]), m[1])
  } else return undefined
  const a = Buffer.from(again)
  const b = Buffer.from(hash)
  return a.length === b.length && timingSafeEqual(a, b)
}
