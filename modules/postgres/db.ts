/**
 * postgres_db: a PostgreSQL database with an owner, encoding and locale, as community.postgresql's
 * postgresql_db (present/absent). An existing database gets a new owner with ALTER DATABASE ...
 * OWNER TO (changed, not a failure); encoding and locale cannot change after creation, so asking
 * for different ones fails with a message instead of dropping data.
 *
 * Effects: `postgres.db` key=<name> -> the DbFact after the change (exists, owner, encoding, locale).
 * Reads `postgres.role` effects: in check mode an owner created by an earlier (unapplied) task counts.
 */
import { ModuleFailure } from '../../engine/errors.js'
import { pgDbFact, pgRoleFact, type DbFact, type DbState, type RoleFact } from '../facts/postgres.js'
import { notYet } from '../schema.js'
import { defineModule, type Change, type Plan } from '../types.js'
import { loginOf, loginParams, planOrDefer } from './login.js'
import { psql, quoteIdent, quoteLiteral, sqlError } from './sql.js'

/** PostgreSQL accepts encodings case-insensitively and with or without _ / -: compare them that way. */
const normEncoding = (e: string) => e.toUpperCase().replace(/[-_]/g, '')

export const postgresDb = defineModule({
  name: 'postgres_db',
  aliases: ['postgresql_db'],
  summary: 'Create, re-own or drop a PostgreSQL database',
  description: 'CREATE DATABASE runs outside a transaction block (psql autocommit). psql runs as the OS user postgres; SQL goes on stdin.',
  params: {
    name: { type: 'str', required: true, aliases: ['db'], description: 'Database name (any characters; quoted as one identifier).' },
    owner: { type: 'str', description: 'Role that owns the database; changed with ALTER DATABASE when it differs.' },
    encoding: { type: 'str', description: 'Encoding for a new database (UTF8). Cannot change later.' },
    lc_collate: { type: 'str', description: 'LC_COLLATE for a new database. Cannot change later.' },
    lc_ctype: { type: 'str', description: 'LC_CTYPE for a new database. Cannot change later.' },
    template: { type: 'str', description: 'Template database for a new database (template0 to choose another encoding/locale).' },
    state: {
      type: 'str',
      default: 'present',
      choices: ['present', 'absent', 'dump', 'restore', 'rename'],
      description: 'present: the database exists; absent: it is dropped (DROP DATABASE). dump, restore and rename are not supported yet.',
    },
    conn_limit: { type: 'str', description: 'CONNECTION LIMIT of the database (-1: none); changed with ALTER DATABASE.' },
    tablespace: { type: 'str', description: 'The default tablespace; an existing database is moved with ALTER DATABASE ... SET TABLESPACE.' },
    force: { type: 'bool', default: false, description: 'With state=absent: drop even with open connections (DROP DATABASE ... WITH (FORCE)).' },
    target: notYet({ type: 'path' }, 'The dump file of state=dump/restore.', 'dump and restore are not supported yet'),
    target_opts: notYet({ type: 'str' }, 'Options for pg_dump/pg_restore.', 'dump and restore are not supported yet'),
    dump_extra_args: notYet({ type: 'str' }, 'More pg_dump arguments.', 'dump and restore are not supported yet'),
    ...loginParams,
  },
  returns: { db: 'the database name', state: 'present or absent' },
  examples: `- name: The airflow database exists, owned by the airflow role
  community.postgresql.postgresql_db:
    name: airflow
    owner: airflow
    encoding: UTF8
    template: template0
`,
  async plan(p, ctx): Promise<Plan> {
    if (p.state === 'dump' || p.state === 'restore' || p.state === 'rename') throw new ModuleFailure(`state=${p.state} is not supported yet`)
    // state=absent ignores owner, encoding, lc_*, template... as community.postgresql does: roles
    // (geerlingguy.postgresql) pass them for every database, with defaults
    if (p.conn_limit !== undefined && !/^-?\d+$/.test(p.conn_limit))
      throw new ModuleFailure(`argument 'conn_limit' must be an integer, got ${JSON.stringify(p.conn_limit)}`)
    const connLimit = p.conn_limit === undefined ? undefined : Number(p.conn_limit)
    const login = loginOf(p)
    const data = { db: p.name, state: p.state }
    const q = quoteIdent(p.name)
    return planOrDefer(ctx.check, `database ${p.name}`, async () => {
      const fact = await ctx.fact(pgDbFact, login, p.name, p.owner)
      const db = fact.db
      const effect = (value: DbFact) => [{ fact: pgDbFact.name, key: p.name, value }]
      if (p.state === 'absent') {
        if (!db.exists) return { kind: 'ok', reason: `database ${p.name} does not exist`, data }
        return {
          kind: 'change',
          data,
          changes: [
            {
              summary: `drop database ${p.name}${p.force ? ' (force: closing its connections)' : ''}`,
              commands: [psql(login, `DROP DATABASE ${q}${p.force ? ' WITH (FORCE)' : ''};`)],
              effects: effect({ ...fact, db: { exists: false } }),
            },
          ],
        }
      }
      if (p.owner !== undefined && !fact.ownerExists) {
        const recorded = ctx.effect(pgRoleFact.name, p.owner) as RoleFact | undefined
        if (!recorded?.role.exists) throw new ModuleFailure(`owner role ${p.owner} does not exist (create it with postgres_user first)`)
      }
      if (!db.exists) {
        const opts = [
          p.owner !== undefined ? `OWNER ${quoteIdent(p.owner)}` : '',
          p.template !== undefined ? `TEMPLATE ${quoteIdent(p.template)}` : '',
          p.encoding !== undefined ? `ENCODING ${quoteLiteral(p.encoding)}` : '',
          p.lc_collate !== undefined ? `LC_COLLATE ${quoteLiteral(p.lc_collate)}` : '',
          p.lc_ctype !== undefined ? `LC_CTYPE ${quoteLiteral(p.lc_ctype)}` : '',
          connLimit !== undefined ? `CONNECTION LIMIT ${connLimit}` : '',
          p.tablespace !== undefined ? `TABLESPACE ${quoteIdent(p.tablespace)}` : '',
        ].filter(Boolean)
        const value: DbFact = {
          ownerExists: true,
          db: {
            exists: true,
            owner: p.owner ?? login.user,
            encoding: p.encoding,
            collate: p.lc_collate,
            ctype: p.lc_ctype,
            connLimit: connLimit ?? -1,
            tablespace: p.tablespace,
          },
        }
        const summary = `create database ${p.name}${p.owner !== undefined ? ` owned by ${p.owner}` : ''}`
        return {
          kind: 'change',
          data,
          changes: [{ summary, commands: [psql(login, `CREATE DATABASE ${q}${opts.length ? ` WITH ${opts.join(' ')}` : ''};`)], effects: effect(value) }],
        }
      }
      const fixed: [string, string | undefined, string | undefined, (s: string) => string][] = [
        ['encoding', p.encoding, db.encoding, normEncoding],
        ['lc_collate', p.lc_collate, db.collate, (s) => s],
        ['lc_ctype', p.lc_ctype, db.ctype, (s) => s],
      ]
      for (const [arg, want, have, norm] of fixed) {
        // have is undefined only for a database an earlier check-mode task would create with the server's default.
        if (want !== undefined && have !== undefined && norm(want) !== norm(have)) {
          throw new ModuleFailure(
            `database ${p.name} exists with ${arg} ${have}; PostgreSQL cannot change it to ${want} (dump, drop and re-create the database)`,
          )
        }
      }
      const changes: Change[] = []
      let now: DbState = db
      const alter = (summary: string, sql: string, patch: Partial<DbState>) => {
        now = { ...now, ...patch }
        changes.push({ summary, commands: [psql(login, sql)], effects: effect({ ownerExists: true, db: now }) })
      }
      if (p.owner !== undefined && p.owner !== db.owner)
        alter(`change owner of database ${p.name} from ${db.owner} to ${p.owner}`, `ALTER DATABASE ${q} OWNER TO ${quoteIdent(p.owner)};`, { owner: p.owner })
      if (connLimit !== undefined && connLimit !== db.connLimit)
        alter(
          `change the connection limit of database ${p.name} from ${db.connLimit ?? '?'} to ${connLimit}`,
          `ALTER DATABASE ${q} CONNECTION LIMIT ${connLimit};`,
          { connLimit },
        )
      if (p.tablespace !== undefined && p.tablespace !== db.tablespace)
        alter(`move database ${p.name} to tablespace ${p.tablespace}`, `ALTER DATABASE ${q} SET TABLESPACE ${quoteIdent(p.tablespace)};`, {
          tablespace: p.tablespace,
        })
      if (changes.length) return { kind: 'change', data, changes }
      return { kind: 'ok', reason: `database ${p.name} exists, owned by ${db.owner}, encoding ${db.encoding ?? '(server default)'}`, data }
    })
  },
  failureMsg: (_p, out) => `Database query failed: ${sqlError(out.stderr)}`,
})
