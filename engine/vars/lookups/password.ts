/**
 * lookup('password', 'path length=N chars=... encrypt=... seed=...'): a random password kept in a
 * file on the controller (created 0600 on first use, read back after; `/dev/null` keeps nothing).
 * The value is a secret: the lookup context masks it in every output.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { randomInt } from 'node:crypto'
import { dirname, isAbsolute, join } from 'node:path'
import { templatePasswordHash } from '../filters-hash.js'
import { PyRandom } from '../py-random.js'
import { pystr } from '../py.js'
import { splitKv } from './lists.js'
import { type Lookup, LookupError } from './types.js'

const LOWER = 'abcdefghijklmnopqrstuvwxyz'
const UPPER = LOWER.toUpperCase()
const DIGITS = '0123456789'
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'
/** Python's string module constants, by the names `chars=` takes */
const CHARSETS: Record<string, string> = {
  ascii_letters: LOWER + UPPER,
  ascii_lowercase: LOWER,
  ascii_uppercase: UPPER,
  digits: DIGITS,
  hexdigits: `${DIGITS}abcdefABCDEF`,
  octdigits: '01234567',
  punctuation: PUNCTUATION,
  whitespace: ' \t\n\r\x0b\x0c',
  printable: `${DIGITS}${LOWER}${UPPER}${PUNCTUATION} \t\n\r\x0b\x0c`,
}
const DEFAULT_CHARS = ['ascii_letters', 'digits', '.,:-_']
const VALID = new Set(['length', 'encrypt', 'chars', 'ident', 'seed'])
/** salt sizes of the hashes `encrypt=` takes (passlib's) */
const SALT_SIZE: Record<string, number> = { sha512_crypt: 16, sha256_crypt: 16, md5_crypt: 8 }

function parse(term: string, kw: Record<string, unknown>): { path: string; length: number; chars: string; encrypt?: string; seed?: unknown } {
  const space = term.indexOf(' ')
  let path = space < 0 ? term : term.slice(0, space)
  const params: Record<string, unknown> = {}
  if (space >= 0) {
    const { words, kv } = splitKv(term.slice(space + 1))
    if (words.length) {
      path = `${path} ${words.join(' ')}`
      if (!term.startsWith(path)) throw new LookupError('Unrecognized value after key=value parameters given to password lookup')
    }
    Object.assign(params, kv)
  }
  const invalid = Object.keys(params).filter((k) => !VALID.has(k))
  if (invalid.length) throw new LookupError(`Unrecognized parameter(s) given to password lookup: ${invalid.join(', ')}`)
  const opt = (k: string) => params[k] ?? kw[k]
  const length = Number(opt('length') ?? 20)
  if (!Number.isInteger(length) || length < 0) throw new LookupError(`password length must be a whole number, got ${pystr(opt('length'))}`)
  let spec = opt('chars') ?? DEFAULT_CHARS
  if (typeof spec === 'string') {
    const parts = spec.includes(',,') ? [','] : []
    parts.push(...spec.replace(/,,/g, ',').split(',').filter(Boolean))
    spec = parts
  }
  const chars = (spec as unknown[])
    .map((c) => CHARSETS[pystr(c)] ?? pystr(c))
    .join('')
    .replace(/["']/g, '')
  if (!chars) throw new LookupError('password lookup: chars gives no characters to choose from')
  const encrypt = opt('encrypt')
  const seed = opt('seed')
  return { path, length, chars, encrypt: encrypt ? pystr(encrypt) : undefined, seed: seed === null ? undefined : seed }
}

function random(chars: string, length: number, seed?: unknown): string {
  const rng = seed === undefined ? undefined : new PyRandom(seed)
  return Array.from({ length }, () => chars[rng ? rng.randbelow(chars.length) : randomInt(chars.length)]).join('')
}

/** The stored form: `password salt=SALT` (Ansible's), or the password alone. */
function parseContent(content: string): { password: string; salt?: string } {
  const at = content.lastIndexOf(' salt=')
  if (at < 0) return { password: content }
  const rest = content.slice(at + 6)
  const ident = rest.lastIndexOf(' ident=')
  return { password: content.slice(0, at), salt: ident < 0 ? rest : rest.slice(0, ident) }
}

export const password: Lookup = (terms, kw, env) =>
  terms.map((t) => {
    const p = parse(pystr(t), kw)
    const file = isAbsolute(p.path) ? p.path : join(env.ctx.baseDir, p.path)
    const keep = file !== '/dev/null'
    const stored = keep && existsSync(file) ? readFileSync(file, 'utf8').replace(/\s+$/, '') : undefined
    let { password, salt } = stored === undefined ? { password: random(p.chars, p.length, p.seed), salt: undefined } : parseContent(stored)
    let changed = stored === undefined
    if (p.encrypt && !salt) {
      if (!SALT_SIZE[p.encrypt]) throw new LookupError(`password lookup: encrypt=${p.encrypt} is not supported (sha512_crypt, sha256_crypt and md5_crypt are)`)
      salt = random(`${LOWER}${UPPER}${DIGITS}./`, SALT_SIZE[p.encrypt]!)
      changed = true
    }
    if (changed && keep) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
      const tmp = `${file}.${process.pid}.tmp`
      writeFileSync(tmp, `${salt ? `${password} salt=${salt}` : password}\n`, { mode: 0o600 })
      renameSync(tmp, file)
    }
    env.ctx.secret(password)
    if (!p.encrypt) return password
    const hashed = templatePasswordHash(password, p.encrypt, salt ?? null, null)
    env.ctx.secret(hashed)
    return hashed
  })
