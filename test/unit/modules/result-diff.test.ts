/** The registered `diff` of file, copy, lineinfile: Ansible 2.14's shapes (compared with it in e2e/file-results-ansible). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { resultDiff } from '../../../modules/result-diff.js'
import type { Change } from '../../../modules/types.js'

const attrs = (a: Record<string, [string, string]>): Change => ({ summary: 's', commands: [], diff: { path: '/p', before: '', after: '', attrs: a } })
const upload = (secret = false): Change => ({
  summary: 'w',
  commands: [],
  upload: { dest: '/p', content: 'new\n', secret: secret || undefined },
  diff: { path: '/p', before: 'old\n', after: 'new\n', attrs: { mode: ['0644', '0600'] } },
})

describe('registered diff', () => {
  it('file: path, state and mode when they change; none for an absent path left absent', () => {
    assert.deepEqual(resultDiff('file', { path: '/p', state: 'link' }, [attrs({ state: ['absent', 'symlink -> /q'] })], false, { path: '/p' }), {
      before: { path: '/p', state: 'absent' },
      after: { path: '/p', state: 'link' },
    })
    assert.deepEqual(resultDiff('file', { path: '/p' }, [attrs({ mode: ['0644', '0600'] })], false, { path: '/p' }), {
      before: { path: '/p', mode: '0644' },
      after: { path: '/p', mode: '0600' },
    })
    assert.equal(resultDiff('file', { path: '/p', state: 'absent' }, [], false, { path: '/p' }), undefined)
  })
  it('file: owner and group as the ids before and after the change; not in check mode (the result holds the ids read before)', () => {
    const change = [attrs({ owner: ['root', 'nobody'], group: ['root', 'nogroup'] })]
    const found = { uid: 0, gid: 0 }
    assert.deepEqual(resultDiff('file', { path: '/p' }, change, false, { path: '/p', uid: 65534, gid: 65534 }, { found }), {
      before: { path: '/p', owner: 0, group: 0 },
      after: { path: '/p', owner: 65534, group: 65534 },
    })
    assert.deepEqual(resultDiff('file', { path: '/p' }, change, false, { path: '/p', ...found }, { found }), { before: { path: '/p' }, after: { path: '/p' } })
  })
  it('copy: the texts only under diff mode, never a secret; same content goes through file', () => {
    assert.deepEqual(resultDiff('copy', { dest: '/p', content: 'new\n' }, [upload()], false, {}), [])
    assert.deepEqual(resultDiff('copy', { dest: '/p', src: 'f' }, [upload()], true, {}), [
      { before_header: '/p', before: 'old\n', after_header: 'f', after: 'new\n' },
    ])
    assert.deepEqual(resultDiff('copy', { dest: '/p', content: 's' }, [upload(true)], true, {}), [])
    assert.deepEqual(resultDiff('copy', { dest: '/p' }, [], true, { dest: '/p' }), { before: { path: '/p' }, after: { path: '/p' } })
  })
  it('lineinfile: content and file attributes entries; none for a file not present', () => {
    const [content, fileAttrs] = resultDiff('lineinfile', { path: '/p' }, [upload()], false, {}) as Record<string, unknown>[]
    assert.deepEqual(content, { before: '', after: '', before_header: '/p (content)', after_header: '/p (content)' })
    assert.deepEqual(fileAttrs, {
      before: { mode: '0644' },
      after: { mode: '0600' },
      before_header: '/p (file attributes)',
      after_header: '/p (file attributes)',
    })
    assert.equal((resultDiff('lineinfile', { path: '/p' }, [upload()], true, {}) as Record<string, unknown>[])[0]!.after, 'new\n')
    assert.equal(resultDiff('lineinfile', { path: '/p', state: 'absent' }, [], false, { msg: 'file not present' }), undefined)
  })
  it('lineinfile, blockinfile unchanged under diff mode: the file twice, as Ansible reads and returns it', () => {
    const texts = { before: 'a\n', after: 'a\n' }
    for (const mod of ['lineinfile', 'blockinfile']) {
      const [content] = resultDiff(mod, { path: '/p' }, [], true, {}, { texts }) as Record<string, unknown>[]
      assert.deepEqual([content!.before, content!.after], ['a\n', 'a\n'], mod)
      const [quiet] = resultDiff(mod, { path: '/p' }, [], false, {}, { texts }) as Record<string, unknown>[]
      assert.deepEqual([quiet!.before, quiet!.after], ['', ''], `${mod} without diff mode`)
    }
  })
})
