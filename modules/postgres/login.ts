/** The connection parameters every postgres_* module takes (as community.postgresql), and shared plan helpers. */
import type { ParamDef } from '../schema.js'
import type { Plan } from '../types.js'
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
} as const satisfies Record<string, ParamDef>

export function loginOf(p: { login_user: string; login_host?: string; login_port?: number; login_password?: string; login_db?: string }): Login {
  return { user: p.login_user, host: p.login_host, port: p.login_port, password: p.login_password, db: p.login_db }
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
