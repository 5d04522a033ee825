/**
 * Just enough DER to read what community.crypto's modules compare in a CSR or a certificate: names
 * (subject, issuer), the extensions they check, validity, the public key. Pure functions over the
 * bytes `openssl ... -outform DER` printed on the host; a malformed input throws.
 */
import { createHash } from 'node:crypto'

export interface Tlv {
  tag: number
  /** where the value starts and ends in the buffer */
  start: number
  end: number
  /** the whole element, header included */
  from: number
}

export function readTlv(buf: Buffer, at: number): Tlv {
  if (at + 2 > buf.length) throw new Error('DER: truncated')
  const tag = buf[at]!
  let len = buf[at + 1]!
  let start = at + 2
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0 || n > 4 || start + n > buf.length) throw new Error('DER: bad length')
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!
    start += n
  }
  if (start + len > buf.length) throw new Error('DER: truncated')
  return { tag, start, end: start + len, from: at }
}

export function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = []
  for (let at = parent.start; at < parent.end; ) {
    const t = readTlv(buf, at)
    out.push(t)
    at = t.end
  }
  return out
}

export const bytesOf = (buf: Buffer, t: Tlv): Buffer => buf.subarray(t.start, t.end)
export const wholeOf = (buf: Buffer, t: Tlv): Buffer => buf.subarray(t.from, t.end)

export function oidOf(b: Buffer): string {
  if (b.length === 0) throw new Error('DER: empty OID')
  const parts: number[] = []
  const first = b[0]!
  parts.push(first < 80 ? Math.floor(first / 40) : 2, first < 80 ? first % 40 : first - 80)
  let v = 0
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f)
    if (!(b[i]! & 0x80)) {
      parts.push(v)
      v = 0
    }
  }
  return parts.join('.')
}

/** A string of any of the ASN.1 string types names use. */
export function stringOf(buf: Buffer, t: Tlv): string {
  const b = bytesOf(buf, t)
  if (t.tag === 0x1e) {
    let s = ''
    for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode(b.readUInt16BE(i))
    return s
  }
  if (t.tag === 0x1c) {
    let s = ''
    for (let i = 0; i + 3 < b.length; i += 4) s += String.fromCodePoint(b.readUInt32BE(i))
    return s
  }
  if (t.tag === 0x14) return b.toString('latin1')
  return b.toString('utf8')
}

/** A Name as (OID, value) pairs in order (every RDN's attributes, flattened). */
export function nameOf(buf: Buffer, name: Tlv): [string, string][] {
  const out: [string, string][] = []
  for (const rdn of children(buf, name))
    for (const atv of children(buf, rdn)) {
      const [type, value] = children(buf, atv)
      out.push([oidOf(bytesOf(buf, type!)), stringOf(buf, value!)])
    }
  return out
}

export interface Extension {
  oid: string
  critical: boolean
  /** the extension's value (the OCTET STRING's content) */
  value: Buffer
}

export function extensionsOf(buf: Buffer, seq: Tlv): Extension[] {
  return children(buf, seq).map((ext) => {
    const parts = children(buf, ext)
    const critical = parts.length === 3 && parts[1]!.tag === 0x01 && buf[parts[1]!.start] !== 0
    return { oid: oidOf(bytesOf(buf, parts[0]!)), critical, value: Buffer.from(bytesOf(buf, parts[parts.length - 1]!)) }
  })
}

/** GeneralNames as Ansible writes them (cryptography_decode_name): DNS:, IP:, email:, URI:, RID:. */
export function generalNamesOf(value: Buffer): string[] {
  const seq = readTlv(value, 0)
  return children(value, seq).map((g) => {
    const b = bytesOf(value, g)
    switch (g.tag) {
      case 0x81:
        return `email:${b.toString('utf8')}`
      case 0x82:
        return `DNS:${b.toString('utf8')}`
      case 0x86:
        return `URI:${b.toString('utf8')}`
      case 0x87:
        return `IP:${ipText(b)}`
      case 0x88:
        return `RID:${oidOf(b)}`
      default:
        return `other:${g.tag.toString(16)}:${b.toString('hex')}`
    }
  })
}

/** An IP address (4 or 16 bytes) or network (8 or 32: address then mask) as Python's ipaddress writes it. */
export function ipText(b: Buffer): string {
  if (b.length === 4 || b.length === 16) return ipAddr(b)
  if (b.length === 8 || b.length === 32) {
    const half = b.length / 2
    let prefix = 0
    for (const byte of b.subarray(half)) prefix += byte.toString(2).replace(/0/g, '').length
    return `${ipAddr(b.subarray(0, half))}/${prefix}`
  }
  return b.toString('hex')
}

function ipAddr(b: Buffer): string {
  if (b.length === 4) return [...b].join('.')
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16))
  // the longest run of zero groups (2 or more) becomes ::
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8; ) {
    let j = i
    while (j < 8 && groups[j] === '0') j++
    if (j - i > bestLen) {
      best = i
      bestLen = j - i
    }
    i = j === i ? i + 1 : j
  }
  if (best < 0) return groups.join(':')
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`
}

/** KeyUsage's bits, by cryptography's names, in the extension's order. */
export const KEY_USAGE_BITS = [
  'digital_signature',
  'content_commitment',
  'key_encipherment',
  'data_encipherment',
  'key_agreement',
  'key_cert_sign',
  'crl_sign',
  'encipher_only',
  'decipher_only',
] as const

export function keyUsageOf(value: Buffer): Set<string> {
  const t = readTlv(value, 0)
  const b = bytesOf(value, t).subarray(1)
  const set = new Set<string>()
  KEY_USAGE_BITS.forEach((name, i) => {
    if ((b[i >> 3] ?? 0) & (0x80 >> (i & 7))) set.add(name)
  })
  return set
}

export function oidListOf(value: Buffer): string[] {
  return children(value, readTlv(value, 0)).map((t) => oidOf(bytesOf(value, t)))
}

export function basicConstraintsOf(value: Buffer): { ca: boolean; pathLength?: number } {
  const out: { ca: boolean; pathLength?: number } = { ca: false }
  for (const t of children(value, readTlv(value, 0))) {
    if (t.tag === 0x01) out.ca = value[t.start] !== 0
    if (t.tag === 0x02) out.pathLength = bytesOf(value, t).reduce((n, x) => n * 256 + x, 0)
  }
  return out
}

/** TLSFeature's features (5: status_request, OCSP Must Staple). */
export function integersOf(value: Buffer): number[] {
  return children(value, readTlv(value, 0)).map((t) => bytesOf(value, t).reduce((n, x) => n * 256 + x, 0))
}

/** A UTCTime or GeneralizedTime as a Date. */
export function timeOf(buf: Buffer, t: Tlv): Date {
  const s = bytesOf(buf, t).toString('latin1')
  const m = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
  if (!m) throw new Error(`DER: bad time ${s}`)
  let year = Number(m[1])
  if (m[1]!.length === 2) year += year < 50 ? 2000 : 1900
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])))
}

export const OID = {
  subjectAltName: '2.5.29.17',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  tlsFeature: '1.3.6.1.5.5.7.1.24',
  extensionRequest: '1.2.840.113549.1.9.14',
} as const

/** A CSR's parts Ansible's openssl_csr compares. */
export interface CsrInfo {
  subject: [string, string][]
  /** the public key, DER base64 */
  pub: string
  extensions: Extension[]
}

export function parseCsr(der: Buffer): CsrInfo {
  const top = readTlv(der, 0)
  const [info] = children(der, top)
  const parts = children(der, info!)
  const subject = nameOf(der, parts[1]!)
  const pub = wholeOf(der, parts[2]!).toString('base64')
  let extensions: Extension[] = []
  const attrs = parts.find((p) => p.tag === 0xa0)
  for (const attr of attrs ? children(der, attrs) : []) {
    const [type, values] = children(der, attr)
    if (oidOf(bytesOf(der, type!)) !== OID.extensionRequest) continue
    const [exts] = children(der, values!)
    extensions = extensionsOf(der, exts!)
  }
  return { subject, pub, extensions }
}

/** A certificate's parts the x509_certificate module compares. */
export interface CertInfo extends CsrInfo {
  issuer: [string, string][]
  notBefore: Date
  notAfter: Date
  serial: string
  /** the signature algorithm's OID */
  signatureAlgorithm: string
}

export function parseCert(der: Buffer): CertInfo {
  const top = readTlv(der, 0)
  const [tbs, sigAlg] = children(der, top)
  let parts = children(der, tbs!)
  if (parts[0]!.tag === 0xa0) parts = parts.slice(1)
  const [serial, , issuer, validity, subject, spki, ...rest] = parts
  const [nb, na] = children(der, validity!)
  const extsWrap = rest.find((p) => p.tag === 0xa3)
  const extensions = extsWrap ? extensionsOf(der, children(der, extsWrap)[0]!) : []
  return {
    serial: bytesOf(der, serial!).toString('hex'),
    issuer: nameOf(der, issuer!),
    subject: nameOf(der, subject!),
    notBefore: timeOf(der, nb!),
    notAfter: timeOf(der, na!),
    pub: wholeOf(der, spki!).toString('base64'),
    extensions,
    signatureAlgorithm: oidOf(bytesOf(der, children(der, sigAlg!)[0]!)),
  }
}

/** RFC 5280's key identifier of a public key (SubjectPublicKeyInfo, DER): SHA-1 of its subjectPublicKey bits, as cryptography's from_public_key. */
export function keyIdentifier(spki: Buffer): Buffer {
  const [, bits] = children(spki, readTlv(spki, 0))
  return createHash('sha1').update(bytesOf(spki, bits!).subarray(1)).digest()
}

/** A SubjectKeyIdentifier extension's key identifier (its OCTET STRING). */
export const subjectKeyIdOf = (value: Buffer): Buffer => Buffer.from(bytesOf(value, readTlv(value, 0)))
