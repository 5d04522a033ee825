/**
 * The two places acplay reaches inside ssh2 (1.17, pinned by package-lock.json), both for what its
 * API does not offer; test/engine/ssh-link.test.ts fails if either moves.
 */
import type { Client } from 'ssh2'

type GlobalRequest = (p: unknown, name: string, wantReply: boolean, data: unknown) => void
interface Internals {
  _protocol?: {
    ping(): void
    requestSuccess(): void
    _handlers: { GLOBAL_REQUEST?: GlobalRequest }
  }
}

const protocolOf = (client: Client) => {
  const proto = (client as unknown as Internals)._protocol
  if (!proto || typeof proto.ping !== 'function' || typeof proto._handlers?.GLOBAL_REQUEST !== 'function') {
    throw new Error('ssh2 internals changed: engine/connection/ssh2-internals.ts needs updating')
  }
  return proto
}

/** A keepalive probe (keepalive@openssh.com, which the host answers with a failure). */
export function sendProbe(client: Client): void {
  protocolOf(client).ping()
}

/**
 * After login OpenSSH's sshd announces all its host keys (hostkeys-00@openssh.com, for
 * UpdateHostKeys); ssh2 answers every announcement by asking the host to prove each key, so sshd
 * signs with all of them (RSA included) and the controller verifies each: ~1.5% of the controller's
 * CPU over a fleet, for keys acplay never learns this way. OpenSSH's ssh asks only for keys it
 * does not know yet, and only when it would record them.
 */
export function ignoreHostKeyAnnouncements(client: Client): void {
  const proto = protocolOf(client)
  const original = proto._handlers.GLOBAL_REQUEST!
  proto._handlers.GLOBAL_REQUEST = (p, name, wantReply, data) => {
    if (name !== 'hostkeys-00@openssh.com') return original(p, name, wantReply, data)
    if (wantReply) proto.requestSuccess()
  }
}
