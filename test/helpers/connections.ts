/** acplay connections to a testbed host for module-level tests, each closed after the suite. */
import { after } from 'node:test'
import type { SshConnection } from '../../engine/connection/ssh.js'
import type { Testbed } from '../testbed/testbed.js'

/** Call inside a describe(): returns a factory of `{ conn }` envs (as `user`) for runModule / the harness. */
export function hostConnections(bed: () => Testbed, host: string, user = 'root'): () => { conn: SshConnection } {
  const conns: SshConnection[] = []
  after(async () => {
    for (const c of conns) await c.close().catch(() => {})
  })
  return () => {
    const c = bed().connection(host, user)
    conns.push(c)
    return { conn: c }
  }
}
