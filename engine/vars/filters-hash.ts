/**
 * Hash filters: hash/md5/sha1/checksum (hex digests), to_uuid (uuid5 in Ansible's namespace) and
 * password_hash (engine/crypt.ts: the crypt schemes, as passlib writes them).
 */
import { createHash } from 'node:crypto'
import { CryptError, passwordHash } from '../crypt.js'
import { arg, type Filter } from './filter-types.js'
import { pystr } from './py.js'
import { templateError } from './undefined.js'

const HASH_NAMES: Record<string, string> = {
  sha3_224: 'sha3-224',
  sha3_256: 'sha3-256',
  sha3_384: 'sha3-384',
  sha3_512: 'sha3-512',
  blake2b: 'blake2b512',
  blake2s: 'blake2s256',
  sha512_224: 'sha512-224',
  sha512_256: 'sha512-256',
}

export function hexDigest(type: string, data: string): string {
  try {
    return createHash(HASH_NAMES[type] ?? type)
      .update(Buffer.from(data, 'utf8'))
      .digest('hex')
  } catch {
    throw templateError(`unsupported hash type ${type}`)
  }
}

/** password_hash in a template: a scheme, salt or rounds that cannot be used is a template error. */
export function templatePasswordHash(password: string, hashtype: string, salt: string | null, rounds: number | null): string {
  try {
    return passwordHash(password, hashtype, salt, rounds)
  } catch (e) {
    throw e instanceof CryptError ? templateError(e.message) : e
  }
}

/** uuid.uuid5(namespace, name) as text. */
export function uuid5(name: string, namespace: string): string {
  const ns = namespace.replace(/^urn:uuid:|[{}-]/gi, '')
  if (!/^[0-9a-f]{32}$/i.test(ns)) throw templateError(`Invalid value '${namespace}' for 'namespace': badly formed hexadecimal UUID string`)
  const h = createHash('sha1').update(Buffer.from(ns, 'hex')).update(Buffer.from(name, 'utf8')).digest()
  h[6] = (h[6]! & 0x0f) | 0x50
  h[8] = (h[8]! & 0x3f) | 0x80
  const x = h.subarray(0, 16).toString('hex')
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`
}

const ANSIBLE_UUID_NAMESPACE = '361E6D51-FAEC-444A-9079-341386DA8E2E'

export const hashFilters: Record<string, Filter> = {
  hash: (v, args, kw) => hexDigest(pystr(arg(args, kw, 0, 'hashtype', 'sha1')), pystr(v)),
  checksum: (v) => hexDigest('sha1', pystr(v)),
  sha1: (v) => hexDigest('sha1', pystr(v)),
  md5: (v) => hexDigest('md5', pystr(v)),
  password_hash: (v, args, kw) => {
    const salt = arg<unknown>(args, kw, 1, 'salt', null)
    const rounds = arg<unknown>(args, kw, 3, 'rounds', null)
    return templatePasswordHash(
      pystr(v),
      pystr(arg(args, kw, 0, 'hashtype', 'sha512')),
      salt === null ? null : pystr(salt),
      rounds === null ? null : Number(rounds),
    )
  },
  to_uuid: (v, args, kw) => uuid5(pystr(v), pystr(arg(args, kw, 0, 'namespace', ANSIBLE_UUID_NAMESPACE))),
}
