/**
 * The names community.crypto takes for name attributes, key usages and extended key usages, with
 * their OIDs (from its _objects_data table) and what an OpenSSL config calls them. Only the ones
 * roles use; another name is refused, naming the ones acplay knows.
 */
import { ModuleFailure } from '../../engine/errors.js'

/** [OID, OpenSSL's config name, Ansible's names for it] */
const NAME_ATTRS: [string, string, string[]][] = [
  ['2.5.4.6', 'C', ['C', 'countryName']],
  ['2.5.4.8', 'ST', ['ST', 'stateOrProvinceName']],
  ['2.5.4.7', 'L', ['L', 'localityName']],
  ['2.5.4.10', 'O', ['O', 'organizationName']],
  ['2.5.4.11', 'OU', ['OU', 'organizationalUnitName']],
  ['2.5.4.3', 'CN', ['CN', 'commonName']],
  ['1.2.840.113549.1.9.1', 'emailAddress', ['emailAddress', 'E']],
  ['2.5.4.5', 'serialNumber', ['serialNumber']],
  ['2.5.4.9', 'street', ['street', 'streetAddress']],
  ['2.5.4.17', 'postalCode', ['postalCode']],
  ['2.5.4.12', 'title', ['title']],
  ['2.5.4.42', 'GN', ['GN', 'givenName']],
  ['2.5.4.4', 'SN', ['SN', 'surname']],
  ['0.9.2342.19200300.100.1.25', 'DC', ['DC', 'domainComponent']],
  ['0.9.2342.19200300.100.1.1', 'UID', ['UID', 'userId']],
]

/** OpenSSL's config names of every name attribute acplay knows (a CA policy keeps exactly these). */
export const NAME_FIELDS: readonly string[] = NAME_ATTRS.map(([, field]) => field)

export interface NameAttr {
  oid: string
  /** OpenSSL's name in a config's distinguished name section */
  field: string
  value: string
}

export function nameAttr(name: string, value: string): NameAttr {
  const hit = NAME_ATTRS.find(([, , names]) => names.includes(name))
  if (!hit) throw new ModuleFailure(`Cannot find OID for "${name}" (acplay knows ${NAME_ATTRS.map(([, , n]) => n.join('/')).join(', ')})`)
  return { oid: hit[0], field: hit[1], value }
}

/** Key usages: cryptography's parameter, OpenSSL's word, Ansible's two spellings. */
const KEY_USAGES: [string, string, string][] = [
  ['digital_signature', 'digitalSignature', 'Digital Signature'],
  ['content_commitment', 'nonRepudiation', 'Non Repudiation'],
  ['key_encipherment', 'keyEncipherment', 'Key Encipherment'],
  ['data_encipherment', 'dataEncipherment', 'Data Encipherment'],
  ['key_agreement', 'keyAgreement', 'Key Agreement'],
  ['key_cert_sign', 'keyCertSign', 'Certificate Sign'],
  ['crl_sign', 'cRLSign', 'CRL Sign'],
  ['encipher_only', 'encipherOnly', 'Encipher Only'],
  ['decipher_only', 'decipherOnly', 'Decipher Only'],
]

/** A key usage as [cryptography's name, OpenSSL's word]. */
export function keyUsage(usage: string): [string, string] {
  const hit = KEY_USAGES.find(([, word, long]) => usage === word || usage === long)
  if (!hit) throw new ModuleFailure(`Unknown key usage "${usage}"`)
  return [hit[0], hit[1]]
}

const EKU: [string, string[]][] = [
  ['1.3.6.1.5.5.7.3.1', ['serverAuth', 'TLS Web Server Authentication']],
  ['1.3.6.1.5.5.7.3.2', ['clientAuth', 'TLS Web Client Authentication']],
  ['1.3.6.1.5.5.7.3.3', ['codeSigning', 'Code Signing']],
  ['1.3.6.1.5.5.7.3.4', ['emailProtection', 'E-mail Protection']],
  ['1.3.6.1.5.5.7.3.8', ['timeStamping', 'Time Stamping']],
  ['1.3.6.1.5.5.7.3.9', ['OCSPSigning', 'OCSP Signing']],
  ['1.3.6.1.5.5.7.3.17', ['ipsecIKE', 'ipsec Internet Key Exchange']],
  ['2.5.29.37.0', ['anyExtendedKeyUsage', 'Any Extended Key Usage']],
]

/** An extended key usage's OID (a dotted OID stands for itself). */
export function extKeyUsageOid(name: string): string {
  const hit = EKU.find(([, names]) => names.includes(name))
  if (hit) return hit[0]
  if (/^[0-9]+(\.[0-9]+)+$/.test(name)) return name
  throw new ModuleFailure(`Cannot find OID for "${name}"`)
}

/** A subject alternative name as cryptography_decode_name writes it back (what the checks compare). */
export function normalizeAltName(name: string): string {
  const at = name.indexOf(':')
  const kind = name.slice(0, at)
  const value = name.slice(at + 1)
  if (at > 0 && ['DNS', 'email', 'URI'].includes(kind)) {
    if (value === '' || /[,\n\r]/.test(value)) throw new ModuleFailure(`Cannot parse Subject Alternative Name "${name}"`)
    return name
  }
  if (kind === 'IP') {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(value) && value.split('.').every((o) => Number(o) < 256 && String(Number(o)) === o)) return name
    try {
      if (!value.includes(':')) throw new Error('not an address')
      return `IP:${new URL(`http://[${value}]/`).hostname.slice(1, -1)}`
    } catch {
      throw new ModuleFailure(`Cannot parse Subject Alternative Name "${name}": '${value}' does not appear to be an IPv4 or IPv6 address`)
    }
  }
  if (at < 0) throw new ModuleFailure(`Cannot parse Subject Alternative Name "${name}" (forgot "DNS:" prefix?)`)
  throw new ModuleFailure(`Subject Alternative Name "${name}" is not supported by acplay (DNS:, IP:, email: and URI: are)`)
}

/** A config value as OpenSSL's config parser reads it back unchanged (its escapes; no $variables, no comments). */
export const confValue = (v: string): string => v.replace(/[\\$#"']/g, '\\$&')
