/**
 * Hash filters: hash/md5/sha1/checksum (hex digests), to_uuid (uuid5 in Ansible's namespace) and
 * password_hash: sha512_crypt / sha256_crypt / md5_crypt exactly as passlib writes them for the
 * same salt (Ansible uses passlib: its default rounds, `rounds=` shown unless 5000).
 */
import { createHash, randomInt } from 'node:crypto'
import { arg, type Filter } from './filter-types.js'
import { pystr } from './py.js'
import { templateError } from './undefined.js'

const HASH_NAMES: Record<string, string> = {
  sha3_224: 'sha3-224',
  sha3_256: 'sha3-256',
  sha3_384: 'sha3-384',
  sha3_512: 'sha3-512',
  blake2b: 'blake2b512',
  blake2s: 'blake2s256',
  sha512_224: 'sha512-224',
  sha512_256: 'sha512-256',
}

export function hexDigest(type: string, data: string): string {
  try {
    return createHash(HASH_NAMES[type] ?? type)
      .update(Buffer.from(data, 'utf8'))
      .digest('hex')
  } catch {
    throw templateError(`unsupported hash type ${type}`)
  }
}

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

/** The FreeBSD / passlib md5_crypt ($1$). */
function md5Crypt(password: string, salt: string): string {
  const md5 = (...parts: Buffer[]) => {
    const h = createHash('md5')
    for (const p of parts) h.update(p)
    return h.digest()
  }
  const P = Buffer.from(password, 'utf8')
  const S = Buffer.from(salt, 'utf8')
  const magic = Buffer.from('$1$')
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
  return `$1$${salt}$${encode(final, MD5_ORDER)}`
}

const ALGORITHMS: Record<string, { crypt: (pw: string, salt: string, rounds: number) => string; saltSize: number; rounds: number; maxRounds: number }> = {
  sha512_crypt: { crypt: (p, s, r) => shaCrypt('sha512', p, s, r), saltSize: 16, rounds: 656000, maxRounds: 999999999 },
  sha256_crypt: { crypt: (p, s, r) => shaCrypt('sha256', p, s, r), saltSize: 16, rounds: 535000, maxRounds: 999999999 },
  md5_crypt: { crypt: (p, s) => md5Crypt(p, s), saltSize: 8, rounds: 0, maxRounds: 0 },
}
const ALIASES: Record<string, string> = { sha512: 'sha512_crypt', sha256: 'sha256_crypt', md5: 'md5_crypt' }

export function passwordHash(password: string, hashtype: string, salt: string | null, rounds: number | null): string {
  const name = ALIASES[hashtype] ?? hashtype
  const algo = ALGORITHMS[name]
  if (!algo) throw templateError(`password_hash: '${hashtype}' is not supported here (sha512, sha256 and md5 are; blowfish/bcrypt is not)`)
  let s = salt
  if (s === null || s === '') s = Array.from({ length: algo.saltSize }, () => ITOA64[randomInt(64)]).join('')
  if (!/^[./0-9A-Za-z]*$/.test(s)) throw templateError('invalid characters in salt (allowed: ./0-9A-Za-z)')
  s = s.slice(0, algo.saltSize)
  const r = rounds ?? algo.rounds
  if (algo.maxRounds && (r < 1000 || r > algo.maxRounds)) throw templateError(`rounds must be between 1000 and ${algo.maxRounds}`)
  return algo.crypt(password, s, r)
}

/** uuid.uuid5(namespace, name) as text. */
export function uuid5(name: string, namespace: string): string {
  const ns = namespace.replace(/^urn:uuid:|[{}-]/gi, '')
  if (!/^[0-9a-f]{32}$/i.test(ns)) throw templateError(`Invalid value '${namespace}' for 'namespace': badly formed hexadecimal UUID string`)
  const h = createHash('sha1').update(Buffer.from(ns, 'hex')).update(Buffer.from(name, 'utf8')).digest()
  h[6] = (h[6]! & 0x0f) | 0x50
  h[8] = (h[8]! & 0x3f) | 0x80
  const x = h.subarray(0, 16).toString('hex')
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`
}

const ANSIBLE_UUID_NAMESPACE = '361E6D51-FAEC-444A-9079-341386DA8E2E'

export const hashFilters: Record<string, Filter> = {
  hash: (v, args, kw) => hexDigest(pystr(arg(args, kw, 0, 'hashtype', 'sha1')), pystr(v)),
  checksum: (v) => hexDigest('sha1', pystr(v)),
  sha1: (v) => hexDigest('sha1', pystr(v)),
  md5: (v) => hexDigest('md5', pystr(v)),
  password_hash: (v, args, kw) => {
    const salt = arg<unknown>(args, kw, 1, 'salt', null)
    const rounds = arg<unknown>(args, kw, 3, 'rounds', null)
    return passwordHash(pystr(v), pystr(arg(args, kw, 0, 'hashtype', 'sha512')), salt === null ? null : pystr(salt), rounds === null ? null : Number(rounds))
  },
  to_uuid: (v, args, kw) => uuid5(pystr(v), pystr(arg(args, kw, 0, 'namespace', ANSIBLE_UUID_NAMESPACE))),
}
