/** acplay connections to a testbed host for module-level tests, each closed after the suite. */
import { after } from 'node:test'
import type { SshConnection } from '../../engine/connection/ssh.js'
import type { Testbed } from '../testbed/testbed.js'

export interface HostEnv {
  conn: SshConnection
  become?: { user: string }
}

/**
 * Call inside a describe(): returns a factory of `{ conn }` envs (as `user`) for runModule / the
 * harness; with `becomeUser`, envs that log in as `user` and become that user (sudo), as a play would.
 */
export function hostConnections(bed: () => Testbed, host: string, user = 'root', becomeUser?: string): () => HostEnv {
  const conns: SshConnection[] = []
  after(async () => {
    for (const c of conns) await c.close().catch(() => {})
  })
  return () => {
    const c = bed().connection(host, user)
    conns.push(c)
    return becomeUser ? { conn: c, become: { user: becomeUser } } : { conn: c }
  }
}
