/**
 * openssl_privatekey (community.crypto.openssl_privatekey): a private key file, made on the host by
 * its `openssl` (community.crypto 2.14 makes it with python's cryptography; the files are alike:
 * PKCS#1 "traditional" PEM for RSA and ECC, PKCS#8 for the Edwards and Montgomery types, raw bytes
 * with format=raw, AES-256 encrypted with a passphrase).
 *
 * When an existing key is kept follows Ansible's module (crypto/privatekey-plan.ts): the passphrase
 * must open it (regenerate=full_idempotence makes a new key otherwise), its type and size or curve
 * must be the wanted ones, and its format with format=auto/pkcs1/pkcs8/raw (auto_ignore, the
 * default, never looks). The key never leaves the host: its public key is read there and compared
 * here; the passphrase reaches openssl on a file descriptor. DSA keys are not made (Ansible can).
 */
import { dirname } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { fingerprints, CURVES, DEPRECATED_CURVES, KEY_TYPES } from './crypto/keys.js'
import { keyAction, parseWritten, wantedFormat, writeKeyCommand, type KeyWant } from './crypto/privatekey-plan.js'
import { rewrite } from './crypto/write-pem.js'
import { privateKeyFact, type PrivateKeyState } from './facts/crypto.js'
import { attrsChange, attrWant, describeAttrs, planAttrs } from './files/attrs.js'
import { fileCommonParams } from './files/common-args.js'
import { statPaths } from './files/stat.js'
import { backupChange, backupName } from './files/write.js'
import { defineModule, type Change, type FactEffect, type Plan } from './types.js'

export const opensslPrivatekey = defineModule({
  name: 'openssl_privatekey',
  aliases: ['community.crypto.openssl_privatekey'],
  summary: 'Generate OpenSSL private keys',
  description:
    "Makes a private key file with the host's openssl (RSA, ECC, Ed25519, Ed448, X25519, X448), optionally encrypted with a " +
    'passphrase, and keeps an existing key when it is the wanted one (Ansible’s regenerate rules). The key is written to a temp ' +
    'file beside the path and renamed into place; it is never shown in output or diffs.',
  params: {
    path: { type: 'path', required: true, description: 'Where the key file is.' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: 'Whether the key should exist.' },
    force: { type: 'bool', default: false, description: 'Make a new key whatever is there (regenerate=always).' },
    size: { type: 'int', default: 4096, description: 'Bits of an RSA key.' },
    type: { type: 'str', default: 'RSA', choices: KEY_TYPES, description: 'The key type (DSA is refused: acplay does not make DSA keys).' },
    curve: { type: 'str', choices: Object.keys(CURVES), description: 'The curve of an ECC key.' },
    passphrase: { type: 'str', secret: true, description: 'Encrypts the key (with cipher: auto); also what opens an existing key.' },
    cipher: { type: 'str', description: 'Only "auto" (AES-256, as cryptography picks it).' },
    format: {
      type: 'str',
      default: 'auto_ignore',
      choices: ['pkcs1', 'pkcs8', 'raw', 'auto', 'auto_ignore'],
      description: 'The file format; auto: PKCS#8 for Ed/X types, PKCS#1 otherwise; auto_ignore: auto, never checked on an existing key.',
    },
    format_mismatch: {
      type: 'str',
      default: 'regenerate',
      choices: ['regenerate', 'convert'],
      description: 'An existing key in another format: make a new one, or convert it.',
    },
    regenerate: {
      type: 'str',
      default: 'full_idempotence',
      choices: ['never', 'fail', 'partial_idempotence', 'full_idempotence', 'always'],
      description: 'When an existing key is replaced (Ansible’s rules).',
    },
    select_crypto_backend: { type: 'str', default: 'auto', choices: ['auto', 'cryptography'], description: 'Accepted; acplay uses openssl.' },
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy of a key that is replaced or removed.' },
    return_content: { type: 'bool', default: false, description: 'Return the key as `privatekey` (masked in output).' },
    ...fileCommonParams,
    mode: { ...fileCommonParams.mode, description: 'Mode of the key file (default 0600).' },
  },
  requiredTogether: [['cipher', 'passphrase']],
  requiredIf: [['type', 'ECC', ['curve']]],
  returns: {
    filename: 'the path',
    size: 'the size asked for',
    type: 'the type asked for',
    curve: 'the curve asked for (ECC)',
    fingerprint: 'the public key’s fingerprints by hash name',
    privatekey: 'the key (PEM text, or base64 of a raw key) with return_content',
    backup_file: 'the copy made with backup',
  },
  examples: `
- community.crypto.openssl_privatekey:
    path: /etc/ssl/private/site.key
    type: ECC
    curve: secp384r1
`,
  async plan(p, ctx): Promise<Plan> {
    if (!p.path.startsWith('/')) throw new ModuleFailure(`argument 'path' must be an absolute path, got ${JSON.stringify(p.path)}`)
    if (p.passphrase?.includes('\n')) throw new ModuleFailure('a passphrase with a newline is not supported by acplay (openssl reads one line)')
    const want = attrWant(p)
    const dir = dirname(p.path)
    const raw32 = p.type === 'X25519' ? 'X25519' : 'Ed25519'
    const [stats, key] = await Promise.all([statPaths(ctx, [p.path, dir]), ctx.fact(privateKeyFact, p.path, p.passphrase, raw32, p.return_content)])
    const dirSt = stats.get(dir)
    if (!dirSt.exists || (dirSt.type !== 'directory' && dirSt.target?.type !== 'directory'))
      throw new ModuleFailure(`The directory ${dir} does not exist or the file is not a directory`, { name: dir })
    const st = stats.get(p.path)
    const w: KeyWant = {
      type: p.type,
      size: p.size,
      curve: p.curve,
      passphrase: p.passphrase,
      format: p.format,
      formatMismatch: p.format_mismatch,
      regenerate: p.force ? 'always' : p.regenerate,
    }
    const base = { filename: p.path, size: p.size, type: p.type, ...(p.type === 'ECC' ? { curve: p.curve } : {}) }
    const fingerprint = key.pub?.der ? fingerprints(key.pub.der) : null
    const content = p.return_content ? { privatekey: key.content === undefined ? null : shownContent(key) } : {}
    const secrets = typeof content.privatekey === 'string' ? [content.privatekey] : []

    if (p.state === 'absent') {
      const data = { ...base, fingerprint: null }
      if (!key.exists) return { kind: 'ok', reason: `${p.path} is absent`, data: { ...data, ...(p.return_content ? { privatekey: null } : {}) } }
      const changes: Change[] = []
      const backup = p.backup ? backupName(p.path) : undefined
      if (backup) changes.push(backupChange(p.path, backup))
      changes.push({
        summary: `remove the private key ${p.path}`,
        commands: [{ argv: ['rm', '-f', '--', p.path] }],
        effects: [{ fact: 'path.stat', key: p.path, value: { exists: false } }, ...keyEffects(p.path, p.passphrase, { exists: false })],
      })
      return { kind: 'change', changes, data: { ...data, ...(p.return_content ? { privatekey: null } : {}), ...(backup ? { backup_file: backup } : {}) } }
    }

    if (key.notFile) throw new ModuleFailure(`Error while loading ${p.path} - [Errno 21] Is a directory: '${p.path}'`)
    const action = keyAction(w, key)
    const modeSpec = want.mode ?? { kind: 'octal' as const, bits: 0o600, text: '0600' }
    if (action === 'keep') {
      const attrs = planAttrs(p.path, st, { ...want, mode: modeSpec })
      const data = { ...base, fingerprint, ...content }
      if (attrs.commands.length === 0) return { kind: 'ok', reason: `${p.path} is the wanted key, ${describeAttrs(st)}`, data, secrets }
      return {
        kind: 'change',
        changes: [attrsChange(p.path, st, attrs)],
        data,
        secrets,
      }
    }

    // a new key (or the key converted): what Ansible's backend refuses, it refuses when it writes (not in check mode)
    const format = wantedFormat(w)
    if (!ctx.check) {
      if (p.passphrase !== undefined && p.cipher !== 'auto') throw new ModuleFailure('Cryptography backend can only use "auto" for cipher option.')
      if (format === 'raw' && (p.passphrase !== undefined || !['Ed25519', 'Ed448', 'X25519', 'X448'].includes(p.type)))
        throw new ModuleFailure(`Cryptography backend cannot serialize the private key in the required format "${p.format}"`)
    }
    if (p.type === 'DSA') throw new ModuleFailure('type=DSA is not supported by acplay (RSA, ECC, Ed25519, Ed448, X25519 and X448 are)')
    // a rewritten key keeps its present owner unless one is given (the write's temp file is the run's user's)
    const exists = st.exists && st.type === 'file'
    const owner = want.owner ?? (exists ? st.owner : undefined)
    const group = want.group ?? (exists ? st.group : undefined)
    const { after, backup, changes } = rewrite(p.path, st, { ...want, mode: modeSpec }, stats, { backup: p.backup, defaultMode: 0o600 })
    const newKey: PrivateKeyState = {
      exists: true,
      format,
      encrypted: p.passphrase !== undefined && format !== 'raw',
      // its public key is known once it is made: a check-mode reader compares it with nothing
      pub: { type: p.type, size: p.type === 'RSA' ? p.size : undefined, curve: p.type === 'ECC' ? p.curve : undefined, der: '' },
    }
    const mode = after.mode! // modeSpec: always one
    const what = action === 'convert' ? `convert the private key ${p.path} to ${format}` : `make a ${describeKey(p)} private key at ${p.path}`
    changes.push({
      summary: `${what} (secret content, mode ${mode})`,
      commands: [
        writeKeyCommand({ dest: p.path, source: action === 'convert' ? 'convert' : 'gen', want: w, owner, group, mode, returnContent: p.return_content }),
      ],
      effects: [{ fact: 'path.stat', key: p.path, value: after }, ...keyEffects(p.path, p.passphrase, newKey)],
    })
    const warnings =
      action === 'regenerate' && p.type === 'ECC' && DEPRECATED_CURVES.has(p.curve!)
        ? [`Elliptic curves of type ${p.curve} should not be used for new keys!`]
        : []
    return {
      kind: 'change',
      changes,
      data: { ...base, fingerprint, ...content, ...(backup ? { backup_file: backup } : {}), ...(warnings.length ? { warnings } : {}) },
      secrets,
    }
  },
  interpret(p, out) {
    if (out.rc !== 0) return undefined
    const written = parseWritten(out.stdout)
    if (written.pub === undefined) return undefined
    const data: Record<string, unknown> = { fingerprint: fingerprints(written.pub) }
    if (written.content !== undefined) {
      const bytes = Buffer.from(written.content, 'base64')
      data.privatekey = wantedFormat(p) === 'raw' ? written.content : bytes.toString('utf8')
    }
    return { failed: false, data, secrets: typeof data.privatekey === 'string' ? [data.privatekey] : [] }
  },
})

/** The key as Ansible's return_content gives it: PEM text, or base64 of a raw key. */
function shownContent(key: PrivateKeyState): string {
  return key.format === 'raw' ? key.content! : Buffer.from(key.content!, 'base64').toString('utf8')
}

function describeKey(p: { type: string; size: number; curve?: string }): string {
  return p.type === 'RSA' || p.type === 'DSA' ? `${p.type} ${p.size}-bit` : p.type === 'ECC' ? `ECC ${p.curve}` : p.type
}

/** What a later read of this key answers in check mode, however it is read. */
function keyEffects(path: string, passphrase: string | undefined, value: PrivateKeyState): FactEffect[] {
  return ['Ed25519', 'X25519'].flatMap((raw32) =>
    [false, true].map((content) => ({ fact: privateKeyFact.name, key: privateKeyFact.key!(path, passphrase, raw32, content), value })),
  )
}
