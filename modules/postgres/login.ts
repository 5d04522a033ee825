/** The connection parameters every postgres_* module takes (as community.postgresql), and shared plan helpers. */
import type { ParamDef } from '../schema.js'
import type { Plan } from '../types.js'
import { ModuleFailure } from '../../engine/errors.js'
import { PgUnavailable, type Login } from './sql.js'

export const loginParams = {
  login_user: {
    type: 'str',
    default: 'postgres',
    aliases: ['login'],
    description: 'Role to connect as. psql runs as the OS user postgres, so over the socket (peer auth) this is normally postgres.',
  },
  login_host: { type: 'str', aliases: ['host'], description: 'Host to connect to; default: the local Unix socket (/var/run/postgresql).' },
  login_port: { type: 'int', aliases: ['port'], description: 'Port to connect to (default 5432).' },
  login_password: { type: 'str', secret: true, description: 'Password for login_user (handed to psql through the environment, never argv).' },
  login_db: { type: 'str', aliases: ['login_database', 'maintenance_db'], description: 'Database to connect to (default postgres).' },
  login_unix_socket: {
    type: 'str',
    aliases: ['unix_socket'],
    description: 'The Unix socket directory to connect through when login_host is not given or is localhost (as community.postgresql).',
  },
  ssl_mode: {
    type: 'str',
    default: 'prefer',
    choices: ['allow', 'disable', 'prefer', 'require', 'verify-ca', 'verify-full'],
    description: 'libpq sslmode for a TCP connection.',
  },
  ca_cert: {
    type: 'str',
    aliases: ['ssl_rootcert'],
    description: 'The CA certificate(s) file the server certificate is verified against (libpq sslrootcert).',
  },
  ssl_cert: { type: 'path', description: 'The client certificate (libpq sslcert).' },
  ssl_key: { type: 'path', description: 'The client key (libpq sslkey).' },
  connect_params: { type: 'dict', default: {}, description: 'More libpq connection parameters, e.g. { connect_timeout: 5 }.' },
  session_role: { type: 'str', description: 'Switch to this role after connecting (SET ROLE); the SQL runs with its privileges.' },
  trust_input: {
    type: 'bool',
    default: true,
    description: 'Accepted for compatibility: acplay quotes every identifier and literal it sends, so there is no unsafe input to check.',
  },
} as const satisfies Record<string, ParamDef>

// libpq keywords: lower case and underscores; a value goes single-quoted into the conninfo
const PARAM_NAME = /^[a-z_]+$/

export function loginOf(p: {
  login_user: string
  login_host?: string
  login_port?: number
  login_password?: string
  login_db?: string
  login_unix_socket?: string
  ssl_mode?: string
  ca_cert?: string
  ssl_cert?: string
  ssl_key?: string
  connect_params?: Record<string, unknown>
  session_role?: string
}): Login {
  const params: Record<string, string> = {}
  for (const [k, v] of Object.entries(p.connect_params ?? {})) {
    if (!PARAM_NAME.test(k)) throw new ModuleFailure(`argument 'connect_params': ${JSON.stringify(k)} is not a libpq parameter name`)
    params[k] = String(v)
  }
  return {
    user: p.login_user,
    host: p.login_host,
    socket: p.login_unix_socket,
    port: p.login_port,
    password: p.login_password,
    db: p.login_db,
    // prefer is libpq's own default: only what differs goes into the conninfo
    sslMode: p.ssl_mode === 'prefer' ? undefined : p.ssl_mode,
    caCert: p.ca_cert,
    sslCert: p.ssl_cert,
    sslKey: p.ssl_key,
    params,
    sessionRole: p.session_role,
  }
}

/**
 * Runs a plan; when check mode cannot read PostgreSQL at all (psql not installed yet, server not
 * started: an earlier task of this run would do that), the task reports the change it cannot
 * simulate instead of failing. Outside check mode the error stands.
 */
export async function planOrDefer(check: boolean, what: string, plan: () => Promise<Plan>): Promise<Plan> {
  try {
    return await plan()
  } catch (e) {
    if (check && e instanceof PgUnavailable) {
      return { kind: 'change', changes: [{ summary: `${what}: would change (depends on an earlier change; ${e.message})`, commands: [] }] }
    }
    throw e
  }
}
