/** A user's crontab as `crontab -l` prints it: one command, read-only. */
import { shScript, type Fact } from '../types.js'

export interface UserCrontab {
  /** the user has a crontab (an empty one counts) */
  exists: boolean
  text: string
  /** crontab does not know the user */
  unknownUser?: boolean
  /** who the read ran as (whose crontab `user` unset means) */
  runAs?: string
}

// $1: the user ('' = whoever runs it). As Ansible, -u only for another user: crontab refuses -u to
// the unprivileged even for themselves.
// The first line says who runs it.
const SCRIPT = `me=$(id -un); echo "$me"
if [ -n "$1" ] && [ "$1" != "$me" ]; then exec crontab -u "$1" -l; fi
exec crontab -l`

export const userCrontab: Fact<UserCrontab, [string]> = {
  name: 'cron.tab',
  key: (user) => `user:${user}`,
  command: (user) => shScript(SCRIPT, user),
  parse(out, user) {
    const nl = out.stdout.indexOf('\n')
    const runAs = out.stdout.slice(0, nl)
    if (nl > 0 && out.rc === 0) return { exists: true, text: out.stdout.slice(nl + 1), runAs }
    // rc 1: no crontab yet, or no such user (Ansible reads both as "no jobs")
    if (nl > 0 && out.rc === 1 && /no crontab for/.test(out.stderr)) return { exists: false, text: '', runAs }
    if (nl > 0 && out.rc === 1 && /user .* unknown/.test(out.stderr)) return { exists: false, text: '', unknownUser: true, runAs }
    throw new Error(`Unable to read crontab${user ? ` of ${user}` : ''}: ${(out.stderr || out.stdout).trim() || `exit ${out.rc}`}`)
  },
}
