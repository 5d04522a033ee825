/** A user's crontab as `crontab -l` prints it: one command, read-only. */
import { shScript, type Fact } from '../types.js'

export interface UserCrontab {
  /** the user has a crontab (an empty one counts) */
  exists: boolean
  text: string
  /** crontab does not know the user */
  unknownUser?: boolean
}

// $1: the user ('' = whoever runs it). As Ansible, -u only for another user: crontab refuses -u to
// the unprivileged even for themselves.
const SCRIPT = `if [ -n "$1" ] && [ "$1" != "$(id -un)" ]; then exec crontab -u "$1" -l; fi
exec crontab -l`

export const userCrontab: Fact<UserCrontab, [string]> = {
  name: 'cron.tab',
  key: (user) => `user:${user}`,
  command: (user) => shScript(SCRIPT, user),
  parse(out, user) {
    if (out.rc === 0) return { exists: true, text: out.stdout }
    // rc 1: no crontab yet, or no such user (Ansible reads both as "no jobs")
    if (out.rc === 1 && /no crontab for/.test(out.stderr)) return { exists: false, text: '' }
    if (out.rc === 1 && /user .* unknown/.test(out.stderr)) return { exists: false, text: '', unknownUser: true }
    throw new Error(`Unable to read crontab${user ? ` of ${user}` : ''}: ${(out.stderr || out.stdout).trim() || `exit ${out.rc}`}`)
  },
}
