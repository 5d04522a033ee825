/**
 * An owner or group name the host does not know fails as Ansible's set_owner_if_different and
 * set_group_if_different: the owner is looked up first, then the group (an id never fails), on the
 * first path, after whatever the plan did before it (a file written, a directory made); the owner
 * is set before a missing group fails; the mode is never reached. Ansible's words, the path and
 * add_path_info's fields of it. Every chown of a wanted owner/group goes through here.
 */
import { quote } from '../../engine/connection/quote.js'
import { ModuleFailure } from '../../engine/errors.js'
import { accountsKnown } from '../facts/accounts-known.js'
import type { PathStat } from '../facts/path.js'
import { shScript, type Command, type ModuleContext } from '../types.js'
import { pathInfoOf, statFields, STAT_FORMAT } from './path-result.js'

const MARK = '@@acplay-lookup'

type Names = { owner?: string; group?: string }

// sets bad=user or bad=group for $o / $g, owner first; an empty name is not asked
const LOOKUP = `bad=
case $o in *[!0-9]*) getent passwd "$o" >/dev/null || bad=user;; esac
[ -n "$bad" ] || case $g in *[!0-9]*) getent group "$g" >/dev/null || bad=group;; esac`

// With $bad set (LOOKUP), $o, $g, $h (-h or empty), $how and $base: the owner on the path $1 (when
// only the group is unknown), then the mark with its stat (named relative to $base when below it),
// as Ansible fails.
const FAIL = `p=$1 n=$g
if [ "$bad" = user ]; then n=$o; elif [ -n "$o" ]; then chown $h -- "$o" "$p" || exit; fi
s=; if [ -e "$p" ]; then s=$(stat -c '${STAT_FORMAT}' -- "$p"); fi
shown=$p; if [ -n "$base" ] && [ "$how" != real ]; then case $p in "$base"/*) shown=\${p#"$base"/};; esac; fi
printf '\\n${MARK} %s %s %s %s\\n' "$bad" "$(printf %s "$n" | base64 -w0)" "$(printf %s "$shown" | base64 -w0)" "$s" >&2
if [ "$how" = made ]; then rm -f -- "$p"; fi
exit 1`

// $1 owner, $2 group, $3 how (below), $4 base, then the paths. Names known: one chown. Else FAIL on the first path.
const CHOWN = `o=$1 g=$2 how=$3 base=$4 h=; shift 4
case $how in link) h=-h;; real) set -- "$(realpath -- "$1")";; esac
${LOOKUP}
[ -n "$bad" ] || exec chown $h -- "$o\${g:+:$g}" "$@"
${FAIL}`

// $1 src, $2 dest, $3 owner, $4 group, $5 mode: copy's remote_src, into a temp file beside dest
// renamed over it; the temp file first takes dest's owner and mode (0644 for a new file), as
// Ansible's atomic_move, then the wanted ones. A name the host does not know: renamed with those,
// then FAIL on dest, as Ansible's copy fails after the move.
const REMOTE_COPY = `o=$3 g=$4 how= base= h=
${LOOKUP}
t=$(mktemp "$(dirname -- "$2")/.acplay-tmp.XXXXXX") || exit 1
if cp -- "$1" "$t" && if [ -e "$2" ]; then chown --reference="$2" -- "$t" && chmod --reference="$2" -- "$t"; else chmod 0644 -- "$t"; fi &&
  if [ -z "$bad" ]; then { [ -z "$o$g" ] || chown -- "$o\${g:+:$g}" "$t"; } && chmod -- "$5" "$t"; fi && mv -f -- "$t" "$2"
then :; else rm -f -- "$t"; exit 1; fi
[ -n "$bad" ] || exit 0
set -- "$2"
${FAIL}`

/**
 * chown of `paths` to the wanted owner and/or group. `how`: `link`, the links themselves; `real`,
 * what the one link resolves to (Ansible's follow); `made`, a file just made for touch, removed
 * again when a name is unknown, as Ansible's touch does. A failing path below `relativeTo` is named
 * relative to it (not a followed link's target): the file module's relative path, named as given.
 */
export function chownCommand(want: Names, paths: string[], how: '' | 'link' | 'real' | 'made' = '', relativeTo = ''): Command {
  return shScript(CHOWN, want.owner ?? '', want.group ?? '', how, relativeTo, ...paths)
}

/** copy's remote_src: `src` copied to `dest` (through a temp file) with the wanted owner, group and mode; an unknown name fails after the move. */
export function remoteCopyCommand(src: string, dest: string, want: Names, mode: string): Command {
  return shScript(REMOTE_COPY, src, dest, want.owner ?? '', want.group ?? '', mode)
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

const isId = (name: string) => /^\d+$/.test(name)

/**
 * Check mode: the wanted names the host does not know (ids too with `ids`: the file module warns of
 * an id without an entry). A name the stat `st` shows (the path's own owner or group) is known
 * without a read, so a converged task asks nothing; else one getent read. An earlier task's user
 * or group (its effect) answers first; one an earlier install may bring is unknown until then (the
 * task "may change").
 */
export async function unknownNames(ctx: ModuleContext, want: Names, st?: PathStat, ids = false): Promise<Names> {
  if (!ctx.check) return {}
  const asked = (name: string | undefined, shown?: string, id?: number): string => {
    if (name === undefined || (isId(name) && !ids)) return ''
    if (isId(name) ? Number(name) === id && shown !== undefined && shown !== 'UNKNOWN' : name === shown) return ''
    return name
  }
  const owner = asked(want.owner, st?.owner, st?.uid)
  const group = asked(want.group, st?.group, st?.gid)
  if (!owner && !group) return {}
  const earlier = (fact: string, name: string): boolean | undefined => {
    if (!name || isId(name)) return undefined
    if (ctx.unknown?.(fact, name) !== undefined) return true
    const e = ctx.effect(fact, name) as { exists?: boolean } | undefined
    return e?.exists
  }
  const [o, g] = [earlier('user.info', owner), earlier('group.info', group)]
  const read =
    (o === undefined && owner) || (g === undefined && group) ? await ctx.fact(accountsKnown, o === undefined ? owner : '', g === undefined ? group : '') : {}
  const out: Names = {}
  if (owner && !(o ?? read.owner)) out.owner = owner
  if (group && !(g ?? read.group)) out.group = group
  return out
}

/**
 * What Ansible's copy action (template's through it) adds to an unknown name's failure: the
 * content's checksum and its empty list of diffs; nothing for the other modules (no checksum).
 */
export const copiedFields = (checksum: unknown): Record<string, unknown> => (checksum !== undefined ? { checksum, diff: [] } : {})

/** Check mode: Ansible's failure for the unknown names on an existing `path` (`st`: its stat, as the plan read it), owner first; ids never fail. */
export function unknownNameFailure(unknown: Names, path: string, st: PathStat, data: Record<string, unknown> = {}): ModuleFailure | undefined {
  const fields = { ...data, path, ...pathInfoOf(st) }
  if (unknown.owner !== undefined && !isId(unknown.owner)) return new ModuleFailure(`chown failed: failed to look up user ${unknown.owner}`, fields)
  if (unknown.group !== undefined && !isId(unknown.group)) return new ModuleFailure(`chgrp failed: failed to look up group ${unknown.group}`, fields)
  return undefined
}

/** The file module's warnings in check mode for names (and ids) the host does not know, in Ansible's words. */
export function unknownNameWarnings(unknown: Names): string[] {
  const w = (kind: 'user' | 'group', name: string | undefined) =>
    name === undefined
      ? []
      : [`failed to look up ${kind} ${isId(name) ? `with ${kind === 'user' ? 'uid' : 'gid'} ${name}` : name}. Create ${kind} up to this point in real play`]
  return [...w('user', unknown.owner), ...w('group', unknown.group)]
}
