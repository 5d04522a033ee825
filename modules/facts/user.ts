/**
 * A user's account as the host sees it, in ONE round trip: the passwd entry, primary and
 * supplementary group names, whether the home directory exists, and a digest of the shadow hash.
 *
 * Password comparison, the choice: the host prints sha256(shadow hash field) and the planner compares
 * it with sha256(wanted hash). The wanted hash never goes to the host for the read (an argv would show
 * in `ps`), and the stored hash never comes back (nor lands in logs or the effects overlay): only a
 * digest of it, which is as hard to reverse as the salted crypt hash it digests. Reading /etc/shadow
 * needs root; without it the digest is null ("unreadable").
 */
import { createHash } from 'node:crypto'
import { shScript, type Fact } from '../types.js'

export interface UserInfo {
  exists: boolean
  name?: string
  uid?: number
  gid?: number
  /** primary group name */
  group?: string
  /** supplementary group names (the primary group excluded) */
  groups?: string[]
  comment?: string
  home?: string
  shell?: string
  homeExists?: boolean
  /** sha256 hex of the shadow hash field without its leading '!' (the lock); null when /etc/shadow is unreadable (no root) */
  passwordDigest?: string | null
  /** the shadow hash starts with '!' (usermod -L); undefined when unreadable */
  locked?: boolean
  /** shadow's minimum and maximum password age (days; undefined: empty field or unreadable) */
  passwordMin?: number
  passwordMax?: number
  /** the account expiry, days since the epoch (-1: none; undefined: unreadable) */
  expires?: number
}

// The name is a positional argument, never spliced into the script. Fields are cut with parameter
// expansion, not cut/tr: four processes instead of nine (each exec costs the host ~1 ms).
const SCRIPT = `n=$1
e=$(getent passwd -- "$n") || { [ $? -eq 2 ] && echo absent && exit 0; exit 1; }
printf 'passwd %s\\n' "$e"
g=$(id -Gn -- "$n")
printf 'group %s\\n' "\${g%% *}"
printf 'groups %s\\n' "$g"
h=\${e#*:*:*:*:*:}; h=\${h%%:*}
if [ -d "$h" ]; then echo home yes; else echo home no; fi
if [ -r /etc/shadow ]; then
  a=$(getent shadow -- "$n"); a=\${a#*:}; s=\${a%%:*}
  case $s in '!'*) echo locked yes;; *) echo locked no;; esac
  while case $s in '!'*) true;; *) false;; esac; do s=\${s#!}; done
  d=$(printf '%s' "$s" | sha256sum)
  printf 'shadow %s\\n' "\${d%% *}"
  printf 'aging %s\\n' "\${a#*:*:}"
else echo shadow unreadable; fi`

/** The digest a hash is compared by: without its leading '!'s, as Ansible compares (the lock is password_lock's). */
export const passwordDigest = (hash: string): string => createHash('sha256').update(hash.replace(/^!+/, '')).digest('hex')

export const userInfo: Fact<UserInfo, [string]> = {
  name: 'user.info',
  key: (name) => name,
  command: (name) => shScript(SCRIPT, name),
  parse(out, name) {
    if (out.rc !== 0) throw new Error(`cannot read user ${name}: ${out.stderr.trim() || `exit ${out.rc}`}`)
    const lines = new Map<string, string>()
    for (const l of out.stdout.split('\n')) {
      if (l === 'absent') return { exists: false }
      const sp = l.indexOf(' ')
      if (sp > 0) lines.set(l.slice(0, sp), l.slice(sp + 1))
    }
    const entry = lines.get('passwd')
    if (entry === undefined) throw new Error(`cannot read user ${name}: unexpected output ${JSON.stringify(out.stdout.slice(0, 200))}`)
    const [uname = '', , uid = '', gid = '', comment = '', home = '', shell = ''] = entry.split(':')
    const group = lines.get('group') ?? ''
    const groups = (lines.get('groups') ?? '').split(' ').filter((g) => g && g !== group)
    const shadow = lines.get('shadow')
    // min:max:warn:inactive:expire:reserved
    const [min = '', max = '', , , expire = ''] = (lines.get('aging') ?? '').split(':')
    const num = (v: string) => (v === '' ? undefined : Number(v))
    const readable = shadow !== undefined && shadow !== 'unreadable'
    return {
      exists: true,
      name: uname,
      uid: Number(uid),
      gid: Number(gid),
      group,
      groups,
      comment,
      home,
      shell,
      homeExists: lines.get('home') === 'yes',
      passwordDigest: readable ? shadow : null,
      ...(readable
        ? { locked: lines.get('locked') === 'yes', passwordMin: num(min), passwordMax: num(max), expires: expire === '' ? -1 : Number(expire) }
        : {}),
    }
  },
}
