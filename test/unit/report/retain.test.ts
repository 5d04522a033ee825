import assert from 'node:assert/strict'
import { it } from 'node:test'
import { Retainer } from '../../../engine/report/retain.js'
import { result } from './fixtures.js'

const big = (c: string, kib: number) => `${c.repeat(kib * 1024 - 1)}\n`
const withDiff = (host: string, before: string, after: string) =>
  result(host, 'conf', 'changed', { changes: [{ summary: 'update /etc/app.conf', diff: { path: '/etc/app.conf', before, after } }] })

it('keeps small results as they are, and equal large texts once (the same drift on every host)', () => {
  const r = new Retainer(8 * 1024)
  const small = withDiff('h1', 'a=1\n', 'a=2\n')
  assert.equal(r.result(small), small, 'untouched')
  const [before, after] = [big('a', 3), big('b', 3)]
  for (const h of ['h1', 'h2', 'h3', 'h4']) {
    const kept = r.result(withDiff(h, before, after))
    assert.equal(kept.changes[0]!.diff!.before, before, `${h}: old side kept`)
    assert.equal(kept.changes[0]!.diff!.after, after, `${h}: new side kept`)
  }
})

it('past the budget of distinct large text, keeps a note; summary, status and host stay whole', () => {
  const r = new Retainer(7 * 1024)
  r.result(withDiff('h1', big('a', 3), big('b', 3)))
  const over = r.result({ ...withDiff('h2', big('c', 3), big('d', 3)), msg: big('m', 2) })
  assert.equal(over.host, 'h2')
  assert.equal(over.status, 'changed')
  assert.equal(over.changes[0]!.summary, 'update /etc/app.conf')
  assert.match(over.changes[0]!.diff!.before, /^\(old content not kept: 3 KiB, and this run already keeps 7 KiB of distinct diffs and messages\)/)
  assert.match(over.changes[0]!.diff!.after, /^\(new content not kept/)
  assert.match(over.msg!, /^\(message not kept: 2 KiB/)
  assert.equal(r.result(withDiff('h3', big('a', 3), big('b', 3))).changes[0]!.diff!.after, big('b', 3), 'a text kept before is still kept')
})
