/**
 * htpasswd (community.general.htpasswd): one user's line in an Apache/nginx password file, with the
 * rules of community.general 6.6's module and the passlib it runs on (htpasswd/file.ts): the
 * password is checked against the stored hash with that hash's own salt (on the controller: the
 * password never reaches the host except inside the new hash), a user is added at the end or
 * updated in place, comments are kept.
 *
 * Ansible's counts are kept where they differ from what is done: blank lines are dropped from the
 * file without a change being reported, and owner/group/mode are applied but never reported
 * changed (the module discards that result). Hashes: apr_md5_crypt (the default), md5_crypt,
 * sha256_crypt, sha512_crypt, ldap_sha1, plaintext; a stored bcrypt hash is checked, a des_crypt
 * one cannot be and fails the task, naming the user.
 */
import { dirname } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { CRYPT_SCHEMES, cryptHash } from '../engine/crypt.js'
import { attrWant } from './files/attrs.js'
import { fileCommonParams } from './files/common-args.js'
import { readForEdit, type EditTarget } from './files/edit.js'
import type { Stats } from './files/stat.js'
import { planWrite } from './files/write.js'
import { HtpasswdText, passwordMatches, withoutBlankLines } from './htpasswd/file.js'
import { defineModule, type Change, type Plan } from './types.js'

export const htpasswd = defineModule({
  name: 'htpasswd',
  aliases: ['community.general.htpasswd'],
  summary: 'Manage user files for basic authentication',
  description:
    "Adds a user to an htpasswd file, or updates the user's password when it does not match the stored hash, or removes the " +
    'user. The password is checked on the controller against the stored hash; the file is written atomically and shown in ' +
    'no diff (it holds password hashes).',
  params: {
    path: {
      type: 'path',
      required: true,
      aliases: ['dest', 'destfile'],
      description: 'Path to the file (created with its directories unless create is false).',
    },
    name: { type: 'str', required: true, aliases: ['username'], description: 'The user.' },
    password: { type: 'str', secret: true, description: 'The password (required with state=present).' },
    crypt_scheme: {
      type: 'str',
      default: 'apr_md5_crypt',
      description: `How a new password is hashed: ${CRYPT_SCHEMES.join(', ')}.`,
    },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: 'Whether the user should be in the file.' },
    create: { type: 'bool', default: true, description: 'Create a missing file (with state=present); false fails instead.' },
    ...fileCommonParams,
  },
  returns: { msg: "what was done, in Ansible's words ('Add/update bob', 'bob already present', ...)" },
  examples: `
- community.general.htpasswd:
    path: /etc/nginx/htpasswd
    name: admin
    password: "{{ admin_password }}"
    owner: root
    group: www-data
    mode: "0640"
`,
  async plan(p, ctx): Promise<Plan> {
    const want = attrWant(p)
    if (!p.path.startsWith('/')) throw new ModuleFailure(`argument 'path' must be an absolute path, got ${JSON.stringify(p.path)}`)
    if (/[:\n\r]/.test(p.name) || p.name === '')
      throw new ModuleFailure(`invalid user name ${JSON.stringify(p.name)}: it may not be empty or contain ':' or a newline`)
    const present = p.state === 'present'
    if (present && p.password === undefined) throw new ModuleFailure('password is required with state=present')
    if (present && !(CRYPT_SCHEMES as readonly string[]).includes(p.crypt_scheme))
      throw new ModuleFailure(`crypt_scheme ${JSON.stringify(p.crypt_scheme)} is not supported by acplay (${CRYPT_SCHEMES.join(', ')} are)`)

    const read = await readForEdit(ctx, p.path)
    if ('kind' in read) return read
    const target: EditTarget = read
    const { stat, text } = target.content
    const ok = (msg: string, extra: Record<string, unknown> = {}): Plan => ({ kind: 'ok', reason: msg, data: { msg, ...extra } })

    if (!stat.exists) {
      if (!present) return ok(`${p.name} not present`, { warnings: [`${p.path} does not exist`] })
      if (!p.create) throw new ModuleFailure(`Destination ${p.path} does not exist`)
      const file = new HtpasswdText('')
      file.set(p.name, cryptHash(p.crypt_scheme, p.password!)!)
      const mkdir: Change = { summary: `ensure directory ${dirname(target.path)}`, commands: [{ argv: ['mkdir', '-p', '--', dirname(target.path)] }] }
      return write(`Created ${p.path} and added ${p.name}`, file.render(), true, [mkdir])
    }

    const stripped = withoutBlankLines(text!)
    let file: HtpasswdText
    try {
      file = new HtpasswdText(stripped)
    } catch (e) {
      throw new ModuleFailure((e as Error).message)
    }
    if (present) {
      const stored = file.get(p.name)
      if (stored !== undefined && passwordMatches(p.password!, stored, p.crypt_scheme, p.name)) return write(`${p.name} already present`, stripped, false)
      file.set(p.name, cryptHash(p.crypt_scheme, p.password!)!)
      return write(`Add/update ${p.name}`, file.render(), true)
    }
    if (!file.delete(p.name)) return write(`${p.name} not present`, stripped, false)
    return write(`Remove ${p.name}`, file.render(), true)

    /** Writes `next` (with the wanted attributes); only `changed` is what Ansible reports as a change. */
    async function write(msg: string, next: string, changed: boolean, pre: Change[] = []): Promise<Plan> {
      const c = target.content
      const stats: Stats = { user: c.user, group: c.group, get: (x) => (x === target.path ? c.stat : { exists: false }) }
      const plan = await planWrite(ctx, { dest: target.path, content: Buffer.from(next), want, secret: true }, stats)
      if (plan.kind === 'ok') return ok(msg)
      const changes = [...pre, ...plan.changes].map((ch) => (changed ? ch : { ...ch, unchanged: true }))
      return { kind: 'change', changes, data: { msg } }
    }
  },
})
