/**
 * Hosts that go away, as an operator breaks them on purpose: killed mid-run, the network cut without
 * a reset (packets dropped, no RST, no ICMP), sshd stopped. A trusted tool's criteria: the other
 * hosts finish and their results stand; an unreachable host makes the exit code 4 and is named in
 * the recap; no host is waited on past a bound the user sets (connect timeout, keepalive, the task's
 * `timeout`), with a sane default; clean errors.
 */
import assert from 'node:assert/strict'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import type { AuditReport } from '../../engine/report/audit-json.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'
import { spawn } from 'node:child_process'
import { shellJoin } from '../../engine/connection/quote.js'
import { BIN } from '../helpers/cli.js'
import { assertNoStackTrace, recapOf, runAcplay, scratch, startAcplay, waitFor, waitInRun } from './helpers.js'

// task 2 marks that it started, then sleeps: the faults land while every host is inside it
const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - ping:
    - name: a command that takes a while
      shell: touch /run/in-task-2; sleep {{ nap | default(4) }}
    - copy: {dest: /srv/marker, content: "done\\n"}
    - name: last
      command: cat /srv/marker
`

const FAST_KEEPALIVE = ['--ssh-extra-args', '-o ServerAliveInterval=1 -o ServerAliveCountMax=3']

describe('unreachable hosts: killed, cut off, sshd stopped', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['u1', 'u2', 'u3', 'u4', 'u5'])
  const dir = scratch('faults-unreachable', { 'play.yml': PLAY })
  after(() => rmSync(dir, { recursive: true, force: true }))
  const play = join(dir, 'play.yml')
  const started = (h: string) => async () => (await bed().exec(h, 'test -e /run/in-task-2')).rc === 0

  it('one run, three faults: the healthy hosts finish, the others are unreachable (exit 4), within the keepalive bound', async () => {
    const b = bed()
    await b.stopSshd('u3')
    const report = join(dir, 'report.json')
    // an 8 s nap: on a loaded machine seeing the marker and stopping the host took longer than 4 s,
    // and u2 finished its task before it went away
    const run = startAcplay(['run', play, '-i', b.inventory(), '-f', '5', '--report', report, '-e', 'nap=8', ...FAST_KEEPALIVE])
    await waitInRun(run, 'u2 and u4 inside task 2', async () => (await started('u2')()) && (await started('u4')()))
    const cutAt = Date.now()
    await Promise.all([b.stopHost('u2'), b.cutNetwork('u4')])
    const r = await run.result
    const sinceCut = Date.now() - cutAt
    // the next cases want u2 and u4 back, whatever this one finds
    await Promise.all([b.reboot('u2'), b.restoreNetwork('u4')])
    assertNoStackTrace(r)
    assert.equal(r.code, 4, r.stdout + r.stderr)
    for (const h of ['u1', 'u5'])
      assert.deepEqual(recapOf(r.stdout, h), { ok: 4, changed: 3, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 }, h)
    assert.equal(recapOf(r.stdout, 'u3')?.unreachable, 1, 'sshd stopped: unreachable')
    assert.equal(recapOf(r.stdout, 'u3')?.ok, 0)
    for (const h of ['u2', 'u4']) assert.deepEqual([recapOf(r.stdout, h)?.ok, recapOf(r.stdout, h)?.unreachable], [1, 1], `${h}: ping ok, then unreachable`)
    assert.match(r.stdout, /fatal: \[u3\]: UNREACHABLE! .*cannot connect to root@10\.231\.\d+\.11:22: connection refused/)
    assert.match(r.stdout, /fatal: \[u4\]: UNREACHABLE! .*lost: no answer for 3 s \(ServerAliveInterval=1, ServerAliveCountMax=3\)/)
    assert.match(r.stdout, /fatal: \[u2\]: UNREACHABLE! .*lost: the host closed the connection/)
    // the cut host holds the run up 3 s (keepalive) past the end of the 8 s task at most, plus slack for a loaded machine
    assert.ok(sinceCut < 16_000, `the run ended ${sinceCut} ms after the cut`)
    // the healthy hosts' results stand in the report too
    const audit = JSON.parse(readFileSync(report, 'utf8')) as AuditReport
    const host = (h: string) => audit.hosts.find((x) => x.host === h)
    for (const h of ['u1', 'u5'])
      assert.deepEqual(
        host(h)?.tasks.map((t) => t.status),
        ['ok', 'changed', 'changed', 'changed'],
        h,
      )
    for (const h of ['u2', 'u3', 'u4']) assert.equal(host(h)?.unreachable, true, h)
  })

  it('by default a cut link is unreachable within 15 s (ServerAliveInterval=5 x ServerAliveCountMax=3), the others unaffected', async () => {
    const b = bed()
    await b.exec('u4', 'rm -f /run/in-task-2')
    const run = startAcplay(['run', play, '-i', b.inventory({ hosts: ['u1', 'u4', 'u5'] }), '-e', 'nap=1'])
    await waitInRun(run, 'u4 inside task 2', started('u4'))
    const cutAt = Date.now()
    await b.cutNetwork('u4')
    const r = await run.result
    const waited = Date.now() - cutAt
    await b.restoreNetwork('u4')
    assertNoStackTrace(r)
    assert.equal(r.code, 4, r.stdout + r.stderr)
    assert.match(r.stdout, /fatal: \[u4\]: UNREACHABLE! .*no answer for 15 s \(ServerAliveInterval=5, ServerAliveCountMax=3\)/)
    assert.equal(recapOf(r.stdout, 'u1')?.ok, 4)
    assert.equal(recapOf(r.stdout, 'u5')?.ok, 4)
    assert.ok(waited < 22_000, `the cut host was given up after ${waited} ms (bound 15 s)`)
  })

  it('a host that does not answer at all is given up after the connect timeout: -T, then ansible_timeout', async () => {
    const b = bed()
    await b.cutNetwork('u4')
    let r: Awaited<ReturnType<typeof runAcplay>>
    let r2: typeof r
    try {
      r = await runAcplay(['run', play, '-i', b.inventory({ hosts: ['u1', 'u4'] }), '-T', '2', '-e', 'nap=0'])
      r2 = await runAcplay(['run', play, '-i', b.inventory({ hosts: ['u4'], vars: { ansible_timeout: 1 } }), '-T', '30', '-e', 'nap=0'])
    } finally {
      await b.restoreNetwork('u4')
    }
    assertNoStackTrace(r)
    assert.equal(r.code, 4, r.stdout + r.stderr)
    assert.match(r.stdout, /fatal: \[u4\]: UNREACHABLE! .*cannot connect to root@10\.231\.\d+\.11:22: no answer within 2 s/)
    // the messages prove which timeout held; the bounds only that the run did not wait longer (the
    // default is 10 s, -T 30 in the second run), with room for start-up on a loaded machine (6.6 s seen for -T 2)
    assert.ok(r.ms < 12_000, `${r.ms} ms`)
    assert.match(r2.stdout, /no answer within 1 s/, 'ansible_timeout wins over -T')
    assert.ok(r2.ms < 12_000, `${r2.ms} ms`)
  })

  it("Ctrl-C on a terminal (the live view): the run stops the hosts' commands, says what it left undone, exits 130", async () => {
    const b = bed()
    await b.exec('u1', 'rm -f /run/in-task-2')
    const cmd = shellJoin([process.execPath, BIN, 'run', play, '-i', b.inventory({ hosts: ['u1'] }), '-e', 'nap=300'])
    // a pseudo-terminal (util-linux script): listr2 draws its view, and ^C goes to the foreground process group
    // exec: no shell stays around to catch the ^C itself; script -e passes on acplay's exit code
    const tty = spawn('script', ['-qec', `stty cols 120 rows 40; exec ${cmd}`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, TERM: 'xterm' },
    })
    let out = ''
    tty.stdout.on('data', (d: Buffer) => (out += d))
    const closed = new Promise<number | null>((r) => tty.on('close', (code) => r(code)))
    await waitFor('u1 inside task 2', started('u1'))
    tty.stdin.write('\x03')
    const code = await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('still running after 10 s'), 10_000))])
    tty.kill()
    const text = out.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '')
    assert.match(text, /INTERRUPTED \(SIGINT\)/, text)
    assert.match(text, /stopped: \[u1\] TASK \[a command that takes a while\] \(.*play\.yml:5\): its remote commands were stopped/)
    assert.equal(code, 130, text)
    assert.equal((await b.exec('u1', 'pgrep -x sleep || true')).stdout.trim(), '', 'the remote sleep was stopped')
  })

  it("a task's timeout stops its remote command and fails the task; the host goes on", async () => {
    const b = bed()
    const tdir = scratch('faults-timeout', {
      'play.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: too slow
      command: sleep 300
      timeout: 2
      ignore_errors: true
    - name: as deploy with become
      shell: sleep 301
      become: true
      timeout: "{{ limit }}"
      ignore_errors: true
    - command: echo goes on
`,
    })
    try {
      const r = await runAcplay(['run', join(tdir, 'play.yml'), '-i', b.inventory({ hosts: ['u5'], user: 'deploy' }), '-e', 'limit=1'])
      assertNoStackTrace(r)
      assert.equal(r.code, 0, r.stdout + r.stderr)
      // Ansible's words (TaskExecutor)
      assert.match(r.stdout, /The command action failed to execute in the expected time frame \(2\) and was terminated/)
      assert.match(r.stdout, /The shell action failed to execute in the expected time frame \(1\) and was terminated/)
      assert.deepEqual(recapOf(r.stdout, 'u5'), { ok: 3, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 2 })
      assert.ok(r.ms < 10_000, `${r.ms} ms`)
      const left = await b.exec('u5', 'pgrep -x sleep || true')
      assert.equal(left.stdout.trim(), '', 'no sleep left running on the host')
    } finally {
      rmSync(tdir, { recursive: true, force: true })
    }
  })
})
