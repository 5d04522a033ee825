/**
 * The one script that changes a key pair on the host: ssh-keygen makes the pair (or sets a comment
 * on a copy of the private key) in a private temp dir beside the key, each file gets its owner,
 * group and mode (an existing file's are kept unless given, as Ansible's atomic_move keeps them; a
 * new private key is 0600, a new .pub 0644) and is renamed into place. A passphrase comes on stdin
 * and reaches ssh-keygen through SSH_ASKPASS (a script of ours printing an environment variable).
 * The pair left is printed back (`ssh-keygen -l`, the .pub) for the task's result.
 */
import { shScript, type Command } from '../types.js'
import { parseListed, parsePubLine, type ListedKey, type PubKey } from './keypair-state.js'

// $1 gen|pub|absent, $2 path, $3 type, $4 size, $5 comment, $6 "1": a passphrase is on stdin,
// $7 the .pub line to write (pub), $8 "1": set the comment in the private key too (pub), then the
// private key's owner, group, mode and the .pub's ('' each: kept, or the default for a new file)
const SCRIPT = `set -e
act=$1 p=$2 type=$3 size=$4 comment=$5 enc=$6 publine=$7 recomment=$8
po=$9 pg=\${10} pm=\${11} qo=\${12} qg=\${13} qm=\${14}
IFS= read -r pass || :
place() {
  if [ -e "$2" ]; then chown --reference="$2" -- "$1"; chmod --reference="$2" -- "$1"; else chmod "$6" "$1"; fi
  if [ -n "$3$4" ]; then chown -- "$3\${4:+:$4}" "$1"; fi
  if [ -n "$5" ]; then chmod -- "$5" "$1"; fi
  mv -f -- "$1" "$2"
}
if [ "$act" = absent ]; then rm -f -- "$p" "$p.pub"; exit 0; fi
d=$(mktemp -d "$(dirname -- "$p")/.acplay-sshkey.XXXXXX")
trap 'rm -rf -- "$d"' EXIT
if [ "$act" = gen ]; then
  if [ "$enc" = 1 ]; then
    printf '#!/bin/sh\\nprintf "%%s\\\\n" "$ACPLAY_SSH_PASS"\\n' > "$d/askpass"
    chmod 700 "$d/askpass"
    ACPLAY_SSH_PASS=$pass SSH_ASKPASS=$d/askpass SSH_ASKPASS_REQUIRE=force ssh-keygen -q -b "$size" -t "$type" -C "$comment" -f "$d/key" </dev/null
  else
    ssh-keygen -q -N '' -b "$size" -t "$type" -C "$comment" -f "$d/key" </dev/null
  fi
  place "$d/key" "$p" "$po" "$pg" "$pm" 0600
  place "$d/key.pub" "$p.pub" "$qo" "$qg" "$qm" 0644
else
  if [ "$recomment" = 1 ]; then
    cp -p -- "$p" "$d/key"
    ssh-keygen -q -o -c -C "$comment" -f "$d/key" </dev/null >/dev/null
    place "$d/key" "$p" "$po" "$pg" "$pm" 0600
  fi
  printf '%s\\n' "$publine" > "$d/new.pub"
  place "$d/new.pub" "$p.pub" "$qo" "$qg" "$qm" 0644
fi
printf 'acplay-l %s\\n' "$(ssh-keygen -l -f "$p" 2>/dev/null </dev/null | head -n1)"
printf 'acplay-pub '
base64 -w0 < "$p.pub"
echo`

/** Owner, group and mode to give one file ('' or undefined: keep the present one / the default). */
export interface FileAttrs {
  owner?: string
  group?: string
  mode?: string
}

export type KeypairWrite =
  | { act: 'gen'; path: string; type: string; size: number; comment?: string; passphrase?: string; priv: FileAttrs; pub: FileAttrs }
  /** `recomment`: also set this comment in the private key (ssh-keygen -c, as the opensshbin backend does) */
  | { act: 'pub'; path: string; line: string; recomment?: string; priv: FileAttrs; pub: FileAttrs }
  | { act: 'absent'; path: string }

export function keypairWriteCommand(w: KeypairWrite): Command {
  const attrs = (a?: FileAttrs) => [a?.owner ?? '', a?.group ?? '', a?.mode ?? '']
  if (w.act === 'absent') return shScript(SCRIPT, 'absent', w.path, '', '', '', '', '', '', ...attrs(), ...attrs())
  if (w.act === 'pub') return shScript(SCRIPT, 'pub', w.path, '', '', w.recomment ?? '', '', w.line, w.recomment ? '1' : '', ...attrs(w.priv), ...attrs(w.pub))
  return {
    ...shScript(SCRIPT, 'gen', w.path, w.type, String(w.size), w.comment ?? '', w.passphrase ? '1' : '', '', '', ...attrs(w.priv), ...attrs(w.pub)),
    stdin: w.passphrase ?? '',
  }
}

/** The key pair the script left, as it printed it. */
export function writtenKeypair(stdout: string): { priv?: ListedKey; pub?: PubKey } | undefined {
  const lines = stdout.split('\n')
  const l = lines.find((x) => x.startsWith('acplay-l '))
  const pub = lines.find((x) => x.startsWith('acplay-pub '))
  if (l === undefined || pub === undefined) return undefined
  return { priv: parseListed(l.slice('acplay-l '.length)), pub: parsePubLine(Buffer.from(pub.slice('acplay-pub '.length), 'base64').toString('utf8')) }
}
