/**
 * The persistent remote shell (engine/connection/shell-session.ts) on a real sshd: scripts keep
 * exec semantics (exact bytes, exit codes, stderr apart, nothing leaks between scripts), one
 * shell per become user for the whole run, and a dead shell is replaced, not fatal.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SshConnection } from '../../engine/connection/ssh.js'
import { testbedSkip, useTestbed } from '../helpers/testbed-fixture.js'

describe('persistent remote shell over ssh', { skip: testbedSkip() }, () => {
  const bed = useTestbed(['q1'])
  const conn = (user = 'root') => {
    const b = bed()
    return new SshConnection({
      name: 'q1',
      address: b.host('q1').address,
      port: 22,
      user,
      privateKeyFile: b.key,
      hostKeyChecking: true,
      knownHostsFile: b.knownHostsFile,
    })
  }

  it("returns each script's exact stdout, stderr and exit code", async () => {
    const c = conn()
    try {
      assert.deepEqual(await c.exec('printf "no newline"'), { rc: 0, stdout: 'no newline', stderr: '' })
      assert.deepEqual(await c.exec('echo out; echo err >&2; exit 3'), { rc: 3, stdout: 'out\n', stderr: 'err\n' })
      assert.deepEqual(await c.exec(`printf 'a\\0b'; printf '\\303\\251'`), { rc: 0, stdout: 'a\0bé', stderr: '' })
      assert.deepEqual(await c.exec("echo 'it'\"'\"'s'; cat <<'EOF'\n$HOME stays\nEOF"), { rc: 0, stdout: "it's\n$HOME stays\n", stderr: '' })
      const big = 'x'.repeat(2_000_000)
      assert.deepEqual(await c.exec(`wc -c <<'EOF'\n${big}\nEOF`), { rc: 0, stdout: '2000001\n', stderr: '' })
    } finally {
      await c.close()
    }
  })

  it('isolates scripts: variables, cd, set -e, traps and stdin do not reach the next one', async () => {
    const c = conn()
    try {
      assert.equal((await c.exec('x=1; cd /tmp; set -e; trap "echo trapped" EXIT')).stdout, 'trapped\n')
      assert.deepEqual(await c.exec('echo "x=${x:-unset} pwd=$(pwd)"; cat; false; echo after-false'), {
        rc: 0,
        stdout: 'x=unset pwd=/root\nafter-false\n',
        stderr: '',
      })
      const bad = await c.exec('echo never; if then')
      assert.equal(bad.rc, 2)
      assert.match(bad.stderr, /Syntax error/)
      assert.equal((await c.exec('echo fine')).stdout, 'fine\n')
    } finally {
      await c.close()
    }
  })

  it('runs every script of a connection in one shell per become user, serialized', async () => {
    const c = conn('deploy')
    try {
      const pid = async (become?: string) => (await c.exec('echo $$', become ? { become: { user: become } } : {})).stdout.trim()
      const [a, b] = [await pid(), await pid()]
      assert.equal(a, b, 'the same shell answers both scripts')
      assert.equal((await c.exec('id -un', { become: { user: 'postgres' } })).stdout, 'postgres\n')
      assert.equal(await pid('postgres'), await pid('postgres'))
      assert.notEqual(await pid('postgres'), a)
      const both = await Promise.all([c.exec('sleep 0.2; echo first'), c.exec('echo second')])
      assert.deepEqual(
        both.map((r) => r.stdout),
        ['first\n', 'second\n'],
      )
      assert.equal(c.connectCount, 1)
      assert.equal(c.execCount, 8)
    } finally {
      await c.close()
    }
  })

  it('reports a become refusal clearly, and replaces a shell that was killed', async () => {
    const c = conn()
    try {
      await assert.rejects(c.exec('id -un', { become: { user: 'nosuchuser' } }), /become to nosuchuser refused on q1: sudo: unknown user/)
      const killed = await c.exec('kill -9 $$')
      assert.equal(killed.rc, 255)
      assert.match(killed.stderr, /remote shell exited/)
      assert.equal((await c.exec('echo back')).stdout, 'back\n')
      assert.equal(c.connectCount, 1)
    } finally {
      await c.close()
    }
  })
})
