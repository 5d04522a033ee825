/** file: the path.stats fact parser from recorded output, and planners given facts. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pathStats } from '../../../modules/facts/path.js'
import { file } from '../../../modules/file.js'
import { chownCommand } from '../../../modules/files/owner-lookup.js'
import { fakeCtx } from './fake-ctx.js'
import { statsOutput } from './stats-output.js'

const DIR = 'directory|755|root|root|0|0|4096|1234|2049'
const SRV = 'directory|755|root|root|0|0|4096|12|2049'
const LINK = {
  stat: 'symbolic link|777|root|root|0|0|7|99|2049',
  link: '/srv/d/f',
  target: { stat: 'regular file|640|astro|astro|1000|1000|3|1235|2049', sha: 'ab'.repeat(32) },
}
// as a testbed host prints the path.stats script for /srv/d /srv /srv/l /srv/gone
const REC = statsOutput('root', 'root', [{ stat: DIR }, { stat: SRV }, LINK, 'absent'])
const params = (p: Record<string, unknown>) => ({ recurse: false, follow: true, force: false, ...p }) as never

describe('path.stats parse', () => {
  it('stats, link targets and who runs the commands', () => {
    const s = pathStats.parse({ rc: 0, stdout: REC, stderr: '' }, ['/srv/d', '/srv', '/srv/l', '/srv/gone'])
    assert.equal(s.user, 'root')
    assert.deepEqual(s.stats[0], {
      exists: true,
      type: 'directory',
      mode: '0755',
      owner: 'root',
      group: 'root',
      uid: 0,
      gid: 0,
      size: 4096,
      inode: 1234,
      dev: 2049,
    })
    assert.equal(s.stats[2]!.linkTarget, '/srv/d/f')
    assert.equal(s.stats[2]!.target?.mode, '0640')
    assert.equal(s.stats[2]!.target?.sha256, 'ab'.repeat(32))
    assert.deepEqual(s.stats[3], { exists: false })
    const linked = pathStats.parse(
      { rc: 0, stdout: statsOutput('root', 'root', [{ stat: 'regular file|644|root|root|0|0|3|7|2049|2', sha: 'cd'.repeat(32) }]), stderr: '' },
      ['/f'],
    )
    assert.equal(linked.stats[0]!.nlink, 2, 'the names of a hard-linked file (add_path_info reports state hard)')
    assert.throws(() => pathStats.parse({ rc: 1, stdout: 'k\n', stderr: 'boom' }, ['/x']), /cannot stat \/x: boom/)
  })
  it('recorded verbatim from a testbed host: files hashed by one sha256sum, an unreadable file has no checksum', () => {
    const out =
      'kfu\ndirectory|555|postgres|postgres|100|103|0|143531|48\nregular file|644|root|root|0|0|4|2146899|40\nregular file|600|root|root|0|0|1|2146914|40\n' +
      '\u0000fe3209d6d4f51935b391288a43df48d9ddece1a992597ae53387ca16611a9179  /srv/a.conf\u0000'
    const s = pathStats.parse({ rc: 0, stdout: out, stderr: '' }, ['/srv/a.conf', '/srv/secret'])
    assert.deepEqual([s.user, s.group], ['postgres', 'postgres'])
    assert.equal(s.stats[0]!.sha256, 'fe3209d6d4f51935b391288a43df48d9ddece1a992597ae53387ca16611a9179')
    assert.equal(s.stats[1]!.sha256, undefined)
  })
  it('several reads as one (read-ahead): the union of the paths once, each read answered from it', () => {
    const reads: [string[]][] = [[['/srv/d', '/srv']], [['/srv/l', '/srv']]]
    assert.deepEqual(pathStats.batch!.command(reads).argv.slice(4), ['/srv/d', '/srv', '/srv/l'])
    const out = statsOutput('root', 'root', [{ stat: DIR }, { stat: SRV }, LINK])
    const [a, b] = pathStats.batch!.parse({ rc: 0, stdout: out, stderr: '' }, reads)
    assert.deepEqual(
      a?.stats.map((s) => s.type),
      ['directory', 'directory'],
    )
    assert.deepEqual(
      b?.stats.map((s) => s.type),
      ['link', 'directory'],
    )
    assert.notEqual(a?.stats[1], b?.stats[1], 'each read gets its own copy')
  })
  it('a path that vanished between the shell tests and stat is an error, not a misaligned answer', () => {
    const out = statsOutput('root', 'root', [{ stat: DIR }, { stat: SRV }]).replace(`${SRV}\n`, '')
    assert.throws(
      () => pathStats.parse({ rc: 1, stdout: out, stderr: "stat: cannot statx '/srv': No such file" }, ['/srv/d', '/srv']),
      /cannot stat \/srv\/d, \/srv: stat: cannot statx/,
    )
  })
})

describe('file planner given facts', () => {
  const key = (paths: string[]) => JSON.stringify(['path.stats', paths])
  it('an existing directory with the right mode is ok, with a reason, in one read', async () => {
    const ctx = fakeCtx({ [key(['/srv/d', '/srv'])]: statsOutput('root', 'root', [{ stat: DIR }, { stat: SRV }]) })
    const plan = await file.plan(params({ path: '/srv/d', state: 'directory', mode: '0755' }), ctx)
    // Ansible's add_path_info from the stat read for the plan: no second read
    const data = { path: '/srv/d', state: 'directory', uid: 0, gid: 0, owner: 'root', group: 'root', mode: '0755', size: 4096 }
    assert.deepEqual(plan, { kind: 'ok', reason: 'directory /srv/d exists, mode 0755, owner root:root', data })
    assert.equal(ctx.reads.length, 1)
  })
  it('mode drift: chmod argv, attrs diff and a path.stat effect', async () => {
    const ctx = fakeCtx({ [key(['/srv/d', '/srv'])]: statsOutput('root', 'root', [{ stat: DIR }, { stat: SRV }]) })
    const plan = await file.plan(params({ path: '/srv/d', state: 'directory', mode: 'u=rwx,go=' }), ctx)
    assert.equal(plan.kind, 'change')
    const c = plan.kind === 'change' ? plan.changes[0]! : undefined
    assert.deepEqual(c?.commands, [{ argv: ['chmod', '--', '0700', '/srv/d'] }])
    assert.deepEqual(c?.diff?.attrs, { mode: ['0755', '0700'] })
    assert.deepEqual(c?.effects?.[0]?.value, {
      exists: true,
      type: 'directory',
      mode: '0700',
      owner: 'root',
      group: 'root',
      uid: 0,
      gid: 0,
      size: 4096,
      inode: 1234,
      dev: 2049,
    })
  })
  it('a missing directory is created in check mode from an effect-free read, with effects for every level', async () => {
    const out = statsOutput('root', 'root', ['absent', { stat: SRV }, 'absent'])
    const ctx = fakeCtx({ [key(['/srv/a/b', '/srv', '/srv/a'])]: out })
    const plan = await file.plan(params({ path: '/srv/a/b', state: 'directory', owner: 'astro' }), ctx)
    const c = plan.kind === 'change' ? plan.changes[0]! : undefined
    assert.deepEqual(
      c?.commands.map((x) => x.argv),
      [
        // one level first, as Ansible (an unknown owner fails after it), then the rest
        ['mkdir', '-p', '--', '/srv/a'],
        chownCommand({ owner: 'astro' }, ['/srv/a']).argv,
        ['mkdir', '-p', '--', '/srv/a/b'],
        chownCommand({ owner: 'astro' }, ['/srv/a/b']).argv,
        ['chmod', '--', '0755', '/srv/a', '/srv/a/b'],
      ],
    )
    assert.deepEqual(
      c?.effects?.map((e) => e.key),
      ['/srv/a', '/srv/a/b'],
    )
  })
  it('check mode: an earlier effect makes the path exist', async () => {
    const ctx = fakeCtx(
      { [key(['/srv/new'])]: statsOutput('root', 'root', ['absent']) },
      {
        check: true,
        effects: [{ fact: 'path.stat', key: '/srv/new', value: { exists: true, type: 'file', mode: '0600', owner: 'root', group: 'root' } }],
      },
    )
    const plan = await file.plan(params({ path: '/srv/new', mode: '0600' }), ctx)
    assert.equal(plan.kind, 'ok')
  })
  it('rejects bad arguments before reading the host', async () => {
    const ctx = fakeCtx({})
    await assert.rejects(file.plan(params({ path: '/x', mode: '0888' }), ctx), /argument 'mode' must be octal/)
    await assert.rejects(file.plan(params({ path: '/x', src: '/y' }), ctx), /src option requires state to be 'link' or 'hard'/)
    await assert.rejects(file.plan(params({ path: '/x', group: 'a;b' }), ctx), /argument 'group' is not a valid group name/)
    assert.equal(ctx.reads.length, 0)
  })
})

describe('file times (Python strptime formats)', () => {
  it('the default format and others become host-local "YYYY-MM-DD HH:MM:SS"', async () => {
    const { strptime, timeWant } = await import('../../../modules/files/times.js')
    assert.equal(strptime('202401020304.05', '%Y%m%d%H%M.%S', 'modification_time'), '2024-01-02 03:04:05')
    assert.equal(strptime('02 Jan 24 11:30 PM', '%d %b %y %I:%M %p', 'access_time'), '2024-01-02 23:30:00')
    assert.equal(strptime('2024', '%Y', 'access_time'), '2024-01-01 00:00:00')
    assert.deepEqual(timeWant(undefined, '%Y', 'modification_time', 'now'), { kind: 'now' })
    assert.deepEqual(timeWant('preserve', '%Y', 'modification_time', 'now'), { kind: 'preserve' })
    assert.throws(() => strptime('2024-13-01', '%Y-%m-%d', 'x'), /out of range/)
    assert.throws(() => strptime('1', '%j', 'x'), /the directive %j is not supported/)
  })
})
