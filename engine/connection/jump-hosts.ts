/**
 * ProxyJump: the jump host's SSH connection is made once per run and shared by every host behind
 * it; each target's connection opens a direct-tcpip channel on it (ssh2 forwardOut) as its socket.
 * The users are counted, and the jump connection is closed when the last one is done. A chain
 * (`-J a,b`) is a jump connection whose own link is a channel on the one before it.
 */
import type { SshConnection } from './ssh.js'
import type { Link, Via } from './via.js'

interface Shared {
  conn: SshConnection
  users: number
}

export class JumpHosts {
  private shared = new Map<string, Shared>()

  /**
   * A Via through the jump connection known by `key` (its hops, users, keys: what makes it the
   * same connection), made by `make` when no connection by that key is open.
   */
  via(key: string, describe: string, make: () => SshConnection): Via {
    return {
      describe,
      open: async (target: { host: string; port: number }): Promise<Link> => {
        let s = this.shared.get(key)
        if (!s) {
          s = { conn: make(), users: 0 }
          this.shared.set(key, s)
        }
        s.users++
        let released = false
        const release = () => {
          if (released) return
          released = true
          if (--s.users > 0) return
          if (this.shared.get(key) === s) this.shared.delete(key)
          void s.conn.close()
        }
        try {
          const sock = await s.conn.forward(target.host, target.port)
          return { sock, failure: async () => undefined, close: release }
        } catch (e) {
          release()
          throw e
        }
      },
    }
  }

  /** jump connections open now, with their users (tests) */
  get open(): { key: string; users: number }[] {
    return [...this.shared].map(([key, s]) => ({ key, users: s.users }))
  }
}
