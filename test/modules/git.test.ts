/**
 * git on a real host against a repository served by `git daemon` on the outer machine: clone at
 * HEAD, branch, tag, commit, shallow; a no-op is one round trip; new commits and local changes are
 * drift; check mode says what the run does; Ansible's results.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { git } from '../../modules/git.js'
import { stat } from '../../modules/stat.js'
import { ansibleTasks, comparable } from '../helpers/ansible.js'
import { startGitServer, type GitServer } from '../helpers/git-daemon.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const H = 'gt1'

describe('git on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed([H])
  const [root, deploy] = osEnvs(bed, H)
  const env = () => root!.env()
  let srv: GitServer
  const repo = () => `git://${bed().host(H).gateway}:${srv.port}/app.git`
  before(async () => {
    srv = await startGitServer()
  })
  after(() => srv?.close())
  const head = (dir: string) => sh(bed(), H, `git -C ${dir} rev-parse HEAD`)

  it('HEAD: check on a fresh host clones nothing, the run clones, a no-op is one round trip, a new commit is drift', async () => {
    const args = { repo: repo(), dest: '/srv/g/app' }
    const c = await checkRun(git, args, env())
    assert.equal(c.status, 'changed', c.msg)
    assert.deepEqual([c.data.before, c.data.after], [null, srv.rev('main')])
    await sh(bed(), H, 'test ! -e /srv/g/app')
    const { applied } = await assertConverges(git, args, env())
    assert.deepEqual([applied.data.before, applied.data.after], [null, srv.rev('main')])
    assert.equal(await head('/srv/g/app'), srv.rev('main'))
    const conn = env().conn
    const trips = conn.execCount
    assert.equal((await realRun(git, args, env())).status, 'ok')
    assert.equal(conn.execCount - trips, 1)
    const next = srv.commit('main', 'app.py', 'print(2)\n')
    const d = await checkRun(git, args, env())
    assert.deepEqual([d.status, d.data.before, d.data.after], ['changed', srv.rev('main~1'), next])
    assert.equal(await head('/srv/g/app'), srv.rev('main~1'), 'check mode fetched nothing into the checkout')
    const r = await realRun(git, args, env())
    assert.deepEqual([r.status, r.data.after], ['changed', next])
    assert.equal(await sh(bed(), H, 'cat /srv/g/app/app.py'), 'print(2)')
  })

  it('returns what Ansible returns (clone, no-op, update to a tag)', async () => {
    const cases = [
      { repo: repo(), dest: '/srv/g/cmp' },
      { repo: repo(), dest: '/srv/g/cmp' },
      { repo: repo(), dest: '/srv/g/cmp', version: 'v1' },
    ]
    const theirs = await ansibleTasks(
      bed().inventory(),
      H,
      cases.map((args) => ({ module: 'git', args: { ...args, dest: '/srv/g/theirs' } })),
    )
    for (const [i, args] of cases.entries()) {
      const ours = await realRun(git, args, env())
      const t = theirs[i]!
      assert.equal(ours.status, t.changed ? 'changed' : 'ok', `${i}: ${ours.msg}`)
      assert.deepEqual(comparable(ours.data, ['warnings']), comparable(t, ['warnings']), String(i))
    }
    assert.equal(await head('/srv/g/cmp'), srv.rev('v1^{commit}'))
  })

  it('branch, tag, commit, shallow clone; local changes fail unless force; untracked files do not count', async () => {
    const { applied } = await assertConverges(git, { repo: repo(), dest: '/srv/g/dev', version: 'dev' }, deploy!.env())
    assert.equal(applied.data.after, srv.rev('dev'))
    assert.equal(await sh(bed(), H, 'git -C /srv/g/dev rev-parse --abbrev-ref HEAD; cat /srv/g/dev/dev.txt'), 'dev\ndev')
    const sha = srv.rev('main~1').slice(0, 10)
    const bySha = await assertConverges(git, { repo: repo(), dest: '/srv/g/sha', version: sha }, env())
    assert.equal(bySha.applied.data.after, srv.rev('main~1'))
    await assertConverges(git, { repo: repo(), dest: '/srv/g/shallow', version: 'dev', depth: 1 }, env())
    assert.equal(await sh(bed(), H, 'git -C /srv/g/shallow rev-parse --is-shallow-repository; git -C /srv/g/shallow rev-list --count HEAD'), 'true\n1')
    await sh(bed(), H, 'echo local >> /srv/g/dev/README; touch /srv/g/dev/untracked')
    const args = { repo: repo(), dest: '/srv/g/dev', version: 'dev' }
    const refused = await realRun(git, args, env())
    assert.deepEqual([refused.status, refused.msg], ['failed', 'Local modifications exist in the destination: /srv/g/dev (force=no).'])
    const c = await checkRun(git, { ...args, force: true }, env())
    assert.match(c.changes[0]!.summary, /discard local changes/)
    const forced = await realRun(git, { ...args, force: true }, env())
    assert.equal(forced.status, 'changed')
    assert.equal(await sh(bed(), H, 'git -C /srv/g/dev status --porcelain'), '?? untracked')
    assert.equal((await realRun(git, args, env())).status, 'ok', 'an untracked file is not a modification')
  })

  it('a changed remote URL is set; update=no leaves a checkout alone; check mode chains to stat', async () => {
    const other = { repo: `git://${bed().host(H).gateway}:${srv.port}/app`, dest: '/srv/g/app' }
    const r = await realRun(git, other, env())
    assert.deepEqual([r.status, r.data.remote_url_changed], ['changed', true])
    assert.equal(await sh(bed(), H, 'git -C /srv/g/app config remote.origin.url'), other.repo)
    assert.equal((await realRun(git, other, env())).status, 'ok')
    srv.commit('main', 'app.py', 'print(3)\n')
    const frozen = await realRun(git, { ...other, update: false }, env())
    assert.deepEqual([frozen.status, frozen.data.after], ['ok', await head('/srv/g/app')])
    const effects = new EffectStore()
    assert.equal((await checkRun(git, { repo: repo(), dest: '/srv/g/later' }, { ...env(), effects })).status, 'changed')
    const s = await checkRun(stat, { path: '/srv/g/later' }, { ...env(), effects })
    assert.equal((s.data.stat as { isdir: boolean }).isdir, true)
    assert.equal((await checkRun(git, { repo: repo(), dest: '/srv/g/later' }, { ...env(), effects })).status, 'ok', 'a second check sees the clone')
    const bad = await realRun(git, { repo: `git://${bed().host(H).gateway}:${srv.port}/nope.git`, dest: '/srv/g/nope' }, env())
    assert.equal(bad.status, 'failed')
    assert.match(bad.msg!, /Failed to read the remote/)
  })
})
