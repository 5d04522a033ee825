/** copy: the path.tree parser from recorded output, shlex for validate, and the tree planner given facts. */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { uploadsScript } from '../../../engine/apply-plan.js'
import { copy } from '../../../modules/copy.js'
import { pathTree } from '../../../modules/facts/tree.js'
import { shlexSplit } from '../../../engine/connection/shlex.js'
import { sha256 } from '../../../modules/files/stat.js'
import { fakeCtx } from './fake-ctx.js'

const A = sha256('a\n')
// recorded shape of `sh -c TREE_SCRIPT sh /srv/dags` (NUL-separated; names may hold anything)
const TREE = `root|root\ndir\n${[
  'd|755|root|root|0|0|4096|',
  '',
  'f|644|root|root|0|0|2|a.py',
  '',
  'd|755|root|root|0|0|4096|sub',
  '',
  'f|600|root|root|0|0|4|sub/we|rd\nname.py',
  '',
  'l|777|root|root|0|0|4|link',
  'a.py',
].join('\0')}\0${A}  ./a.py\0${sha256('old\n')}  ./sub/we|rd\nname.py\0`

describe('path.tree parse', () => {
  it('entries with modes, owners, checksums and link targets; absent and notdir', () => {
    const t = pathTree.parse({ rc: 0, stdout: TREE, stderr: '' }, '/srv/dags')
    assert.equal(t.state, 'dir')
    assert.deepEqual(Object.keys(t.entries), ['', 'a.py', 'sub', 'sub/we|rd\nname.py', 'link'])
    assert.equal(t.entries['a.py']!.sha256, A)
    assert.equal(t.entries['sub/we|rd\nname.py']!.mode, '0600')
    assert.equal(t.entries.link!.linkTarget, 'a.py')
    assert.deepEqual(pathTree.parse({ rc: 0, stdout: 'root|root\nabsent\n', stderr: '' }, '/x'), { state: 'absent', entries: {}, user: 'root', group: 'root' })
    assert.equal(pathTree.parse({ rc: 0, stdout: 'root|root\nnotdir\n', stderr: '' }, '/x').state, 'notdir')
  })
})

describe('copy tree planner given facts', () => {
  const local = mkdtempSync(join(tmpdir(), 'acplay-copy-unit-'))
  after(() => rmSync(local, { recursive: true, force: true }))
  mkdirSync(join(local, 'dags', 'sub', 'new'), { recursive: true })
  writeFileSync(join(local, 'dags', 'a.py'), 'a\n')
  writeFileSync(join(local, 'dags', 'sub', 'we|rd\nname.py'), 'new\n')
  writeFileSync(join(local, 'dags', 'sub', 'new', 'b.py'), 'b\n')
  const ctx = () => fakeCtx({ [JSON.stringify(['path.tree', '/srv/dags'])]: TREE })
  const p = { src: `${join(local, 'dags')}/`, dest: '/srv/dags', backup: false, force: true, secret: false } as never

  it('uploads only what differs, creates missing dirs first, records effects for all', async () => {
    const c = ctx()
    const plan = await copy.plan(p, c)
    assert.equal(plan.kind, 'change')
    const changes = plan.kind === 'change' ? plan.changes : []
    assert.deepEqual(
      changes.map((x) => x.summary),
      ['create 1 directory under /srv/dags (mode 0755)', 'create /srv/dags/sub/new/b.py', 'update /srv/dags/sub/we|rd\nname.py'],
    )
    assert.equal(changes[2]!.upload?.mode, '0600', 'an existing file keeps its mode')
    const effects = changes.flatMap((x) => x.effects ?? [])
    assert.ok(effects.some((e) => e.fact === 'path.tree' && e.key === '/srv/dags'))
    assert.ok(effects.some((e) => e.fact === 'path.stat' && e.key === '/srv/dags/sub/new'))
  })
  it('no-op when everything matches: one read, ok with a reason', async () => {
    writeFileSync(join(local, 'dags', 'sub', 'we|rd\nname.py'), 'old\n')
    rmSync(join(local, 'dags', 'sub', 'new'), { recursive: true })
    const c = ctx()
    const plan = await copy.plan(p, c)
    assert.deepEqual(plan, { kind: 'ok', reason: '/srv/dags: all 2 file(s) up to date (sha256, owner and mode match)', data: { dest: '/srv/dags' } })
    assert.equal(c.reads.length, 1)
  })
})

describe('validate', () => {
  it('is split like shlex and %s points at the temp file, quoted', () => {
    assert.deepEqual(shlexSplit(`visudo -cf %s`), ['visudo', '-cf', '%s'])
    assert.deepEqual(shlexSplit(`sh -c 'test -s "$1"' x --file=%s "a b"`), ['sh', '-c', 'test -s "$1"', 'x', '--file=%s', 'a b'])
    const script = uploadsScript([{ content: 'x', dest: '/etc/sudoers.d/a b', validate: ['visudo', '-cf', '%s', '--x=%s.bak'] }])
    assert.match(script, /\nvrc=0; visudo -cf "\$t0" --x="\$t0".bak > "\$t0.vo" 2> "\$t0.ve" \|\| vrc=\$\?\n/)
  })
})
