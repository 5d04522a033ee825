/**
 * openssl_csr's decisions, as community.crypto 2.14 makes them (module_backends/csr.py,
 * _check_csr): an existing CSR is kept when its subject (as a set, or in order with
 * subject_ordered), its extensions (subjectAltName, keyUsage, extendedKeyUsage, basicConstraints,
 * OCSP Must Staple with their critical flags; no key identifiers, name constraints or CRL
 * distribution points) and its key (a valid self-signature, the private key's public key) are the
 * wanted ones. And the OpenSSL config that makes the wanted CSR.
 */
import { ModuleFailure } from '../../engine/errors.js'
import { basicConstraintsOf, generalNamesOf, integersOf, KEY_USAGE_BITS, keyUsageOf, OID, oidListOf, type CsrInfo, type Extension } from './der.js'
import { confValue, extKeyUsageOid, keyUsage, nameAttr, normalizeAltName, type NameAttr } from './names.js'

export interface CsrParams {
  country_name?: string
  state_or_province_name?: string
  locality_name?: string
  organization_name?: string
  organizational_unit_name?: string
  common_name?: string
  email_address?: string
  subject?: Record<string, unknown>
  subject_ordered?: unknown[]
  subject_alt_name?: string[]
  subject_alt_name_critical: boolean
  use_common_name_for_san: boolean
  key_usage?: string[]
  key_usage_critical: boolean
  extended_key_usage?: string[]
  extended_key_usage_critical: boolean
  basic_constraints?: string[]
  basic_constraints_critical: boolean
  ocsp_must_staple: boolean
  ocsp_must_staple_critical: boolean
}

export interface CsrWant {
  /** as given: Ansible returns these pairs (its `subject`) */
  pairs: [string, string][]
  subject: NameAttr[]
  ordered: boolean
  /** as given (or DNS:<CN>): Ansible returns it as `subjectAltName` */
  sanGiven?: string[]
  san: string[]
  sanCritical: boolean
  keyUsage?: [string, string][]
  kuCritical: boolean
  eku?: string[]
  ekuCritical: boolean
  bc: { ca: boolean; pathLength?: number }
  bcGiven: boolean
  bcCritical: boolean
  mustStaple: boolean
  mustStapleCritical: boolean
}

/** Ansible's parse_name_field: a value, or a list of values, per key; none empty. */
function nameField(input: Record<string, unknown>, field: string): [string, string][] {
  const out: [string, string][] = []
  for (const [key, value] of Object.entries(input)) {
    if (Array.isArray(value)) {
      for (const v of value) {
        if (typeof v !== 'string') throw new ModuleFailure(`Values ${key} in ${field} must be strings`)
        if (!v) throw new ModuleFailure(`Values for ${key} must not be empty strings`)
        out.push([key, v])
      }
    } else if (typeof value === 'string') {
      if (!value) throw new ModuleFailure(`Value for ${key} must not be an empty string`)
      out.push([key, value])
    } else throw new ModuleFailure(`Value for ${key} in ${field} must be either a string or a list of strings`)
  }
  return out
}

function parseBasicConstraints(list: string[] | undefined): { ca: boolean; pathLength?: number } {
  const out: { ca: boolean; pathLength?: number } = { ca: false }
  for (const c of list ?? []) {
    if (c.startsWith('CA:')) {
      if (c === 'CA:TRUE') out.ca = true
      else if (c === 'CA:FALSE') out.ca = false
      else throw new ModuleFailure(`Unknown basic constraint value "${c.slice(3)}" for CA`)
    } else if (c.startsWith('pathlen:')) {
      const v = c.slice('pathlen:'.length)
      if (!/^\s*[+-]?\d+\s*$/.test(v)) throw new ModuleFailure(`Cannot parse path length constraint "${v}" (invalid literal for int() with base 10: '${v}')`)
      out.pathLength = Number.parseInt(v, 10)
    } else throw new ModuleFailure(`Unknown basic constraint "${c}"`)
  }
  return out
}

export function csrWant(p: CsrParams): CsrWant {
  let pairs: [string, string][] = (
    [
      ['C', p.country_name],
      ['ST', p.state_or_province_name],
      ['L', p.locality_name],
      ['O', p.organization_name],
      ['OU', p.organizational_unit_name],
      ['CN', p.common_name],
      ['emailAddress', p.email_address],
    ] as [string, string | undefined][]
  ).filter((e): e is [string, string] => !!e[1])
  if (p.subject) pairs = [...pairs, ...nameField(p.subject, 'subject')]
  let ordered = false
  if (p.subject_ordered) {
    if (pairs.length) throw new ModuleFailure('subject_ordered cannot be combined with any other subject field')
    p.subject_ordered.forEach((raw, i) => {
      const entry = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
      if (Object.keys(entry).length !== 1) throw new ModuleFailure(`Entry #${i + 1} in subject_ordered must be a dictionary with exactly one key-value pair`)
      try {
        pairs.push(...nameField(entry, 'subject_ordered'))
      } catch (e) {
        throw new ModuleFailure(`Error while processing entry #${i + 1} in subject_ordered: ${(e as Error).message}`)
      }
    })
    ordered = true
  }
  for (const [, v] of pairs) if (/[\n\r]/.test(v)) throw new ModuleFailure('a subject value with a newline is not supported by acplay')
  const subject = pairs.map(([k, v]) => nameAttr(k, v))
  let sanGiven = p.subject_alt_name?.length ? p.subject_alt_name : undefined
  if (!sanGiven && p.use_common_name_for_san) {
    const cn = pairs.find(([k]) => k === 'CN' || k === 'commonName')
    if (cn) sanGiven = [`DNS:${cn[1]}`]
  }
  return {
    pairs,
    subject,
    ordered,
    sanGiven,
    san: (sanGiven ?? []).map(normalizeAltName),
    sanCritical: p.subject_alt_name_critical,
    keyUsage: p.key_usage?.length ? p.key_usage.map(keyUsage) : undefined,
    kuCritical: p.key_usage_critical,
    eku: p.extended_key_usage?.length ? p.extended_key_usage.map(extKeyUsageOid) : undefined,
    ekuCritical: p.extended_key_usage_critical,
    bc: parseBasicConstraints(p.basic_constraints),
    bcGiven: !!p.basic_constraints?.length,
    bcCritical: p.basic_constraints_critical,
    mustStaple: p.ocsp_must_staple,
    mustStapleCritical: p.ocsp_must_staple_critical,
  }
}

const find = (exts: Extension[], oid: string) => exts.find((e) => e.oid === oid)
const sameSet = (a: readonly string[], b: readonly string[]) => {
  const x = new Set(a)
  const y = new Set(b)
  return x.size === y.size && [...x].every((v) => y.has(v))
}

/** Ansible's _check_subject and _check_extensions: what differs, or undefined when nothing does. */
export function csrDifference(w: CsrWant, csr: Pick<CsrInfo, 'subject' | 'extensions'>): string | undefined {
  const want = w.subject.map((a) => `${a.oid}=${a.value}`)
  const have = csr.subject.map(([oid, v]) => `${oid}=${v}`)
  if (w.ordered ? want.join('\n') !== have.join('\n') : !sameSet(want, have)) return 'subject'
  const exts = csr.extensions
  const san = find(exts, OID.subjectAltName)
  if (!sameSet(w.san, san ? generalNamesOf(san.value) : [])) return 'subjectAltName'
  if (w.san.length && san!.critical !== w.sanCritical) return 'subjectAltName_critical'
  const ku = find(exts, OID.keyUsage)
  if (!w.keyUsage) {
    if (ku) return 'keyUsage'
  } else {
    if (!ku) return 'keyUsage'
    const have = keyUsageOf(ku.value)
    const wanted = new Set(w.keyUsage.map(([name]) => name))
    if (KEY_USAGE_BITS.some((b) => have.has(b) !== wanted.has(b))) return 'keyUsage'
    if (ku.critical !== w.kuCritical) return 'keyUsage_critical'
  }
  const eku = find(exts, OID.extKeyUsage)
  if (!sameSet(w.eku ?? [], eku ? oidListOf(eku.value) : [])) return 'extendedKeyUsage'
  if (w.eku && eku!.critical !== w.ekuCritical) return 'extendedKeyUsage_critical'
  const bcExt = find(exts, OID.basicConstraints)
  const bc = bcExt ? basicConstraintsOf(bcExt.value) : { ca: false }
  if (bc.ca !== w.bc.ca || bc.pathLength !== w.bc.pathLength) return 'basicConstraints'
  if (w.bcGiven ? !bcExt || bcExt.critical !== w.bcCritical : bcExt) return 'basicConstraints'
  const tls = find(exts, OID.tlsFeature)
  if (w.mustStaple ? !tls || tls.critical !== w.mustStapleCritical || !integersOf(tls.value).includes(5) : tls) return 'ocspMustStaple'
  for (const [oid, name] of [
    [OID.subjectKeyIdentifier, 'subject_key_identifier'],
    [OID.authorityKeyIdentifier, 'authority_key_identifier'],
    [OID.nameConstraints, 'name_constraints'],
    [OID.crlDistributionPoints, 'crl_distribution_points'],
  ] as const)
    if (find(exts, oid)) return name
  return undefined
}

/** The OpenSSL config `openssl req -new` makes the wanted CSR from (the subject in order, then the extensions). */
export function csrConfig(w: CsrWant): string {
  const ext: string[] = []
  const crit = (c: boolean, v: string) => `${c ? 'critical,' : ''}${v}`
  if (w.san.length) ext.push(`subjectAltName = ${crit(w.sanCritical, w.san.map(confValue).join(','))}`)
  if (w.keyUsage) ext.push(`keyUsage = ${crit(w.kuCritical, w.keyUsage.map(([, word]) => word).join(','))}`)
  if (w.eku) ext.push(`extendedKeyUsage = ${crit(w.ekuCritical, w.eku.join(','))}`)
  if (w.bcGiven)
    ext.push(
      `basicConstraints = ${crit(w.bcCritical, `CA:${w.bc.ca ? 'TRUE' : 'FALSE'}${w.bc.pathLength !== undefined ? `,pathlen:${w.bc.pathLength}` : ''}`)}`,
    )
  if (w.mustStaple) ext.push(`tlsfeature = ${crit(w.mustStapleCritical, 'status_request')}`)
  return [
    '[req]',
    'prompt = no',
    'distinguished_name = dn',
    'utf8 = yes',
    'string_mask = utf8only',
    ...(ext.length ? ['req_extensions = ext'] : []),
    '[dn]',
    ...w.subject.map((a, i) => `${i}.${a.field} = ${confValue(a.value)}`),
    ...(ext.length ? ['[ext]', ...ext] : []),
    '',
  ].join('\n')
}

/** Ansible's select_message_digest: openssl's option for the digest name. */
export function digestArg(digest: string): string {
  if (!['sha256', 'sha384', 'sha512', 'sha1', 'md5', 'sha224'].includes(digest)) throw new ModuleFailure(`Unsupported digest "${digest}"`)
  return `-${digest}`
}
