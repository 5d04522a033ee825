/**
 * postgres_hba: one rule of pg_hba.conf (community.postgresql's postgresql_pg_hba), edited in place:
 * the rule matching contype+databases+users+source gets the wanted method/options; every other line
 * stays as it was (no re-sorting, comments kept). A new rule goes before the first rule that would
 * shadow it, else at the end. The file is written atomically (owner and mode kept) and the module
 * reloads PostgreSQL itself (SELECT pg_reload_conf()) in the same plan when the file changed.
 *
 * Effects: `postgres.hba` key=<dest, or "(server hba_file)" when dest is omitted, and the resolved
 * path> -> the file after the change.
 */
import { ModuleFailure } from '../../engine/errors.js'
import { pgHbaFact, type HbaFile } from '../facts/postgres.js'
import type { PathStat } from '../facts/path.js'
import { attrWant, planAttrs } from '../files/attrs.js'
import { fileCommonParams } from '../files/common-args.js'
import { fmtMode, resolveMode } from '../files/mode.js'
import { notYet } from '../schema.js'
import { defineModule, type Change, type Plan } from '../types.js'
import { editHba, normalizeAddress, type HbaRule } from './hba-file.js'
import { loginOf, loginParams, planOrDefer } from './login.js'
import { psql } from './sql.js'

const HOST_TYPES = ['host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc'] as const
const METHODS = ['trust', 'reject', 'md5', 'password', 'scram-sha-256', 'gss', 'sspi', 'ident', 'peer', 'pam', 'ldap', 'radius', 'cert'] as const
// pg_hba.conf tokens are unquoted here: anything that would split a token, start a comment or need quoting is refused.
const TOKEN = /^[A-Za-z0-9_.$+@/:=*-]+$/

function checkToken(arg: string, v: string): void {
  if (!TOKEN.test(v))
    throw new ModuleFailure(`argument '${arg}': ${JSON.stringify(v)} cannot be written to pg_hba.conf (allowed: letters, digits and _ . $ + @ / : = * -)`)
}

export const postgresHba = defineModule({
  name: 'postgres_hba',
  aliases: ['postgresql_pg_hba'],
  summary: 'Add, change or remove one rule in pg_hba.conf, then reload PostgreSQL',
  description: 'Reloads the server itself (pg_reload_conf) when the file changed; no handler needed.',
  params: {
    dest: { type: 'path', description: "pg_hba.conf to edit; default: the running server's (SHOW hba_file)." },
    contype: {
      type: 'str',
      default: 'host',
      choices: ['local', ...HOST_TYPES],
      description: 'Connection type.',
    },
    databases: { type: 'list', elements: 'str', default: ['all'], description: 'Database names (comma string or list): all, sameuser, replication, names.' },
    users: { type: 'list', elements: 'str', default: ['all'], description: 'Role names (comma string or list): all, +group, names.' },
    source: {
      type: 'str',
      aliases: ['address', 'src'],
      description:
        'Client address: CIDR (10.231.0.0/16), an address with netmask, a host name, all, samehost, samenet. Required for host types; not for local.',
    },
    netmask: { type: 'str', description: 'Netmask for a source given as a bare IP address (255.255.0.0).' },
    method: { type: 'str', default: 'md5', choices: METHODS, description: 'Authentication method.' },
    options: { type: 'str', description: 'Method options, space separated name=value pairs.' },
    state: {
      type: 'str',
      default: 'present',
      choices: ['present', 'absent'],
      description: 'present: the rule exists with this method/options; absent: it is removed.',
    },
    create: { type: 'bool', default: false, description: 'Create dest when it does not exist (owner postgres, mode 0640).' },
    backup: { type: 'bool', default: false, description: 'Copy the file to <dest>.<timestamp>~ before changing it.' },
    ...fileCommonParams,
    comment: notYet({ type: 'str' }, 'A comment appended to the rule line.', 'rule comments are not written yet'),
    keep_comments_at_rules: notYet({ type: 'bool', default: false }, 'Keep comments at the end of rule lines.', 'rule comments are not written yet'),
    rules: notYet({ type: 'list', elements: 'dict' }, 'Several rules in one task.', 'give one rule per task'),
    rules_behavior: notYet(
      { type: 'str', default: 'conflict', choices: ['combine', 'conflict'] },
      'How rules combine with the single-rule arguments.',
      'give one rule per task',
    ),
    overwrite: notYet({ type: 'bool', default: false }, 'Replace the whole file with the rules given.', 'rules are edited in place'),
    order: notYet({ type: 'str', default: 'sdu' }, 'The sort order of the rules (deprecated in community.postgresql).', 'rules are kept where they are'),
    backup_file: notYet({ type: 'str' }, 'The name of the backup file.', 'the backup is named <dest>.<timestamp>~'),
    ...loginParams,
  },
  requiredIf: HOST_TYPES.map((t) => ['contype', t, ['source']] as const),
  returns: { dest: 'the file edited', backup_file: 'the backup copy, when backup=true and the file changed' },
  examples: `- name: Airflow hosts may log in to the airflow database with a password
  community.postgresql.postgresql_pg_hba:
    contype: host
    databases: airflow
    users: airflow
    source: 10.231.0.0/16
    method: scram-sha-256
`,
  async plan(p, ctx): Promise<Plan> {
    const local = p.contype === 'local'
    if (local && (p.source !== undefined || p.netmask !== undefined))
      throw new ModuleFailure(`argument 'source' (and 'netmask') must not be given for contype=local`)
    if (p.netmask !== undefined && p.source!.includes('/')) throw new ModuleFailure(`arguments 'source' (a CIDR) and 'netmask' conflict: give one of them`)
    if (!p.databases.length || !p.users.length) throw new ModuleFailure(`arguments 'databases' and 'users' must not be empty`)
    for (const d of p.databases) checkToken('databases', d)
    for (const u of p.users) checkToken('users', u)
    if (p.source !== undefined) checkToken('source', p.source)
    if (p.netmask !== undefined) checkToken('netmask', p.netmask)
    const options = (p.options ?? '').split(/\s+/).filter(Boolean)
    for (const o of options)
      if (!o.includes('=') || !TOKEN.test(o)) throw new ModuleFailure(`argument 'options': ${JSON.stringify(o)} is not a name=value pair pg_hba.conf can hold`)
    const rule: HbaRule = {
      type: p.contype,
      databases: p.databases,
      users: p.users,
      address: local ? undefined : normalizeAddress(p.source!, p.netmask),
      method: p.method,
      options,
    }
    const want = attrWant(p)
    const login = loginOf(p)
    const what = `${p.contype} ${p.databases.join(',')} ${p.users.join(',')}${p.source ? ` ${p.source}` : ''}`

    return planOrDefer(ctx.check, `pg_hba rule ${what}`, async () => {
      const file = await ctx.fact(pgHbaFact, login, p.dest)
      if (!file.exists && !p.create && p.state === 'present') throw new ModuleFailure(`${file.path} does not exist (set create: true to create it)`)
      const edit = editHba(file.content, rule, p.state as 'present' | 'absent')
      const data: Record<string, unknown> = { dest: file.path }
      const st: PathStat = { exists: file.exists, type: 'file', mode: file.mode, owner: file.owner, group: file.group }
      if (edit.action === 'unchanged' && file.exists) {
        const attrs = planAttrs(file.path, st, want)
        if (attrs.commands.length) {
          const after: HbaFile = { ...file, owner: attrs.owner, group: attrs.group, mode: attrs.mode }
          const keys = [...new Set([pgHbaFact.key!(login, p.dest), file.path])]
          return {
            kind: 'change',
            data,
            changes: [
              {
                summary: `set ${Object.keys(attrs.attrs).join(', ')} of ${file.path}`,
                commands: attrs.commands,
                diff: { path: file.path, before: '', after: '', attrs: attrs.attrs },
                effects: keys.map((key) => ({ fact: pgHbaFact.name, key, value: after })),
              },
            ],
          }
        }
      }
      if (edit.action === 'unchanged') {
        const reason =
          p.state === 'absent'
            ? `${file.path} has no rule ${what}`
            : `${file.path} has rule ${what} ${p.method}${options.length ? ` ${options.join(' ')}` : ''}`
        return { kind: 'ok', reason, data }
      }
      const attrs = file.exists ? planAttrs(file.path, st, want) : undefined
      const created = {
        owner: want.owner ?? 'postgres',
        group: want.group ?? 'postgres',
        mode: want.mode ? fmtMode(resolveMode(want.mode, 0o640, false)) : '0640',
      }
      const owned = file.exists ? { owner: attrs!.owner, group: attrs!.group, mode: attrs!.mode } : created
      const after: HbaFile = { ...file, exists: true, content: edit.content, ...owned }
      const keys = [...new Set([pgHbaFact.key!(login, p.dest), file.path])]
      const changes: Change[] = []
      if (p.backup && file.exists) {
        data.backup_file = `${file.path}.${new Date().toISOString().replace(/[:.]/g, '-')}~`
        changes.push({
          summary: `back up ${file.path} to ${data.backup_file}`,
          commands: [{ argv: ['cp', '-p', '--', file.path, data.backup_file as string] }],
        })
      }
      changes.push({
        summary: `${edit.action === 'inserted' ? 'add' : edit.action === 'replaced' ? 'change' : 'remove'} rule ${what}${p.state === 'present' ? ` ${p.method}` : ''} in ${file.path}; reload PostgreSQL`,
        upload: { content: edit.content, dest: file.path, ...(file.exists ? (attrs!.commands.length ? owned : {}) : created) },
        commands: [psql(login, 'SELECT pg_reload_conf();')],
        diff: { path: file.path, before: file.content, after: edit.content },
        effects: keys.map((key) => ({ fact: pgHbaFact.name, key, value: after })),
      })
      return { kind: 'change', changes, data }
    })
  },
})
