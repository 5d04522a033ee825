/**
 * openssh_keypair (community.crypto.openssh_keypair): an SSH key pair (the private key and its
 * .pub) made by the host's ssh-keygen, kept by the rules of community.crypto 2.14's opensshbin
 * backend (ssh/keypair-plan.ts): a key of the wrong type or size is replaced, refused or kept as
 * `regenerate` says; a missing or stale .pub, or one with another comment, is rewritten from the
 * private key without a new key. With a passphrase Ansible uses its cryptography backend; acplay
 * follows that backend's rules with ssh-keygen (the key must open with the passphrase, and only
 * with it), and the passphrase reaches ssh-keygen through SSH_ASKPASS, never a command line.
 */
import { dirname } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { attrsChange, attrWant, planAttrs } from './files/attrs.js'
import { fileCommonParams } from './files/common-args.js'
import type { PathStat } from './facts/path.js'
import { statPaths, type Stats } from './files/stat.js'
import { rewrite } from './crypto/write-pem.js'
import { KeypairFailure, keypairAction, keypairResult, keypairSize, loadedKey, pubKeyType, restoredPub, type KeypairWant } from './ssh/keypair-plan.js'
import { keypairFact, type KeypairState, type PubKey } from './ssh/keypair-state.js'
import { keypairWriteCommand, writtenKeypair } from './ssh/keypair-write.js'
import { defineModule, type Change, type FactEffect, type ModuleContext, type Plan } from './types.js'

export const opensshKeypair = defineModule({
  name: 'openssh_keypair',
  aliases: ['community.crypto.openssh_keypair'],
  summary: 'Generate OpenSSH private and public keys',
  description:
    "Makes an SSH key pair with the host's ssh-keygen (rsa, dsa, ecdsa, ed25519), optionally protected by a passphrase, and " +
    'keeps an existing pair when it is the wanted one (Ansible’s regenerate rules); a missing .pub or a new comment is written ' +
    'without a new key. Both files are made in a temp dir beside the path and renamed into place.',
  params: {
    path: { type: 'path', required: true, description: 'The private key file; the public key is this path plus ".pub".' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: 'Whether the key pair should exist.' },
    type: { type: 'str', default: 'rsa', choices: ['rsa', 'dsa', 'ecdsa', 'ed25519'], description: 'The key type.' },
    size: { type: 'int', description: 'Bits: rsa at least 1024 (default 4096), dsa 1024, ecdsa 256 (default), 384 or 521; ignored for ed25519.' },
    comment: { type: 'str', description: 'The comment of the public key (changed without a new key).' },
    passphrase: { type: 'str', secret: true, description: 'Encrypts a new private key; an existing one must open with it (and only with it).' },
    private_key_format: {
      type: 'str',
      default: 'auto',
      choices: ['auto', 'pkcs1', 'pkcs8', 'ssh'],
      description: 'auto (the OpenSSH format), or with a passphrase ssh (a key in another format is replaced); pkcs1/pkcs8 are refused.',
    },
    regenerate: {
      type: 'str',
      default: 'partial_idempotence',
      choices: ['never', 'fail', 'partial_idempotence', 'full_idempotence', 'always'],
      description: 'When an existing key is replaced (Ansible’s rules).',
    },
    force: { type: 'bool', default: false, description: 'Make a new key pair whatever is there (regenerate=always).' },
    backend: {
      type: 'str',
      default: 'auto',
      choices: ['auto', 'cryptography', 'opensshbin'],
      description: 'auto or opensshbin (ssh-keygen; opensshbin ignores a passphrase, as Ansible’s); cryptography is refused.',
    },
    ...fileCommonParams,
  },
  returns: {
    filename: 'the path',
    size: 'the size asked for (after the defaults)',
    type: 'the type asked for',
    fingerprint: 'the private key’s SHA256 fingerprint',
    public_key: 'the public key, "type data"',
    comment: 'the public key’s comment',
  },
  examples: `
- community.crypto.openssh_keypair:
    path: /home/deploy/.ssh/id_ed25519
    type: ed25519
    owner: deploy
    group: deploy
`,
  async plan(p, ctx): Promise<Plan> {
    if (p.backend === 'cryptography')
      throw new ModuleFailure('backend=cryptography is not supported by acplay (it makes keys with ssh-keygen): use backend auto or opensshbin')
    if (!p.path.startsWith('/')) throw new ModuleFailure(`argument 'path' must be an absolute path, got ${JSON.stringify(p.path)}`)
    const withPassphrase = p.backend === 'auto' && !!p.passphrase
    if (withPassphrase && /[\r\n]/.test(p.passphrase!))
      throw new ModuleFailure('a passphrase with a newline is not supported by acplay (ssh-keygen reads one line)')
    const want = attrWant(p)
    const size = failing(() => keypairSize(p.type, p.size))
    const dir = dirname(p.path)
    const pubPath = `${p.path}.pub`
    const passphrase = withPassphrase ? p.passphrase : undefined
    const st = await ctx.fact(keypairFact, p.path, passphrase)
    const stats = await keypairStats(ctx, st, p.path)
    const dirSt = stats.get(dir)
    if (!dirSt.exists || (dirSt.type !== 'directory' && dirSt.target?.type !== 'directory'))
      throw new ModuleFailure(`The directory ${dir} does not exist or the file is not a directory`, { name: dir })
    if (st.priv === 'dir') throw new ModuleFailure(`${p.path} is a directory. Please specify a path to a file.`)
    if (!withPassphrase && p.private_key_format !== 'auto')
      throw new ModuleFailure("'auto' is the only valid option for 'private_key_format' when 'backend' is not 'cryptography'")
    if (p.private_key_format === 'pkcs1' || p.private_key_format === 'pkcs8')
      throw new ModuleFailure(`private_key_format=${p.private_key_format} is not supported by acplay (ssh-keygen writes the OpenSSH format: auto or ssh)`)

    const w: KeypairWant = {
      type: p.type,
      size,
      comment: p.comment,
      regenerate: p.force ? 'always' : p.regenerate,
      withPassphrase,
      privateKeyFormat: p.private_key_format === 'ssh' ? 'ssh' : 'auto',
    }
    const original = loadedKey(w, st)
    const originalPub = typeof st.pubFile === 'object' && st.pubFile !== null ? st.pubFile : undefined
    const data = keypairResult({ filename: p.path, size, type: p.type }, original, originalPub)
    const privSt = stats.get(p.path)
    const pubSt = stats.get(pubPath)

    if (p.state === 'absent') {
      if (st.priv === 'absent' && st.pubFile === 'absent') return { kind: 'ok', reason: `${p.path} and its .pub are absent`, data }
      const gone: KeypairState = { ...st, priv: 'absent', pubFile: 'absent' }
      return {
        kind: 'change',
        changes: [
          {
            summary: `remove the key pair ${p.path}`,
            commands: [keypairWriteCommand({ act: 'absent', path: p.path })],
            effects: [
              { fact: 'path.stat', key: p.path, value: { exists: false } },
              { fact: 'path.stat', key: pubPath, value: { exists: false } },
              keyEffect(p.path, passphrase, gone),
            ],
          },
        ],
        data,
      }
    }

    const action = failing(() => keypairAction(w, st))
    if (action.kind === 'keep') {
      const changes: Change[] = []
      for (const [path, s] of [
        [p.path, privSt],
        [pubPath, pubSt],
      ] as const) {
        const attrs = planAttrs(path, s, want)
        if (attrs.commands.length) changes.push(attrsChange(path, s, attrs))
      }
      if (changes.length === 0) return { kind: 'ok', reason: `${p.path} is the wanted ${p.type} key pair`, data }
      return { kind: 'change', changes, data }
    }

    const priv = rewrite(p.path, privSt, want, stats, { backup: false, defaultMode: 0o600 })
    const pub = rewrite(pubPath, pubSt, want, stats, { backup: false, defaultMode: 0o644 })
    const attrsOf = (r: typeof priv) => ({ owner: want.owner, group: want.group, mode: r.mode })
    if (action.kind === 'restore-pub') {
      const derived = (withPassphrase ? st.withPass?.pub : st.plain?.pub)!
      const line = restoredPub(derived, action.comment)
      const recomment = withPassphrase ? undefined : action.comment
      const after: KeypairState = { ...st, pubFile: line }
      const effects: FactEffect[] = [{ fact: 'path.stat', key: pubPath, value: pub.after }, keyEffect(p.path, passphrase, after)]
      if (recomment) effects.push({ fact: 'path.stat', key: p.path, value: priv.after })
      return {
        kind: 'change',
        changes: [
          {
            summary: `${originalPub ? 'rewrite' : 'restore'} ${pubPath} from the private key${action.comment ? ` with the comment ${JSON.stringify(action.comment)}` : ''}`,
            commands: [keypairWriteCommand({ act: 'pub', path: p.path, line: pubLine(line), recomment, priv: attrsOf(priv), pub: attrsOf(pub) })],
            effects,
          },
        ],
        data,
      }
    }

    const comment = p.comment ?? ''
    const made = { type: pubKeyType(p.type, size), data: '(made by an earlier task)', comment }
    const planned: KeypairState = {
      stats: st.stats,
      priv: 'file',
      format: 'SSH',
      listed: { size, type: p.type, fingerprint: '' },
      plain: withPassphrase ? { loads: false, unreadable: true } : { loads: true, unreadable: false, pub: made },
      ...(withPassphrase ? { withPass: { loads: true, unreadable: false, pub: made } } : {}),
      pubFile: made,
    }
    return {
      kind: 'change',
      changes: [
        {
          summary: `make a key pair (${p.type}, ${size} bits${passphrase ? ', with a passphrase' : ''}) at ${p.path}, mode ${priv.after.mode} and ${pub.after.mode}`,
          commands: [
            keypairWriteCommand({
              act: 'gen',
              path: p.path,
              type: p.type,
              size,
              comment: p.comment,
              passphrase,
              priv: attrsOf(priv),
              pub: attrsOf(pub),
            }),
          ],
          effects: [
            { fact: 'path.stat', key: p.path, value: priv.after },
            { fact: 'path.stat', key: pubPath, value: pub.after },
            keyEffect(p.path, passphrase, planned),
          ],
        },
      ],
      data,
    }
  },
  interpret(_p, out) {
    if (out.rc !== 0) return undefined
    const left = writtenKeypair(out.stdout)
    if (!left) return undefined
    const { fingerprint, public_key, comment } = keypairResult({ filename: '', size: 0, type: '' }, left.priv, left.pub)
    return { failed: false, data: { fingerprint, public_key, comment } }
  },
})

/**
 * The stats the key pair's read brought (check mode: an earlier task's planned effect wins); where an
 * earlier planned change makes a path unknown, statPaths, which knows how to say so.
 */
async function keypairStats(ctx: ModuleContext, st: KeypairState, path: string): Promise<Stats> {
  const byPath = new Map([
    [dirname(path), st.stats.dir],
    [path, st.stats.priv],
    [`${path}.pub`, st.stats.pub],
  ])
  if ([...byPath.keys()].some((p) => ctx.unknown?.('path.stat', p) !== undefined)) return statPaths(ctx, [...byPath.keys()])
  const get = (p: string) => (ctx.effect('path.stat', p) as PathStat | undefined) ?? byPath.get(p) ?? { exists: false }
  return { user: st.stats.user, group: st.stats.group, get }
}

/** Ansible's decisions fail the task with its words. */
function failing<T>(f: () => T): T {
  try {
    return f()
  } catch (e) {
    if (e instanceof KeypairFailure) throw new ModuleFailure(e.message)
    throw e
  }
}

const pubLine = (k: PubKey) => `${k.type} ${k.data}${k.comment ? ` ${k.comment}` : ''}`

/** What a later read of this key pair answers in check mode. */
function keyEffect(path: string, passphrase: string | undefined, value: KeypairState): FactEffect {
  return { fact: keypairFact.name, key: keypairFact.key!(path, passphrase), value }
}
