/**
 * x509_certificate (community.crypto.x509_certificate) with provider selfsigned (a certificate
 * signed by its own private key) or ownca (signed by a CA certificate and key of the user's), made
 * on the host by `openssl ca` in a throwaway CA directory (exact dates, a random 159-bit serial, the
 * CSR's subject in order and its extensions, subject and authority key identifiers as asked). Kept
 * exactly when Ansible's module would keep it (crypto/cert-plan.ts): the certificate, CSR, keys and
 * CA certificate are read on the host (public parts only) and compared here; the signature is
 * checked here. The acme and entrust providers are refused where the task is written.
 */
import { createPublicKey, X509Certificate } from 'node:crypto'
import { dirname } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { akiValue, asn1Time, caConfig, certDifference, randomSerial, selfsignedConfig, timeOption } from './crypto/cert-plan.js'
import { digestArg } from './crypto/csr-plan.js'
import { keyIdentifier, OID, parseCert, parseCsr, subjectKeyIdOf, type CertInfo } from './crypto/der.js'
import type { PublicKeyInfo } from './crypto/keys.js'
import { loadedKey, needsDigest } from './crypto/load-key.js'
import { pemWriteCommand, rewrite, writtenPem } from './crypto/write-pem.js'
import { pemFact, privateKeyFact } from './facts/crypto.js'
import { attrsChange, attrWant, describeAttrs, planAttrs } from './files/attrs.js'
import { fileCommonParams } from './files/common-args.js'
import { statPaths } from './files/stat.js'
import { backupChange, backupName } from './files/write.js'
import { notYet } from './schema.js'
import { defineModule, type Change, type Plan } from './types.js'

const PROVIDERS = ['acme', 'entrust', 'ownca', 'selfsigned']

export const x509Certificate = defineModule({
  name: 'x509_certificate',
  aliases: ['community.crypto.x509_certificate'],
  summary: 'Generate and/or check OpenSSL certificates (providers selfsigned and ownca)',
  description:
    "Makes a self-signed certificate, or one signed by your own CA, with the host's openssl from keys and a CSR there, and " +
    'keeps an existing one when Ansible’s checks pass. Providers acme and entrust are not supported.',
  params: {
    path: { type: 'path', required: true, description: 'Where the certificate is written.' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: 'Whether the certificate should exist.' },
    provider: {
      type: 'str',
      choices: PROVIDERS,
      check: (v) => (v === 'selfsigned' || v === 'ownca' ? undefined : `provider ${JSON.stringify(v)} is not supported by acplay (selfsigned and ownca are)`),
      description: 'How the certificate is made: selfsigned, or ownca (signed by a CA of yours); Ansible also has acme and entrust.',
    },
    force: { type: 'bool', default: false, description: 'Make a new certificate whatever is there.' },
    csr_path: { type: 'path', description: 'The CSR on the host (its subject and extensions); without it, an empty subject.' },
    csr_content: notYet({ type: 'str' }, 'The CSR as text.', 'give csr_path'),
    privatekey_path: { type: 'path', description: 'The private key on the host that signs.' },
    privatekey_content: notYet({ type: 'str', secret: true }, 'The private key as text.', 'give privatekey_path'),
    privatekey_passphrase: { type: 'str', secret: true, description: 'The private key’s passphrase.' },
    ignore_timestamps: { type: 'bool', default: true, description: 'Do not compare the dates of an existing certificate.' },
    select_crypto_backend: { type: 'str', default: 'auto', choices: ['auto', 'cryptography'], description: 'Accepted; acplay uses openssl.' },
    selfsigned_version: { type: 'int', default: 3, description: 'Only 3 (as Ansible’s cryptography backend).' },
    selfsigned_digest: { type: 'str', default: 'sha256', description: 'The signature digest (not used with Ed25519/Ed448 keys).' },
    selfsigned_not_before: {
      type: 'str',
      default: '+0s',
      aliases: ['selfsigned_notBefore'],
      description: 'Start of validity: relative (+0s, -1d) or YYYYMMDDHHMMSSZ.',
    },
    selfsigned_not_after: {
      type: 'str',
      default: '+3650d',
      aliases: ['selfsigned_notAfter'],
      description: 'End of validity: relative (+3650d) or YYYYMMDDHHMMSSZ.',
    },
    selfsigned_create_subject_key_identifier: {
      type: 'str',
      default: 'create_if_not_provided',
      choices: ['create_if_not_provided', 'always_create', 'never_create'],
      description: 'Whether the certificate gets a subject key identifier.',
    },
    ownca_path: { type: 'path', description: 'ownca: the CA certificate on the host.' },
    ownca_content: notYet({ type: 'str' }, 'ownca: the CA certificate as text.', 'give ownca_path'),
    ownca_privatekey_path: { type: 'path', description: 'ownca: the CA private key on the host.' },
    ownca_privatekey_content: notYet({ type: 'str', secret: true }, 'ownca: the CA private key as text.', 'give ownca_privatekey_path'),
    ownca_privatekey_passphrase: { type: 'str', secret: true, description: 'ownca: the CA private key’s passphrase.' },
    ownca_digest: { type: 'str', default: 'sha256', description: 'ownca: the signature digest.' },
    ownca_version: { type: 'int', default: 3, description: 'ownca: only 3.' },
    ownca_not_before: { type: 'str', default: '+0s', description: 'ownca: start of validity.' },
    ownca_not_after: { type: 'str', default: '+3650d', description: 'ownca: end of validity.' },
    ownca_create_subject_key_identifier: {
      type: 'str',
      default: 'create_if_not_provided',
      choices: ['create_if_not_provided', 'always_create', 'never_create'],
      description: 'ownca: whether the certificate gets a subject key identifier.',
    },
    ownca_create_authority_key_identifier: { type: 'bool', default: true, description: 'ownca: add the CA’s key identifier as authority key identifier.' },
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy of a certificate that is replaced or removed.' },
    return_content: { type: 'bool', default: false, description: 'Return the certificate as `certificate`.' },
    ...fileCommonParams,
  },
  mutuallyExclusive: [
    ['csr_path', 'csr_content'],
    ['privatekey_path', 'privatekey_content'],
    ['ownca_path', 'ownca_content'],
    ['ownca_privatekey_path', 'ownca_privatekey_content'],
  ],
  requiredIf: [['state', 'present', ['provider']]],
  returns: {
    filename: 'the path',
    privatekey: 'the private key’s path',
    csr: 'the CSR’s path',
    notBefore: 'start of validity (YYYYMMDDHHMMSSZ)',
    notAfter: 'end of validity (YYYYMMDDHHMMSSZ)',
    serial_number: 'the serial number (a decimal string: it does not fit a JSON number)',
    certificate: 'the certificate (PEM) with return_content',
    backup_file: 'the copy made with backup',
  },
  examples: `
- community.crypto.x509_certificate:
    path: /etc/ssl/certs/site.crt
    privatekey_path: /etc/ssl/private/site.key
    csr_path: /etc/ssl/site.csr
    provider: selfsigned
`,
  async plan(p, ctx): Promise<Plan> {
    if (!p.path.startsWith('/')) throw new ModuleFailure(`argument 'path' must be an absolute path, got ${JSON.stringify(p.path)}`)
    if (p.privatekey_passphrase?.includes('\n') || p.ownca_privatekey_passphrase?.includes('\n'))
      throw new ModuleFailure('a passphrase with a newline is not supported by acplay (openssl reads one line)')
    const want = attrWant(p)
    const dir = dirname(p.path)
    const present = p.state === 'present'
    const ownca = present && p.provider === 'ownca'
    const [stats, cert, csr, key, caCert, caKey] = await Promise.all([
      statPaths(ctx, [p.path, dir]),
      ctx.fact(pemFact, p.path, 'x509', p.return_content),
      present && p.csr_path !== undefined ? ctx.fact(pemFact, p.csr_path, 'req', false) : undefined,
      present && p.privatekey_path !== undefined ? ctx.fact(privateKeyFact, p.privatekey_path, p.privatekey_passphrase, 'Ed25519', false) : undefined,
      ownca && p.ownca_path !== undefined ? ctx.fact(pemFact, p.ownca_path, 'x509', false) : undefined,
      ownca && p.ownca_privatekey_path !== undefined
        ? ctx.fact(privateKeyFact, p.ownca_privatekey_path, p.ownca_privatekey_passphrase, 'Ed25519', false)
        : undefined,
    ])
    const base = {
      privatekey: p.privatekey_path ?? null,
      csr: p.csr_path ?? null,
      filename: p.path,
      ...(ownca ? { ca_cert: p.ownca_path ?? null, ca_privatekey: p.ownca_privatekey_path ?? null } : {}),
    }
    const content = p.return_content ? { certificate: cert.text ?? null } : {}

    if (!present) {
      if (!cert.exists) return { kind: 'ok', reason: `${p.path} is absent`, data: { ...base, ...(p.return_content ? { certificate: null } : {}) } }
      const changes: Change[] = []
      const backup = p.backup ? backupName(p.path) : undefined
      if (backup) changes.push(backupChange(p.path, backup))
      changes.push({
        summary: `remove the certificate ${p.path}`,
        commands: [{ argv: ['rm', '-f', '--', p.path] }],
        effects: [
          { fact: 'path.stat', key: p.path, value: { exists: false } },
          ...[false, true].map((t) => ({ fact: pemFact.name, key: pemFact.key!(p.path, 'x509', t), value: { exists: false } })),
        ],
      })
      return { kind: 'change', changes, data: { ...base, ...(p.return_content ? { certificate: null } : {}), ...(backup ? { backup_file: backup } : {}) } }
    }

    const dirSt = stats.get(dir)
    if (!dirSt.exists || (dirSt.type !== 'directory' && dirSt.target?.type !== 'directory'))
      throw new ModuleFailure(`The directory ${dir} does not exist or the file is not a directory`, { name: dir })
    const o = ownca
      ? {
          version: p.ownca_version,
          digest: p.ownca_digest,
          notBefore: p.ownca_not_before,
          notAfter: p.ownca_not_after,
          ski: p.ownca_create_subject_key_identifier,
          names: ['ownca_not_before', 'ownca_not_after'],
        }
      : {
          version: p.selfsigned_version,
          digest: p.selfsigned_digest,
          notBefore: p.selfsigned_not_before,
          notAfter: p.selfsigned_not_after,
          ski: p.selfsigned_create_subject_key_identifier,
          names: ['selfsigned_not_before', 'selfsigned_not_after'],
        }
    if (ownca) {
      if (p.ownca_path === undefined) throw new ModuleFailure('One of ownca_path and ownca_content must be specified for the ownca provider.')
      if (p.ownca_privatekey_path === undefined)
        throw new ModuleFailure('One of ownca_privatekey_path and ownca_privatekey_content must be specified for the ownca provider.')
    } else if (p.privatekey_path === undefined)
      throw new ModuleFailure('One of privatekey_path and privatekey_content must be specified for the selfsigned provider.')
    if (o.version === 2) throw new ModuleFailure('The cryptography backend does not support v2 certificates')
    const now = new Date()
    const notBefore = timeOption(o.notBefore, o.names[0]!, now)
    const notAfter = timeOption(o.notAfter, o.names[1]!, now)
    // the backend loads the CSR and the keys first, on every run (in check mode too): what an earlier
    // task of this check run is to make cannot be read yet, and the certificate is then predicted new
    if (ownca && !csr) throw new ModuleFailure('csr_path or csr_content is required for ownca provider')
    if (csr && !csr.exists) throw new ModuleFailure(`The certificate signing request file ${p.csr_path} does not exist`)
    if (caCert && !caCert.exists) throw new ModuleFailure(`The CA certificate file ${p.ownca_path} does not exist`)
    if (caKey && !caKey.exists) throw new ModuleFailure(`The CA private key file ${p.ownca_privatekey_path} does not exist`)
    if (!ownca && !key!.exists) throw new ModuleFailure(`The private key file ${p.privatekey_path} does not exist`)
    const planned = ctx.check ? csr?.planned : undefined
    const madeLater = (k: typeof key) => k?.pub !== undefined && k.pub.der === ''
    const predicted =
      ctx.check &&
      (madeLater(key) ||
        madeLater(caKey) ||
        (caCert !== undefined && caCert.der === undefined) ||
        (planned ? planned.pub === '' : csr !== undefined && csr.der === undefined && !csr.notFile))
    let csrInfo: ReturnType<typeof parseCsr> | undefined
    if (csr && !predicted && !planned) {
      try {
        csrInfo = parseCsr(Buffer.from(csr.der ?? '', 'base64'))
      } catch {
        throw new ModuleFailure(`Unable to load certificate signing request ${p.csr_path}`)
      }
    }
    let ca: { info: CertInfo; pub: PublicKeyInfo } | undefined
    if (ownca && !predicted) {
      let info: CertInfo
      try {
        info = parseCert(Buffer.from(caCert!.der ?? '', 'base64'))
      } catch {
        throw new ModuleFailure(`Unable to load certificate ${p.ownca_path}`)
      }
      const caPub = loadedKey(caKey!, p.ownca_privatekey_path!, p.ownca_privatekey_passphrase)
      if (caPub.der !== info.pub) throw new ModuleFailure('The CA private key does not belong to the CA certificate')
      ca = { info, pub: caPub }
    }
    // the key is read where Ansible reads it: selfsigned always, ownca when privatekey_path is given
    const pub = predicted || (ownca && !key) ? undefined : key && loadedKey(key, p.privatekey_path!, p.privatekey_passphrase)
    const signer = ownca ? (ca?.pub ?? caKey?.pub) : (pub ?? key?.pub)
    const digest = needsDigest(signer) ? digestArg(o.digest).slice(1) : undefined
    if (cert.notFile) throw new ModuleFailure(`Error while loading ${p.path} - [Errno 21] Is a directory: '${p.path}'`)
    // ownca: the authority key identifier the certificate carries (the CA's own key identifier, else its key's)
    const caSki = ca?.info.extensions.find((e) => e.oid === OID.subjectKeyIdentifier)
    const aki =
      ca && p.ownca_create_authority_key_identifier
        ? akiValue(caSki ? subjectKeyIdOf(caSki.value) : keyIdentifier(Buffer.from(ca.info.pub, 'base64')))
        : undefined

    let existing: CertInfo | undefined
    if (cert.der)
      try {
        existing = parseCert(Buffer.from(cert.der, 'base64'))
      } catch {
        existing = undefined
      }
    let why: string | undefined = p.force ? 'force' : !cert.exists ? 'new' : !existing ? 'the certificate does not load' : predicted ? 'its key' : undefined
    if (!why && existing && (ownca ? ca : pub)) {
      const signed = signedBy(cert.der!, ownca ? ca!.pub.der : pub!.der)
      why = certDifference(
        {
          ski: o.ski,
          ignoreTimestamps: p.ignore_timestamps,
          notBefore,
          notAfter,
          ca: ca && { subject: ca.info.subject, aki },
        },
        existing,
        pub?.der,
        signed,
        planned ? { planned } : csrInfo && { info: csrInfo, verified: !!csr!.verified },
      )
    }
    const st = stats.get(p.path)
    if (!why) {
      const data = { ...base, ...content, ...validity(existing!) }
      const attrs = planAttrs(p.path, st, want)
      if (attrs.commands.length === 0) return { kind: 'ok', reason: `${p.path} is the wanted certificate, ${describeAttrs(st)}`, data }
      return {
        kind: 'change',
        changes: [attrsChange(p.path, st, attrs)],
        data,
      }
    }

    const serial = randomSerial()
    const { mode, after, backup, changes } = rewrite(p.path, st, want, stats, { backup: p.backup, defaultMode: 0o644 })
    changes.push({
      summary: `make the ${ownca ? `certificate ${p.path} signed by ${p.ownca_path}` : `self-signed certificate ${p.path}`} (${why === 'new' ? 'new' : `${why} differs`}), ${asn1Time(notBefore)} to ${asn1Time(notAfter)}`,
      commands: [
        ownca
          ? pemWriteCommand({
              step: 'ownca',
              dest: p.path,
              key: p.ownca_privatekey_path!,
              passphrase: p.ownca_privatekey_passphrase,
              owner: want.owner,
              group: want.group,
              mode,
              // copy: what is made here (the key identifiers) wins over the CSR's
              conf: caConfig({
                ski: o.ski !== 'never_create' && !(o.ski === 'create_if_not_provided' && csrInfo?.extensions.some((e) => e.oid === OID.subjectKeyIdentifier)),
                aki,
                digest,
                copy: 'copy',
                explicit: true,
              }),
              csr: p.csr_path,
              args: [serial, p.ownca_path!, '-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter)],
            })
          : pemWriteCommand({
              step: 'selfsigned',
              dest: p.path,
              key: p.privatekey_path!,
              passphrase: p.privatekey_passphrase,
              owner: want.owner,
              group: want.group,
              mode,
              conf: selfsignedConfig(o.ski, digest),
              csr: p.csr_path,
              args: [serial, '-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter)],
            }),
      ],
      effects: [
        { fact: 'path.stat', key: p.path, value: after },
        ...[false, true].map((t) => ({ fact: pemFact.name, key: pemFact.key!(p.path, 'x509', t), value: { exists: true } })),
      ],
    })
    const data = {
      ...base,
      ...content,
      notBefore: asn1Time(notBefore),
      notAfter: asn1Time(notAfter),
      serial_number: BigInt(`0x${serial}`).toString(),
      ...(backup ? { backup_file: backup } : {}),
    }
    return { kind: 'change', changes, data }
  },
  interpret(p, out) {
    if (out.rc !== 0) return undefined
    const pem = writtenPem(out.stdout)
    if (pem === undefined) return undefined
    const cert = new X509Certificate(pem)
    const data: Record<string, unknown> = validity(parseCert(cert.raw))
    if (p.return_content) data.certificate = pem
    return { failed: false, data }
  },
})

/** notBefore, notAfter and the serial as Ansible's dump returns them. */
function validity(cert: CertInfo): Record<string, unknown> {
  return { notBefore: asn1Time(cert.notBefore), notAfter: asn1Time(cert.notAfter), serial_number: BigInt(`0x${cert.serial || '0'}`).toString() }
}

/** Whether the certificate's signature checks with this public key (cryptography_verify_certificate_signature). */
function signedBy(certDer: string, pubDer: string): boolean {
  try {
    const cert = new X509Certificate(Buffer.from(certDer, 'base64'))
    return cert.verify(createPublicKey({ key: Buffer.from(pubDer, 'base64'), format: 'der', type: 'spki' }))
  } catch {
    return false
  }
}
