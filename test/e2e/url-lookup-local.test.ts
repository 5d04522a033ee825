/**
 * The url lookup against Debian's ansible-playbook (local connection), both tools fetching from
 * an HTTP server this test runs on 127.0.0.1: lines and whole text, redirects, Basic
 * authentication (forced, and after the server asks), headers, the user agent, HTTP errors and a
 * refused connection. Every case is one debug task (ignore_errors); values and failures must match.
 */
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { rmSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { localPlaybookDir, runBoth } from '../helpers/local-both.js'

const AUTH = `Basic ${Buffer.from('ops:s3cret-pass').toString('base64')}`

function serve(req: { url?: string; headers: Record<string, string | string[] | undefined> }): {
  status: number
  headers?: Record<string, string>
  body: string
} {
  switch (req.url) {
    case '/lines':
      return { status: 200, body: 'first line\nsecond, with a comma\r\nthird\rfourth\n' }
    case '/one':
      return { status: 200, body: 'no newline at the end' }
    case '/json':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"a": 1, "b": [true, null]}\n' }
    case '/moved':
      return { status: 301, headers: { location: '/one' }, body: '' }
    case '/headers':
      return { status: 200, body: `${req.headers['user-agent']}|${req.headers['x-team'] ?? '-'}|${req.headers['cache-control'] ?? '-'}\n` }
    case '/secret':
      if (req.headers.authorization === AUTH) return { status: 200, body: 'the secret\n' }
      return { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' }, body: 'who are you\n' }
    default:
      return { status: 404, body: 'nothing here\n' }
  }
}

describe('the url lookup as ansible-playbook fetches (local, a server on 127.0.0.1)', () => {
  let dir: string
  let server: Server
  let base: string
  let closed: string
  const cases: string[] = []

  before(async () => {
    server = createServer((req, res) => {
      const a = serve(req)
      res.writeHead(a.status, a.headers)
      res.end(a.body)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    // a port nothing listens on: bound, then closed
    const probe = createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    closed = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/`
    await new Promise((r) => probe.close(r))
    cases.push(
      `lookup('url', '${base}/lines')`,
      `query('url', '${base}/lines')`,
      `lookup('url', '${base}/lines', split_lines=False)`,
      `lookup('url', '${base}/one', '${base}/lines', wantlist=True)`,
      `lookup('url', '${base}/json', split_lines=False) | from_json`,
      `lookup('url', '${base}/moved')`,
      `lookup('url', '${base}/moved', follow_redirects='none')`,
      `lookup('url', '${base}/headers', headers={'X-Team': 'ops'}, http_agent='acme/1.0', force=True)`,
      `lookup('url', '${base}/headers')`,
      `lookup('url', '${base}/secret', username='ops', password='s3cret-pass')`,
      `lookup('url', '${base}/secret', username='ops', password='s3cret-pass', force_basic_auth=True)`,
      `lookup('url', '${base}/secret', username='ops', password='wrong')`,
      `lookup('url', '${base}/secret')`,
      `lookup('url', '${base}/missing')`,
      `lookup('url', '${closed}')`,
      `lookup('url', '${base}/missing', errors='ignore') | default('ignored', true)`,
    )
    const tasks = cases.map((expr, i) => ({ name: `case ${i}`, debug: { msg: `{{ ${expr} }}` }, ignore_errors: true }))
    dir = localPlaybookDir('url-lookup', { 'site.yml': JSON.stringify([{ hosts: 'localhost', gather_facts: false, tasks }], null, 1) })
  })
  after(async () => {
    rmSync(dir, { recursive: true, force: true })
    await new Promise((r) => server.close(r))
  })

  it('the same value, or a failure with the same message, in both tools', async () => {
    const { ours, theirs, doc, ansible } = await runBoth(dir, ['site.yml', '-i', 'hosts.ini'], { no_proxy: '*' })
    const theirsBy = new Map(ansible.plays[0]!.tasks.map((t) => [t.task.name, t.hosts.localhost!]))
    const oursBy = new Map(doc.results.map((r) => [r.task.name, r]))
    const failed: number[] = []
    for (const [i, expr] of cases.entries()) {
      const a = theirsBy.get(`case ${i}`)
      const o = oursBy.get(`case ${i}`)
      assert.ok(a && o, `case ${i}: missing (${ours.stderr})`)
      assert.equal(o.status === 'failed', a.failed === true, `${expr}: acplay ${o.status} ${o.msg ?? ''}, ansible ${JSON.stringify(a)}`)
      if (!a.failed) {
        assert.deepEqual(o.output, a.msg, expr)
        continue
      }
      failed.push(i)
      // the same words as Ansible's, after acplay's file:line
      const why = /(Received HTTP error for \S+ : HTTP Error \d+: [\w ]+|Failed lookup url for \S+ : <urlopen error [^>]+>)/.exec(String(a.msg))?.[1]
      assert.ok(why, `${expr}: ansible said ${String(a.msg)}`)
      assert.match(String(o.msg), /site\.yml:\d+:\d+: lookup plugin 'url' failed: /, expr)
      assert.ok(String(o.msg).includes(why), `${expr}: acplay said ${o.msg}, ansible ${why}`)
    }
    assert.deepEqual(failed, [6, 11, 12, 13, 14], 'a redirect not followed, a wrong or missing password, a 404 and a refused connection fail in both')
    assert.ok(!ours.stdout.includes('s3cret-pass') || theirs.stdout.includes('s3cret-pass'), 'acplay shows the password no more than Ansible does')
  })
})
