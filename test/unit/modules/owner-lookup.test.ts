/** chownCommand run by sh on the controller: an unknown name fails with Ansible's words and the path's fields. */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { chownCommand, lookupFailure, namesKnown } from '../../../modules/files/owner-lookup.js'

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
})
