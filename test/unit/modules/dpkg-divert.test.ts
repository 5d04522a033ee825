import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ModuleFailure } from '../../../engine/errors.js'
import { dpkgDivert } from '../../../modules/dpkg-divert.js'
import { type DivertState, parseDivertState } from '../../../modules/facts/dpkg-divert.js'
import type { ModuleContext } from '../../../modules/types.js'
import { fakeCtx } from './fake-ctx.js'

const BIN = '/usr/bin/dpkg-divert'
const ok = (stdout = '') => ({ rc: 0, stdout, stderr: '' })
const state = (over: Partial<Extract<DivertState, { found: true }>>): DivertState => ({
  found: true,
  bin: BIN,
  version: '1.21.23',
  tooOld: false,
  noRename: true,
  listpackage: ok(),
  pathExists: true,
  truenameExists: false,
  targetExists: false,
  test: ok(),
  ...over,
})

/** The plan for `args` against a read that answers `s` (and what the plan asked it). */
async function plan(args: Record<string, unknown>, s: DivertState, opts: { check?: boolean; diff?: boolean } = {}) {
  const asked: unknown[][] = []
  const ctx: ModuleContext = {
    ...fakeCtx({}, opts),
    fact: (async (_f: unknown, ...a: unknown[]) => {
      asked.push(a)
      return s
    }) as ModuleContext['fact'],
  }
  const p = { state: 'present', rename: false, force: false, ...args } as Parameters<typeof dpkgDivert.plan>[0]
  return { result: await dpkgDivert.plan(p, ctx), asked }
}

describe('dpkg_divert', () => {
  it('reads dpkg-divert, the diversion, which files exist and the tests from one output (stderr apart)', () => {
    const stdout =
      `bin\n${BIN}\n\u0001version\n1.21.23\n\u0001flags\n1 0\n\u0001lp\nbase-files\u0001lp.rc\n0\n\u0001tn\n/etc/x.pkg\u0001tn.rc\n0\n` +
      "\u0001exists\n1 0 1\n\u0001test\n\u0001test.rc\n2\n\u0001rm\nRemoving 'diversion of /etc/x to /etc/x.pkg by base-files'\n\u0001rm.rc\n0\n"
    const stderr = 'noise\n\u0001lp\n\u0001tn\n\u0001test\ndpkg-divert: error: clashes\n\u0001rm\n'
    assert.deepEqual(parseDivertState({ rc: 0, stdout, stderr }), {
      found: true,
      bin: BIN,
      version: '1.21.23',
      tooOld: false,
      noRename: true,
      listpackage: { rc: 0, stdout: 'base-files', stderr: '' },
      truename: { rc: 0, stdout: '/etc/x.pkg', stderr: '' },
      pathExists: true,
      truenameExists: false,
      targetExists: true,
      test: { rc: 2, stdout: '', stderr: 'dpkg-divert: error: clashes\n' },
      removeTest: { rc: 0, stdout: "Removing 'diversion of /etc/x to /etc/x.pkg by base-files'\n", stderr: '' },
    })
    assert.deepEqual(parseDivertState(ok('nobin\n/usr/bin:/bin\n')), { found: false, searched: '/usr/bin:/bin' })
  })

  it('asks with --no-rename left to the host; converged: ok with the test message and the command Ansible prints', async () => {
    const s = state({ listpackage: ok('LOCAL\n'), truename: ok('/etc/x.distrib\n'), test: ok("Leaving 'local diversion of /etc/x to /etc/x.distrib'\n") })
    const { result, asked } = await plan({ path: '/etc/x' }, s, { diff: true })
    assert.deepEqual(asked, [['/etc/x', '/etc/x.distrib', ['@NR', '--local', '--add', '/etc/x']]])
    assert.equal(result.kind, 'ok')
    const d = { divert: '/etc/x.distrib', holder: 'LOCAL', path: '/etc/x', state: 'present' }
    assert.deepEqual(result.data, {
      diversion: d,
      commands: [`${BIN} --no-rename --local --add /etc/x`],
      messages: ["Leaving 'local diversion of /etc/x to /etc/x.distrib'"],
      diff: { before: d, after: d },
    })
  })

  it('a new diversion: the command, then the diversion read again; a sorted before/after diff', async () => {
    const s = state({ test: ok("Adding 'diversion of /etc/x to /etc/x.pkg by base-files'\n") })
    const { result } = await plan({ path: '/etc/x', holder: 'base-files', divert: '/etc/x.pkg', rename: true }, s)
    assert.equal(result.kind, 'change')
    if (result.kind !== 'change') return
    const [c] = result.changes
    assert.deepEqual(c!.commands[0], { argv: [BIN, '--rename', '--package', 'base-files', '--divert', '/etc/x.pkg', '--add', '/etc/x'] })
    assert.deepEqual(c!.commands[1]!.argv.slice(-2), [BIN, '/etc/x'])
    assert.match(c!.diff!.after, /^\{\n {4}"divert": "\/etc\/x\.pkg",\n {4}"holder": "base-files",\n {4}"path": "\/etc\/x",\n {4}"state": "present"\n\}\n$/)
    assert.deepEqual(result.data?.messages, ["Adding 'diversion of /etc/x to /etc/x.pkg by base-files'"])
    assert.deepEqual(result.data?.diff, {}, 'no diff without --diff')
  })

  it('rename onto a file in the way: fails without force as Ansible does; with force removes it first', async () => {
    const failed = { rc: 2, stdout: "Adding 'local diversion of /etc/x to /etc/x.distrib'\n", stderr: 'dpkg-divert: error: rename involves overwriting\n' }
    const s = state({ test: failed, targetExists: true })
    await assert.rejects(plan({ path: '/etc/x', rename: true }, s), (e: ModuleFailure) => {
      assert.equal(e.message, "Set 'force' param to True to force renaming of files.")
      assert.equal(e.data.cmd, `${BIN} --rename --local --add /etc/x`)
      assert.deepEqual(e.data.stderr_lines, ['dpkg-divert: error: rename involves overwriting'])
      return true
    })
    const { result } = await plan({ path: '/etc/x', rename: true, force: true }, s)
    assert.ok(result.kind === 'change')
    assert.deepEqual(result.changes[0]!.commands[0], { argv: ['rm', '--', '/etc/x.distrib'] })
    await assert.rejects(plan({ path: '/etc/x' }, state({ test: failed })), /Unexpected error while changing state of the diversion\./)
  })

  it("another package's diversion: removed and added again without rename; check mode's messages", async () => {
    const s = state({
      listpackage: ok('base-files\n'),
      truename: ok('/etc/x.pkg\n'),
      test: { rc: 2, stdout: '', stderr: 'clashes' },
      removeTest: ok("Removing 'diversion of /etc/x to /etc/x.pkg by base-files'\n"),
    })
    const { result } = await plan({ path: '/etc/x', rename: true }, s, { check: true })
    assert.ok(result.kind === 'change')
    assert.deepEqual(result.data?.commands, [`${BIN} --no-rename --remove /etc/x`, `${BIN} --no-rename --local --add /etc/x`])
    assert.deepEqual(result.data?.messages, ["Removing 'diversion of /etc/x to /etc/x.pkg by base-files'", 'Running in check mode'])
    const argvs = result.changes[0]!.commands.map((c) => c.argv)
    assert.deepEqual(argvs[3]!.slice(-2), ['/etc/x.pkg', '/etc/x.distrib'], 'the diverted file follows its new name')
  })

  it("interpret: the run's messages and the diversion read again; one not as wanted is Ansible's unexpected error", () => {
    const p = { path: '/etc/x', state: 'present', rename: false, force: false } as Parameters<typeof dpkgDivert.plan>[0]
    const run = (stdout: string) => dpkgDivert.interpret!(p, { rc: 0, stdout, stderr: '', startUs: 0, endUs: 0 })
    assert.deepEqual(run("Removing 'a'\n\u0001Adding 'b'\n\u0001LOCAL\n\u0001/etc/x.distrib\n"), {
      failed: false,
      data: { diversion: { divert: '/etc/x.distrib', holder: 'LOCAL', path: '/etc/x', state: 'present' }, messages: ["Removing 'a'", "Adding 'b'"] },
    })
    const wrong = run("Adding 'b'\n\u0001\u0001/etc/x\n")
    assert.equal(wrong?.failed, true)
    assert.equal(wrong?.msg, 'Unexpected error: see stdout and stderr for details.')
  })
})
