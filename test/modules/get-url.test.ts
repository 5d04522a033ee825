/**
 * get_url on a real host against a local HTTP(S) server on the outer machine: checksums (given and
 * from a checksum file), force, If-Modified-Since, dest as a directory, redirects, status codes,
 * basic auth, self-signed TLS; check mode that predicts the run; drift repaired; Ansible's results.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { EffectStore } from '../../engine/effects.js'
import { Masker } from '../../engine/secrets.js'
import { getUrl } from '../../modules/get-url.js'
import { stat } from '../../modules/stat.js'
import { ansibleTasks, comparable } from '../helpers/ansible.js'
import { startTestHttp, type TestHttp } from '../helpers/http-server.js'
import { assertConverges, checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const H = 'gu1'
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex')

describe('get_url on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed([H])
  const [root, deploy] = osEnvs(bed, H)
  const env = () => root!.env()
  let srv: TestHttp
  const url = (path: string) => `http://${bed().host(H).gateway}:${srv.httpPort}${path}`
  const surl = (path: string) => `https://${bed().host(H).gateway}:${srv.httpsPort}${path}`
  const APP = 'app release 1.0\n'
  before(async () => {
    srv = await startTestHttp([bed().host(H).gateway])
    srv.put('app.tgz', APP)
    srv.put('app.tgz.sha256', `${sha256('other')}  other.tgz\n${sha256(APP)} *./app.tgz\n`)
    await sh(bed(), H, 'mkdir -p /srv/dl/dir')
  })
  after(() => srv?.close())
  const served = () => srv.requests.filter((r) => r.url.startsWith('/files/') || r.url.startsWith('/nocache/')).length

  it('with a checksum: check (HEAD) changes nothing, the run downloads, a no-op asks nothing of the server, drift is repaired', async () => {
    const args = { url: url('/files/app.tgz'), dest: '/srv/dl/app.tgz', checksum: `sha256:${sha256(APP)}`, mode: '0640', owner: 'deploy' }
    const c = await checkRun(getUrl, args, env())
    assert.equal(c.status, 'changed', c.msg)
    assert.deepEqual(
      c.changes.map((x) => x.summary),
      [`download /srv/dl/app.tgz from ${args.url}`],
    )
    assert.equal(srv.requests.at(-1)!.method, 'HEAD', 'check mode validates the URL with HEAD, as Ansible')
    await sh(bed(), H, 'test ! -e /srv/dl/app.tgz')
    const { applied, again } = await assertConverges(getUrl, args, env())
    assert.equal(applied.data.checksum_src, sha1(APP))
    assert.deepEqual(
      [applied.data.mode, applied.data.owner, applied.data.state, applied.data.size, applied.data.status_code],
      ['0640', 'deploy', 'file', APP.length, 200],
    )
    assert.equal(again.data.msg, 'file already exists')
    assert.equal(
      await sh(bed(), H, "stat -c '%a %U' /srv/dl/app.tgz; cat /srv/dl/app.tgz; ls -a /srv/dl | grep -c acplay || true"),
      `640 deploy\n${APP.trim()}\n0`,
    )
    const n = served()
    const conn = env().conn
    const trips = conn.execCount
    assert.equal((await realRun(getUrl, args, env())).status, 'ok')
    assert.deepEqual([served() - n, conn.execCount - trips], [0, 1], 'no request, one round trip')
    await sh(bed(), H, 'echo tampered > /srv/dl/app.tgz; chmod 0666 /srv/dl/app.tgz')
    const d = await checkRun(getUrl, args, env())
    assert.deepEqual([d.status, d.changes[0]?.summary], ['changed', `replace /srv/dl/app.tgz from ${args.url} (its content differs)`])
    assert.equal((await realRun(getUrl, args, env())).status, 'changed')
    assert.equal(await sh(bed(), H, "stat -c '%a' /srv/dl/app.tgz; cat /srv/dl/app.tgz"), `640\n${APP.trim()}`)
    // a mode drift alone is only a chmod
    await sh(bed(), H, 'chmod 0600 /srv/dl/app.tgz')
    const m = await realRun(getUrl, args, env())
    assert.deepEqual(
      [m.status, m.changes[0]?.summary, m.data.msg],
      ['changed', 'set mode 0640 on /srv/dl/app.tgz', 'file already exists but file attributes changed'],
    )
  })

  it('returns what Ansible returns (first download, no-op, 404)', async () => {
    const cases = [
      { url: url('/files/app.tgz'), dest: '/srv/dl/a1', checksum: `sha256:${sha256(APP)}` },
      { url: url('/files/app.tgz'), dest: '/srv/dl/a1', checksum: `sha256:${sha256(APP)}` },
      { url: url('/status/404'), dest: '/srv/dl/a2' },
    ]
    const theirs = await ansibleTasks(
      bed().inventory(),
      H,
      cases.map((args) => ({ module: 'get_url', args })),
    )
    await sh(bed(), H, 'rm -f /srv/dl/a1')
    const drop = ['src', 'elapsed', 'failed', 'md5sum']
    for (const [i, args] of cases.entries()) {
      const ours = await realRun(getUrl, args, env())
      const t = theirs[i]!
      assert.equal(ours.status, t.failed ? 'failed' : t.changed ? 'changed' : 'ok', `${i}: ${ours.msg}`)
      const data = t.failed ? { ...ours.data, msg: ours.msg } : ours.data
      assert.deepEqual(comparable(data, drop), comparable(t, drop), String(i))
    }
  })

  it('without a checksum: If-Modified-Since (304 is ok), or the bytes are compared; force requests every time', async () => {
    srv.put('conf.txt', 'v1\n', new Date(Date.now() - 3600_000))
    const args = { url: url('/files/conf.txt'), dest: '/srv/dl/conf.txt' }
    await assertConverges(getUrl, args, env())
    const again = await realRun(getUrl, args, env())
    assert.deepEqual([again.status, again.data.status_code], ['ok', 304])
    assert.equal(srv.requests.at(-1)!.headers['if-modified-since'] !== undefined, true)
    // a server without If-Modified-Since: the same bytes are ok, new bytes replace the file
    const nocache = { url: url('/nocache/conf.txt'), dest: '/srv/dl/conf.txt' }
    assert.equal((await realRun(getUrl, nocache, env())).status, 'ok')
    srv.put('conf.txt', 'v2\n')
    const c = await checkRun(getUrl, nocache, env())
    assert.equal(c.status, 'changed', 'check mode downloaded and compared')
    assert.equal(await sh(bed(), H, 'cat /srv/dl/conf.txt'), 'v1')
    const r = await realRun(getUrl, { ...nocache, backup: true }, deploy!.env())
    assert.equal(r.status, 'changed', r.msg)
    assert.equal(await sh(bed(), H, `cat /srv/dl/conf.txt ${r.data.backup_file}`), 'v2\nv1')
    const forced = await realRun(getUrl, { ...args, force: true }, env())
    assert.equal(forced.status, 'ok')
    assert.equal(srv.requests.at(-1)!.headers['cache-control'], 'no-cache')
  })

  it('dest is a directory: the name from Content-Disposition, or the final URL after redirects; always requested', async () => {
    srv.put('named.bin', 'named\n')
    srv.put('r.txt', 'redirected\n')
    const byHeader = await realRun(getUrl, { url: url('/attach/named.bin'), dest: '/srv/dl/dir' }, env())
    assert.deepEqual([byHeader.status, byHeader.data.dest], ['changed', '/srv/dl/dir/named.bin'])
    const byUrl = await realRun(getUrl, { url: url('/redirect/2/files/r.txt'), dest: '/srv/dl/dir/' }, env())
    assert.deepEqual([byUrl.status, byUrl.data.dest], ['changed', '/srv/dl/dir/r.txt'])
    assert.equal(await sh(bed(), H, 'cat /srv/dl/dir/named.bin /srv/dl/dir/r.txt'), 'named\nredirected')
    const n = served()
    const again = await realRun(getUrl, { url: url('/redirect/2/files/r.txt'), dest: '/srv/dl/dir/' }, env())
    assert.deepEqual([again.status, served() - n], ['ok', 1])
    assert.equal((await checkRun(getUrl, { url: url('/attach/named.bin'), dest: '/srv/dl/dir' }, env())).status, 'ok')
  })

  it('a checksum file, a checksum mismatch (dest left alone), basic auth (the password never shows), TLS', async () => {
    const fromFile = await realRun(getUrl, { url: url('/files/app.tgz'), dest: '/srv/dl/b.tgz', checksum: `sha256:${url('/files/app.tgz.sha256')}` }, env())
    assert.equal(fromFile.status, 'changed', fromFile.msg)
    await sh(bed(), H, 'echo keep > /srv/dl/c.tgz')
    const bad = await realRun(getUrl, { url: url('/files/app.tgz'), dest: '/srv/dl/c.tgz', checksum: `sha256:${sha256('nope')}` }, env())
    assert.equal(bad.status, 'failed')
    assert.equal(bad.msg, `The checksum for /srv/dl/c.tgz did not match ${sha256('nope')}; it was ${sha256(APP)}.`)
    assert.equal(await sh(bed(), H, 'cat /srv/dl/c.tgz; ls -a /srv/dl | grep -c acplay || true'), 'keep\n0')
    const masker = new Masker()
    const auth = { url: url('/auth/files/app.tgz'), dest: '/srv/dl/auth.tgz', url_username: srv.auth.user, url_password: srv.auth.pass }
    const a = await realRun(getUrl, auth, { ...env(), masker })
    assert.equal(a.status, 'changed', a.msg)
    const challenged = srv.requests.filter((r) => r.url === '/auth/files/app.tgz').map((r) => r.headers.authorization !== undefined)
    assert.deepEqual(challenged, [false, true], 'credentials only after the 401 challenge')
    await realRun(getUrl, { ...auth, dest: '/srv/dl/auth2.tgz', force_basic_auth: true }, env())
    assert.equal(srv.requests.at(-1)!.headers.authorization !== undefined, true)
    const denied = await realRun(getUrl, { ...auth, dest: '/srv/dl/auth3.tgz', url_password: 'wrong' }, { ...env(), masker })
    assert.deepEqual([denied.status, denied.msg, denied.data.status_code], ['failed', 'Request failed', 401])
    assert.doesNotMatch(JSON.stringify([a, denied]), /s3cret|wrong/)
    const tls = await realRun(getUrl, { url: surl('/files/app.tgz'), dest: '/srv/dl/tls.tgz' }, env())
    assert.equal(tls.status, 'failed')
    assert.match(tls.msg!, /certificate/)
    assert.equal((await realRun(getUrl, { url: surl('/files/app.tgz'), dest: '/srv/dl/tls.tgz', validate_certs: false }, env())).status, 'changed')
    const nodir = await realRun(getUrl, { url: url('/files/app.tgz'), dest: '/srv/nodir/x' }, env())
    assert.equal(nodir.msg, 'Destination /srv/nodir does not exist')
  })

  it('check mode chains: a file get_url would download is there for stat', async () => {
    const effects = new EffectStore()
    const c = await checkRun(getUrl, { url: url('/files/app.tgz'), dest: '/srv/dl/later.tgz', mode: '0600' }, { ...env(), effects })
    assert.equal(c.status, 'changed')
    const s = await checkRun(stat, { path: '/srv/dl/later.tgz' }, { ...env(), effects })
    assert.deepEqual([(s.data.stat as { exists: boolean }).exists, (s.data.stat as { mode: string }).mode], [true, '0600'])
  })
})
