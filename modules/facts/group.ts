/** A group's entry in the group database (getent: files, and NSS sources if configured). */
import { shScript, type Fact } from '../types.js'

export interface GroupInfo {
  exists: boolean
  name?: string
  gid?: number
  members?: string[]
}

// `getent group NAME` looks a numeric NAME up as a gid; that is what the user module's `group: 1000`
// wants, and the group module rejects numeric names before it asks.
export const groupInfo: Fact<GroupInfo, [string]> = {
  name: 'group.info',
  key: (name) => name,
  command: (name) => shScript('getent group -- "$1" || [ $? -eq 2 ]', name),
  parse(out, name) {
    if (out.rc !== 0) throw new Error(`cannot read group ${name}: ${out.stderr.trim() || `getent exit ${out.rc}`}`)
    const line = out.stdout.split('\n')[0] ?? ''
    if (!line) return { exists: false }
    const [gname = '', , gid = '', members = ''] = line.split(':')
    return { exists: true, name: gname, gid: Number(gid), members: members ? members.split(',') : [] }
  },
}

/**
 * The group useradd makes a new account's primary group when it is told not to make one of the
 * user's name (`--no-user-group`): GROUP of `useradd -D` (Debian: 100, `users`).
 */
export const useraddDefaultGroup: Fact<GroupInfo> = {
  name: 'group.useradd-default',
  key: () => 'GROUP',
  command: () => shScript('g=$(useradd -D | sed -n "s/^GROUP=//p"); getent group -- "${g:-100}" || [ $? -eq 2 ]'),
  parse: (out) => groupInfo.parse(out, 'GROUP of useradd -D'),
}

/** User and group names: what Debian's useradd accepts without --badname, never starting with '-' or a digit. */
export const ACCOUNT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/

export function checkAccountName(kind: 'user' | 'group', name: string): string | undefined {
  if (ACCOUNT_NAME.test(name)) return undefined
  return `invalid ${kind} name ${JSON.stringify(name)}: use letters, digits, '_', '.', '-' (starting with a letter or '_', at most 32 characters)`
}
