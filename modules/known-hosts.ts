/**
 * known_hosts: one host's key in a known_hosts file, as Ansible's known_hosts: the host's entries
 * are found as `ssh-keygen -F` finds them (patterns, hashed names: ssh/known-hosts-file.ts); an
 * entry with the same key is left alone, one with the same key type is replaced (the new line goes
 * at the end), otherwise the key is appended. state=absent without a key runs `ssh-keygen -R`.
 * One read of the file (plus one for `~`); writes are atomic, keeping the file's owner and mode.
 * Effects: path.stat and path.content of the file.
 */
import { ModuleFailure } from '../engine/errors.js'
import { fileEffects, readContent, sha256 } from './files/stat.js'
import { planWrite } from './files/write.js'
import { findHost, hashHostKey, removeHost, rewrite, searchHostKey } from './ssh/known-hosts-file.js'
import { defineModule, type Plan } from './types.js'

export const knownHosts = defineModule({
  name: 'known_hosts',
  summary: 'Add or remove a host from the known_hosts file',
  description:
    "Manages one host in a known_hosts file (by default the remote user's ~/.ssh/known_hosts; its directory must exist). " +
    'The key line must name the host (or be hashed for it). hash_host writes the host as |1|salt|hash; an entry already hashed ' +
    'with the same key counts as present whatever its salt.',
  params: {
    name: { type: 'str', required: true, aliases: ['host'], description: 'The host (or [host]:port) to add or remove; compared lowercased.' },
    key: { type: 'str', description: 'The known_hosts line for the host: "HOST TYPE BASE64" (e.g. from ssh-keyscan). Required with state=present.' },
    path: { type: 'path', default: '~/.ssh/known_hosts', description: "The known_hosts file to edit; ~ is the remote user's home." },
    hash_host: { type: 'bool', default: false, description: 'Write the host name hashed (|1|salt|hash), as HashKnownHosts does.' },
    state: {
      type: 'str',
      default: 'present',
      choices: ['absent', 'present'],
      description: 'present: the key is there; absent: the key (or, without key, every entry of the host) is removed.',
    },
  },
  // Ansible checks this in the module's code ("No key specified when adding a host")
  requiredIf: [['state', 'present', ['key']]],
  returns: {
    name: 'the host, lowercased',
    key: 'the key line written (hashed with hash_host)',
    path: 'the known_hosts file',
    hash_host: 'whether the host was hashed',
    state: 'present or absent',
  },
  examples: `
- known_hosts:
    name: git.internal
    key: "git.internal ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI..."
- known_hosts: { name: "[db.internal]:2222", key: "{{ lookup('file', 'db.pub') }}", hash_host: true }
- known_hosts: { name: old.internal, state: absent }
`,
  async plan(p, ctx): Promise<Plan> {
    const host = p.name.toLowerCase()
    let key = p.key
    if (key && p.hash_host) key = hashHostKey(host, key)
    if (key && !key.endsWith('\n')) key += '\n'
    if (key) {
      if (/\S+(\s+)?,(\s+)?/.test(host))
        throw new ModuleFailure('Comma separated list of names is not supported. Please pass a single name to lookup in the known_hosts file.')
      if (findHost(key, host).length === 0) throw new ModuleFailure('Host parameter does not match hashed host field in supplied key')
    }
    // a leading ~ comes expanded on the host (schema.ts, expandPathArgs)
    const path = p.path
    const data: Record<string, unknown> = { name: host, key: key ?? null, path, hash_host: p.hash_host, state: p.state }
    const c = await readContent(ctx, path)
    if (c === 'unknown') return { kind: 'change', changes: [{ summary: `would change ${path} (depends on an earlier change)`, commands: [] }], data }
    if (c.stat.exists && c.stat.type !== 'file') throw new ModuleFailure(`${path} is not a regular file (${c.stat.type})`)
    const s = searchHostKey(c.text, host, key)
    const changed = s.replaceOrAdd || (p.state === 'present') !== s.found
    if (!changed || (p.state === 'absent' && !s.foundLine && key)) {
      const why = p.state === 'present' ? `${host} has this key in ${path}` : `${path} has no ${key ? 'such key for ' : 'entry for '}${host}`
      return { kind: 'ok', reason: why, data }
    }
    if (p.state === 'absent' && !key) {
      // as Ansible: ssh-keygen -R (which keeps the old file as PATH.old)
      const next = removeHost(c.text!, host)
      return {
        kind: 'change',
        changes: [
          {
            summary: `remove every entry for ${host} from ${path} (ssh-keygen -R)`,
            commands: [{ argv: ['ssh-keygen', '-R', host, '-f', path] }],
            diff: { path, before: c.text!, after: next },
            effects: fileEffects(path, { ...c.stat, size: Buffer.byteLength(next), sha256: sha256(next) }, next),
          },
        ],
        data,
      }
    }
    const next = rewrite(c.text, s, p.state as 'present' | 'absent', key)
    const stats = { user: c.user, group: c.group, get: () => c.stat }
    const plan = await planWrite(
      ctx,
      { dest: path, content: Buffer.from(next), want: {}, before: c.text === undefined ? undefined : Buffer.from(c.text) },
      stats,
    )
    if (plan.kind === 'ok') return { kind: 'ok', reason: `${host} has this key in ${path}`, data }
    const what =
      p.state === 'absent'
        ? `remove the ${s.foundLine ? `key on line ${s.foundLine}` : 'key'} of ${host}`
        : s.foundLine
          ? `replace the key of ${host} (line ${s.foundLine})`
          : `add a key for ${host}`
    return { kind: 'change', changes: plan.changes.map((ch) => (ch.upload ? { ...ch, summary: `${what} in ${path}` } : ch)), data }
  },
})
