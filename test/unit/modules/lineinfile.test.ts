/** lineinfile's editing against Ansible's documented and coded behaviour, plus the planner given recorded facts. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { absent, present } from '../../../modules/files/lines.js'
import { expand, pyRegex } from '../../../modules/files/py-regex.js'
import { pathContent } from '../../../modules/facts/path.js'
import { lineinfile } from '../../../modules/lineinfile.js'
import { blockinfile } from '../../../modules/blockinfile.js'
import { replace } from '../../../modules/replace.js'
import { validateParams } from '../../../modules/schema.js'
import { fakeCtx } from './fake-ctx.js'
import { statsOutput } from './stats-output.js'

const b64 = (s: string) => Buffer.from(s).toString('base64')
const sha = 'fe3209d6d4f51935b391288a43df48d9ddece1a992597ae53387ca16611a9179' // of "a=1\n"

describe('lineinfile present/absent (Ansible semantics)', () => {
  const hba = 'local all postgres peer\nlocal all all peer\nhost all all 127.0.0.1/32 md5\n'
  it('replaces the LAST regexp match; firstmatch the first', () => {
    const t = 'x=1\nx=2\ny=3\n'
    assert.deepEqual(present(t, { line: 'x=9', regexp: /^x=/ }), { text: 'x=1\nx=9\ny=3\n', changed: true, msg: 'line replaced' })
    assert.equal(present(t, { line: 'x=9', regexp: /^x=/, firstmatch: true }).text, 'x=9\nx=2\ny=3\n')
  })
  it('backrefs expand groups; no match leaves the file alone', () => {
    const r = present(hba, { line: '\\1md5', regexp: pyRegex('^(local\\s+all\\s+all\\s+)peer$', 'regexp'), backrefs: true })
    assert.equal(r.text, hba.replace('all all peer', 'all all md5'))
    assert.deepEqual(present('a\n', { line: '\\1', regexp: /^(zzz)/, backrefs: true }), { text: 'a\n', changed: false, msg: '' })
    assert.equal(expand(/(?<k>\w+)=(\d)/.exec('ab=1')!, '\\g<k>:\\2:\\g<1>\\t'), 'ab:1:ab\t')
  })
  it('no match: insert after the last insertafter match, before the last insertbefore, BOF, EOF', () => {
    assert.equal(present(hba, { line: 'NEW', insertafter: '^local' }).text, 'local all postgres peer\nlocal all all peer\nNEW\nhost all all 127.0.0.1/32 md5\n')
    assert.equal(
      present(hba, { line: 'NEW', insertbefore: '^local' }).text,
      'local all postgres peer\nNEW\nlocal all all peer\nhost all all 127.0.0.1/32 md5\n',
    )
    assert.equal(present(hba, { line: 'NEW', insertbefore: 'BOF' }).text, `NEW\n${hba}`)
    assert.equal(present(hba, { line: 'NEW' }).text, `${hba}NEW\n`)
    assert.equal(present(hba, { line: 'NEW', insertafter: '^nomatch' }).text, `${hba}NEW\n`)
    assert.equal(present('no newline', { line: 'NEW' }).text, 'no newline\nNEW\n')
    assert.equal(present('', { line: 'NEW' }).text, 'NEW\n')
  })
  it('an exact line anywhere means ok; already after the anchor means ok', () => {
    assert.equal(present(hba, { line: 'local all all peer' }).changed, false)
    assert.equal(present('a\nNEW\nb\n', { line: 'NEW', insertafter: '^a' }).changed, false)
    assert.equal(present('a\nb\n', { line: 'b', insertafter: '^a' }).changed, false)
  })
  it('search_string matches literally', () => {
    assert.equal(present('a.b=1\naxb=2\n', { line: 'a.b=3', searchString: 'a.b' }).text, 'a.b=3\naxb=2\n')
  })
  it('absent removes every match', () => {
    assert.deepEqual(absent('x=1\ny\nx=2\n', { regexp: /^x=/ }), { text: 'y\n', found: 2 })
    assert.deepEqual(absent('x\ny\n', { line: 'y' }), { text: 'x\n', found: 1 })
    assert.deepEqual(absent('x\n', { searchString: 'q' }), { text: 'x\n', found: 0 })
  })
  it('Python regex syntax: named groups', () => {
    assert.equal(pyRegex('(?P<a>x)(?P=a)', 'regexp').source, '(?<a>x)\\k<a>')
    assert.throws(() => pyRegex('(', 'regexp'), /argument 'regexp' is not a valid regular expression/)
  })
})

describe('lineinfile planner given recorded facts', () => {
  const out = statsOutput('root', 'root', [{ stat: 'regular file|644|root|root|0|0|4|131|2049', sha }], b64('a=1\n'))
  it('parses path.content and plans an ok with a reason (one read)', async () => {
    const c = pathContent.parse({ rc: 0, stdout: out, stderr: '' }, '/etc/a.conf')
    assert.equal(c.text, 'a=1\n')
    assert.equal(c.stat.mode, '0644')
    const ctx = fakeCtx({ [JSON.stringify(['path.content', '/etc/a.conf'])]: out })
    const plan = await lineinfile.plan(
      { path: '/etc/a.conf', line: 'a=1', state: 'present', backrefs: false, firstmatch: false, create: false, backup: false } as never,
      ctx,
    )
    assert.deepEqual(plan, { kind: 'ok', reason: 'line present in /etc/a.conf; mode 0644, owner root:root', data: { msg: '', backup: '' } })
    assert.equal(ctx.reads.length, 1)
  })
  it('an unreadable file is an error, never an empty file', () => {
    const bad = statsOutput('deploy', 'deploy', [{ stat: 'regular file|600|root|root|0|0|4|131|2049' }])
    assert.throws(() => pathContent.parse({ rc: 0, stdout: bad, stderr: 'Permission denied' }, '/etc/shadow'), /cannot read \/etc\/shadow: Permission denied/)
  })
  it('records path.stat and path.content effects for the new content', async () => {
    const ctx = fakeCtx({ [JSON.stringify(['path.content', '/etc/a.conf'])]: out })
    const plan = await lineinfile.plan(
      { path: '/etc/a.conf', line: 'b=2', state: 'present', backrefs: false, firstmatch: false, create: false, backup: false } as never,
      ctx,
    )
    assert.equal(plan.kind, 'change')
    const ch = plan.kind === 'change' ? plan.changes[0]! : undefined
    assert.equal(ch?.summary, 'line added in /etc/a.conf')
    assert.deepEqual(
      ch?.effects?.map((e) => e.fact),
      ['path.stat', 'path.content'],
    )
    assert.equal((ch?.effects?.[1]?.value as { text: string } | undefined)?.text, 'a=1\nb=2\n')
    assert.equal(ch?.upload?.mode, '0644')
  })
})

describe('a missing file without create (Ansible: rc 257 beside the message)', () => {
  it('lineinfile, blockinfile and replace fail with rc 257', async () => {
    const ctx = () => fakeCtx({ [JSON.stringify(['path.content', '/etc/none.conf'])]: statsOutput('root', 'root', ['absent']) })
    const fails = (mod: typeof lineinfile | typeof blockinfile | typeof replace, raw: Record<string, unknown>, msg: RegExp) =>
      assert.rejects(
        () => mod.plan(validateParams(mod as never, { path: '/etc/none.conf', ...raw }) as never, ctx()),
        (e: Error & { data?: Record<string, unknown> }) => msg.test(e.message) && e.data?.rc === 257,
      )
    await fails(lineinfile, { line: 'a' }, /^Destination \/etc\/none.conf does not exist !$/)
    await fails(blockinfile, { block: 'a' }, /^Path \/etc\/none.conf does not exist !$/)
    await fails(replace, { regexp: 'a', replace: 'b' }, /^Path \/etc\/none.conf does not exist !$/)
  })
})
