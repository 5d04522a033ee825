/** Read-ahead's answers (engine/fact-cache.ts): used once each, and stale after any apply anywhere, reads in flight included. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ReadAhead } from '../../../engine/fact-cache.js'

describe('read-ahead answers', () => {
  it('are taken once per asker, by the exact question and user', () => {
    const ra = new ReadAhead()
    const a = ra.answers('a')
    a.put('path.stats', '["/etc/motd"]', undefined, 1)
    a.put('path.stats', '["/etc/motd"]', undefined, 2)
    assert.equal(a.take('path.stats', '["/etc/motd"]', 'postgres'), undefined, 'another user asks another question')
    assert.deepEqual(a.take('path.stats', '["/etc/motd"]', undefined), { value: 1 })
    assert.deepEqual(a.take('path.stats', '["/etc/motd"]', undefined), { value: 2 })
    assert.equal(a.take('path.stats', '["/etc/motd"]', undefined), undefined)
  })

  it('an apply on any host makes every host answer nothing, and forgets what they covered', () => {
    const ra = new ReadAhead()
    const task = {}
    for (const h of ['a', 'b']) {
      ra.answers(h).covers.add(task)
      ra.answers(h).put('user.info', 'app', undefined, { exists: true })
    }
    ra.view('a', true).changing()
    for (const h of ['a', 'b']) {
      assert.equal(ra.answers(h).covers.has(task), false, h)
      assert.equal(ra.view(h, true).take?.('user.info', 'app', undefined), undefined, h)
    }
    assert.equal(ra.quiet, 0)
  })

  it('an answer read while something was applied is dropped, not kept for later', () => {
    const ra = new ReadAhead()
    const b = ra.answers('b')
    const readAt = ra.changes
    ra.changing() // another host applies while b's read is on the wire
    b.put('user.info', 'app', undefined, { exists: false }, readAt)
    assert.equal(b.take('user.info', 'app', undefined), undefined)
    b.put('user.info', 'app', undefined, { exists: true }, ra.changes)
    assert.deepEqual(b.take('user.info', 'app', undefined), { value: { exists: true } })
  })
})
