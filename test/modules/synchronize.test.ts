/**
 * synchronize on a real host: rsync from the controller over ssh with the connection's own key and
 * known_hosts; push, pull, delete, rsync_opts, become; check mode is the dry run and predicts the
 * run; a no-op transfers nothing; drift on either side is repaired; Ansible's results.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { stat } from '../../modules/stat.js'
import { synchronize } from '../../modules/synchronize.js'
import { ansibleTasks } from '../helpers/ansible.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const H = 'sy1'

describe('synchronize on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed([H])
  const [root, deploy] = osEnvs(bed, H)
  const env = () => root!.env()
  const local = mkdtempSync(join(tmpdir(), 'acplay-sync-'))
  const tree = join(local, 'dags')
  before(async () => {
    // rsync creates the last directory of dest, not its parents (Ansible's synchronize neither)
    await sh(bed(), H, 'mkdir -p /srv/s')
    mkdirSync(join(tree, 'sub', '__pycache__'), { recursive: true })
    for (let n = 0; n < 20; n++) writeFileSync(join(tree, n % 2 ? 'sub' : '.', `dag_${n}.py`), `# dag ${n}\n`)
    writeFileSync(join(tree, 'sub', '__pycache__', 'x.pyc'), 'compiled')
  })
  after(() => rmSync(local, { recursive: true, force: true }))

  it('push: check is the dry run (nothing sent), the run sends, a no-op is one rsync that sends nothing, drift on either side', async () => {
    const args = { src: `${tree}/`, dest: '/srv/s/dags/', delete: true, rsync_opts: ['--exclude=__pycache__'] }
    const c = await checkRun(synchronize, args, env())
    assert.equal(c.status, 'changed', c.msg)
    assert.match(String(c.data.cmd), /--dry-run/)
    assert.equal(await sh(bed(), H, 'test -e /srv/s/dags && echo there || echo absent'), 'absent')
    const { applied, again } = await assertConverges(synchronize, args, env())
    assert.ok((applied.data.stdout_lines as string[]).includes('<f+++++++++ sub/dag_1.py'))
    assert.doesNotMatch(String(applied.data.cmd), /--dry-run/)
    assert.deepEqual(again.data.stdout_lines, [])
    assert.equal(await sh(bed(), H, 'find /srv/s/dags -type f | wc -l; test -e /srv/s/dags/sub/__pycache__ || echo excluded'), '20\nexcluded')
    const conn = env().conn
    const trips = conn.execCount
    assert.equal((await realRun(synchronize, args, env())).status, 'ok')
    assert.equal(conn.execCount - trips, 0, 'rsync reaches the host itself: no round trip on the connection')
    // drift: a changed and an extra remote file, a new local file
    await sh(bed(), H, 'echo hacked > /srv/s/dags/dag_0.py; touch /srv/s/dags/extra.py')
    writeFileSync(join(tree, 'new.py'), 'new\n')
    const d = await checkRun(synchronize, args, env())
    assert.deepEqual((d.data.stdout_lines as string[]).map((l) => l.replace(/^\S+\s+/, '')).sort(), ['dag_0.py', 'extra.py', 'new.py'])
    assert.equal((await realRun(synchronize, args, env())).status, 'changed')
    assert.equal(await sh(bed(), H, 'cat /srv/s/dags/dag_0.py /srv/s/dags/new.py; test -e /srv/s/dags/extra.py || echo deleted'), '# dag 0\nnew\ndeleted')
    rmSync(join(tree, 'new.py'))
  })

  it('what Ansible returns for the same push', async () => {
    const args = { src: `${tree}/`, dest: '/srv/s/theirs/', rsync_opts: ['--exclude=__pycache__'] }
    const [t1, t2] = await ansibleTasks(bed().inventory(), H, [
      { module: 'ansible.posix.synchronize', args },
      { module: 'ansible.posix.synchronize', args },
    ])
    const o1 = await realRun(synchronize, { ...args, dest: '/srv/s/ours/' }, env())
    const o2 = await realRun(synchronize, { ...args, dest: '/srv/s/ours/' }, env())
    assert.deepEqual([t1!.changed, t2!.changed, o1.status, o2.status], [true, false, 'changed', 'ok'])
    const lines = (r: Record<string, unknown>) => (r.stdout_lines as string[]).filter((l) => !l.startsWith('created directory')).sort()
    assert.deepEqual(lines(o1.data), lines(t1!))
    assert.deepEqual([o2.data.rc, o2.data.msg], [t2!.rc, t2!.msg])
  })

  it('pull to the controller; become runs rsync with sudo on the host; check mode records what a push creates', async () => {
    await sh(bed(), H, 'mkdir -p /srv/s/logs && echo line > /srv/s/logs/a.log && chmod 0600 /srv/s/logs/a.log')
    const pulled = join(local, 'pulled')
    await assertConverges(synchronize, { mode: 'pull', src: '/srv/s/logs/', dest: `${pulled}/` }, env())
    assert.equal(readFileSync(join(pulled, 'a.log'), 'utf8'), 'line\n')
    const asDeploy = await realRun(synchronize, { src: `${tree}/`, dest: '/srv/s/root-owned/', rsync_opts: ['--exclude=__pycache__'] }, deploy!.env())
    assert.equal(asDeploy.status, 'changed', asDeploy.msg)
    assert.match(String(asDeploy.data.cmd), /--rsync-path=sudo -u root rsync/)
    assert.equal(await sh(bed(), H, "stat -c '%U' /srv/s/root-owned/dag_0.py"), 'root')
    const effects = new EffectStore()
    assert.equal((await checkRun(synchronize, { src: `${tree}/`, dest: '/srv/s/later/' }, { ...env(), effects })).status, 'changed')
    const s = await checkRun(stat, { path: '/srv/s/later/sub/dag_1.py' }, { ...env(), effects })
    assert.equal((s.data.stat as { exists: boolean }).exists, true)
    const bad = await realRun(synchronize, { src: `${local}/nope/`, dest: '/srv/s/x/' }, env())
    assert.equal(bad.status, 'failed')
    assert.match(bad.msg!, /nope/)
  })
})
