/**
 * wait_for on a real host: it waits for a port a service opens later, a file and a line in it, a
 * port to close and a file to go; one look when the condition already holds; skipped in check mode
 * as Ansible skips it; the same return values as Debian's ansible.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { waitFor } from '../../modules/wait-for.js'
import { ansibleTasks, comparable } from '../helpers/ansible.js'
import { checkRun, realRun } from '../helpers/module-harness.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { osEnvs, sh } from './os-envs.js'

const H = 'wf1'
const later = (unit: string, cmd: string) => `systemd-run --quiet --unit=${unit} --on-active=2 --timer-property=AccuracySec=100ms ${cmd}`

describe('wait_for on a real host', { skip: testbedSkip() }, () => {
  const bed = useTestbed([H])
  const [root, deploy] = osEnvs(bed, H)
  const env = () => root!.env()

  it('returns what Ansible returns, success and timeout alike', async () => {
    await sh(bed(), H, 'mkdir -p /srv/w && printf "id=42 name=web\\n" > /srv/w/app.conf')
    const cases: Record<string, unknown>[] = [
      { port: 22 },
      { port: 23, state: 'stopped' },
      { path: '/srv/w/app.conf', search_regex: 'id=(\\d+) name=(?P<name>\\w+)' },
      { path: '/srv/w/none', state: 'absent' },
      { port: 23, timeout: 1 },
      { path: '/srv/w/none', timeout: 1, msg: 'no file, sorry' },
      { path: '/srv/w/app.conf', search_regex: 'x(' },
      { port: 22, state: 'drained', timeout: 1 },
    ]
    const theirs = await ansibleTasks(
      bed().inventory(),
      H,
      cases.map((args) => ({ module: 'wait_for', args })),
    )
    for (const [i, args] of cases.entries()) {
      const ours = await realRun(waitFor, args, env())
      const t = theirs[i]!
      assert.equal(ours.status, t.failed ? 'failed' : 'ok', `${JSON.stringify(args)}: ${ours.msg}`)
      if (t.failed) {
        assert.equal(ours.msg!.replace(/ \(.*\)$/, ''), String(t.msg).replace(/ \(.*\)$/, ''), JSON.stringify(args))
        continue
      }
      assert.deepEqual(comparable(ours.data, ['elapsed']), comparable(t, ['elapsed']), JSON.stringify(args))
    }
  })

  it('one look when the port is already open; skipped in check mode, as Ansible does', async () => {
    const conn = env().conn
    const before = conn.execCount
    const r = await realRun(waitFor, { port: 22, timeout: 5 }, env())
    assert.deepEqual([r.status, r.reason, conn.execCount - before], ['ok', '127.0.0.1:22 is open already', 1])
    const c = await checkRun(waitFor, { port: 22 }, env())
    assert.deepEqual([c.status, conn.execCount - before], ['skipped', 1], 'check mode does not even look')
    const [theirs] = await ansibleTasks(bed().inventory(), H, [{ module: 'wait_for', args: { port: 22 }, check: true }])
    assert.equal(theirs!.skipped, true)
  })

  it('waits for a service that starts later, then for it to stop (as deploy with become too)', async () => {
    await sh(bed(), H, later('waitsrv', 'python3 -m http.server 8123 --bind 127.0.0.1'))
    const up = await realRun(waitFor, { port: 8123, timeout: 30 }, deploy!.env())
    assert.equal(up.status, 'ok', up.msg)
    assert.ok((up.data.elapsed as number) >= 1, `it waited (${up.data.elapsed} s)`)
    assert.match(up.reason!, /^127\.0\.0\.1:8123 is open after \d+ s$/)
    const again = await realRun(waitFor, { port: 8123, timeout: 30 }, env())
    assert.equal(again.reason, '127.0.0.1:8123 is open already')
    await sh(bed(), H, later('waitstop', 'systemctl stop waitsrv.service'))
    const down = await realRun(waitFor, { port: 8123, state: 'stopped', timeout: 30 }, env())
    assert.equal(down.status, 'ok', down.msg)
    assert.ok((down.data.elapsed as number) >= 1)
    // drift: the service is gone; waiting for it now times out, naming what it waited for
    const gone = await realRun(waitFor, { port: 8123, timeout: 2 }, env())
    assert.deepEqual([gone.status, gone.msg], ['failed', 'Timeout when waiting for 127.0.0.1:8123'])
  })

  it('waits for a file and for a line in it, and for a file to go', async () => {
    await sh(bed(), H, `rm -f /srv/w/log; ${later('waitfile', "sh -c 'echo starting > /srv/w/log; sleep 1; echo ready on 8080 >> /srv/w/log'")}`)
    const r = await realRun(waitFor, { path: '/srv/w/log', search_regex: 'ready on (\\d+)', timeout: 30 }, env())
    assert.equal(r.status, 'ok', r.msg)
    assert.deepEqual(r.data.match_groups, ['8080'])
    assert.ok((r.data.elapsed as number) >= 2, `it waited for the line, not just the file (${r.data.elapsed} s)`)
    await sh(bed(), H, later('waitrm', 'rm -f /srv/w/log'))
    const gone = await realRun(waitFor, { path: '/srv/w/log', state: 'absent', timeout: 30 }, env())
    assert.equal(gone.status, 'ok', gone.msg)
    assert.equal(await sh(bed(), H, 'test -e /srv/w/log || echo gone'), 'gone')
  })

  it('sleeps `timeout` seconds with neither port nor path; delay waits before the first look', async () => {
    const t0 = Date.now()
    const r = await realRun(waitFor, { timeout: 2 }, env())
    assert.equal(r.status, 'ok')
    assert.ok(Date.now() - t0 >= 2000)
    const t1 = Date.now()
    const d = await realRun(waitFor, { port: 22, delay: 1 }, env())
    assert.equal(d.status, 'ok')
    assert.ok(Date.now() - t1 >= 1000, 'delay is honoured even when the port is open')
    const bad = await realRun(waitFor, { path: '/srv/w', state: 'stopped' }, env())
    assert.equal(bad.msg, 'state=stopped should only be used for checking a port in the wait_for module')
  })
})
