/**
 * How a connection reaches its host when not by TCP straight to it (ProxyJump, ProxyCommand): a
 * stream handed to ssh2 as its socket. ssh.ts opens one link per connection attempt and closes it
 * when that connection ends (a shared jump host counts its users: jump-hosts.ts).
 */
import type { Duplex } from 'node:stream'
import { startProxyCommand } from './proxy-command.js'

export interface Link {
  sock: Duplex
  /** why the link failed, once it has (the ProxyCommand's exit and stderr); ended: the command is gone */
  failure(): Promise<{ text: string; ended: boolean } | undefined>
  /** the connection is done with the link: kill the command, release the jump host */
  close(): void
}

export interface Via {
  /** for messages: "ProxyCommand 'ssh -W ...'", "jump host bastion (root@10.0.0.1:22)" */
  readonly describe: string
  /** a link to host:port (the connection's own address and port) */
  open(target: { host: string; port: number }): Promise<Link>
}

/** ProxyCommand, already expanded (proxy-command.ts): a process per connection. */
export function commandVia(command: string): Via {
  return {
    describe: `ProxyCommand '${command}'`,
    async open() {
      const p = startProxyCommand(command)
      let closed = false
      return {
        sock: p.sock,
        failure: () => p.failure(),
        close: () => {
          if (closed) return
          closed = true
          p.kill()
        },
      }
    },
  }
}
