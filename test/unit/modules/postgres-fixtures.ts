/** Recorded output of the postgres facts on the testbed (PostgreSQL 15, Debian 12), and a fake plan context. */
import type { ExecResult } from '../../../engine/connection/types.js'
import type { Fact, ModuleContext } from '../../../modules/types.js'

export const ok = (stdout: string): ExecResult => ({ rc: 0, stdout, stderr: '' })

export const REC = {
  rolePostgres: ok(
    '{"exists" : true, "superuser" : true, "createrole" : true, "createdb" : true, "inherit" : true, "login" : true, "replication" : true, ' +
      '"bypassrls" : true, "connlimit" : -1, "password" : null, "validuntil" : null}\n{"encryption" : "scram-sha-256", "expires" : "1893456000.000000"}\n',
  ),
  roleAbsent: ok('{"exists": false}\n{"encryption" : "scram-sha-256"}\n'),
  dbPostgres: ok(
    '{"exists" : true, "owner" : "postgres", "encoding" : "UTF8", "collate" : "C.UTF-8", "ctype" : "C.UTF-8", "connlimit" : -1, "tablespace" : "pg_default"}\n{"owner_exists" : true}\n',
  ),
  dbAbsent: ok('{"exists": false}\n{"owner_exists" : false}\n'),
  listenAddresses: ok(
    '{"exists" : true, "setting" : "localhost", "unit" : null, "context" : "postmaster", "vartype" : "string", "pendingRestart" : false}\n{"auto" : null}\n',
  ),
  sharedBuffers: ok(
    '{"exists" : true, "setting" : "16384", "unit" : "8kB", "context" : "postmaster", "vartype" : "integer", "pendingRestart" : false}\n{"auto" : null}\n',
  ),
  psqlMissing: { rc: 127, stdout: '', stderr: 'sh: 1: exec: psql: not found\n' } as ExecResult,
  serverDown: {
    rc: 2,
    stdout: '',
    stderr: 'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory\n',
  } as ExecResult,
}

/** The tail of Debian's default pg_hba.conf (PostgreSQL 15), comments included. */
export const HBA = `# If you want to allow non-local connections, you need to add more
# "host" records.


# DO NOT DISABLE!
# Database administrative login by Unix domain socket
local   all             postgres                                peer

# TYPE  DATABASE        USER            ADDRESS                 METHOD

# "local" is for Unix domain socket connections only
local   all             all                                     peer
# IPv4 local connections:
host    all             all             127.0.0.1/32            scram-sha-256
# IPv6 local connections:
host    all             all             ::1/128                 scram-sha-256
# Allow replication connections from localhost, by a user with the
# replication privilege.
local   replication     all                                     peer
host    replication     all             127.0.0.1/32            scram-sha-256
host    replication     all             ::1/128                 scram-sha-256
`

export const hbaOut = (content: string, path = '/etc/postgresql/15/main/pg_hba.conf') => ok(`${path}\npostgres|postgres|640\n${content}`)

/** A plan context whose facts parse recorded output (by fact name); counts reads. */
export function fakeCtx(
  outputs: Record<string, ExecResult>,
  opts: { check?: boolean; effects?: Record<string, unknown> } = {},
): ModuleContext & { reads: string[] } {
  const reads: string[] = []
  return {
    host: 'db',
    check: opts.check ?? false,
    diff: true,
    vars: {},
    reads,
    run: async () => ok(''),
    async fact<T, A extends unknown[]>(fact: Fact<T, A>, ...args: A): Promise<T> {
      reads.push(fact.name)
      const out = outputs[fact.name]
      if (!out) throw new Error(`no recorded output for ${fact.name}`)
      return fact.parse(out, ...args)
    },
    effect: (fact, key) => opts.effects?.[`${fact}:${key}`],
    effectKeys: (fact) => Object.keys(opts.effects ?? {}).flatMap((k) => (k.startsWith(`${fact}:`) ? [k.slice(fact.length + 1)] : [])),
    findFile: (p) => p,
    render: (t) => t,
  }
}
