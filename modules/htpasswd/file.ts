/**
 * An htpasswd file as passlib's HtpasswdFile reads and writes it (what Ansible's module runs on):
 * `user:hash` records; blank and `#` lines kept as they are; a user's second line is kept as text
 * and never read; an updated user stays on its line, a new one goes at the end; trailing blank
 * lines go. And whether a password matches a stored hash, identified as passlib's context does.
 */
import { cryptVerify, identifyHash } from '../../engine/crypt.js'
import { ModuleFailure } from '../../engine/errors.js'
import { pyReadlines } from '../pytext.js'

type Source = { text: string } | { user: string }

/** What Ansible's module does first: if the file has a blank line, every blank line goes. */
export function withoutBlankLines(text: string): string {
  const lines = pyReadlines(text)
  return lines.some((l) => l.trim() === '') ? lines.filter((l) => l.trim() !== '').join('') : text
}

export class HtpasswdText {
  private readonly records = new Map<string, string>()
  private readonly source: Source[] = []

  constructor(text: string) {
    let skipped = ''
    for (const [i, line] of pyReadlines(text).entries()) {
      const tmp = line.trimStart()
      if (tmp === '' || tmp.startsWith('#')) {
        skipped += line
        continue
      }
      const fields = line.trimEnd().split(':')
      if (fields.length !== 2) throw new Error(`malformed htpasswd file (error reading line ${i + 1})`)
      const [user, hash] = fields as [string, string]
      if (this.records.has(user)) {
        skipped += line
        continue
      }
      if (skipped) this.source.push({ text: skipped })
      skipped = ''
      this.records.set(user, hash)
      this.source.push({ user })
    }
    if (skipped.trimEnd()) this.source.push({ text: skipped })
  }

  get(user: string): string | undefined {
    return this.records.get(user)
  }

  set(user: string, hash: string): void {
    if (!this.records.has(user)) this.source.push({ user })
    this.records.set(user, hash)
  }

  delete(user: string): boolean {
    return this.records.delete(user)
  }

  render(): string {
    return this.source.map((s) => ('text' in s ? s.text : this.records.has(s.user) ? `${s.user}:${this.records.get(s.user)}\n` : '')).join('')
  }
}

/** passlib's htpasswd context, in its order: the schemes a stored hash may be (plaintext takes anything). */
const HTPASSWD_SCHEMES = ['bcrypt', 'sha256_crypt', 'sha512_crypt', 'apr_md5_crypt', 'des_crypt', 'ldap_sha1', 'plaintext']
const APACHE_SCHEMES = ['apr_md5_crypt', 'des_crypt', 'ldap_sha1', 'plaintext']

/**
 * Whether `password` is the user's: the stored hash identified among the schemes Ansible's module
 * gives passlib (the htpasswd set for Apache's own schemes, else crypt_scheme then Apache's).
 */
export function passwordMatches(password: string, stored: string, cryptScheme: string, user: string): boolean {
  const schemes = APACHE_SCHEMES.includes(cryptScheme) ? HTPASSWD_SCHEMES : [cryptScheme, ...APACHE_SCHEMES]
  const scheme = identifyHash(stored, schemes) ?? 'plaintext'
  const ok = cryptVerify(password, stored, scheme)
  if (ok === undefined)
    throw new ModuleFailure(
      `the stored hash of ${user} is ${scheme}, which acplay cannot check (it makes and checks ${'apr_md5_crypt, md5_crypt, sha256_crypt, sha512_crypt, ldap_sha1 and plaintext, and checks bcrypt'})`,
    )
  return ok
}
