/** Shared bits of the postgres_* integration tests: reading the host with the system ssh, and the two ways to connect. */
import assert from 'node:assert/strict'
import { quote } from '../../engine/connection/quote.js'
import type { Testbed } from '../helpers/testbed-fixture.js'

/** Runs SQL on the host as the postgres OS user (independent of acplay's code); returns psql's bare rows. */
export async function sql(bed: Testbed, host: string, query: string): Promise<string> {
  const r = await bed.exec(host, `cd / && runuser -u postgres -- psql -X -A -t -q -v ON_ERROR_STOP=1 <<'ACPLAY_TEST_SQL'\n${query}\nACPLAY_TEST_SQL\n`)
  assert.equal(r.rc, 0, `sql failed: ${r.stderr}`)
  return r.stdout.trim()
}

/** Can `user` log in with `password` over TCP from `from` to `addr`? (password via the environment, quoted) */
export async function canLogin(bed: Testbed, from: string, addr: string, user: string, password: string, db = 'postgres'): Promise<boolean> {
  const conninfo = `host=${addr} user='${user.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}' dbname='${db}'`
  const r = await bed.exec(from, `PGPASSWORD=${quote(password)} psql -X -A -t -w ${quote(conninfo)} -c 'select 1'`)
  return r.rc === 0 && r.stdout.trim() === '1'
}

export { osEnvs as envs, type Env } from './os-envs.js'
