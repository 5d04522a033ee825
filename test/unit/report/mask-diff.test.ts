import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { maskOldSecrets, maskResultDiffs } from '../../../engine/report/mask-diff.js'
import { result } from './fixtures.js'

describe('masking a rotated secret on the old side of a diff', () => {
  it('masks an old line that has the text around a masked new line', () => {
    const after = 'user=airflow\npassword=********\nDSN=postgresql://airflow:********@db:5432/airflow\n'
    const before = 'user=airflow\npassword=OldSecret1\nDSN=postgresql://airflow:Old%20Secret@db:5432/airflow\n'
    assert.equal(maskOldSecrets(before, after), 'user=airflow\npassword=********(old)\nDSN=postgresql://airflow:********(old)@db:5432/airflow\n')
  })

  it('leaves lines alone that match no masked line, and old sides already masked', () => {
    assert.equal(maskOldSecrets('a=1\nb=2\n', 'a=1\nb=3\n'), 'a=1\nb=2\n')
    assert.equal(maskOldSecrets('password=********\nx=1\n', 'password=********\nx=2\n'), 'password=********\nx=1\n')
    assert.equal(maskOldSecrets('host=db1\n', 'password=********\n'), 'host=db1\n')
  })

  it('a line that is a secret as a whole masks every old line (the safe side)', () => {
    assert.equal(maskOldSecrets('old-key-material\nmore\n', '********\n'), '********(old)\n********(old)\n')
  })

  it('special characters around the secret are literal, not regex', () => {
    assert.equal(maskOldSecrets('url=a.b(c)*?x[1]Old\n', 'url=a.b(c)*?x[1]********\n'), 'url=a.b(c)*?x[1]********(old)\n')
    assert.equal(maskOldSecrets('url=aXb(c)Old\n', 'url=a.b(c)********\n'), 'url=aXb(c)Old\n')
  })

  it('applies to every diff of a result', () => {
    const r = result('h', 't', 'changed', {
      changes: [{ summary: 's', diff: { path: '/p', before: 'pw=Old\n', after: 'pw=********\n' } }, { summary: 'no diff' }],
    })
    assert.equal(maskResultDiffs(r).changes[0]!.diff!.before, 'pw=********(old)\n')
    assert.equal(r.changes[0]!.diff!.before, 'pw=Old\n', 'the input is not modified')
  })
})
