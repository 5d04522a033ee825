/**
 * postgres_user: a PostgreSQL role with attributes and a password, as community.postgresql's
 * postgresql_user (without its db/priv grant options: use a dedicated grant task).
 *
 * The password is compared without being printed or sent: the role fact reads rolpassword (a
 * SCRAM verifier or md5 hash) and password.ts checks the wanted password against it; a new
 * password is hashed here and only the verifier travels (on psql's stdin).
 *
 * Effects: `postgres.role` key=<name> -> the RoleFact after the change (exists, attributes, conn
 * limit, valid-until, and the new verifier), so a later postgres_user/postgres_db in check mode
 * sees the role.
 */
import { ModuleFailure } from '../../engine/errors.js'
import { pgRoleFact, type RoleFact, type RoleState } from '../facts/postgres.js'
import type { Change, Plan } from '../types.js'
import { notYet } from '../schema.js'
import { defineModule } from '../types.js'
import { loginOf, loginParams, planOrDefer } from './login.js'
import { passwordMatches, passwordToStore } from './password.js'
import { flagChanges, flagSql, newRoleAttrs, parseFlags } from './role-flags.js'
import { psql, quoteIdent, quoteLiteral } from './sql.js'

export const postgresUser = defineModule({
  name: 'postgres_user',
  aliases: ['postgresql_user'],
  summary: 'Create, alter or drop a PostgreSQL role (attributes, password, expiry, connection limit)',
  description:
    'psql runs on the host as the OS user postgres (runuser as root, sudo -n otherwise); SQL goes on stdin, never argv. ' +
    'Passwords are compared against the stored SCRAM/md5 verifier and never appear in output, diffs or argv. ' +
    'The db and priv options of community.postgresql are not supported.',
  params: {
    name: { type: 'str', required: true, aliases: ['user'], description: 'Role name (any characters; quoted as one identifier).' },
    password: { type: 'str', secret: true, description: 'Plain password, or a hash: md5<32 hex> or SCRAM-SHA-256$... . Empty string removes the password.' },
    update_password: {
      type: 'str',
      default: 'always',
      choices: ['always', 'on_create'],
      description: 'on_create: only set the password when the role is created.',
    },
    encrypted: { type: 'bool', default: true, description: 'Accepted for compatibility; PostgreSQL 10+ always stores a hash (per password_encryption).' },
    role_attr_flags: {
      type: 'list',
      elements: 'str',
      default: [],
      description: 'Comma string or list of [NO]SUPERUSER, [NO]CREATEROLE, [NO]CREATEDB, [NO]INHERIT, [NO]LOGIN, [NO]REPLICATION, [NO]BYPASSRLS.',
    },
    expires: { type: 'str', description: "VALID UNTIL timestamp ('2030-01-01', 'infinity')." },
    conn_limit: { type: 'int', description: 'CONNECTION LIMIT (-1: no limit).' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: 'present: the role exists as described; absent: it is dropped.' },
    comment: { type: 'str', description: 'COMMENT ON ROLE (an empty string removes it).' },
    no_password_changes: {
      type: 'bool',
      default: false,
      description: "An existing role's password, expiry and connection limit are left alone (role_attr_flags still apply), as community.postgresql.",
    },
    fail_on_user: notYet(
      { type: 'bool', default: true, aliases: ['fail_on_role'] },
      'Fail when the role cannot be removed.',
      'a role that cannot be dropped always fails the task',
    ),
    groups: notYet({ type: 'list', elements: 'str' }, 'Roles to grant this role (deprecated in community.postgresql).', 'use a dedicated grant task'),
    priv: notYet({ type: 'str' }, 'Privileges to grant (deprecated in community.postgresql).', 'use a dedicated grant task'),
    ...loginParams,
    login_db: {
      ...loginParams.login_db,
      aliases: [...loginParams.login_db.aliases, 'db'],
      description: 'Database to connect to (default postgres); `db` as in community.postgresql.',
    },
  },
  returns: { user: 'the role name', state: 'present or absent' },
  examples: `- name: The airflow database role exists with its password
  community.postgresql.postgresql_user:
    name: airflow
    password: "{{ airflow_db_password }}"
    role_attr_flags: LOGIN,NOCREATEDB
`,
  async plan(p, ctx): Promise<Plan> {
    const want = parseFlags(p.role_attr_flags)
    if (p.conn_limit !== undefined && p.conn_limit < -1) throw new ModuleFailure(`argument 'conn_limit' must be -1 or more, got ${p.conn_limit}`)
    if (p.state === 'absent' && (p.password !== undefined || p.role_attr_flags.length || p.expires || p.conn_limit !== undefined || p.comment !== undefined)) {
      throw new ModuleFailure(`state=absent takes no password, role_attr_flags, expires, conn_limit or comment`)
    }
    const login = loginOf(p)
    const data = { user: p.name, state: p.state }
    return planOrDefer(ctx.check, `role ${p.name}`, async () => {
      const fact = await ctx.fact(pgRoleFact, login, p.name, p.expires)
      const role = fact.role
      const q = quoteIdent(p.name)
      if (p.state === 'absent') {
        if (!role.exists) return { kind: 'ok', reason: `role ${p.name} does not exist`, data }
        const effects = [{ fact: pgRoleFact.name, key: p.name, value: { ...fact, role: { exists: false } } }]
        return { kind: 'change', data, changes: [{ summary: `drop role ${p.name}`, commands: [psql(login, `DROP ROLE ${q};`)], effects }] }
      }
      // The server's reading of `expires` (from the fact); an effect recorded for another input cannot tell.
      const expiresEpoch = p.expires === undefined ? undefined : fact.expires?.input === p.expires ? fact.expires.epoch : null
      // no_password_changes: an existing role keeps its password, expiry and connection limit
      const keep = role.exists && p.no_password_changes
      const setPassword =
        !keep && p.password !== undefined && (!role.exists || p.update_password === 'always') && !passwordMatches(role.password ?? null, p.password, p.name)
      const stored = setPassword ? (p.password === '' ? null : passwordToStore(p.password!, p.name, fact.encryption)) : (role.password ?? null)
      const passwordSql = stored === null ? 'PASSWORD NULL' : `PASSWORD ${quoteLiteral(stored)}`
      const extra = (connLimit: boolean, expires: boolean) => [
        ...(connLimit && p.conn_limit !== undefined ? [`CONNECTION LIMIT ${p.conn_limit}`] : []),
        ...(expires && p.expires !== undefined ? [`VALID UNTIL ${quoteLiteral(p.expires)}`] : []),
      ]
      const after = (patch: Partial<RoleState>): RoleFact => {
        const next: RoleState = { ...role, ...patch, exists: true }
        if (p.expires !== undefined && expiresEpoch) next.validUntil = expiresEpoch
        return { ...fact, role: next, expires: p.expires !== undefined && expiresEpoch ? { input: p.expires, epoch: expiresEpoch } : fact.expires }
      }

      if (!role.exists) {
        const attrs = newRoleAttrs(want)
        const sql = [...flagSql({ login: true, ...want }), ...extra(true, true), ...(p.password !== undefined ? [passwordSql] : [])]
        const value = after({
          attrs,
          connLimit: p.conn_limit ?? -1,
          password: p.password !== undefined ? stored : null,
          validUntil: null,
          comment: p.comment || null,
        })
        const comment = p.comment ? `\nCOMMENT ON ROLE ${q} IS ${quoteLiteral(p.comment)};` : ''
        const summary = `create role ${p.name} (${[...flagSql({ login: true, ...want }), ...extra(true, true), ...(p.password ? ['with password'] : [])].join(' ')})`
        return {
          kind: 'change',
          data,
          changes: [
            { summary, commands: [psql(login, `CREATE ROLE ${q} WITH ${sql.join(' ')};${comment}`)], effects: [{ fact: pgRoleFact.name, key: p.name, value }] },
          ],
        }
      }

      const changes: Change[] = []
      const flags = flagChanges(want, role.attrs!)
      const connLimit = !keep && p.conn_limit !== undefined && p.conn_limit !== role.connLimit
      const expires = !keep && p.expires !== undefined && expiresEpoch !== role.validUntil
      const alter = [...flagSql(flags), ...extra(connLimit, expires)]
      if (alter.length) {
        const value = after({ attrs: { ...role.attrs!, ...flags }, connLimit: connLimit ? p.conn_limit : role.connLimit })
        changes.push({
          summary: `alter role ${p.name}: ${alter.join(' ')}`,
          commands: [psql(login, `ALTER ROLE ${q} WITH ${alter.join(' ')};`)],
          effects: [{ fact: pgRoleFact.name, key: p.name, value }],
        })
      }
      if (setPassword) {
        const value = after({ attrs: { ...role.attrs!, ...flags }, connLimit: connLimit ? p.conn_limit : role.connLimit, password: stored })
        const summary = stored === null ? `remove password of role ${p.name}` : `set password of role ${p.name}`
        changes.push({ summary, commands: [psql(login, `ALTER ROLE ${q} WITH ${passwordSql};`)], effects: [{ fact: pgRoleFact.name, key: p.name, value }] })
      }
      if (p.comment !== undefined && p.comment !== (role.comment ?? '')) {
        const value = after({ comment: p.comment || null })
        changes.push({
          summary: `comment on role ${p.name}: ${JSON.stringify(p.comment)}`,
          commands: [psql(login, `COMMENT ON ROLE ${q} IS ${p.comment ? quoteLiteral(p.comment) : 'NULL'};`)],
          effects: [{ fact: pgRoleFact.name, key: p.name, value }],
        })
      }
      if (changes.length) return { kind: 'change', data, changes }
      const pw = p.password === undefined ? '' : p.update_password === 'on_create' ? ' (password left as it is: update_password=on_create)' : ' and password'
      return { kind: 'ok', reason: `role ${p.name} exists with the requested attributes${pw}`, data }
    })
  },
})
