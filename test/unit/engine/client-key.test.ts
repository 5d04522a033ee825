/** privateKeyOf signs with a key object parsed once: the same signatures ssh2 makes from the PEM. */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, it } from 'node:test'
import ssh2, { type ParsedKey } from 'ssh2'
import { privateKeyOf } from '../../../engine/connection/client-key.js'

const dir = mkdtempSync(join(tmpdir(), 'acplay-ck-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const data = Buffer.from('the exchange hash a login signs')

/** A fresh key of this type in OpenSSH's format, as ssh-keygen writes it. */
function keyFile(name: string, ...args: string[]): string {
  const file = join(dir, name)
  execFileSync('ssh-keygen', ['-q', '-N', '', '-f', file, ...args])
  return file
}

/** ssh2's own parse of the file, which signs from the PEM text. */
const ssh2Key = (file: string) => ssh2.utils.parseKey(readFileSync(file)) as ParsedKey

for (const [name, args, deterministic] of [
  ['ed25519', ['-t', 'ed25519'], true],
  ['rsa', ['-t', 'rsa', '-b', '2048'], true],
  ['ecdsa256', ['-t', 'ecdsa', '-b', '256'], false],
  ['ecdsa521', ['-t', 'ecdsa', '-b', '521'], false],
] as const) {
  it(`${name}: signatures verify as ssh2's do, for the default hash and the ones ssh2 names`, () => {
    const file = keyFile(name, ...args)
    const key = privateKeyOf(file)
    assert.ok(typeof key !== 'string', String(key))
    assert.equal(privateKeyOf(file), key, 'parsed once')
    const theirs = ssh2Key(file)
    assert.notEqual(key.sign, theirs.sign, 'signs with its key object')
    const hashes = name === 'rsa' ? [undefined, 'sha256', 'sha512'] : [undefined]
    for (const hash of hashes) {
      const ours = key.sign(data, hash)
      assert.ok(Buffer.isBuffer(ours), `a signature, not ${String(ours)}`)
      assert.equal(theirs.verify(data, ours, hash), true, `verifies (${hash ?? 'default hash'})`)
      assert.equal(theirs.verify(Buffer.from('other data'), ours, hash), false)
      if (deterministic) assert.deepEqual(ours, theirs.sign(data, hash), 'the very signature ssh2 makes')
    }
  })
}

it('a key file rewritten with another key is parsed again and signs with the new key', () => {
  const file = keyFile('again', '-t', 'ed25519')
  const first = privateKeyOf(file) as ParsedKey
  rmSync(file)
  rmSync(`${file}.pub`)
  writeFileSync(join(dir, 'marker'), '') // a new inode for the new file
  keyFile('again', '-t', 'ed25519')
  const second = privateKeyOf(file) as ParsedKey
  assert.notEqual(second, first)
  assert.equal(ssh2Key(file).verify(data, second.sign(data), undefined), true)
  assert.equal(ssh2Key(file).verify(data, first.sign(data), undefined), false)
})
