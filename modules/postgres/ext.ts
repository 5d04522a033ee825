/**
 * postgres_ext: an extension in a database, as community.postgresql's postgresql_ext (2.4): created
 * (the latest version, or `version`), updated to `version` (ALTER EXTENSION ... UPDATE TO), dropped
 * (state=absent, CASCADE with cascade). Its decisions are kept where they decide `changed`:
 * `version: latest` on a created extension runs ALTER EXTENSION ... UPDATE on every run, and any
 * pair of versions PostgreSQL lists counts as an update path.
 *
 * Effects: `postgres.ext` key=<db> <ext> -> the ExtFact after the change.
 */
import { ModuleFailure } from '../../engine/errors.js'
import { pgExtFact, type ExtFact } from '../facts/postgres.js'
import { defineModule, type Plan } from '../types.js'
import { loginOf, loginParams, planOrDefer } from './login.js'
import { psql, quoteIdent, quoteLiteral, sqlError } from './sql.js'

// the database is `db` here (login_db is its alias), as in community.postgresql
const { login_db: _loginDb, ...connection } = loginParams

export const postgresExt = defineModule({
  name: 'postgres_ext',
  aliases: ['postgresql_ext'],
  summary: 'Add, update or remove PostgreSQL extensions from a database',
  description: 'CREATE EXTENSION, ALTER EXTENSION ... UPDATE or DROP EXTENSION in `db`, through psql as the OS user postgres.',
  params: {
    db: { type: 'str', required: true, aliases: ['login_db'], description: 'The database the extension is in.' },
    ext: { type: 'str', required: true, aliases: ['name'], description: 'The extension (pgcrypto, hstore, postgis, ...).' },
    schema: { type: 'str', description: 'The schema a new extension is created in.' },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'], description: 'Whether the extension should be there.' },
    cascade: { type: 'bool', default: false, description: 'CASCADE: create what it needs; drop what depends on it.' },
    version: { type: 'str', description: "The version to create or update to; 'latest' updates on every run." },
    ...connection,
  },
  returns: { db: 'the database', ext: 'the extension', queries: 'the statements run (or, in check mode, none)' },
  examples: `
- community.postgresql.postgresql_ext:
    name: pgcrypto
    db: airflow
`,
  async plan(p, ctx): Promise<Plan> {
    const login = loginOf({ ...p, login_db: p.db })
    const key = `${p.db} ${p.ext}`
    const name = quoteIdent(p.ext)
    return planOrDefer(ctx.check, `extension ${p.ext} in ${p.db}`, async () => {
      const fact = await ctx.fact(pgExtFact, login, p.ext)
      const data = { db: p.db, ext: p.ext, queries: [] as string[] }
      const run = (summary: string, sql: string, after: ExtFact): Plan => ({
        kind: 'change',
        changes: [{ summary, commands: [psql(login, `${sql};`)], effects: [{ fact: pgExtFact.name, key, value: after }] }],
        data: { ...data, queries: ctx.check ? [] : [sql] },
      })
      const cur = fact.current
      if (p.state === 'absent') {
        if (!cur) return { kind: 'ok', reason: `extension ${p.ext} is not in ${p.db}`, data }
        return run(`drop extension ${p.ext} from ${p.db}`, `DROP EXTENSION ${name}${p.cascade ? ' CASCADE' : ''}`, { ...fact, current: false })
      }
      const create = (version: string | undefined) => {
        const sql = `CREATE EXTENSION ${name}${p.schema !== undefined ? ` WITH SCHEMA ${quoteIdent(p.schema)}` : ''}${
          version !== undefined ? ` VERSION ${quoteLiteral(version)}` : ''
        }${p.cascade ? ' CASCADE' : ''}`
        const now = version ?? fact.defaultVersion ?? 'latest'
        return run(`create extension ${p.ext} ${now} in ${p.db}`, sql, { ...fact, current: now })
      }
      if (p.version === undefined) {
        if (cur) return { kind: 'ok', reason: `extension ${p.ext} ${cur} is in ${p.db}`, data }
        if (fact.available.length === 0) throw new ModuleFailure(`Extension ${p.ext} is not available`)
        return create(undefined)
      }
      if (!cur) {
        if (p.version !== 'latest' && !fact.available.includes(p.version)) throw new ModuleFailure(`Passed version '${p.version}' is not available`)
        return create(p.version === 'latest' ? undefined : p.version)
      }
      if (cur === p.version) return { kind: 'ok', reason: `extension ${p.ext} ${cur} is in ${p.db}`, data }
      if (p.version !== 'latest' && !fact.pairs.some(([from, to]) => from === cur && to === p.version))
        throw new ModuleFailure(
          `Passed version '${p.version}' has no valid update path from the currently installed version '${cur}' or the passed version is not available`,
        )
      const to = p.version === 'latest' ? '' : ` TO ${quoteLiteral(p.version)}`
      const now = p.version === 'latest' ? (fact.defaultVersion ?? cur) : p.version
      return run(`update extension ${p.ext} in ${p.db} from ${cur} to ${p.version}`, `ALTER EXTENSION ${name} UPDATE${to}`, { ...fact, current: now })
    })
  },
  failureMsg: (_p, out) => `Management of PostgreSQL extension failed: ${sqlError(out.stderr)}`,
})
