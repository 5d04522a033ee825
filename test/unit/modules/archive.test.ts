import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { archive } from '../../../modules/archive.js'
import { commonPath, decide, isArchiveName, tarTuples, walkOrder, zipName } from '../../../modules/archive/decide.js'
import { globMatches, withEarlier } from '../../../modules/archive/earlier.js'
import type { SourceEntry, Sources } from '../../../modules/facts/archive-sources.js'
import type { FactEffect, Plan } from '../../../modules/types.js'
import { fakeCtx } from './fake-ctx.js'

const T = 1_700_000_000
const f = (over: Partial<SourceEntry> = {}): SourceEntry => ({
  t: 'f',
  mode: 0o644,
  uid: 0,
  gid: 0,
  uname: 'root',
  gname: 'root',
  size: 3,
  bytes: 3,
  mt: T,
  ino: 10,
  dev: 1,
  nlink: 1,
  isdir: false,
  ok: true,
  ...over,
})
const dir = (over: Partial<SourceEntry> = {}) => f({ t: 'd', mode: 0o755, size: 0, bytes: 4096, isdir: true, ...over })

// /srv/app: a.txt, link -> a.txt, sub/ (b.log), cache/ (x.bin); listed by the host in this order
function tree(): Sources {
  return {
    user: 'root',
    group: 'root',
    umask: 0o022,
    expanded: ['/srv/app'],
    excluded: [],
    paths: ['/srv/app'],
    entries: {
      '/srv/app': dir(),
      '/srv/app/a.txt': f({ ino: 11 }),
      '/srv/app/link': f({ t: 'l', mode: 0o777, size: 0, link: 'a.txt', ino: 12 }),
      '/srv/app/sub': dir({ ino: 13 }),
      '/srv/app/sub/b.log': f({ ino: 14 }),
      '/srv/app/cache': dir({ ino: 15 }),
      '/srv/app/cache/x.bin': f({ ino: 16, size: 9 }),
    },
    walks: { '/srv/app': ['a.txt', 'link', 'sub', 'cache'], '/srv/app/sub': ['b.log'], '/srv/app/cache': ['x.bin'] },
    dest: { path: '/srv/out/app.tgz', stat: { exists: false }, exists: false, isdir: false, readable: false, parentOk: true },
  }
}

const args = (over: Record<string, unknown> = {}) => ({ path: ['/srv/app'], format: 'gz' as const, force_archive: false, remove: false, ...over })

describe('archive: the decisions of community.general 6.6', () => {
  it("computes the module's root from the paths' directories (character prefix, then back to a directory)", () => {
    assert.equal(commonPath(['/a/b/c']), '/a/b/')
    assert.equal(commonPath(['/a/bc/x', '/a/bd/y']), '/a/')
    assert.equal(commonPath(['/x', '/y']), '/')
    assert.equal(commonPath(['/srv/data/']), '/srv/data/')
    assert.equal(commonPath(['/srv/logs/a.log', '/srv/logs/b.log', '/srv/one.conf']), '/srv/')
  })

  it("orders members as os.walk gives them: a directory's subdirectories, its files, then each subdirectory", () => {
    assert.deepEqual(walkOrder('/srv/app', tree()), [
      '/srv/app/sub',
      '/srv/app/cache',
      '/srv/app/a.txt',
      '/srv/app/link',
      '/srv/app/sub/b.log',
      '/srv/app/cache/x.bin',
    ])
    // a link to a directory is listed with the directories and not walked into
    const s = tree()
    s.entries['/srv/app/link'] = f({ t: 'l', isdir: true, link: 'sub' })
    s.walks['/srv/app/link'] = ['b.log']
    assert.deepEqual(walkOrder('/srv/app', s).slice(0, 4), ['/srv/app/link', '/srv/app/sub', '/srv/app/cache', '/srv/app/a.txt'])
    assert.ok(!walkOrder('/srv/app', s).includes('/srv/app/link/b.log'))
  })

  it('archives a tree into a tar: names under the root, the tree itself not a member, exclusion by member name', () => {
    const d = decide(tree(), { ...args(), exclusion_patterns: ['*.bin'] }, '/srv/out/app.tgz')
    assert.equal(d.branch, 'archive')
    assert.equal(d.root, '/srv/')
    assert.deepEqual(
      d.members.map((m) => m.name),
      ['app/sub', 'app/cache', 'app/a.txt', 'app/link', 'app/sub/b.log'],
    )
    assert.deepEqual(d.archived, ['/srv/app/sub', '/srv/app/cache', '/srv/app/a.txt', '/srv/app/link', '/srv/app/sub/b.log'])
    assert.equal(d.destState, 'archive')
    assert.equal(d.changed, true, 'no dest: changed')
  })

  it('a zip excludes by source path and reports only its files archived (the module looks a directory up without its slash)', () => {
    const s = tree()
    for (const [k, e] of Object.entries(s.entries)) if (!e.isdir) e.crc = k.length
    const byName = decide(s, { ...args({ format: 'zip' }), exclusion_patterns: ['app/*'] }, '/srv/out/app.zip')
    assert.equal(byName.members.length, 6, 'a pattern on the member name excludes nothing in a zip')
    const d = decide(s, { ...args({ format: 'zip' }), exclusion_patterns: ['/srv/app/sub/*'] }, '/srv/out/app.zip')
    assert.deepEqual(d.archived, ['/srv/app/a.txt', '/srv/app/link', '/srv/app/cache/x.bin'])
    // a file the zip cannot read: every one named, as the module fails after writing the rest
    const broken = tree()
    broken.entries['/srv/app/link'] = f({ t: 'l', ok: false, err: "[Errno 2] No such file or directory: '/srv/app/link'" })
    broken.dest!.path = '/srv/out/app.zip'
    broken.entries['/srv/app/a.txt']!.err = "[Errno 13] Permission denied: '/srv/app/a.txt'"
    assert.throws(
      () => decide(broken, args({ format: 'zip' }), '/srv/out/app.zip'),
      /^ModuleFailure: Errors when writing archive at \/srv\/out\/app.zip: \/srv\/app\/a.txt: \[Errno 13\] Permission denied: '\/srv\/app\/a.txt'; \/srv\/app\/link: \[Errno 2\] /,
    )
    assert.equal(zipName('app/sub', true), 'app/sub/')
    assert.equal(zipName('app/./a.txt', false), 'app/a.txt')
  })

  it('compares a tar by the header fields of its members: the same fields are unchanged, a new mtime or a new member is a change', () => {
    const s = tree()
    const d = decide(s, args(), '/srv/out/app.tgz')
    const rows = tarTuples(d.members, s.entries)
    const withDest = (tar: unknown[][]): Sources => ({
      ...s,
      dest: {
        path: '/srv/out/app.tgz',
        stat: { exists: true, type: 'file', mode: '0644' },
        exists: true,
        isdir: false,
        readable: true,
        parentOk: true,
        members: { tar },
      },
    })
    // tarfile reads the members back in any order: a set
    assert.equal(decide(withDest([...rows].reverse()), args(), '/srv/out/app.tgz').changed, false)
    const touched = rows.map((r) => (r[0] === 'app/a.txt' ? [...r.slice(0, 8), T + 1, r[9]] : r))
    assert.equal(decide(withDest(touched), args(), '/srv/out/app.tgz').changed, true)
    assert.equal(decide(withDest(rows.slice(1)), args(), '/srv/out/app.tgz').changed, true)
    // a dest that is not a tar of this compression: nothing to compare with
    assert.equal(decide({ ...withDest([]), dest: { ...withDest([]).dest!, members: { none: true } } }, args(), '/srv/out/app.tgz').changed, true)
  })

  it('stores a second name of a file as a hard link to the first member, as tarfile does', () => {
    const s = tree()
    s.entries['/srv/app/a.txt'] = f({ ino: 99, nlink: 2 })
    s.entries['/srv/app/sub/b.log'] = f({ ino: 99, nlink: 2 })
    const d = decide(s, args(), '/srv/out/app.tgz')
    const rows = tarTuples(d.members, s.entries)
    assert.deepEqual(
      rows.find((r) => r[0] === 'app/sub/b.log'),
      ['app/sub/b.log', '1', 0o644, 0, 0, 'root', 'root', 0, T, 'app/a.txt'],
    )
    assert.deepEqual(
      rows.find((r) => r[0] === 'app/link'),
      ['app/link', '2', 0o777, 0, 0, 'root', 'root', 0, T, 'a.txt'],
    )
  })

  it('compresses one file alone: dest defaults to the file plus the format; changed when the content differs', () => {
    const one = (dest: Sources['dest'], single: Sources['single']): Sources => ({
      ...tree(),
      expanded: ['/srv/one.conf'],
      paths: ['/srv/one.conf'],
      entries: { '/srv/one.conf': f() },
      walks: {},
      single,
      dest,
    })
    const dest = (members?: { stream: string }) => ({
      path: '/srv/one.conf.xz',
      stat: { exists: !!members },
      exists: !!members,
      isdir: false,
      readable: !!members,
      parentOk: true,
      members,
    })
    const a = args({ path: ['/srv/one.conf'], format: 'xz' })
    const first = decide(one(dest(), { stream: 'abc' }), a, undefined)
    assert.deepEqual(
      [first.branch, first.dest, first.destState, first.changed, first.archived],
      ['single', '/srv/one.conf.xz', 'compress', true, ['/srv/one.conf']],
    )
    assert.equal(decide(one(dest({ stream: 'abc' }), { stream: 'abc' }), a, undefined).changed, false)
    assert.equal(decide(one(dest({ stream: 'abd' }), { stream: 'abc' }), a, undefined).changed, true)
    // tar and zip archive the one file instead (dest_state archive); force_archive needs a dest
    assert.equal(decide(one(dest(), undefined), { ...a, format: 'tar' }, undefined).destState, 'archive')
    assert.throws(() => decide(one(dest(), undefined), { ...a, force_archive: true }, undefined), /must specify "dest" when archiving multiple files or trees/)
  })

  it("fails with the module's words", () => {
    const s = tree()
    assert.throws(
      () => decide({ ...s, expanded: [], paths: [] }, args({ path: ['/srv/none*'] }), '/x.tgz'),
      (e: Error & { data?: Record<string, unknown> }) =>
        e.message === 'Error, no source paths were found' && e.data?.path === '/srv/none*' && e.data?.expanded_paths === '',
    )
    assert.throws(
      () => decide(s, args(), undefined),
      (e: Error & { data?: Record<string, unknown> }) => /must specify "dest"/.test(e.message) && e.data?.dest === 'None' && e.data?.state === 'directory',
    )
    const inside = { ...s, dest: { ...s.dest!, path: '/srv/app/in.tgz' } }
    assert.throws(() => decide(inside, args({ remove: true }), '/srv/app/in.tgz'), /created archive can not be contained in source paths when remove=true/)
    const badTar = { ...s, dest: { ...s.dest!, exists: true, readable: true, members: { badTar: true as const } } }
    assert.throws(() => decide(badTar, args({ format: 'tar' }), '/srv/out/app.tgz'), /^ModuleFailure: tar is not a valid format$/)
  })

  it('reports missing sources: incomplete when some exist, nothing done when none does (dest_state by its name)', () => {
    const s = tree()
    s.paths = ['/srv/app', '/srv/gone']
    const d = decide(s, args(), '/srv/out/app.tgz')
    assert.deepEqual([d.destState, d.missing], ['incomplete', ['/srv/gone']])
    const none = decide({ ...s, paths: ['/srv/gone'], dest: { ...s.dest!, exists: true } }, args({ force_archive: true }), '/srv/out/app.tgz')
    assert.deepEqual([none.branch, none.destState, none.changed], ['none', 'archive', false])
    assert.equal(isArchiveName('/x/a.TGZ'), true)
    assert.equal(isArchiveName('/x/a.gz'), false)
  })

  it('remove: the archived members (a dangling link is left), then every source tree', () => {
    const s = tree()
    s.entries['/srv/app/link'] = f({ t: 'l', ok: false, link: 'nowhere' })
    s.paths = ['/srv/app', '/srv/one.conf']
    s.entries['/srv/one.conf'] = f()
    const d = decide(s, args({ remove: true }), '/srv/out/all.tgz')
    assert.deepEqual(d.removals, [
      '/srv/app/sub',
      '/srv/app/cache',
      '/srv/app/a.txt',
      '/srv/app/sub/b.log',
      '/srv/app/cache/x.bin',
      '/srv/one.conf',
      '/srv/app',
    ])
  })
})

describe('archive: check mode with what earlier tasks write', () => {
  it("matches glob.glob's names (a * never matches a leading dot)", () => {
    assert.equal(globMatches('/srv/logs/*.log', '/srv/logs/a.log'), true)
    assert.equal(globMatches('/srv/logs/*.log', '/srv/logs/.a.log'), false)
    assert.equal(globMatches('/srv/logs/*.log', '/srv/logs/old/a.log'), false)
    assert.equal(globMatches('/srv/*/x', '/srv/a/x'), true)
  })

  it('a file an earlier task writes in a source tree joins the archive, and its directory changes', () => {
    const { sources, applied } = withEarlier(tree(), { paths: ['/srv/app'], excludes: [], single: false }, [
      ['/srv/app/sub/new.txt', { exists: true, type: 'file', mode: '0644', owner: 'root', group: 'root', size: 4, sha256: 'x' }],
    ])
    assert.equal(applied, true)
    assert.deepEqual(sources.walks['/srv/app/sub'], ['b.log', 'new.txt'])
    assert.equal(sources.entries['/srv/app/sub']!.mt, null)
    assert.equal(tree().walks['/srv/app/sub']!.length, 1, 'the read itself is not changed')
    const d = decide(sources, args(), '/srv/out/app.tgz')
    assert.ok(d.members.some((m) => m.name === 'app/sub/new.txt'))
  })

  it('a removed source goes missing; a glob gains the file an earlier task makes', () => {
    const s: Sources = { ...tree(), expanded: [], paths: [], entries: {}, walks: {} }
    const { sources } = withEarlier(s, { paths: ['/srv/logs/*.log'], excludes: [], single: false }, [
      ['/srv/logs/a.log', { exists: true, type: 'file', mode: '0644', size: 2, sha256: 'y' }],
    ])
    assert.deepEqual(sources.paths, ['/srv/logs/a.log'])
    const gone = withEarlier(tree(), { paths: ['/srv/app'], excludes: [], single: false }, [['/srv/app', { exists: false }]]).sources
    assert.equal(gone.entries['/srv/app'], undefined)
    assert.deepEqual(gone.walks, {})
  })

  it("a zip keeps a member's CRC when the earlier task writes the same content; a compressed file compares the new content", () => {
    const s = tree()
    s.entries['/srv/app/a.txt'] = f({ crc: 7, sha: 'same' })
    const { sources } = withEarlier(s, { paths: ['/srv/app'], excludes: [], single: false }, [
      ['/srv/app/a.txt', { exists: true, type: 'file', mode: '0600', sha256: 'same' }],
    ])
    assert.equal(sources.entries['/srv/app/a.txt']!.crc, 7)
    const one: Sources = { ...tree(), expanded: ['/srv/g.txt'], paths: ['/srv/g.txt'], entries: {}, walks: {} }
    const written = withEarlier(one, { paths: ['/srv/g.txt'], excludes: [], single: true }, [
      ['/srv/g.txt', { exists: true, type: 'file', sha256: 'abc' }],
    ]).sources
    assert.deepEqual(written.single, { stream: 'abc' })
  })
})

// the fact's key as the module asks it
const key = (q: Record<string, unknown>) => JSON.stringify(['archive.sources', q])

describe('archive: plans', () => {
  const q = { paths: ['/srv/app'], excludes: [], format: 'gz', mustArchive: false, dest: '/srv/out/app.tgz' }
  const changes = (plan: Plan) => (plan.kind === 'change' ? plan.changes : [])

  it("writes a new archive through a temp file, counted; the module's results; check mode reports what the module's does", async () => {
    const ctx = fakeCtx({ [key(q)]: JSON.stringify(tree()) })
    const plan = await archive.plan(
      { path: ['/srv/app'], dest: '/srv/out/app.tgz', format: 'gz', exclude_path: [], force_archive: false, remove: false, unsafe_writes: false } as never,
      ctx,
    )
    assert.equal(plan.kind, 'change')
    const [write] = changes(plan)
    assert.equal(write!.unchanged, undefined)
    assert.equal(write!.commands[0]!.argv[4], 'tar.gz')
    assert.equal(write!.commands[0]!.stdin, 'app/sub\0app/cache\0app/a.txt\0app/link\0app/sub/b.log\0app/cache/x.bin\0')
    assert.deepEqual(write!.effects, [
      { fact: 'path.stat', key: '/srv/out/app.tgz', value: { exists: true, type: 'file', mode: '0644', owner: 'root', group: 'root', nlink: 1 } },
    ])
    assert.equal(plan.data?.dest_state, 'archive')
    assert.equal(plan.data?.arcroot, '/srv/')
    const check = await archive.plan(
      { path: ['/srv/app'], dest: '/srv/out/app.tgz', format: 'gz', exclude_path: [], force_archive: false, remove: false, unsafe_writes: false } as never,
      fakeCtx({ [key(q)]: JSON.stringify(tree()) }, { check: true }),
    )
    assert.deepEqual([check.data?.archived, check.data?.dest_state], [[], 'absent'])
  })

  it('rewrites an archive that would hold the same members without counting it; dest keeps its owner and mode; removal is not counted', async () => {
    const s = tree()
    const d = decide(s, args(), '/srv/out/app.tgz')
    s.dest = {
      path: '/srv/out/app.tgz',
      stat: { exists: true, type: 'file', mode: '0600', owner: 'www-data', group: 'root', uid: 33, gid: 0, size: 300, nlink: 1 },
      exists: true,
      isdir: false,
      readable: true,
      parentOk: true,
      members: { tar: tarTuples(d.members, s.entries) },
    }
    const p = { path: ['/srv/app'], dest: '/srv/out/app.tgz', format: 'gz', exclude_path: [], force_archive: false, remove: true, unsafe_writes: false }
    const plan = await archive.plan(p as never, fakeCtx({ [key(q)]: JSON.stringify(s) }))
    const [write, remove] = changes(plan)
    assert.equal(write!.unchanged, true)
    assert.equal(write!.commands[0]!.argv[7], '1', "keeps dest's owner and mode")
    assert.equal(remove!.unchanged, true)
    assert.deepEqual(remove!.commands[0]!.argv.slice(0, 3), ['rm', '-rf', '--'])
    assert.ok(remove!.effects!.some((e: FactEffect) => e.key === '/srv/app/sub/b.log' && (e.value as { exists: boolean }).exists === false))
    // a wanted mode is a counted change of its own
    const moded = await archive.plan({ ...p, remove: false, mode: '0640' } as never, fakeCtx({ [key(q)]: JSON.stringify(s) }))
    assert.deepEqual(
      changes(moded).map((c) => [c.unchanged ?? false, c.commands[0]!.argv[0]]),
      [
        [true, 'sh'],
        [false, 'chmod'],
      ],
    )
  })

  it('check mode: an archive whose tree an earlier task fills is a change; a dest an earlier task writes waits for it', async () => {
    const eff: FactEffect[] = [{ fact: 'path.stat', key: '/srv/app/n.txt', value: { exists: true, type: 'file', mode: '0644', size: 3, sha256: 'z' } }]
    const s = tree()
    const d = decide(s, args(), '/srv/out/app.tgz')
    s.dest = {
      path: '/srv/out/app.tgz',
      stat: { exists: true, type: 'file' },
      exists: true,
      isdir: false,
      readable: true,
      parentOk: true,
      members: { tar: tarTuples(d.members, s.entries) },
    }
    const p = { path: ['/srv/app'], dest: '/srv/out/app.tgz', format: 'gz', exclude_path: [], force_archive: false, remove: false, unsafe_writes: false }
    const same = await archive.plan(p as never, fakeCtx({ [key(q)]: JSON.stringify(s) }, { check: true }))
    assert.equal(changes(same)[0]!.unchanged, true)
    const filled = await archive.plan(p as never, fakeCtx({ [key(q)]: JSON.stringify(s) }, { check: true, effects: eff }))
    assert.equal(changes(filled)[0]!.unchanged, undefined)
    const onDest: FactEffect[] = [{ fact: 'path.stat', key: '/srv/out/app.tgz', value: { exists: true, type: 'file' } }]
    await assert.rejects(
      archive.plan(p as never, fakeCtx({ [key(q)]: JSON.stringify(s) }, { check: true, effects: onDest })),
      /unknown until task 'an earlier task'/,
    )
  })

  it('check mode: a tree an earlier task makes unknowable (unarchive into it) waits for that task', async () => {
    const p = { path: ['/srv/app'], dest: '/srv/out/app.tgz', format: 'gz', exclude_path: [], force_archive: false, remove: false, unsafe_writes: false }
    const ctx = fakeCtx({ [key(q)]: JSON.stringify(tree()) }, { check: true })
    ctx.unknown = (_fact, k) => (k.startsWith('/srv/app/sub/') ? 'unpack the release' : undefined)
    await assert.rejects(archive.plan(p as never, ctx), /path.stat \/srv\/app\/sub\/\* is unknown until task 'unpack the release' has run/)
  })

  it('refuses a relative path and chattr attributes', async () => {
    const p = { path: ['logs'], format: 'gz', exclude_path: [], force_archive: false, remove: false, unsafe_writes: false }
    await assert.rejects(archive.plan(p as never, fakeCtx({})), /argument 'path' must be an absolute path/)
    await assert.rejects(archive.plan({ ...p, path: ['/srv/app'], attributes: '+i' } as never, fakeCtx({})), /attributes \(lsattr flags\) is not supported/)
  })
})
