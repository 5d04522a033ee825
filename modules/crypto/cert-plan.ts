/**
 * x509_certificate's decisions for provider selfsigned, as community.crypto 2.14 makes them
 * (module_backends/certificate.py needs_regeneration, certificate_selfsigned.py): an existing
 * certificate is kept when it loads, carries the private key's public key and a signature that key
 * made, matches the CSR (a valid CSR with the same public key, the same subject in order, the same
 * extensions apart from the subject key identifier), has the subject key identifier asked for, and
 * (with ignore_timestamps: false) the wanted dates. And the OpenSSL CA config that makes it.
 */
import { randomBytes } from 'node:crypto'
import { ModuleFailure } from '../../engine/errors.js'
import { keyIdentifier, OID, subjectKeyIdOf, type CertInfo, type CsrInfo, type Extension } from './der.js'
import { csrDifference, type CsrWant } from './csr-plan.js'
import { NAME_FIELDS } from './names.js'

export type SkiMode = 'create_if_not_provided' | 'always_create' | 'never_create'

/** Ansible's get_relative_time_option: "+3650d", "-1w2d", "+0s" from now, or an absolute ASN.1-like time. */
export function timeOption(spec: string, name: string, now: Date): Date {
  if (spec.startsWith('+') || spec.startsWith('-')) {
    const m = /^([+-])(?:(\d+)[wW])?(?:(\d+)[dD])?(?:(\d+)[hH])?(?:(\d+)[mM])?(?:(\d+)[sS]?)?$/.exec(spec)
    if (!m || spec.length === 1) throw new ModuleFailure(`The time spec "${spec}" for ${name} is invalid`)
    const [w, d, h, min, s] = m.slice(2).map((x) => Number(x ?? 0)) as [number, number, number, number, number]
    const seconds = (((w * 7 + d) * 24 + h) * 60 + min) * 60 + s
    return new Date(now.getTime() + (m[1] === '+' ? 1 : -1) * seconds * 1000)
  }
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/.exec(spec)
  if (m) {
    const [, y, mo, d, h, mi, s, zone] = m as unknown as string[]
    let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0))
    if (zone !== 'Z') t -= (zone!.startsWith('-') ? -1 : 1) * (Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(3))) * 60000
    const date = new Date(t)
    if (!Number.isNaN(t) && date.getUTCMonth() === Number(mo) - 1) return date
  }
  throw new ModuleFailure(`The time spec "${spec}" for ${name} is invalid`)
}

/** A time as Ansible returns it and openssl ca takes it: YYYYMMDDHHMMSSZ (whole seconds). */
export const asn1Time = (d: Date): string => `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`

const find = (exts: Extension[], oid: string) => exts.find((e) => e.oid === oid)

export interface CertCheck {
  ski: SkiMode
  ignoreTimestamps: boolean
  notBefore: Date
  notAfter: Date
  /** ownca: the CA's subject (the certificate's issuer) and, with create_authority_key_identifier, the AKI it must carry */
  ca?: { subject: [string, string][]; aki?: Buffer }
}

/**
 * What makes the certificate be made again, or undefined when it is kept. `keyPub`: the private
 * key's public key (DER base64); `signedByKey`: the certificate's signature checks with it; `csr`:
 * the CSR (undefined without csr_path) and whether its self-signature checks.
 */
export function certDifference(
  c: CertCheck,
  cert: CertInfo,
  /** the private key's public key (ownca: when privatekey_path is given) */
  keyPub: string | undefined,
  /** the signature checks with the signer's public key (selfsigned: the key; ownca: the CA's) */
  signedByKey: boolean,
  csr?: { info: CsrInfo; verified: boolean } | { planned: { want: CsrWant; pub: string } },
): string | undefined {
  if (keyPub !== undefined && cert.pub !== keyPub) return 'its key'
  if (csr && 'planned' in csr) {
    // check mode, a CSR an earlier task is to make: compared by what it will hold
    const { want, pub } = csr.planned
    if (pub !== cert.pub) return 'the CSR’s key'
    const subject = want.subject.map((a): [string, string] => [a.oid, a.value])
    if (subject.length !== cert.subject.length || subject.some(([o, v], i) => cert.subject[i]![0] !== o || cert.subject[i]![1] !== v)) return 'the subject'
    const certExts = comparable(c, cert.extensions)
    if (csrDifference(want, { subject, extensions: certExts })) return 'the extensions'
  } else if (csr) {
    if (!csr.verified || csr.info.pub !== cert.pub) return 'the CSR’s key'
    const same = (a: [string, string][], b: [string, string][]) => a.length === b.length && a.every(([o, v], i) => b[i]![0] === o && b[i]![1] === v)
    if (!same(csr.info.subject, cert.subject)) return 'the subject'
    const certExts = comparable(c, cert.extensions)
    const csrExts = comparable(c, csr.info.extensions)
    if (certExts.length !== csrExts.length) return 'the extensions'
    for (const e of certExts) {
      const other = find(csr.info.extensions, e.oid)
      if (!other || other.critical !== e.critical || !other.value.equals(e.value)) return 'the extensions'
    }
  }
  if (c.ski !== 'never_create') {
    const ext = find(cert.extensions, OID.subjectKeyIdentifier)
    if (!ext) return 'the subject key identifier'
    const fromCsr = c.ski === 'create_if_not_provided' && csr && 'info' in csr ? find(csr.info.extensions, OID.subjectKeyIdentifier) : undefined
    const want = fromCsr ? subjectKeyIdOf(fromCsr.value) : keyIdentifier(Buffer.from(cert.pub, 'base64'))
    if (!subjectKeyIdOf(ext.value).equals(want)) return 'the subject key identifier'
  }
  if (!c.ignoreTimestamps) {
    if (Math.floor(c.notBefore.getTime() / 1000) !== cert.notBefore.getTime() / 1000) return 'not_before'
    if (Math.floor(c.notAfter.getTime() / 1000) !== cert.notAfter.getTime() / 1000) return 'not_after'
  }
  if (!signedByKey) return 'its signature'
  if (c.ca) {
    const same = c.ca.subject.length === cert.issuer.length && c.ca.subject.every(([o, v], i) => cert.issuer[i]![0] === o && cert.issuer[i]![1] === v)
    if (!same) return 'the issuer'
    if (c.ca.aki) {
      const aki = find(cert.extensions, OID.authorityKeyIdentifier)
      if (!aki?.value.equals(c.ca.aki)) return 'the authority key identifier'
    }
  }
  return undefined
}

/** The extensions _check_csr compares: without the key identifiers the module makes itself. */
function comparable(c: CertCheck, exts: Extension[]): Extension[] {
  return exts.filter((e) => !(e.oid === OID.subjectKeyIdentifier && c.ski !== 'never_create') && !(e.oid === OID.authorityKeyIdentifier && c.ca?.aki))
}

/** cryptography's AuthorityKeyIdentifier with a key identifier only, DER (what the CA config writes, and what is compared). */
export function akiValue(keyId: Buffer): Buffer {
  const inner = Buffer.concat([Buffer.from([0x80, keyId.length]), keyId])
  return Buffer.concat([Buffer.from([0x30, inner.length]), inner])
}

/** A serial as x509.random_serial_number draws it: 159 random bits (hex, for openssl's serial file). */
export function randomSerial(): string {
  const b = randomBytes(20)
  b[0] = b[0]! & 0x7f
  return b.toString('hex').toUpperCase()
}

/**
 * The throwaway CA's config: the CSR's subject kept in order, its extensions copied (`copy`: an
 * extension made here wins over the CSR's), a subject key identifier (`hash`) and an authority key
 * identifier (its DER) when asked.
 */
export function caConfig(o: { ski: boolean; aki?: Buffer; digest: string | undefined; copy: 'copy' | 'copyall'; explicit?: boolean }): string {
  // explicit (a CA's certificate): OpenSSL 3 adds key identifiers of its own unless told `none`
  const ext = [
    ...(o.ski ? ['subjectKeyIdentifier = hash'] : o.explicit ? ['subjectKeyIdentifier = none'] : []),
    ...(o.aki ? [`authorityKeyIdentifier = DER:${o.aki.toString('hex').replace(/(..)(?!$)/g, '$1:')}`] : o.explicit ? ['authorityKeyIdentifier = none'] : []),
  ]
  return [
    '[ca]',
    'default_ca = acplay',
    '[acplay]',
    'database = $ENV::ACPLAY_CA/index.txt',
    'new_certs_dir = $ENV::ACPLAY_CA',
    'serial = $ENV::ACPLAY_CA/serial',
    'policy = policy_any',
    `copy_extensions = ${o.copy}`,
    'unique_subject = no',
    'email_in_dn = yes',
    `default_md = ${o.digest ?? 'default'}`,
    ...(ext.length ? ['x509_extensions = ext'] : []),
    '[policy_any]',
    ...NAME_FIELDS.map((f) => `${f} = optional`),
    '[ext]',
    ...ext,
    '[req]',
    'prompt = no',
    'distinguished_name = dn',
    '[dn]',
    '',
  ].join('\n')
}

/** selfsigned: copyall lets the CSR's own key identifier win (create_if_not_provided); copy lets the one made here win. */
export const selfsignedConfig = (ski: SkiMode, digest: string | undefined): string =>
  caConfig({ ski: ski !== 'never_create', digest, copy: ski === 'always_create' ? 'copy' : 'copyall' })
