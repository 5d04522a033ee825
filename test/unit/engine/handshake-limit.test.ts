/** At most MAX_HANDSHAKES SSH handshakes are in flight at once, whatever the forks. */
import assert from 'node:assert/strict'
import { createServer, type Socket } from 'node:net'
import { it } from 'node:test'
import { MAX_HANDSHAKES, SshConnection } from '../../../engine/connection/ssh.js'

it(`opens at most ${MAX_HANDSHAKES} connections at once; the others wait their turn, then time out on their own`, async () => {
  // a server that accepts and never says its banner: every handshake hangs until the connect timeout
  // long enough that a busy machine's lag in accepting (300 ms seen under load) stays inside a round
  const TIMEOUT = 1200
  const acceptedAt: number[] = []
  const sockets = new Set<Socket>()
  let t0 = 0
  const server = createServer((s) => {
    acceptedAt.push(Date.now() - t0)
    sockets.add(s)
    s.on('error', () => {})
    s.resume()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  const n = 2 * MAX_HANDSHAKES + 5
  const conns = Array.from(
    { length: n },
    (_, i) => new SshConnection({ name: `h${i}`, address: '127.0.0.1', port, user: 'root', hostKeyChecking: false, connectTimeoutMs: TIMEOUT }),
  )
  try {
    t0 = Date.now()
    const results = await Promise.allSettled(conns.map((c) => c.exec('true')))
    const took = Date.now() - t0
    for (const r of results) assert.ok(r.status === 'rejected' && /cannot connect/.test((r.reason as Error).message), 'unreachable')
    // three rounds: 10 at once, the next 10 when those time out, then the last 5
    const inRound = (k: number) => acceptedAt.filter((t) => t >= k * TIMEOUT - TIMEOUT / 2 && t < (k + 1) * TIMEOUT - TIMEOUT / 2).length
    assert.deepEqual([inRound(0), inRound(1), inRound(2)], [MAX_HANDSHAKES, MAX_HANDSHAKES, n - 2 * MAX_HANDSHAKES], `accepted at ${acceptedAt.join(', ')} ms`)
    assert.ok(took >= 3 * TIMEOUT - 50, `a waiting host's timeout starts with its handshake (${took} ms)`)
  } finally {
    await Promise.all(conns.map((c) => c.close()))
    for (const s of sockets) s.destroy()
    await new Promise((r) => server.close(r))
  }
})
