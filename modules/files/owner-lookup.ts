/**
 * An owner or group name the host does not know fails as Ansible's set_owner_if_different and
 * set_group_if_different: the owner is looked up first, then the group (an id never fails), on the
 * first path, after whatever the plan did before it (a file written, a directory made); the owner
 * is set before a missing group fails; the mode is never reached. Ansible's words, the path and
 * add_path_info's fields of it. Every chown of a wanted owner/group goes through here.
 */
import { quote } from '../../engine/connection/quote.js'
import { shScript, type Command } from '../types.js'
import { statFields, STAT_FORMAT } from './path-result.js'

const MARK = '@@acplay-lookup'

// sets bad=user or bad=group for $o / $g, owner first; an empty name is not asked
const LOOKUP = `bad=
case $o in *[!0-9]*) getent passwd "$o" >/dev/null || bad=user;; esac
[ -n "$bad" ] || case $g in *[!0-9]*) getent group "$g" >/dev/null || bad=group;; esac`

// $1 owner, $2 group, $3 how (below), then the paths. Names known: one chown. Else the owner on the
// first path (when only the group is unknown), then the mark with that path's stat, as Ansible fails.
const CHOWN = `o=$1 g=$2 how=$3 h=; shift 3
case $how in link) h=-h;; real) set -- "$(realpath -- "$1")";; esac
${LOOKUP}
[ -n "$bad" ] || exec chown $h -- "$o\${g:+:$g}" "$@"
p=$1 n=$g
if [ "$bad" = user ]; then n=$o; elif [ -n "$o" ]; then chown $h -- "$o" "$p" || exit; fi
s=; if [ -e "$p" ]; then s=$(stat -c '${STAT_FORMAT}' -- "$p"); fi
printf '\\n${MARK} %s %s %s %s\\n' "$bad" "$(printf %s "$n" | base64 -w0)" "$(printf %s "$p" | base64 -w0)" "$s" >&2
if [ "$how" = made ]; then rm -f -- "$p"; fi
exit 1`

/**
 * chown of `paths` to the wanted owner and/or group. `how`: `link`, the links themselves; `real`,
 * what the one link resolves to (Ansible's follow); `made`, a file just made for touch, removed
 * again when a name is unknown, as Ansible's touch does.
 */
export function chownCommand(want: { owner?: string; group?: string }, paths: string[], how: '' | 'link' | 'real' | 'made' = ''): Command {
  return shScript(CHOWN, want.owner ?? '', want.group ?? '', how, ...paths)
}

/** A shell condition: both names (those given) are known on the host. */
export function namesKnown(owner = '', group = ''): string {
  return `( o=${quote(owner)} g=${quote(group)}; ${LOOKUP.replaceAll('\n', '; ')}; [ -z "$bad" ] )`
}

const LOOKUP_FAILED = new RegExp(`\\n${MARK} (user|group) (\\S*) (\\S*) ?(.*)\\n`)

/** The failure a chownCommand printed (its mark in stderr): Ansible's msg, the path and its fields. */
export function lookupFailure(stderr: string): { msg: string; data: Record<string, unknown> } | undefined {
  const m = LOOKUP_FAILED.exec(stderr)
  if (!m) return undefined
  const text = (b64: string) => Buffer.from(b64, 'base64').toString('utf8')
  const name = text(m[2]!)
  const msg = m[1] === 'user' ? `chown failed: failed to look up user ${name}` : `chgrp failed: failed to look up group ${name}`
  return { msg, data: { path: text(m[3]!), ...(m[4] ? statFields(m[4]) : {}) } }
}
