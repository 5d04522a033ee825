import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { cryptHash, cryptVerify, identifyHash } from '../../../engine/crypt.js'
import { htpasswd } from '../../../modules/htpasswd.js'
import { HtpasswdText, passwordMatches, withoutBlankLines } from '../../../modules/htpasswd/file.js'
import { validateParams } from '../../../modules/schema.js'
import { fakeCtx } from './fake-ctx.js'

// hashes of 's3cret pw' (the last: 'ünïcode') and edited files, recorded from passlib 1.7.4 (Debian 12)
const HASHES: [string, string][] = [
  ['apr_md5_crypt', '$apr1$abcdefgh$73ncRmiuy6qoGYuF29HGL/'],
  ['md5_crypt', '$1$Zz.9/aB1$fG1e.8WCNSgLJ1SyoeIzO.'],
  ['sha256_crypt', '$5$saltsaltsaltsalt$PMWQH92SV2fl6tQ6ZUFWZXVhDT1N6y1wMlqvNEBaou9'],
  ['sha256_crypt', '$5$rounds=12345$short$iDPn26/vulwh6f25dQGdh0UATt5TmqTjrwaCae4vjt0'],
  ['sha512_crypt', '$6$rounds=656000$0123456789abcdef$AiGT4CQWf0IT.j7pxTLHVQofqcKOHlWQGHE1DTmNYTrXcLkVsAviZUXK4aMH6Wf8hlYV0ovCz2h4biAEk29Eu.'],
  ['ldap_sha1', '{SHA}r+PQ/OnaVl2XSPhlHUY75Onr1SQ='],
  ['apr_md5_crypt', '$apr1$x$d9rhC1TQoY5M1j9P4l8FE1'],
]
const FILES: [string, string[][], string][] = [
  [
    '# users\nalice:pa\nbob:pb\n',
    [
      ['set', 'bob', 'new'],
      ['set', 'carol', 'pc'],
    ],
    '# users\nalice:pa\nbob:new\ncarol:pc\n',
  ],
  ['alice:pa\n# trailing comment\n\n\n', [['set', 'dave', 'pd']], 'alice:pa\n# trailing comment\n\n\ndave:pd\n'],
  ['alice:pa\nalice:dup\nbob:pb   \n', [['delete', 'alice']], 'alice:dup\nbob:pb\n'],
  ['alice:pa', [['set', 'bob', 'pb']], 'alice:pa\nbob:pb\n'],
  ['  # indented\nalice:pa\n#end', [['set', 'bob', 'pb']], '  # indented\nalice:pa\n#endbob:pb\n'],
]

describe('htpasswd', () => {
  it("checks passlib's hashes with their own salt and rounds, and makes hashes that check", () => {
    for (const [i, [scheme, hash]] of HASHES.entries()) {
      const pw = i === HASHES.length - 1 ? 'ünïcode' : 's3cret pw'
      assert.equal(identifyHash(hash, [scheme, 'plaintext']), scheme, hash)
      assert.equal(cryptVerify(pw, hash, scheme), true, hash)
      assert.equal(cryptVerify('wrong', hash, scheme), false, hash)
    }
    for (const scheme of ['apr_md5_crypt', 'md5_crypt', 'sha256_crypt', 'sha512_crypt', 'ldap_sha1', 'plaintext']) {
      const h = cryptHash(scheme, 'pw')!
      assert.equal(cryptVerify('pw', h, identifyHash(h, [scheme, 'plaintext'])!), true, scheme)
    }
    assert.match(cryptHash('apr_md5_crypt', 'pw')!, /^\$apr1\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{22}$/)
  })

  it("identifies a stored hash as Ansible's context does: an md5_crypt hash is plaintext to the htpasswd set", () => {
    const md5 = HASHES[1]![1]
    assert.equal(passwordMatches('s3cret pw', md5, 'apr_md5_crypt', 'u'), false, 'taken as a plaintext password')
    assert.equal(passwordMatches('s3cret pw', md5, 'md5_crypt', 'u'), true)
    assert.equal(passwordMatches('plain', 'plain', 'apr_md5_crypt', 'u'), true)
    // bcrypt is checked with the stored hash's ident, rounds and salt (passlib: $2y$ hash below; a malformed digest is no match)
    assert.equal(passwordMatches('s3cret pw', '$2y$05$abcdefghijklmnopqrstuuA7GpRYJF7WR2309Fw8EkEXdSyXmEjTe', 'apr_md5_crypt', 'bob'), true)
    assert.equal(passwordMatches('s3cret pw', '$2y$05$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234', 'apr_md5_crypt', 'bob'), false)
    assert.throws(() => passwordMatches('x', 'abJnggxhB/yWI', 'apr_md5_crypt', 'bob'), /stored hash of bob is des_crypt/)
  })

  it("edits the file as passlib's HtpasswdFile does", () => {
    for (const [text, ops, expected] of FILES) {
      const f = new HtpasswdText(text)
      for (const [op, user, pw] of ops) op === 'set' ? f.set(user!, pw!) : f.delete(user!)
      assert.equal(f.render(), expected, JSON.stringify(text))
    }
    assert.throws(() => new HtpasswdText('# c\nalice:pa\nbob:x:y\n'), /malformed htpasswd file \(error reading line 3\)/)
    assert.equal(withoutBlankLines('a:1\n\n  \nb:2\n'), 'a:1\nb:2\n')
    assert.equal(withoutBlankLines('a:1\nb:2'), 'a:1\nb:2')
  })

  // the file as the host has it, given to a check-mode context as what an earlier task left
  const hostFile = (text: string) => ({
    user: 'root',
    group: 'root',
    stat: {
      exists: true,
      type: 'file',
      mode: '0640',
      owner: 'root',
      group: 'www-data',
      size: text.length,
      sha256: createHash('sha256').update(text).digest('hex'),
    },
    text,
  })

  it("plans: ok for a matching password, an update in place otherwise, Ansible's messages; blank lines go without a change", async () => {
    const apr = HASHES[0]![1]
    const params = (raw: Record<string, unknown>) => validateParams(htpasswd, { path: '/etc/nginx/htpasswd', name: 'admin', ...raw })
    const ctx = (text: string) => fakeCtx({}, { check: true, effects: [{ fact: 'path.content', key: '/etc/nginx/htpasswd', value: hostFile(text) }] })
    const same = await htpasswd.plan(params({ password: 's3cret pw' }), ctx(`admin:${apr}\n`))
    assert.deepEqual([same.kind, same.data?.msg], ['ok', 'admin already present'])
    const other = await htpasswd.plan(params({ password: 'new' }), ctx(`admin:${apr}\nz:1\n`))
    assert.deepEqual([other.kind, other.data?.msg], ['change', 'Add/update admin'])
    const blank = await htpasswd.plan(params({ password: 's3cret pw' }), ctx(`admin:${apr}\n\n`))
    assert.equal(blank.kind, 'change')
    assert.ok(blank.kind === 'change' && blank.changes.every((c) => c.unchanged), 'rewritten, but not a change as Ansible counts it')
    const gone = await htpasswd.plan(params({ state: 'absent' }), ctx(`admin:${apr}\n`))
    assert.deepEqual([gone.kind, gone.data?.msg], ['change', 'Remove admin'])
    await assert.rejects(htpasswd.plan(params({}), ctx('')), /password is required with state=present/)
    await assert.rejects(htpasswd.plan(params({ password: 'x', crypt_scheme: 'bcrypt' }), ctx('')), /crypt_scheme "bcrypt" is not supported/)
  })
})
