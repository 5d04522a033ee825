/**
 * An ed25519 host key in OpenSSH's own format, made in-process: a thousand light hosts would
 * otherwise cost a thousand ssh-keygen processes (~25 ms each on a busy machine). The format is
 * OpenSSH's PROTOCOL.key ("openssh-key-v1", unencrypted); sshd reads it like one from ssh-keygen.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'

const u32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}
const str = (b: Buffer | string) => {
  const buf = typeof b === 'string' ? Buffer.from(b) : b
  return Buffer.concat([u32(buf.length), buf])
}

export interface HostKey {
  /** the private key file's text (mode 0600) */
  privateKey: string
  /** `ssh-ed25519 BASE64 comment` */
  publicKey: string
}

export function ed25519HostKey(comment: string): HostKey {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })
  const seed = Buffer.from(jwk.d!, 'base64url')
  const pub = Buffer.from(jwk.x!, 'base64url')
  const pubBlob = Buffer.concat([str('ssh-ed25519'), str(pub)])
  const check = randomBytes(4)
  let priv = Buffer.concat([check, check, str('ssh-ed25519'), str(pub), str(Buffer.concat([seed, pub])), str(comment)])
  const pad = (8 - (priv.length % 8)) % 8
  priv = Buffer.concat([priv, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))])
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), str('none'), str('none'), str(''), u32(1), str(pubBlob), str(priv)])
  const b64 = body.toString('base64').replace(/(.{70})/g, '$1\n')
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64.trimEnd()}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `ssh-ed25519 ${pubBlob.toString('base64')} ${comment}`,
  }
}
