/** knownHostKeys reads known_hosts once per version of the file, and sees every change. */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, it } from 'node:test'
import { knownHostKeys } from '../../../engine/connection/known-hosts.js'

/** As the connection judges a host key: unknown (none recorded), match, or mismatch. */
function verifyHostKey(file: string, host: string, port: number, key: Buffer): string {
  const known = knownHostKeys(file, host, port).map((k) => k.blob)
  return known.length === 0 ? 'unknown' : known.includes(key.toString('base64')) ? 'match' : 'mismatch'
}

const dir = mkdtempSync(join(tmpdir(), 'acplay-kh-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const key = (s: string) => Buffer.from(s)
const b64 = (s: string) => key(s).toString('base64')

it('plain, comma-separated and [host]:port names; a rewritten file is read again', () => {
  const file = join(dir, 'known_hosts')
  writeFileSync(file, `# comment\n10.0.0.1,web1 ssh-ed25519 ${b64('A')}\n[10.0.0.2]:2222 ssh-ed25519 ${b64('B')}\n@revoked * ssh-ed25519 ${b64('X')}\n`)
  assert.equal(verifyHostKey(file, '10.0.0.1', 22, key('A')), 'match')
  assert.equal(verifyHostKey(file, 'web1', 22, key('A')), 'match')
  assert.equal(verifyHostKey(file, '10.0.0.1', 22, key('B')), 'mismatch')
  assert.equal(verifyHostKey(file, '10.0.0.2', 2222, key('B')), 'match')
  assert.equal(verifyHostKey(file, '10.0.0.2', 22, key('B')), 'unknown')
  assert.equal(verifyHostKey(file, '10.0.0.3', 22, key('A')), 'unknown')
  writeFileSync(file, `10.0.0.1 ssh-ed25519 ${b64('C')}\n10.0.0.3 ssh-ed25519 ${b64('A')}\n`)
  assert.equal(verifyHostKey(file, '10.0.0.1', 22, key('A')), 'mismatch', 'the new file, not the cached one')
  assert.equal(verifyHostKey(file, '10.0.0.3', 22, key('A')), 'match')
  assert.equal(verifyHostKey(join(dir, 'missing'), '10.0.0.1', 22, key('A')), 'unknown')
})

it('hashed names (|1|salt|hash) still match', async () => {
  const { createHmac, randomBytes } = await import('node:crypto')
  const salt = randomBytes(20)
  const hash = createHmac('sha1', salt).update('10.0.0.9').digest('base64')
  const file = join(dir, 'hashed')
  writeFileSync(file, `|1|${salt.toString('base64')}|${hash} ssh-ed25519 ${b64('H')}\n10.0.0.8 ssh-ed25519 ${b64('P')}\n`)
  assert.equal(verifyHostKey(file, '10.0.0.9', 22, key('H')), 'match')
  assert.equal(verifyHostKey(file, '10.0.0.9', 22, key('P')), 'mismatch')
  assert.equal(verifyHostKey(file, '10.0.0.8', 22, key('P')), 'match')
})
