/**
 * chownCommand and remoteCopyCommand run by sh on the controller: an unknown name fails with
 * Ansible's words and the path's fields; check mode's look-up (unknownNames) reads only when the
 * stat does not show the name.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { accountsKnown } from '../../../modules/facts/accounts-known.js'
import {
  chownCommand,
  lookupFailure,
  namesKnown,
  remoteCopyCommand,
  unknownNameFailure,
  unknownNames,
  unknownNameWarnings,
} from '../../../modules/files/owner-lookup.js'
import { fakeCtx } from './fake-ctx.js'

const dir = mkdtempSync(join(tmpdir(), 'acplay-owner-lookup-'))
const run = (argv: string[]) => spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' })

describe('owner and group lookups', () => {
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('an unknown owner: not changed, the mark names the user and the first path, with its fields', () => {
    const f = join(dir, 'a b')
    writeFileSync(f, 'xy')
    const r = run(chownCommand({ owner: 'nosuchu', group: 'nosuchg' }, [f, join(dir, 'other')]).argv)
    assert.equal(r.status, 1)
    const failed = lookupFailure(r.stderr)
    assert.equal(failed?.msg, 'chown failed: failed to look up user nosuchu')
    const { path, state, size, uid } = failed?.data ?? {}
    assert.deepEqual({ path, state, size, uid }, { path: f, state: 'file', size: 2, uid: userInfo().uid })
  })

  it("an unknown group after a known owner (chown'd first); touch's new file removed again", () => {
    const f = join(dir, 'made')
    writeFileSync(f, '')
    const r = run(chownCommand({ owner: userInfo().username, group: 'nosuchg' }, [f], 'made').argv)
    assert.equal(lookupFailure(r.stderr)?.msg, 'chgrp failed: failed to look up group nosuchg')
    assert.equal(lookupFailure(r.stderr)?.data.size, 0)
    assert.equal(existsSync(f), false)
  })

  it('known names and ids are one chown; namesKnown says so', () => {
    const f = join(dir, 'known')
    writeFileSync(f, '')
    const r = run(chownCommand({ owner: String(userInfo().uid) }, [f]).argv)
    assert.equal(r.status, 0, r.stderr)
    assert.equal(run(['sh', '-c', `${namesKnown(userInfo().username)} && echo yes`]).stdout, 'yes\n')
    assert.equal(run(['sh', '-c', `${namesKnown('', 'nosuchg')} || echo no`]).stdout, 'no\n')
    assert.equal(lookupFailure('no mark\n'), undefined)
  })

  it("a path below relativeTo is named relative to it (the file module's relative path, as given)", () => {
    const f = join(dir, 'rel')
    writeFileSync(f, '')
    const r = run(chownCommand({ owner: 'nosuchu' }, [f], '', dir).argv)
    assert.equal(lookupFailure(r.stderr)?.data.path, 'rel')
  })

  it('remote_src: an unknown group fails after the move, dest keeping its old mode; known names: the wanted mode', () => {
    const [src, dest] = [join(dir, 'src'), join(dir, 'dest')]
    writeFileSync(src, 'new\n')
    writeFileSync(dest, 'old\n', { mode: 0o640 })
    const r = run(remoteCopyCommand(src, dest, { owner: userInfo().username, group: 'nosuchg' }, '0600').argv)
    assert.equal(r.status, 1)
    assert.deepEqual([lookupFailure(r.stderr)?.msg, lookupFailure(r.stderr)?.data.path], ['chgrp failed: failed to look up group nosuchg', dest])
    assert.deepEqual([readFileSync(dest, 'utf8'), statSync(dest).mode & 0o777], ['new\n', 0o640])
    const ok = run(remoteCopyCommand(src, join(dir, 'dest2'), { owner: String(userInfo().uid) }, '0600').argv)
    assert.equal(ok.status, 0, ok.stderr)
    assert.equal(statSync(join(dir, 'dest2')).mode & 0o777, 0o600)
  })
})

describe('check mode: which names the host does not know', () => {
  const st = { exists: true, type: 'file' as const, owner: 'root', group: 'root', uid: 0, gid: 0, mode: '0644', size: 1, nlink: 1 }
  const key = (o: string, g: string) => JSON.stringify([accountsKnown.name, o, g])

  it('names the stat shows and ids are known without a read; not in check mode, nothing is asked', async () => {
    const ctx = fakeCtx({}, { check: true })
    assert.deepEqual(await unknownNames(ctx, { owner: 'root', group: '0' }, st), {})
    assert.deepEqual(await unknownNames(fakeCtx({}), { owner: 'nosuchu' }, st), {})
    assert.deepEqual(ctx.reads, [])
  })

  it('one read for both names; owner first in the failure, ids only warned of', async () => {
    const ctx = fakeCtx({ [key('nosuchu', 'nosuchg')]: '2 2 ' }, { check: true })
    const unknown = await unknownNames(ctx, { owner: 'nosuchu', group: 'nosuchg' }, st)
    assert.deepEqual(unknown, { owner: 'nosuchu', group: 'nosuchg' })
    assert.equal(unknownNameFailure(unknown, '/f', st)?.message, 'chown failed: failed to look up user nosuchu')
    assert.deepEqual(unknownNameFailure(unknown, '/f', st)?.data, {
      path: '/f',
      uid: 0,
      gid: 0,
      owner: 'root',
      group: 'root',
      mode: '0644',
      state: 'file',
      size: 1,
    })
    const ids = fakeCtx({ [key('4242', '')]: '2 - ' }, { check: true })
    const byId = await unknownNames(ids, { owner: '4242' }, st, true)
    assert.equal(unknownNameFailure(byId, '/f', st), undefined)
    assert.deepEqual(unknownNameWarnings(byId), ['failed to look up user with uid 4242. Create user up to this point in real play'])
  })

  it("an earlier task's user is known without a read", async () => {
    const ctx = fakeCtx({}, { check: true, effects: [{ fact: 'user.info', key: 'astro', value: { exists: true } }] })
    assert.deepEqual(await unknownNames(ctx, { owner: 'astro' }, st), {})
    assert.deepEqual(ctx.reads, [])
  })
})
