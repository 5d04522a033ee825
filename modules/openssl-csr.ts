/**
 * openssl_csr (community.crypto.openssl_csr): a certificate signing request made on the host by
 * `openssl req` from an OpenSSL config of acplay's (crypto/csr-plan.ts), kept when Ansible's module
 * would keep it: the subject, the extensions it checks with their critical flags, a valid
 * self-signature, and the private key's public key. The CSR is read on the host (its DER) and
 * compared here; the private key stays there (its passphrase reaches openssl on a descriptor).
 */
import { dirname } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { csrConfig, csrDifference, csrWant, digestArg } from './crypto/csr-plan.js'
import { parseCsr } from './crypto/der.js'
import { loadedKey, needsDigest } from './crypto/load-key.js'
import { pemWriteCommand, rewrite, writtenPem } from './crypto/write-pem.js'
import { pemFact, privateKeyFact, type PemState } from './facts/crypto.js'
import { attrsChange, attrWant, describeAttrs, planAttrs } from './files/attrs.js'
import { fileCommonParams } from './files/common-args.js'
import { statPaths } from './files/stat.js'
import { backupChange, backupName } from './files/write.js'
import { notYet } from './schema.js'
import { defineModule, type Change, type Plan } from './types.js'

const NOT_YET = 'acplay does not make CSRs with it yet'

export const opensslCsr = defineModule({
  name: 'openssl_csr',
  aliases: ['community.crypto.openssl_csr'],
  summary: 'Generate OpenSSL Certificate Signing Request (CSR)',
  description:
    "Makes a CSR with the host's openssl from a private key there, and keeps an existing one when its subject, extensions and " +
    'key are the wanted ones (Ansible’s checks).',
  params: {
    path: { type: 'path', required: true, description: 'Where the CSR is written.' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: 'Whether the CSR should exist.' },
    force: { type: 'bool', default: false, description: 'Make a new CSR whatever is there.' },
    privatekey_path: { type: 'path', description: 'The private key (on the host) that signs the CSR.' },
    privatekey_content: notYet({ type: 'str', secret: true }, 'The private key as text.', 'give privatekey_path'),
    privatekey_passphrase: { type: 'str', secret: true, description: 'The private key’s passphrase.' },
    digest: { type: 'str', default: 'sha256', description: 'The signature digest (not used with Ed25519/Ed448 keys).' },
    version: { type: 'int', default: 1, description: 'The CSR version (1, the only one RFC 2986 has).' },
    subject: { type: 'dict', description: 'Subject fields: a value or a list of values per name (CN, O, OU, ...).' },
    subject_ordered: { type: 'list', elements: 'dict', description: 'The subject as a list of one-key dicts, in order (compared in order).' },
    country_name: { type: 'str', aliases: ['C', 'countryName'], description: 'countryName.' },
    state_or_province_name: { type: 'str', aliases: ['ST', 'stateOrProvinceName'], description: 'stateOrProvinceName.' },
    locality_name: { type: 'str', aliases: ['L', 'localityName'], description: 'localityName.' },
    organization_name: { type: 'str', aliases: ['O', 'organizationName'], description: 'organizationName.' },
    organizational_unit_name: { type: 'str', aliases: ['OU', 'organizationalUnitName'], description: 'organizationalUnitName.' },
    common_name: { type: 'str', aliases: ['CN', 'commonName'], description: 'commonName.' },
    email_address: { type: 'str', aliases: ['E', 'emailAddress'], description: 'emailAddress.' },
    subject_alt_name: { type: 'list', elements: 'str', aliases: ['subjectAltName'], description: 'SANs: DNS:, IP:, email:, URI:.' },
    subject_alt_name_critical: { type: 'bool', default: false, aliases: ['subjectAltName_critical'], description: 'Mark the SAN extension critical.' },
    use_common_name_for_san: { type: 'bool', default: true, aliases: ['useCommonNameForSAN'], description: 'Without SANs, the common name as DNS SAN.' },
    key_usage: { type: 'list', elements: 'str', aliases: ['keyUsage'], description: 'Key usages (digitalSignature, keyEncipherment, ...).' },
    key_usage_critical: { type: 'bool', default: false, aliases: ['keyUsage_critical'], description: 'Mark keyUsage critical.' },
    extended_key_usage: {
      type: 'list',
      elements: 'str',
      aliases: ['extKeyUsage', 'extendedKeyUsage'],
      description: 'Extended key usages (serverAuth, clientAuth, ... or dotted OIDs).',
    },
    extended_key_usage_critical: {
      type: 'bool',
      default: false,
      aliases: ['extKeyUsage_critical', 'extendedKeyUsage_critical'],
      description: 'Mark extendedKeyUsage critical.',
    },
    basic_constraints: { type: 'list', elements: 'str', aliases: ['basicConstraints'], description: 'CA:TRUE / CA:FALSE, pathlen:N.' },
    basic_constraints_critical: { type: 'bool', default: false, aliases: ['basicConstraints_critical'], description: 'Mark basicConstraints critical.' },
    ocsp_must_staple: { type: 'bool', default: false, aliases: ['ocspMustStaple'], description: 'Add the OCSP Must Staple extension.' },
    ocsp_must_staple_critical: { type: 'bool', default: false, aliases: ['ocspMustStaple_critical'], description: 'Mark it critical.' },
    name_constraints_permitted: notYet({ type: 'list', elements: 'str' }, 'Permitted name constraints.', NOT_YET),
    name_constraints_excluded: notYet({ type: 'list', elements: 'str' }, 'Excluded name constraints.', NOT_YET),
    name_constraints_critical: { type: 'bool', default: false, description: 'Mark name constraints critical (none are made).' },
    create_subject_key_identifier: notYet({ type: 'bool', default: false }, 'Add a subject key identifier.', NOT_YET),
    subject_key_identifier: notYet({ type: 'str' }, 'A subject key identifier.', NOT_YET),
    authority_key_identifier: notYet({ type: 'str' }, 'An authority key identifier.', NOT_YET),
    authority_cert_issuer: notYet({ type: 'list', elements: 'str' }, 'Authority cert issuer.', NOT_YET),
    authority_cert_serial_number: notYet({ type: 'int' }, 'Authority cert serial number.', NOT_YET),
    crl_distribution_points: notYet({ type: 'list', elements: 'dict' }, 'CRL distribution points.', NOT_YET),
    select_crypto_backend: { type: 'str', default: 'auto', choices: ['auto', 'cryptography'], description: 'Accepted; acplay uses openssl.' },
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy of a CSR that is replaced or removed.' },
    return_content: { type: 'bool', default: false, description: 'Return the CSR as `csr`.' },
    ...fileCommonParams,
  },
  mutuallyExclusive: [
    ['privatekey_path', 'privatekey_content'],
    ['subject', 'subject_ordered'],
  ],
  requiredIf: [['state', 'present', ['privatekey_path', 'privatekey_content'], true]],
  returns: {
    filename: 'the path',
    privatekey: 'the private key’s path',
    subject: 'the subject as [name, value] pairs',
    subjectAltName: 'the SANs',
    keyUsage: 'the key usages',
    extendedKeyUsage: 'the extended key usages',
    basicConstraints: 'the basic constraints',
    ocspMustStaple: 'whether OCSP Must Staple is set',
    csr: 'the CSR (PEM) with return_content',
    backup_file: 'the copy made with backup',
  },
  examples: `
- community.crypto.openssl_csr:
    path: /etc/ssl/site.csr
    privatekey_path: /etc/ssl/private/site.key
    common_name: www.example.com
    subject_alt_name: [DNS:www.example.com, DNS:example.com]
`,
  async plan(p, ctx): Promise<Plan> {
    if (!p.path.startsWith('/')) throw new ModuleFailure(`argument 'path' must be an absolute path, got ${JSON.stringify(p.path)}`)
    if (p.privatekey_passphrase?.includes('\n')) throw new ModuleFailure('a passphrase with a newline is not supported by acplay (openssl reads one line)')
    const want = attrWant(p)
    const csrW = csrWant(p)
    const dir = dirname(p.path)
    const keyPath = p.privatekey_path
    const [stats, csr, key] = await Promise.all([
      statPaths(ctx, [p.path, dir]),
      ctx.fact(pemFact, p.path, 'req', p.return_content),
      p.state === 'present' && keyPath !== undefined ? ctx.fact(privateKeyFact, keyPath, p.privatekey_passphrase, 'Ed25519', false) : undefined,
    ])
    const dirSt = stats.get(dir)
    if (!dirSt.exists || (dirSt.type !== 'directory' && dirSt.target?.type !== 'directory'))
      throw new ModuleFailure(`The directory ${dir} does not exist or the file is not a directory`, { name: dir })
    const st = stats.get(p.path)
    const data = {
      privatekey: p.privatekey_path ?? null,
      subject: csrW.pairs,
      subjectAltName: csrW.sanGiven ?? null,
      keyUsage: p.key_usage ?? null,
      extendedKeyUsage: p.extended_key_usage ?? null,
      basicConstraints: p.basic_constraints ?? null,
      ocspMustStaple: p.ocsp_must_staple,
      name_constraints_permitted: [],
      name_constraints_excluded: [],
      filename: p.path,
    }

    if (p.state === 'absent') {
      const out = { ...data, ...(p.return_content ? { csr: null } : {}) }
      if (!csr.exists) return { kind: 'ok', reason: `${p.path} is absent`, data: out }
      const changes: Change[] = []
      const backup = p.backup ? backupName(p.path) : undefined
      if (backup) changes.push(backupChange(p.path, backup))
      changes.push({
        summary: `remove the CSR ${p.path}`,
        commands: [{ argv: ['rm', '-f', '--', p.path] }],
        effects: [
          { fact: 'path.stat', key: p.path, value: { exists: false } },
          ...[false, true].map((t) => ({ fact: pemFact.name, key: pemFact.key!(p.path, 'req', t), value: { exists: false } })),
        ],
      })
      return { kind: 'change', changes, data: { ...out, ...(backup ? { backup_file: backup } : {}) } }
    }

    if (csr.notFile) throw new ModuleFailure(`Error while loading ${p.path} - [Errno 21] Is a directory: '${p.path}'`)
    // Ansible's needs_regeneration: no CSR, or one that does not load, is made again without looking at the key
    let why: string | undefined = p.force ? 'force' : undefined
    let parsed: ReturnType<typeof parseCsr> | undefined
    if (!why && csr.der) {
      try {
        parsed = parseCsr(Buffer.from(csr.der, 'base64'))
      } catch {
        parsed = undefined
      }
    }
    if (!why && !parsed) why = csr.exists ? 'the CSR does not load' : 'no CSR'
    if (!why && parsed) {
      const pub = loadedKey(key!, keyPath!, p.privatekey_passphrase)
      why = csrDifference(csrW, parsed)
      if (!why && (!csr.verified || parsed.pub !== pub.der)) why = 'its key'
    }
    const content = p.return_content ? { csr: csr.text ?? null } : {}
    if (!why) {
      const attrs = planAttrs(p.path, st, want)
      if (attrs.commands.length === 0) return { kind: 'ok', reason: `${p.path} is the wanted CSR, ${describeAttrs(st)}`, data: { ...data, ...content } }
      return {
        kind: 'change',
        changes: [attrsChange(p.path, st, attrs)],
        data: { ...data, ...content },
      }
    }

    // the key is loaded when the CSR is made: its failures are the run's (check mode does not load it)
    const pub = ctx.check ? key?.pub : loadedKey(key!, keyPath!, p.privatekey_passphrase)
    const args = needsDigest(pub) ? [digestArg(p.digest)] : []
    if (csrW.subject.length === 0) args.push('-subj', '/')
    const { mode, after, backup, changes } = rewrite(p.path, st, want, stats, { backup: p.backup, defaultMode: 0o644 })
    changes.push({
      summary: `make the CSR ${p.path} (${why === 'no CSR' ? 'new' : `${why} differs`}), signed by ${keyPath}`,
      commands: [
        pemWriteCommand({
          step: 'csr',
          dest: p.path,
          key: keyPath!,
          passphrase: p.privatekey_passphrase,
          owner: want.owner,
          group: want.group,
          mode,
          conf: csrConfig(csrW),
          args,
        }),
      ],
      // a later check-mode reader (x509_certificate) compares what it will hold
      effects: [
        { fact: 'path.stat', key: p.path, value: after },
        ...[false, true].map((t) => ({
          fact: pemFact.name,
          key: pemFact.key!(p.path, 'req', t),
          value: { exists: true, planned: { want: csrW, pub: pub?.der ?? '' } } satisfies PemState,
        })),
      ],
    })
    return { kind: 'change', changes, data: { ...data, ...content, ...(backup ? { backup_file: backup } : {}) } }
  },
  interpret(p, out) {
    if (out.rc !== 0 || !p.return_content) return undefined
    const pem = writtenPem(out.stdout)
    return pem === undefined ? undefined : { failed: false, data: { csr: pem } }
  },
})
