/** role_attr_flags ("CREATEDB,LOGIN,NOSUPERUSER"): parsing, validation, and SQL for CREATE/ALTER ROLE. */
import { ModuleFailure } from '../../engine/errors.js'
import type { RoleAttrs } from '../facts/postgres.js'

const FLAGS: Record<string, keyof RoleAttrs> = {
  SUPERUSER: 'superuser',
  CREATEROLE: 'createrole',
  CREATEDB: 'createdb',
  INHERIT: 'inherit',
  LOGIN: 'login',
  REPLICATION: 'replication',
  BYPASSRLS: 'bypassrls',
}

/** The attributes the flags ask for (only those named). Fails, naming the argument, on unknown or contradictory flags. */
export function parseFlags(flags: readonly string[]): Partial<RoleAttrs> {
  const want: Partial<RoleAttrs> = {}
  for (const raw of flags) {
    const f = raw.trim().toUpperCase()
    if (!f) continue
    const neg = f.startsWith('NO') && FLAGS[f.slice(2)] !== undefined
    const attr = FLAGS[neg ? f.slice(2) : f]
    if (!attr) {
      const known = Object.keys(FLAGS)
        .flatMap((k) => [k, `NO${k}`])
        .join(', ')
      throw new ModuleFailure(`argument 'role_attr_flags': unknown flag ${JSON.stringify(raw)} (known: ${known})`)
    }
    if (want[attr] !== undefined && want[attr] === neg)
      throw new ModuleFailure(`argument 'role_attr_flags': ${attr.toUpperCase()} and NO${attr.toUpperCase()} both given`)
    want[attr] = !neg
  }
  return want
}

/** The SQL keywords for `attrs` ("LOGIN NOCREATEDB"), in a stable order. */
export function flagSql(attrs: Partial<RoleAttrs>): string[] {
  return Object.entries(FLAGS).flatMap(([kw, attr]) => (attrs[attr] === undefined ? [] : [attrs[attr] ? kw : `NO${kw}`]))
}

/** The subset of `want` that differs from `have`. */
export function flagChanges(want: Partial<RoleAttrs>, have: RoleAttrs): Partial<RoleAttrs> {
  const out: Partial<RoleAttrs> = {}
  for (const [k, v] of Object.entries(want) as [keyof RoleAttrs, boolean][]) if (have[k] !== v) out[k] = v
  return out
}

/** A new role's attributes: PostgreSQL's defaults, LOGIN as CREATE USER (community.postgresql), then the flags. */
export function newRoleAttrs(want: Partial<RoleAttrs>): RoleAttrs {
  return { superuser: false, createrole: false, createdb: false, inherit: true, login: true, replication: false, bypassrls: false, ...want }
}
