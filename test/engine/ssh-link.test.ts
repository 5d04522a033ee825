/**
 * The SSH link itself on a real sshd (engine/connection/ssh.ts, keepalive.ts, ssh2-internals.ts):
 * keepalive probes only while a script waits on the host, as OpenSSH's ServerAliveInterval would
 * send them, none while the link waits for its next task; the host's key announcements after login
 * are not answered with requests for proofs; login goes straight to the key; a key file that
 * cannot be used is a clear unreachable error; a link cut while idle is found by the next script.
 * ssh2's own protocol trace is the witness.
 */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, it } from 'node:test'
import { AcplayError } from '../../engine/errors.js'
import { SshConnection, type SshOptions } from '../../engine/connection/ssh.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

describe('the ssh link: keepalive, host key announcements, login', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['k1'])
  const conn = (extra: Partial<SshOptions> = {}) => {
    const b = bed()
    return new SshConnection({
      name: 'k1',
      address: b.host('k1').address,
      port: 22,
      user: 'root',
      privateKeyFile: b.key,
      hostKeyChecking: true,
      knownHostsFile: b.knownHostsFile,
      ...extra,
    })
  }

  it('probes while a script waits on the host, not while the link is idle; no host key proofs; the key at once', async () => {
    const trace: string[] = []
    const c = conn({ keepaliveIntervalMs: 400, keepaliveCountMax: 3, debug: (l) => trace.push(l) })
    const probes = () => trace.filter((l) => l.includes('Sending ping')).length
    try {
      assert.equal((await c.exec('echo up')).stdout, 'up\n')
      await sleep(1_500) // idle: three intervals of silence, and no probe
      assert.ok(
        trace.some((l) => l.includes('Inbound: GLOBAL_REQUEST (hostkeys-00@openssh.com)')),
        'sshd announced its host keys (the case this covers)',
      )
      assert.ok(!trace.some((l) => l.includes('hostkeys-prove')), 'no proofs asked for')
      assert.ok(!trace.some((l) => l.includes('USERAUTH_REQUEST (none)')), 'no "none" login attempt first')
      assert.equal(probes(), 0, 'no probe while idle')

      const r = await c.exec('sleep 2; echo slept')
      assert.equal(r.stdout, 'slept\n')
      const during = probes()
      assert.ok(during >= 2 && during <= 6, `probes during a silent 2 s script, one per 0.4 s of silence: ${during}`)

      await sleep(1_500)
      assert.equal(probes(), during, 'none once the script is done')
    } finally {
      await c.close()
    }
  })

  it('a link cut while idle is found by the next script within interval x count', async () => {
    const c = conn({ keepaliveIntervalMs: 400, keepaliveCountMax: 3 })
    try {
      assert.equal((await c.exec('echo up')).stdout, 'up\n')
      await bed().cutNetwork('k1')
      await sleep(1_000) // idle, cut: nothing notices yet
      const started = Date.now()
      await assert.rejects(c.exec('echo again'), /no answer for 1\.2 s \(ServerAliveInterval=0\.4, ServerAliveCountMax=3\)/)
      const waited = Date.now() - started
      assert.ok(waited >= 1_000 && waited < 5_000, `given up after ${waited} ms (bound 1.2 s from the script's start, a tick's slack)`)
    } finally {
      await bed().restoreNetwork('k1')
      await c.close()
    }
  })

  it('a key file that cannot be used is an unreachable error naming it', async () => {
    const c = conn({ privateKeyFile: '/nonexistent/id_ed25519' })
    await assert.rejects(c.exec('true'), (e: unknown) => {
      assert.ok(e instanceof AcplayError, String(e))
      assert.match(e.message, /cannot read private key \/nonexistent\/id_ed25519: no such file/)
      return true
    })
    const pub = conn({ privateKeyFile: `${bed().key}.pub` })
    await assert.rejects(pub.exec('true'), /cannot (use|read) private key .*\.pub/)
  })
})
