/**
 * SQL quoting and the one way acplay talks to PostgreSQL: `psql` with the SQL on stdin.
 *
 * Why quoting in TypeScript rather than psql variables (`\set` + `:"name"`): a `\set` line is itself
 * parsed by psql's backslash lexer (its own quoting rules, and a newline ends it), so a value would
 * need a second escaping scheme. quote_ident / quote_literal semantics are small, exact and
 * unit-tested; psql does not interpolate `:var` or backslash commands inside quoted literals and
 * identifiers, so the quoted SQL reaches the server unchanged.
 */
import { shScript, type Command } from '../types.js'
import { ModuleFailure } from '../../engine/errors.js'

function noNul(s: string, what: string): void {
  if (s.includes('\u0000')) throw new ModuleFailure(`${what} must not contain a NUL byte`)
}

/** PostgreSQL's quote_ident, always quoting: `a"b` -> `"a""b"` (one identifier, whatever it holds). */
export function quoteIdent(name: string): string {
  noNul(name, 'an SQL identifier')
  if (name === '') throw new ModuleFailure('an SQL identifier must not be empty')
  return `"${name.replace(/"/g, '""')}"`
}

/** PostgreSQL's quote_literal: `it's` -> `'it''s'`; with a backslash, the E'' form with it doubled. */
export function quoteLiteral(value: string): string {
  noNul(value, 'an SQL literal')
  const body = value.replace(/'/g, "''")
  return value.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`
}

/** A libpq conninfo value: always single-quoted, `\` and `'` backslash-escaped. */
export function conninfoValue(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

export interface Login {
  user: string
  host?: string
  /** a Unix socket directory (login_unix_socket), used when no host or `localhost` is given */
  socket?: string
  port?: number
  password?: string
  db?: string
  sslMode?: string
  caCert?: string
  sslCert?: string
  sslKey?: string
  /** more libpq connection parameters (connect_params) */
  params?: Record<string, string>
  /** SET ROLE after connecting (session_role) */
  sessionRole?: string
}

/** The OS account psql runs as: the server's own `postgres` account (peer auth on the socket). */
export const OS_USER = 'postgres'

// Switches to the OS user first (already it: in this shell; root: setpriv, else runuser; otherwise sudo -n),
// then, as that user, reads the password (if any) from the first stdin line into PGPASSWORD: never
// in argv, and sudo's env_reset cannot drop it. The rest of stdin is the SQL for psql. `cd /` keeps
// psql from warning about an unreadable working directory. Speed matters (every postgres task runs
// this): Debian's /usr/bin/psql is a Perl wrapper (pg_wrapper) that costs tens of ms, so the newest
// real binary under /usr/lib/postgresql is used when there is one; setpriv opens no PAM session.
const SWITCH = `u=$1; shift
cd /
inner='if [ "$1" = 1 ]; then IFS= read -r PGPASSWORD; export PGPASSWORD; fi; shift
if [ "$1" = psql ]; then for b in /usr/lib/postgresql/*/bin/psql; do [ -x "$b" ] && p=$b; done; shift; set -- "\${p:-psql}" "$@"; fi
exec "$@"'
if [ "$(id -un)" = "$u" ]; then eval "$inner"; fi
if [ "$(id -u)" = 0 ]; then
  h=~postgres
  if command -v setpriv >/dev/null; then export HOME="$h" USER="$u" LOGNAME="$u"; exec setpriv --reuid="$u" --regid="$u" --init-groups -- sh -c "$inner" sh "$@"; fi
  exec runuser -u "$u" -- sh -c "$inner" sh "$@"
fi
exec sudo -n -u "$u" -- sh -c "$inner" sh "$@"`

export function conninfo(login: Login): string {
  const parts = [`user=${conninfoValue(login.user)}`, `dbname=${conninfoValue(login.db ?? 'postgres')}`, `application_name='acplay'`]
  // as community.postgresql's get_conn_params: a socket directory wins over no host and over `localhost`
  const host = login.socket && (!login.host || login.host === 'localhost') ? login.socket : login.host
  if (host) parts.push(`host=${conninfoValue(host)}`)
  if (login.port !== undefined) parts.push(`port=${conninfoValue(String(login.port))}`)
  const opt: [string, string | undefined][] = [
    ['sslmode', login.sslMode],
    ['sslrootcert', login.caCert],
    ['sslcert', login.sslCert],
    ['sslkey', login.sslKey],
  ]
  for (const [k, v] of [...opt, ...Object.entries(login.params ?? {})]) if (v !== undefined) parts.push(`${k}=${conninfoValue(v)}`)
  return parts.join(' ')
}

/**
 * psql running `sql` (statements separated by `;`, each sent on its own in autocommit mode, so
 * CREATE DATABASE and ALTER SYSTEM work). -X: no psqlrc; -A -t: bare rows; -q: no command tags.
 */
export function psql(login: Login, sql: string): Command {
  const pw = login.password !== undefined
  if (pw && /[\n\r]/.test(login.password!)) throw new ModuleFailure('login_password must not contain a newline')
  return {
    ...shScript(SWITCH, OS_USER, pw ? '1' : '0', 'psql', '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-d', conninfo(login)),
    stdin: `${pw ? `${login.password}\n` : ''}${login.sessionRole ? `SET ROLE ${quoteIdent(login.sessionRole)};\n` : ''}${sql}\n`,
  }
}

/** Raised by fact parsers when psql is missing or the server is not reachable (see unavailable()). */
export class PgUnavailable extends Error {}

/** Throws PgUnavailable / ModuleFailure (with psql's message) for a failed psql; returns stdout otherwise. */
export function psqlOutput(out: { rc: number; stdout: string; stderr: string }, what: string): string {
  if (out.rc === 0) return out.stdout
  const err = out.stderr.trim()
  if (
    out.rc === 127 ||
    /psql: (command )?not found|No such file or directory.*psql|runuser: user postgres does not exist|unknown user/i.test(err) ||
    /connection to server .* failed|could not connect to server/i.test(err)
  ) {
    throw new PgUnavailable(`cannot reach PostgreSQL to read ${what}: ${err || `exit code ${out.rc}`}`)
  }
  throw new ModuleFailure(`reading ${what} failed: ${err || `exit code ${out.rc}`}`)
}

/**
 * A failed statement's error as psycopg2's str(error) gives it, the text community.postgresql puts in
 * its messages: psql's `ERROR:` tag (and a `psql:FILE:LINE:` location) dropped, DETAIL and HINT kept,
 * one newline at the end.
 */
export function sqlError(stderr: string): string {
  return `${stderr.replace(/^(psql:[^\n]*?:\s*)?ERROR:\s+/m, '').trim()}\n`
}

/** The JSON object on the `index`th line of psql's -A -t output. */
export function jsonLine<T>(stdout: string, index: number, what: string): T {
  const lines = stdout.split('\n').filter((l) => l.length > 0)
  const line = lines[index]
  if (line === undefined) throw new Error(`reading ${what}: psql printed ${lines.length} line(s), expected at least ${index + 1}`)
  return JSON.parse(line) as T
}
