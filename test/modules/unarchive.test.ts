/**
 * unarchive on a real host: tar.gz and zip from the controller, tar.xz on the host, a URL the host
 * downloads; check mode (tar too) says what the run does; a no-op is one round trip; changed,
 * missing and re-owned members are drift; Ansible's results for a remote archive.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { file } from '../../modules/file.js'
import { stat } from '../../modules/stat.js'
import { unarchive } from '../../modules/unarchive.js'
import { ansibleTasks, comparable } from '../helpers/ansible.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const H = 'ua1'

describe('unarchive on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed([H])
  const [root, deploy] = osEnvs(bed, H)
  const local = mkdtempSync(join(tmpdir(), 'acplay-unarchive-'))
  const findFile = (p: string) => (p.startsWith('/') ? p : join(local, p))
  const env = () => ({ ...root!.env(), findFile })
  let url = ''
  before(async () => {
    mkdirSync(join(local, 'tree/app-1.0/bin'), { recursive: true })
    writeFileSync(join(local, 'tree/app-1.0/README'), 'readme\n')
    writeFileSync(join(local, 'tree/app-1.0/bin/run'), '#!/bin/sh\necho run\n')
    chmodSync(join(local, 'tree/app-1.0/bin/run'), 0o755)
    execFileSync('tar', ['-czf', join(local, 'app.tgz'), '-C', join(local, 'tree'), 'app-1.0'])
    execFileSync('tar', ['-cJf', join(local, 'app.tar.xz'), '-C', join(local, 'tree'), 'app-1.0'])
    execFileSync('zip', ['-qr', join(local, 'app.zip'), 'app-1.0'], { cwd: join(local, 'tree') })
    const served = await bed().serve(local)
    url = `${served.urlFor(H)}app.tar.xz`
    await sh(bed(), H, 'mkdir -p /srv/a/tgz /srv/a/zip /srv/a/xz /srv/a/url /srv/a/cmp /srv/a/theirs')
    await sh(bed(), H, `python3 -c 'import sys,urllib.request; urllib.request.urlretrieve(sys.argv[1], "/srv/a/app.tar.xz")' ${url}`)
  })
  after(() => rmSync(local, { recursive: true, force: true }))

  it('a controller tar.gz: check (Ansible skips tar there) says it would unpack, the run does, a no-op is one round trip, drift is repaired', async () => {
    const args = { src: 'app.tgz', dest: '/srv/a/tgz', owner: 'deploy' }
    const c = await checkRun(unarchive, args, env())
    assert.equal(c.status, 'changed', c.msg)
    assert.match(c.changes[0]!.summary, /^unpack app\.tgz into \/srv\/a\/tgz \(\d+ difference/)
    assert.equal(await sh(bed(), H, 'ls -A /srv/a/tgz | wc -l'), '0')
    const { applied } = await assertConverges(unarchive, args, env())
    assert.deepEqual([applied.data.handler, (applied.data.extract_results as { rc: number }).rc, applied.data.state], ['TgzArchive', 0, 'directory'])
    assert.equal(
      await sh(bed(), H, "cat /srv/a/tgz/app-1.0/README; stat -c '%a %U' /srv/a/tgz/app-1.0/bin/run /srv/a/tgz/app-1.0"),
      'readme\n755 deploy\n755 deploy',
    )
    const conn = env().conn
    const trips = conn.execCount
    assert.equal((await realRun(unarchive, args, env())).status, 'ok')
    assert.equal(conn.execCount - trips, 1)
    for (const drift of ['echo changed > /srv/a/tgz/app-1.0/README', 'rm /srv/a/tgz/app-1.0/bin/run', 'chown root /srv/a/tgz/app-1.0/README']) {
      await sh(bed(), H, drift)
      assert.equal((await checkRun(unarchive, args, env())).status, 'changed', drift)
      assert.equal((await realRun(unarchive, args, env())).status, 'changed', drift)
      assert.equal((await realRun(unarchive, args, env())).status, 'ok', drift)
    }
    assert.equal(await sh(bed(), H, "cat /srv/a/tgz/app-1.0/README; stat -c '%U' /srv/a/tgz/app-1.0/README"), 'readme\ndeploy')
  })

  it('a controller zip with a mode, as deploy with become', async () => {
    const args = { src: 'app.zip', dest: '/srv/a/zip', mode: '0750', list_files: true }
    const { applied } = await assertConverges(unarchive, args, { ...deploy!.env(), findFile })
    assert.equal(applied.data.handler, 'ZipArchive')
    assert.deepEqual((applied.data.files as string[]).sort(), ['app-1.0/', 'app-1.0/README', 'app-1.0/bin/', 'app-1.0/bin/run'])
    assert.equal(await sh(bed(), H, "stat -c '%a' /srv/a/zip/app-1.0/README /srv/a/zip/app-1.0/bin"), '750\n750')
    await sh(bed(), H, 'echo other > /srv/a/zip/app-1.0/README; chmod 0750 /srv/a/zip/app-1.0/README')
    assert.equal((await checkRun(unarchive, args, env())).status, 'changed', 'a content change is found (CRC)')
  })

  it('a tar.xz on the host with extra_opts, and from a URL: what Ansible returns', async () => {
    const cases = [
      { src: '/srv/a/app.tar.xz', dest: '/srv/a/cmp', remote_src: true, extra_opts: ['--strip-components=1'], list_files: true },
      { src: '/srv/a/app.tar.xz', dest: '/srv/a/cmp', remote_src: true, extra_opts: ['--strip-components=1'], list_files: true },
    ]
    const theirs = await ansibleTasks(
      bed().inventory(),
      H,
      cases.map((args) => ({ module: 'unarchive', args: { ...args, dest: '/srv/a/theirs' } })),
    )
    for (const [i, args] of cases.entries()) {
      const ours = await realRun(unarchive, args, env())
      const t = theirs[i]!
      assert.equal(ours.status, t.changed ? 'changed' : 'ok', `${i}: ${ours.msg}`)
      const drop = ['extract_results', 'dest', 'size']
      assert.deepEqual(comparable(ours.data, drop), comparable(t, drop), String(i))
    }
    assert.equal(await sh(bed(), H, 'cat /srv/a/cmp/README; diff -r /srv/a/cmp /srv/a/theirs && echo same'), 'readme\nsame')
    const fromUrl = await assertConverges(unarchive, { src: url, dest: '/srv/a/url', remote_src: true }, env())
    assert.equal(fromUrl.applied.data.handler, 'TarArchive')
    assert.equal(await sh(bed(), H, 'cat /srv/a/url/app-1.0/README'), 'readme')
  })

  it('creates; a missing dest; check mode chains (a directory an earlier task would create, then stat of a member)', async () => {
    const skip = await realRun(unarchive, { src: 'app.tgz', dest: '/srv/a/tgz', creates: '/srv/a/tgz/app-1.0' }, env())
    assert.deepEqual([skip.status, skip.reason], ['skipped', 'skipped, since /srv/a/tgz/app-1.0 exists'])
    const missing = await realRun(unarchive, { src: 'app.tgz', dest: '/srv/a/none' }, env())
    assert.deepEqual([missing.status, missing.msg], ['failed', "dest '/srv/a/none' must be an existing dir"])
    const effects = new EffectStore()
    assert.equal((await checkRun(file, { path: '/srv/a/later', state: 'directory' }, { ...env(), effects })).status, 'changed')
    const c = await checkRun(unarchive, { src: 'app.tgz', dest: '/srv/a/later' }, { ...env(), effects })
    assert.equal(c.status, 'changed', c.msg)
    const s = await checkRun(stat, { path: '/srv/a/later/app-1.0/bin/run' }, { ...env(), effects })
    assert.equal((s.data.stat as { exists: boolean }).exists, true)
  })
})
