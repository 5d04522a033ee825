/**
 * Reads of PostgreSQL state, each ONE psql round trip printing one JSON object per line (JSON keeps
 * hostile names intact). Parsers are pure and unit-tested from recorded output.
 */
import { shScript, type Fact } from '../types.js'
import { jsonLine, psql, psqlOutput, quoteLiteral, type Login } from '../postgres/sql.js'

export interface RoleAttrs {
  superuser: boolean
  createrole: boolean
  createdb: boolean
  inherit: boolean
  login: boolean
  replication: boolean
  bypassrls: boolean
}

export interface RoleState {
  exists: boolean
  attrs?: RoleAttrs
  connLimit?: number
  /** rolpassword: a SCRAM verifier or md5 hash; never printed */
  password?: string | null
  /** extract(epoch from rolvaliduntil)::text ("Infinity"), or null */
  validUntil?: string | null
  /** COMMENT ON ROLE, or null */
  comment?: string | null
}

export interface RoleFact {
  role: RoleState
  /** the server's password_encryption (scram-sha-256 | md5) */
  encryption: string
  /** the requested `expires`, normalised by the server the same way as validUntil */
  expires?: { input: string; epoch: string }
}

const EPOCH = (x: string) => `extract(epoch FROM ${x})::text`

export const pgRoleFact: Fact<RoleFact, [Login, string, string?]> = {
  name: 'postgres.role',
  key: (_login, name) => name,
  command: (login, name, expires) =>
    psql(
      login,
      `SELECT coalesce((SELECT json_build_object('exists', true, 'superuser', rolsuper, 'createrole', rolcreaterole, 'createdb', rolcreatedb,
  'inherit', rolinherit, 'login', rolcanlogin, 'replication', rolreplication, 'bypassrls', rolbypassrls, 'connlimit', rolconnlimit,
  'password', rolpassword, 'validuntil', ${EPOCH('rolvaliduntil')}, 'comment', shobj_description(oid, 'pg_authid')) FROM pg_authid WHERE rolname = ${quoteLiteral(name)}), '{"exists": false}'::json);
SELECT json_build_object('encryption', current_setting('password_encryption')${expires === undefined ? '' : `, 'expires', ${EPOCH(`${quoteLiteral(expires)}::timestamptz`)}`});`,
    ),
  parse(out, _login, name, expires) {
    const stdout = psqlOutput(out, `role ${name}`)
    const r = jsonLine<Record<string, unknown>>(stdout, 0, `role ${name}`)
    const meta = jsonLine<{ encryption: string; expires?: string }>(stdout, 1, `role ${name}`)
    const role: RoleState = r.exists
      ? {
          exists: true,
          attrs: {
            superuser: r.superuser === true,
            createrole: r.createrole === true,
            createdb: r.createdb === true,
            inherit: r.inherit === true,
            login: r.login === true,
            replication: r.replication === true,
            bypassrls: r.bypassrls === true,
          },
          connLimit: Number(r.connlimit),
          password: (r.password as string | null) ?? null,
          validUntil: (r.validuntil as string | null) ?? null,
          comment: (r.comment as string | null) ?? null,
        }
      : { exists: false }
    return {
      role,
      encryption: meta.encryption,
      expires: expires !== undefined && meta.expires !== undefined ? { input: expires, epoch: meta.expires } : undefined,
    }
  },
}

export interface DbState {
  exists: boolean
  owner?: string
  encoding?: string
  collate?: string
  ctype?: string
  connLimit?: number
  tablespace?: string
}

export interface DbFact {
  db: DbState
  /** whether the requested owner role exists (true when no owner was asked about) */
  ownerExists: boolean
}

export const pgDbFact: Fact<DbFact, [Login, string, string?]> = {
  name: 'postgres.db',
  key: (_login, name) => name,
  command: (login, name, owner) =>
    psql(
      login,
      `SELECT coalesce((SELECT json_build_object('exists', true, 'owner', pg_get_userbyid(datdba), 'encoding', pg_encoding_to_char(encoding),
  'collate', datcollate, 'ctype', datctype, 'connlimit', datconnlimit,
  'tablespace', (SELECT spcname FROM pg_tablespace WHERE oid = dattablespace)) FROM pg_database WHERE datname = ${quoteLiteral(name)}), '{"exists": false}'::json);
SELECT json_build_object('owner_exists', ${owner === undefined ? 'true' : `EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${quoteLiteral(owner)})`});`,
    ),
  parse(out, _login, name) {
    const stdout = psqlOutput(out, `database ${name}`)
    const d = jsonLine<DbState & { connlimit?: number }>(stdout, 0, `database ${name}`)
    const o = jsonLine<{ owner_exists: boolean }>(stdout, 1, `database ${name}`)
    const db: DbState = d.exists
      ? { exists: true, owner: d.owner, encoding: d.encoding, collate: d.collate, ctype: d.ctype, connLimit: d.connlimit, tablespace: d.tablespace }
      : { exists: false }
    return { db, ownerExists: o.owner_exists }
  },
}

export interface SettingFact {
  /** false for an unknown setting name */
  exists: boolean
  /** the running value, in `unit`s */
  setting?: string
  unit?: string | null
  context?: string
  vartype?: string
  pendingRestart?: boolean
  /** the value ALTER SYSTEM wrote to postgresql.auto.conf, if any (read fresh from the file) */
  auto?: string | null
}

export const pgSettingFact: Fact<SettingFact, [Login, string]> = {
  name: 'postgres.setting',
  key: (_login, name) => name,
  command: (login, name) =>
    psql(
      login,
      `SELECT coalesce((SELECT json_build_object('exists', true, 'setting', setting, 'unit', unit, 'context', context, 'vartype', vartype,
  'pendingRestart', pending_restart) FROM pg_settings WHERE name = ${quoteLiteral(name)}), '{"exists": false}'::json);
SELECT json_build_object('auto', (SELECT setting FROM pg_file_settings WHERE name = ${quoteLiteral(name)}
  AND sourcefile LIKE '%/postgresql.auto.conf' ORDER BY seqno DESC LIMIT 1));`,
    ),
  parse(out, _login, name) {
    const stdout = psqlOutput(out, `setting ${name}`)
    const s = jsonLine<SettingFact>(stdout, 0, `setting ${name}`)
    const a = jsonLine<{ auto: string | null }>(stdout, 1, `setting ${name}`)
    return { ...s, auto: a.auto }
  },
}

export interface HbaFile {
  path: string
  exists: boolean
  owner?: string
  group?: string
  /** four octal digits */
  mode?: string
  content: string
}

// With no dest, asks the server (SHOW hba_file) first; then prints path, owner|group|mode, content.
const HBA_SCRIPT = `d=$1; shift
if [ -z "$d" ]; then d=$("$@") || exit $?; fi
printf '%s\\n' "$d"
if [ -e "$d" ]; then stat -c '%U|%G|%a' -- "$d" && cat -- "$d"; else echo absent; fi`

export const pgHbaFact: Fact<HbaFile, [Login, string?]> = {
  name: 'postgres.hba',
  key: (_login, dest) => dest ?? '(server hba_file)',
  command(login, dest) {
    const q = psql(login, 'SHOW hba_file;')
    return { ...shScript(HBA_SCRIPT, dest ?? '', ...q.argv), stdin: q.stdin }
  },
  parse(out, _login, dest) {
    const stdout = psqlOutput(out, `pg_hba.conf${dest ? ` ${dest}` : ''}`)
    const nl1 = stdout.indexOf('\n')
    const nl2 = stdout.indexOf('\n', nl1 + 1)
    if (nl1 < 0 || nl2 < 0) throw new Error(`reading pg_hba.conf: unexpected output ${JSON.stringify(stdout.slice(0, 200))}`)
    const path = stdout.slice(0, nl1)
    const head = stdout.slice(nl1 + 1, nl2)
    if (head === 'absent') return { path, exists: false, content: '' }
    const [owner = '', group = '', mode = ''] = head.split('|')
    return { path, exists: true, owner, group, mode: mode.padStart(4, '0'), content: stdout.slice(nl2 + 1) }
  },
}

export interface ExtFact {
  /** the version created in the database, or false */
  current: string | false
  /** the versions the server has files for */
  available: string[]
  /** what CREATE EXTENSION without VERSION (and UPDATE without TO) gives */
  defaultVersion?: string
  /** the (source, target) version pairs PostgreSQL lists for it (pg_extension_update_paths) */
  pairs: [string, string][]
}

export const pgExtFact: Fact<ExtFact, [Login, string]> = {
  name: 'postgres.ext',
  key: (login, ext) => `${login.db ?? 'postgres'} ${ext}`,
  command(login, ext) {
    const e = quoteLiteral(ext)
    // pg_extension_update_paths fails for an extension the server has no files for: asked only when it has
    return psql(
      login,
      `SELECT json_build_object('current', (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = ${e}),
  'available', coalesce((SELECT json_agg(version) FROM pg_available_extension_versions WHERE name = ${e}), '[]'::json),
  'default', (SELECT default_version FROM pg_available_extensions WHERE name = ${e}),
  'pairs', CASE WHEN EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = ${e})
    THEN (SELECT coalesce(json_agg(json_build_array(source, target)), '[]'::json) FROM pg_extension_update_paths(${e})) ELSE '[]'::json END);`,
    )
  },
  parse(out, login, ext) {
    const what = `extension ${ext} in ${login.db ?? 'postgres'}`
    const r = jsonLine<{ current: string | null; available: string[]; default: string | null; pairs: [string, string][] }>(psqlOutput(out, what), 0, what)
    return { current: r.current ?? false, available: r.available, defaultVersion: r.default ?? undefined, pairs: r.pairs }
  },
}
