/** `getent DATABASE [KEY]` (one command, read-only): its exit code and lines. */
import { shScript, type Fact } from '../types.js'

export interface GetentAnswer {
  /** 0 found, 1 bad arguments or unknown database, 2 key not found, 3 enumeration not supported */
  rc: number
  lines: string[]
  error: string
}

// $1 database, $2 key ('' = all), $3 service ('' = none)
const SCRIPT = `db=$1; key=$2; svc=$3; set --
[ -z "$svc" ] || set -- -s "$svc"
set -- "$@" -- "$db"
[ -z "$key" ] || set -- "$@" "$key"
exec getent "$@"`

export const getentRead: Fact<GetentAnswer, [string, string, string]> = {
  name: 'getent',
  command: (db, key, service) => shScript(SCRIPT, db, key, service),
  parse: (out) => ({ rc: out.rc, lines: out.stdout.split('\n').filter((l) => l !== ''), error: out.stderr.trim() }),
}
