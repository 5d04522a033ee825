/**
 * authorized_key (ansible.posix): SSH keys in a user's authorized_keys, with Ansible's rules for
 * what counts as the same key (the base64 key; its type, options and comment must match for
 * state=present) and its file format (ssh/authorized-keys-file.ts). A key given as an http(s) URL
 * is fetched on the host (curl), in plan, so check mode sees it too.
 *
 * On a write, as Ansible: the key directory (with manage_dir) is made 0700 and owned by the user,
 * the file 0600 and owned by the user. Two reads: the account, then the file (through symlinks with
 * follow). Effects: path.stat + path.content of the file, path.stat of the directory.
 */
import { dirname } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { userInfo } from './facts/user.js'
import type { PathStat } from './facts/path.js'
import { readFollowing } from './files/edit.js'
import type { Stats } from './files/stat.js'
import { planWrite } from './files/write.js'
import { merge, parseFile, serialize } from './ssh/authorized-keys-file.js'
import { defineModule, shScript, type Change, type ModuleContext, type Plan } from './types.js'

async function fetchKey(ctx: ModuleContext, url: string, validateCerts: boolean): Promise<string> {
  const out = await ctx.run({ argv: ['curl', '-fsSL', '--max-time', '30', ...(validateCerts ? [] : ['-k']), '--', url] })
  if (out.rc !== 0) throw new ModuleFailure(`Error getting key from: ${url}${out.stderr.trim() ? ` (${out.stderr.trim()})` : ''}`)
  return out.stdout
}

export const authorizedKey = defineModule({
  name: 'authorized_key',
  summary: 'Adds or removes an SSH authorized key',
  description:
    'Keys in ~USER/.ssh/authorized_keys (or path). A key matches an existing line by its base64 part; with state=present its type, ' +
    'options (key_options) and comment must match too, else the line is replaced (and moves to the end, as in Ansible). ' +
    'exclusive removes every other line. Lines are written as Ansible writes them ("OPTIONS TYPE KEY COMMENT").',
  params: {
    user: { type: 'str', required: true, description: 'The user whose authorized_keys file is edited (it must exist, unless path is given in check mode).' },
    key: { type: 'str', required: true, description: 'The public key line(s), or an http(s) URL to fetch them from (on the host).' },
    path: { type: 'path', description: 'The authorized_keys file (default ~USER/.ssh/authorized_keys).' },
    manage_dir: { type: 'bool', default: true, description: "On a write, create the key file's directory and make it 0700, owned by the user." },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'], description: 'Whether the key(s) should be there.' },
    key_options: { type: 'str', description: 'Options for the key(s), e.g. \'no-port-forwarding,from="10.0.0.1"\' (replace those in the key line).' },
    exclusive: { type: 'bool', default: false, description: 'Remove every other line of the file (state=present).' },
    comment: { type: 'str', description: 'The comment of the key(s), replacing the one in the key line.' },
    validate_certs: { type: 'bool', default: true, description: 'Verify the TLS certificate when key is an https URL.' },
    follow: { type: 'bool', default: false, description: 'Write through a symlinked key file instead of replacing the link.' },
  },
  returns: {
    user: 'the user',
    key: 'the key(s) asked for',
    keyfile: 'the file edited',
    key_options: 'the key options',
    exclusive: 'whether other lines were removed',
    manage_dir: 'whether the directory is managed',
    state: 'present or absent',
  },
  examples: `
- ansible.posix.authorized_key:
    user: deploy
    key: "{{ lookup('file', 'deploy.pub') }}"
- ansible.posix.authorized_key:
    user: backup
    key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI... backup@vault
    key_options: 'from="10.231.0.0/16",no-pty,command="/usr/local/bin/backup"'
    exclusive: true
`,
  async plan(p, ctx): Promise<Plan> {
    const data: Record<string, unknown> = {
      user: p.user,
      key: p.key,
      path: p.path ?? null,
      manage_dir: p.manage_dir,
      state: p.state,
      key_options: p.key_options ?? null,
      exclusive: p.exclusive,
      comment: p.comment ?? null,
      validate_certs: p.validate_certs,
      follow: p.follow,
    }
    const keys = p.key.startsWith('http') ? await fetchKey(ctx, p.key, p.validate_certs) : p.key
    const u = await ctx.fact(userInfo, p.user)
    if (!u.exists) {
      if (ctx.check && p.path === undefined) throw new ModuleFailure('Either user must exist or you must provide full path to key file in check mode')
      if (!ctx.check) throw new ModuleFailure(`Failed to lookup user ${p.user}: "getpwnam(): name not found: '${p.user}'"`)
    }
    const keyfile = p.path ?? `${u.home}/.ssh/authorized_keys`
    data.keyfile = keyfile
    // Ansible reads through a symlink always; it writes through it only with follow
    const read = await readFollowing(ctx, keyfile)
    if (read === 'unknown') return { kind: 'change', changes: [{ summary: `would change ${keyfile} (depends on an earlier change)`, commands: [] }], data }
    const before = read.content.stat.type === 'file' ? (read.content.text ?? '') : ''
    let result: ReturnType<typeof merge>
    try {
      result = merge(parseFile(before), { keys, state: p.state as 'present' | 'absent', keyOptions: p.key_options, comment: p.comment, exclusive: p.exclusive })
    } catch (e) {
      throw new ModuleFailure((e as Error).message)
    }
    const what = p.state === 'present' ? 'present' : 'absent'
    if (!result.changed) return { kind: 'ok', reason: `the key(s) are ${what} in ${keyfile}`, data }

    const dest = p.follow ? read.path : keyfile
    const owner = p.user
    const group = u.group ?? p.user
    // without follow a symlink is replaced by the file (Ansible's atomic_move renames over it)
    const st: PathStat = p.follow ? read.content.stat : read.first.type === 'link' ? { exists: false } : read.first
    const changes: Change[] = []
    const sshdir = dirname(keyfile)
    if (p.manage_dir) {
      changes.push({
        summary: `ensure ${sshdir} (0700, owned by ${owner})`,
        // mkdir without -p: as Ansible, a missing home is an error, not something to create
        commands: [shScript('[ -d "$1" ] || mkdir -m 0700 -- "$1" && chown -- "$2" "$1" && chmod 0700 -- "$1"', sshdir, `${owner}:${group}`)],
        effects: [{ fact: 'path.stat', key: sshdir, value: { exists: true, type: 'directory', mode: '0700', owner, group } satisfies PathStat }],
      })
    }
    if (!st.exists && dirname(dest) !== sshdir)
      changes.push({ summary: `ensure directory ${dirname(dest)}`, commands: [{ argv: ['mkdir', '-p', '--', dirname(dest)] }] })
    const next = serialize(result.entries)
    // the key file is always the user's and 0600 after a write, as Ansible chowns and chmods it
    const stats: Stats = { user: read.content.user, group: read.content.group, get: () => st }
    const w = await planWrite(
      ctx,
      { dest, content: Buffer.from(next), want: { owner, group, mode: { kind: 'octal', bits: 0o600, text: '0600' } }, before: Buffer.from(before) },
      stats,
    )
    if (w.kind === 'change')
      changes.push(...w.changes.map((ch) => (ch.upload ? { ...ch, summary: `${p.state === 'present' ? 'add' : 'remove'} key(s) in ${dest}` } : ch)))
    return { kind: 'change', changes, data }
  },
})
