/**
 * x509_certificate (community.crypto.x509_certificate) with provider selfsigned: a certificate
 * signed by its own private key, made on the host by `openssl ca -selfsign` in a throwaway CA
 * directory (exact dates, a random 159-bit serial, the CSR's subject in order and its extensions,
 * a subject key identifier as asked). Kept exactly when Ansible's module would keep it
 * (crypto/cert-plan.ts): the certificate, CSR and key are read on the host (public parts only) and
 * compared here; the signature is checked here with the key's public key. Other providers (ownca,
 * acme, entrust) are refused where the task is written.
 */
import { createPublicKey, X509Certificate } from 'node:crypto'
import { dirname } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { asn1Time, certDifference, randomSerial, selfsignedConfig, timeOption } from './crypto/cert-plan.js'
import { digestArg } from './crypto/csr-plan.js'
import { parseCert, parseCsr, type CertInfo } from './crypto/der.js'
import { loadedKey, needsDigest } from './crypto/load-key.js'
import { pemWriteCommand, writtenPem } from './crypto/write-pem.js'
import { pemFact, privateKeyFact } from './facts/crypto.js'
import type { PathStat } from './facts/path.js'
import { attrWant, describeAttrs, planAttrs } from './files/attrs.js'
import { fileCommonParams } from './files/common-args.js'
import { fmtMode, resolveMode } from './files/mode.js'
import { statPaths } from './files/stat.js'
import { backupName } from './files/write.js'
import { notYet } from './schema.js'
import { defineModule, type Change, type Plan } from './types.js'

const PROVIDERS = ['acme', 'entrust', 'ownca', 'selfsigned']

export const x509Certificate = defineModule({
  name: 'x509_certificate',
  aliases: ['community.crypto.x509_certificate'],
  summary: 'Generate and/or check OpenSSL certificates (provider selfsigned)',
  description:
    "Makes a self-signed certificate with the host's openssl from a private key and (optionally) a CSR there, and keeps an " +
    'existing one when Ansible’s checks pass. Providers ownca, acme and entrust are not supported.',
  params: {
    path: { type: 'path', required: true, description: 'Where the certificate is written.' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: 'Whether the certificate should exist.' },
    provider: {
      type: 'str',
      choices: PROVIDERS,
      check: (v) => (v === 'selfsigned' ? undefined : `provider ${JSON.stringify(v)} is not supported by acplay (only selfsigned is)`),
      description: 'How the certificate is made: only selfsigned (Ansible also has ownca, acme, entrust).',
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
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy of a certificate that is replaced or removed.' },
    return_content: { type: 'bool', default: false, description: 'Return the certificate as `certificate`.' },
    ...fileCommonParams,
  },
  mutuallyExclusive: [
    ['csr_path', 'csr_content'],
    ['privatekey_path', 'privatekey_content'],
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
    if (p.privatekey_passphrase?.includes('\n')) throw new ModuleFailure('a passphrase with a newline is not supported by acplay (openssl reads one line)')
    const want = attrWant(p)
    const dir = dirname(p.path)
    const present = p.state === 'present'
    const [stats, cert, csr, key] = await Promise.all([
      statPaths(ctx, [p.path, dir]),
      ctx.fact(pemFact, p.path, 'x509', p.return_content),
      present && p.csr_path !== undefined ? ctx.fact(pemFact, p.csr_path, 'req', false) : undefined,
      present && p.privatekey_path !== undefined ? ctx.fact(privateKeyFact, p.privatekey_path, p.privatekey_passphrase, 'Ed25519', false) : undefined,
    ])
    const base = { privatekey: p.privatekey_path ?? null, csr: p.csr_path ?? null, filename: p.path }
    const content = p.return_content ? { certificate: cert.text ?? null } : {}

    if (!present) {
      if (!cert.exists) return { kind: 'ok', reason: `${p.path} is absent`, data: { ...base, ...(p.return_content ? { certificate: null } : {}) } }
      const changes: Change[] = []
      const backup = p.backup ? backupName(p.path) : undefined
      if (backup) changes.push({ summary: `back up ${p.path} to ${backup}`, commands: [{ argv: ['cp', '-p', '--', p.path, backup] }] })
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
    if (p.selfsigned_version === 2) throw new ModuleFailure('The cryptography backend does not support v2 certificates')
    if (p.privatekey_path === undefined) throw new ModuleFailure('One of privatekey_path and privatekey_content must be specified for the selfsigned provider.')
    const now = new Date()
    const notBefore = timeOption(p.selfsigned_not_before, 'selfsigned_not_before', now)
    const notAfter = timeOption(p.selfsigned_not_after, 'selfsigned_not_after', now)
    // the backend loads the CSR and the key first, on every run (in check mode too): what an earlier
    // task of this check run is to make cannot be read yet, and the certificate is then predicted new
    if (csr && !csr.exists) throw new ModuleFailure(`The certificate signing request file ${p.csr_path} does not exist`)
    if (!key!.exists) throw new ModuleFailure(`The private key file ${p.privatekey_path} does not exist`)
    const planned = ctx.check ? csr?.planned : undefined
    const predicted =
      ctx.check &&
      ((key!.pub !== undefined && key!.pub.der === '') || (planned ? planned.pub === '' : csr !== undefined && csr.der === undefined && !csr.notFile))
    const pub = predicted ? undefined : loadedKey(key!, p.privatekey_path, p.privatekey_passphrase)
    let csrInfo: ReturnType<typeof parseCsr> | undefined
    if (csr && !predicted && !planned) {
      try {
        csrInfo = parseCsr(Buffer.from(csr.der ?? '', 'base64'))
      } catch {
        throw new ModuleFailure(`Unable to load certificate signing request ${p.csr_path}`)
      }
    }
    const digest = needsDigest(pub ?? key!.pub) ? digestArg(p.selfsigned_digest).slice(1) : undefined
    if (cert.notFile) throw new ModuleFailure(`Error while loading ${p.path} - [Errno 21] Is a directory: '${p.path}'`)

    let existing: CertInfo | undefined
    if (cert.der)
      try {
        existing = parseCert(Buffer.from(cert.der, 'base64'))
      } catch {
        existing = undefined
      }
    let why: string | undefined = p.force ? 'force' : !cert.exists ? 'new' : !existing ? 'the certificate does not load' : predicted ? 'its key' : undefined
    if (!why && existing && pub) {
      const signed = signedBy(cert.der!, pub.der)
      why = certDifference(
        { ski: p.selfsigned_create_subject_key_identifier, ignoreTimestamps: p.ignore_timestamps, notBefore, notAfter },
        existing,
        pub.der,
        signed,
        planned ? { planned } : csrInfo && { info: csrInfo, verified: !!csr!.verified },
      )
    }
    const st = stats.get(p.path)
    if (!why) {
      const data = { ...base, ...content, ...validity(existing!) }
      const attrs = planAttrs(p.path, st, want)
      if (attrs.commands.length === 0) return { kind: 'ok', reason: `${p.path} is the wanted certificate, ${describeAttrs(st)}`, data }
      const after: PathStat = { ...st, owner: attrs.owner, group: attrs.group, mode: attrs.mode }
      const summary = `set ${Object.entries(attrs.attrs)
        .map(([k, [, v]]) => `${k} ${v}`)
        .join(', ')} on ${p.path}`
      return {
        kind: 'change',
        changes: [
          {
            summary,
            commands: attrs.commands,
            diff: { path: p.path, before: '', after: '', attrs: attrs.attrs },
            effects: [{ fact: 'path.stat', key: p.path, value: after }],
          },
        ],
        data,
      }
    }

    const serial = randomSerial()
    const exists = st.exists && st.type === 'file'
    const mode = want.mode ? fmtMode(resolveMode(want.mode, exists && st.mode ? Number.parseInt(st.mode, 8) : 0o644, false)) : undefined
    const changes: Change[] = []
    const backup = p.backup && exists ? backupName(p.path) : undefined
    if (backup) changes.push({ summary: `back up ${p.path} to ${backup}`, commands: [{ argv: ['cp', '-p', '--', p.path, backup] }] })
    const after: PathStat = {
      exists: true,
      type: 'file',
      mode: mode ?? (exists ? st.mode : '0644'),
      owner: want.owner ?? (exists ? st.owner : stats.user),
      group: want.group ?? (exists ? st.group : stats.group),
    }
    changes.push({
      summary: `make the self-signed certificate ${p.path} (${why === 'new' ? 'new' : `${why} differs`}), ${asn1Time(notBefore)} to ${asn1Time(notAfter)}`,
      commands: [
        pemWriteCommand({
          step: 'selfsigned',
          dest: p.path,
          key: p.privatekey_path,
          passphrase: p.privatekey_passphrase,
          owner: want.owner,
          group: want.group,
          mode,
          conf: selfsignedConfig(p.selfsigned_create_subject_key_identifier, digest),
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
