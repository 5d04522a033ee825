/**
 * Turns a Plan's changes into ONE `set -e` shell script (one round trip). Uploads are written
 * atomically: temp file in the destination's directory, owner and mode set, fsync, then rename.
 */
import { quote, shellJoin } from './connection/quote.js'
import type { Change, Command, Upload } from '../modules/types.js'

/** A here-document of base64, so any bytes (and any size) travel inside the script safely. */
function heredoc(content: string | Buffer): string {
  const b64 = Buffer.from(content).toString('base64').replace(/.{1,76}/g, '$&\n')
  return `<<'ACPLAY_EOF'\n${b64}ACPLAY_EOF`
}

export function commandLine(cmd: Command): string {
  if (cmd.stdin === undefined) return shellJoin(cmd.argv)
  // The pipe must follow the `<<'ACPLAY_EOF'` operator on the first line: after the body, the
  // delimiter line has to stand alone or the here-document never ends.
  const [op, ...body] = heredoc(cmd.stdin).split('\n')
  return `base64 -d ${op} | ${shellJoin(cmd.argv)}\n${body.join('\n')}`
}

export function uploadScript(u: Upload): string {
  const dest = quote(u.dest)
  const owner = u.owner || u.group ? `chown ${quote(`${u.owner ?? ''}${u.group ? `:${u.group}` : ''}`)} "$tmp"` : ''
  // Without an explicit mode an existing file keeps its mode; a new one gets 0644 (Ansible's default under umask 022).
  const mode = u.mode ? `chmod ${quote(u.mode)} "$tmp"` : `if [ -e ${dest} ]; then chmod --reference=${dest} "$tmp"; else chmod 0644 "$tmp"; fi`
  const keepOwner = u.owner || u.group ? '' : `if [ -e ${dest} ]; then chown --reference=${dest} "$tmp"; fi`
  return [
    '(',
    'umask 077',
    `tmp=$(mktemp "$(dirname ${dest})/.acplay-tmp.XXXXXX")`,
    `trap 'rm -f "$tmp"' EXIT`,
    `base64 -d > "$tmp" ${heredoc(u.content)}`,
    keepOwner,
    owner,
    mode,
    u.validate ? validateLine(u.validate) : '',
    'sync "$tmp"',
    `mv -f "$tmp" ${dest}`,
    'trap - EXIT',
    ')',
  ]
    .filter(Boolean)
    .join('\n')
}

/** The validate argv with every '%s' pointing at the temp file: quoted pieces around "$tmp". */
function validateLine(argv: readonly string[]): string {
  const arg = (a: string) => (a.includes('%s') ? a.split('%s').map((p) => (p ? quote(p) : '')).join('"$tmp"') : quote(a))
  return `${argv.map(arg).join(' ')} || { echo ${quote(`validation failed: ${argv.join(' ')}`)} >&2; exit 1; }`
}

export function planScript(changes: readonly Change[]): string {
  const lines = ['set -e']
  for (const c of changes) {
    if (c.upload) lines.push(uploadScript(c.upload))
    for (const cmd of c.commands) lines.push(commandLine(cmd))
  }
  return lines.join('\n') + '\n'
}
