/** Whether the host knows a user and a group (getent: files, and NSS sources if configured); a numeric one is looked up as an id. */
import { shScript, type Fact } from '../types.js'

export interface AccountsKnown {
  owner?: boolean
  group?: boolean
}

// $1 user, $2 group ('' not asked): getent's exit code for each, '-' when not asked (2: not found)
const SCRIPT = `for db in passwd group; do
  if [ -z "$1" ]; then printf '%s ' -; else getent "$db" -- "$1" >/dev/null; printf '%s ' $?; fi
  shift
done`

export const accountsKnown: Fact<AccountsKnown, [string, string]> = {
  name: 'accounts.known',
  key: (user, group) => JSON.stringify([user, group]),
  command: (user, group) => shScript(SCRIPT, user, group),
  parse(out, user, group) {
    const [u = '', g = ''] = out.stdout.trim().split(' ')
    const known = (rc: string, what: string): boolean | undefined => {
      if (rc === '-') return undefined
      if (rc === '0' || rc === '2') return rc === '0'
      throw new Error(`cannot look up ${what}: getent exit ${rc || out.rc} ${out.stderr.trim()}`.trim())
    }
    return { owner: known(u, `user ${user}`), group: known(g, `group ${group}`) }
  },
}
