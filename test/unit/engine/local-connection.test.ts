/**
 * The local connection's become: without sudo on the controller, a become error, never a raw ENOENT
 * (with a password too); become to the controller's own user needs no sudo, as in Ansible.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { LocalConnection } from '../../../engine/connection/local.js'
import { AcplayError } from '../../../engine/errors.js'

test('become with no sudo on the PATH fails as E_BECOME, naming what is missing', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'acplay-nosudo-'))
  const path = process.env.PATH
  process.env.PATH = empty
  try {
    const conn = new LocalConnection('localhost')
    await assert.rejects(conn.exec('true', { become: { user: 'nobody' } }), (e: unknown) => {
      assert.ok(e instanceof AcplayError, String(e))
      assert.equal(e.code, 'E_BECOME')
      assert.match(e.message, /become needs sudo on this machine \(local connection\), and sudo was not found/)
      return true
    })
    await conn.close()
  } finally {
    process.env.PATH = path
    rmSync(empty, { recursive: true, force: true })
  }
})

test('with a become password and no sudo: E_BECOME too, and the password line is read, never run', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'acplay-nosudo-'))
  const marker = join(empty, 'ran')
  const path = process.env.PATH
  process.env.PATH = empty
  try {
    const conn = new LocalConnection('localhost')
    await assert.rejects(conn.exec('true', { become: { user: 'nobody', password: `/usr/bin/touch ${marker}` } }), (e: unknown) => {
      assert.ok(e instanceof AcplayError, String(e))
      assert.equal(e.code, 'E_BECOME')
      assert.match(e.message, /become needs sudo on localhost, and sudo was not found/)
      return true
    })
    await conn.close()
    assert.equal(existsSync(marker), false, 'the password was run as a command')
  } finally {
    process.env.PATH = path
    rmSync(empty, { recursive: true, force: true })
  }
})

test("become to the controller's own user runs without sudo (Ansible skips it), unless become_allow_same_user", async () => {
  const empty = mkdtempSync(join(tmpdir(), 'acplay-nosudo-'))
  const path = process.env.PATH
  process.env.PATH = empty
  const me = userInfo().username
  try {
    const conn = new LocalConnection('localhost')
    // no sudo on the PATH: only a script run without it can answer
    assert.deepEqual(await conn.exec('echo ok', { become: { user: me } }), { rc: 0, stdout: 'ok\n', stderr: '' })
    await conn.close()
    const strict = new LocalConnection('localhost', undefined, true)
    await assert.rejects(strict.exec('true', { become: { user: me } }), (e: unknown) => e instanceof AcplayError && e.code === 'E_BECOME')
    await strict.close()
  } finally {
    process.env.PATH = path
    rmSync(empty, { recursive: true, force: true })
  }
})
