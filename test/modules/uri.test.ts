/**
 * uri on a real host against a local HTTP(S) server on the outer machine: Ansible's results for
 * GET/HEAD/POST, JSON and form bodies, redirects, status codes, basic auth, return_content, dest,
 * creates/removes; skipped in check mode as Ansible skips it.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Masker } from '../../engine/secrets.js'
import { uri } from '../../modules/uri.js'
import { ansibleTasks, comparable } from '../helpers/ansible.js'
import { startTestHttp, type TestHttp } from '../helpers/http-server.js'
import { checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const H = 'ur1'

describe('uri on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed([H])
  const [root, deploy] = osEnvs(bed, H)
  const env = () => root!.env()
  let srv: TestHttp
  const local = mkdtempSync(join(tmpdir(), 'acplay-uri-'))
  const url = (path: string) => `http://${bed().host(H).gateway}:${srv.httpPort}${path}`
  before(async () => {
    srv = await startTestHttp([bed().host(H).gateway])
    srv.put('page.html', '<p>hi</p>\n', new Date(Date.now() - 3600_000))
    writeFileSync(join(local, 'payload.json'), '{"from": "file"}')
    await sh(bed(), H, 'mkdir -p /srv/u && printf "remote body" > /srv/u/body.txt')
  })
  after(async () => {
    await srv?.close()
    rmSync(local, { recursive: true, force: true })
  })

  it('returns what Ansible returns: JSON, content, redirects, status codes, methods, bodies, auth', async () => {
    const cases: Record<string, unknown>[] = [
      { url: url('/json') },
      { url: url('/json'), return_content: true },
      { url: url('/redirect/2/json') },
      { url: url('/redirect/1/json'), follow_redirects: 'none' },
      { url: url('/status/404') },
      { url: url('/status/404'), status_code: [200, 404], return_content: true },
      { url: url('/json?status=201'), status_code: '200,201' },
      { url: url('/files/page.html'), method: 'HEAD' },
      { url: url('/echo'), method: 'POST', body_format: 'json', body: { name: 'astro', tags: ['a', 'é'], n: 3, on: true } },
      { url: url('/echo'), method: 'PUT', body_format: 'form-urlencoded', body: { q: 'a b&c', list: ['x', 'y~*'] } },
      { url: url('/echo'), method: 'DELETE' },
      { url: url('/auth/json'), url_username: srv.auth.user, url_password: srv.auth.pass },
      { url: url('/auth/json'), url_username: srv.auth.user, url_password: 'nope' },
      { url: `http://${bed().host(H).gateway}:1/` },
    ]
    const theirs = await ansibleTasks(
      bed().inventory(),
      H,
      cases.map((args) => ({ module: 'uri', args })),
    )
    // differs between two requests by design: time, and what each client sends (echoed back)
    const drop = ['elapsed', 'date', 'failed', 'json', 'content_length', 'content']
    for (const [i, args] of cases.entries()) {
      const ours = await realRun(uri, args, env())
      const t = theirs[i]!
      assert.equal(ours.status, t.failed ? 'failed' : 'ok', `${i} ${JSON.stringify(args)}: ${ours.msg}`)
      const data = t.failed ? { ...ours.data, msg: ours.msg } : ours.data
      const mine = comparable(data, drop)
      const them = comparable(t, drop)
      if (i === cases.length - 1) {
        // a refused connection: curl and urllib word it differently
        assert.match(String(mine.msg), /^Status code was -1 and not \[200\]: Request failed: .*(refused|connect)/i)
        assert.match(String(them.msg), /^Status code was -1 and not \[200\]: Request failed: .*refused/i)
        delete mine.msg
        delete them.msg
      }
      assert.deepEqual(mine, them, `${i} ${JSON.stringify(args)}`)
      const echoed = (r: Record<string, unknown>) => {
        const j = r.json as { method?: string; body?: string; headers?: Record<string, string> } | undefined
        return j && 'body' in j ? [j.method, j.body, j.headers?.['content-type']] : j
      }
      assert.deepEqual(echoed(ours.data), echoed(t), `${i}: the same JSON, the same request as the server saw it`)
    }
  })

  it('a GET is one round trip and changes nothing; check mode skips uri without a request, as Ansible', async () => {
    const conn = env().conn
    const trips = conn.execCount
    const r = await realRun(uri, { url: url('/json') }, env())
    assert.deepEqual([r.status, r.reason, conn.execCount - trips], ['ok', `GET ${url('/json')}: 200 (OK (unknown bytes))`, 1])
    assert.deepEqual((r.data.json as { items: number[] }).items, [1, 2, 3])
    const n = srv.requests.length
    const c = await checkRun(uri, { url: url('/echo'), method: 'POST', body: 'x' }, env())
    assert.deepEqual([c.status, srv.requests.length - n], ['skipped', 0])
    const [t] = await ansibleTasks(bed().inventory(), H, [{ module: 'uri', args: { url: url('/json') }, check: true }])
    assert.equal(t!.skipped, true)
  })

  it('a POST is applied (the host may have changed) and reported ok, as Ansible; src from the controller or the host', async () => {
    const fromFile = await realRun(uri, { url: url('/echo'), method: 'POST', src: join(local, 'payload.json'), body_format: 'json' }, deploy!.env())
    assert.deepEqual([fromFile.status, (fromFile.data.json as { body: string }).body], ['ok', '{"from": "file"}'])
    assert.match(fromFile.reason!, /^POST .*\/echo: 200/)
    const remote = await realRun(uri, { url: url('/echo'), method: 'POST', src: '/srv/u/body.txt', remote_src: true }, env())
    assert.equal((remote.data.json as { body: string }).body, 'remote body')
    const created = await realRun(uri, { url: url('/echo?status=201'), method: 'POST', body: 'x', status_code: 201 }, env())
    assert.deepEqual([created.status, created.data.status, created.data.cookies], ['ok', 201, { session: 'abc' }])
  })

  it('dest: written and changed; If-Modified-Since then gets a 304, which fails unless wanted, as in Ansible; creates and removes', async () => {
    const args = { url: url('/files/page.html'), dest: '/srv/u/page.html' }
    const [t1, t2] = await ansibleTasks(bed().inventory(), H, [
      { module: 'uri', args: { ...args, dest: '/srv/u/theirs.html' } },
      { module: 'uri', args: { ...args, dest: '/srv/u/theirs.html' } },
    ])
    const first = await realRun(uri, args, env())
    assert.deepEqual([first.status, first.data.path, first.data.state], ['changed', '/srv/u/page.html', 'file'])
    assert.deepEqual([t1!.changed, t1!.path], [true, '/srv/u/theirs.html'])
    assert.equal(await sh(bed(), H, 'cat /srv/u/page.html'), '<p>hi</p>')
    const again = await realRun(uri, args, env())
    assert.deepEqual([again.status, again.msg], ['failed', t2!.msg])
    assert.equal(again.msg, 'Status code was 304 and not [200]: HTTP Error 304: Not Modified')
    const wanted = await realRun(uri, { ...args, status_code: [200, 304] }, env())
    assert.deepEqual([wanted.status, wanted.data.status], ['ok', 304])
    assert.equal((await realRun(uri, { url: url('/json'), dest: '/srv/u/' }, env())).data.path, '/srv/u/json')
    const skip = await realRun(uri, { url: url('/echo'), method: 'POST', creates: '/srv/u/page.html' }, env())
    assert.deepEqual([skip.status, skip.data.stdout], ['ok', "skipped, since '/srv/u/page.html' exists"])
    const skip2 = await realRun(uri, { url: url('/echo'), method: 'POST', removes: '/srv/u/none' }, env())
    assert.equal(skip2.data.stdout, "skipped, since '/srv/u/none' does not exist")
  })

  it('the password is never shown; bad arguments fail clearly', async () => {
    const masker = new Masker()
    const r = await realRun(uri, { url: url('/auth/json'), user: srv.auth.user, password: srv.auth.pass, force_basic_auth: true }, { ...env(), masker })
    assert.equal(r.status, 'ok', r.msg)
    assert.equal(masker.mask(JSON.stringify(r)).includes(srv.auth.pass), false)
    assert.equal(JSON.stringify(r).includes(srv.auth.pass), false)
    const bad = await realRun(uri, { url: url('/json'), method: 'GET me' }, env())
    assert.equal(bad.msg, "Parameter 'method' needs to be a single word in uppercase, like GET or POST.")
    const both = await realRun(uri, { url: url('/json'), body: 'x', src: 'y' }, env())
    assert.match(both.msg!, /mutually exclusive: body, src/)
  })
})
