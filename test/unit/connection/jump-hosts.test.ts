import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { describe, it } from 'node:test'
import { JumpHosts } from '../../../engine/connection/jump-hosts.js'
import { startProxyCommand } from '../../../engine/connection/proxy-command.js'
import { SshConnection } from '../../../engine/connection/ssh.js'

/** A jump connection that forwards to anything (or refuses `refused`), counting what was made and closed. */
function fakeJump(seen: { made: number; closed: number; forwards: string[] }, refused?: string): SshConnection {
  seen.made++
  return {
    forward: async (host: string, port: number) => {
      if (host === refused) throw new Error(`could not open a channel to ${host}:${port}: Connection refused`)
      seen.forwards.push(`${host}:${port}`)
      return new PassThrough()
    },
    close: async () => {
      seen.closed++
    },
  } as unknown as SshConnection
}

describe('shared jump connections', () => {
  it('one connection for every host behind it, closed when the last user is done', async () => {
    const pool = new JumpHosts()
    const seen = { made: 0, closed: 0, forwards: [] as string[] }
    const via = pool.via('k', 'jump host gw', () => fakeJump(seen))
    const links = await Promise.all(['a', 'b', 'c'].map((host) => via.open({ host, port: 22 })))
    assert.equal(seen.made, 1)
    assert.deepEqual(seen.forwards, ['a:22', 'b:22', 'c:22'])
    assert.deepEqual(pool.open, [{ key: 'k', users: 3 }])
    links[0]!.close()
    links[0]!.close() // twice is once
    links[1]!.close()
    assert.equal(seen.closed, 0)
    links[2]!.close()
    assert.equal(seen.closed, 1)
    assert.deepEqual(pool.open, [])
    // a later host opens it again
    const again = await via.open({ host: 'd', port: 22 })
    assert.equal(seen.made, 2)
    again.close()
  })

  it('a refused channel releases its use', async () => {
    const pool = new JumpHosts()
    const seen = { made: 0, closed: 0, forwards: [] as string[] }
    const via = pool.via('k', 'jump host gw', () => fakeJump(seen, 'down'))
    await assert.rejects(via.open({ host: 'down', port: 22 }), /Connection refused/)
    assert.equal(seen.closed, 1)
    assert.deepEqual(pool.open, [])
  })
})

describe('ProxyCommand process', () => {
  it('is its socket; a command that exits says how and what it printed on stderr', async () => {
    // run as `exec COMMAND`, as ssh does: a compound command goes in a shell of its own
    const cmd = `sh -c 'read line; echo "got $line"; echo "no route to gw" >&2; exit 3'`
    const p = startProxyCommand(cmd)
    p.sock.write('hello\n')
    const out = await new Promise<string>((resolve) => p.sock.once('data', (d: Buffer) => resolve(d.toString())))
    assert.equal(out, 'got hello\n')
    assert.deepEqual(await p.failure(), { text: `ProxyCommand '${cmd}' exited with status 3: no route to gw`, ended: true })
  })

  it('is killed by PID when the connection is done', async () => {
    const p = startProxyCommand('sleep 30')
    p.kill()
    assert.match((await p.failure())?.text ?? '', /killed by SIGHUP/)
  })
})

describe('a link that never comes', () => {
  it('is unreachable within the connect timeout, naming the hop', async () => {
    const conn = new SshConnection({
      name: 'web',
      address: '10.0.0.9',
      port: 22,
      user: 'root',
      hostKeyChecking: 'no',
      connectTimeoutMs: 300,
      via: { describe: 'jump host gw (root@10.0.0.1:22)', open: () => new Promise<never>(() => {}) },
    })
    const started = Date.now()
    await assert.rejects(conn.exec('true'), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'E_UNREACHABLE')
      assert.equal(e.message, 'cannot connect to root@10.0.0.9:22 through jump host gw (root@10.0.0.1:22): no answer within 0.3 s (ansible_timeout, -T)')
      return true
    })
    assert.ok(Date.now() - started < 1500)
    await conn.close()
  })
})
