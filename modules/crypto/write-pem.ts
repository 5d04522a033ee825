/**
 * Writing a CSR or a certificate made on the host: the module's own openssl step writes "$tmp" (a
 * temp file beside the destination), then the file gets its owner, group and mode and is renamed
 * into place, as Ansible's write_file and atomic_move leave it: an existing file's owner and mode
 * are kept unless given; a new one is 0644 (0666 under the usual umask 022). A private key's
 * passphrase comes on stdin and reaches openssl on descriptor 3; the OpenSSL config (it holds no
 * secret) is a positional argument, fed to openssl on descriptor 4. The file is printed back
 * (base64) for the result.
 */
import type { PathStat } from '../facts/path.js'
import type { AttrWant } from '../files/attrs.js'
import { fmtMode, resolveMode } from '../files/mode.js'
import type { Stats } from '../files/stat.js'
import { backupChange, backupName } from '../files/write.js'
import { shScript, type Change, type Command } from '../types.js'

const CA_DIR = `ca=$(mktemp -d)
trap 'rm -f -- "$tmp"; rm -rf -- "$ca"' EXIT
: > "$ca/index.txt"
printf '%s\\n' "$1" > "$ca/serial"
shift
export ACPLAY_CA="$ca"
pw() { if [ "$enc" = 1 ]; then "$@" -passin fd:3 3<<ACPLAY_PASS
$pass
ACPLAY_PASS
else "$@"; fi; }
`

/** The openssl steps the writer runs (each writes "$tmp"; $key, $conf, $csr, $pass and "$@" are theirs to use). */
export const OPENSSL_STEPS = {
  csr: `if [ "$enc" = 1 ]; then openssl req -new -config /dev/fd/4 -key "$key" -passin fd:3 "$@" -out "$tmp" 4<<ACPLAY_CONF 3<<ACPLAY_PASS
$conf
ACPLAY_CONF
$pass
ACPLAY_PASS
else openssl req -new -config /dev/fd/4 -key "$key" "$@" -out "$tmp" 4<<ACPLAY_CONF
$conf
ACPLAY_CONF
fi`,
  // a self-signed certificate: `openssl ca -selfsign` in a throwaway CA directory ($conf names it
  // $ENV::ACPLAY_CA), for exact start and end dates, the serial ($1) and the CSR's extensions; without
  // a CSR, one with an empty subject and no extensions first (as Ansible's module makes)
  selfsigned: `${CA_DIR}if [ -z "$csr" ]; then
  csr=$ca/req.csr
  pw openssl req -new -config /dev/fd/4 -key "$key" -subj / -out "$csr" 4<<ACPLAY_CONF
$conf
ACPLAY_CONF
fi
pw openssl ca -batch -notext -selfsign -preserveDN -config /dev/fd/4 -keyfile "$key" -in "$csr" "$@" -out "$tmp" 4<<ACPLAY_CONF 2>"$ca/err" || { cat "$ca/err" >&2; exit 1; }
$conf
ACPLAY_CONF`,
  // a certificate signed by a CA of the user's ($key is its key, $1 after the serial its certificate)
  ownca: `${CA_DIR}cacert=$1
shift
pw openssl ca -batch -notext -preserveDN -config /dev/fd/4 -cert "$cacert" -keyfile "$key" -in "$csr" "$@" -out "$tmp" 4<<ACPLAY_CONF 2>"$ca/err" || { cat "$ca/err" >&2; exit 1; }
$conf
ACPLAY_CONF`,
} as const

// $1 dest, $2 key, $3 "1" when the key is encrypted, $4 owner, $5 group, $6 mode ('' keeps it / 0644),
// $7 the OpenSSL config, $8 the CSR; then openssl's extra args
const PRELUDE = `set -e
dest=$1 key=$2 enc=$3 owner=$4 group=$5 mode=$6 conf=$7 csr=$8
shift 8
ca=
IFS= read -r pass || :
tmp=$(mktemp "$(dirname -- "$dest")/.acplay-pem.XXXXXX")
trap 'rm -f -- "$tmp"' EXIT
`
const PLACE = `
[ -s "$tmp" ] || { echo "openssl wrote nothing" >&2; exit 1; }
if [ -n "$owner$group" ]; then chown -- "$owner\${group:+:$group}" "$tmp"
elif [ -e "$dest" ]; then chown --reference="$dest" -- "$tmp"; fi
if [ -n "$mode" ]; then chmod -- "$mode" "$tmp"
elif [ -e "$dest" ]; then chmod --reference="$dest" -- "$tmp"
else chmod 0644 "$tmp"; fi
printf 'acplay-pem '; base64 -w0 < "$tmp"; echo
sync -f "$tmp"
mv -f -- "$tmp" "$dest"
trap - EXIT
[ -z "$ca" ] || rm -rf -- "$ca"`

export interface PemWrite {
  step: keyof typeof OPENSSL_STEPS
  dest: string
  key: string
  passphrase?: string
  owner?: string
  group?: string
  mode?: string
  conf: string
  csr?: string
  args: string[]
}

export function pemWriteCommand(w: PemWrite): Command {
  return {
    ...shScript(
      PRELUDE + OPENSSL_STEPS[w.step] + PLACE,
      w.dest,
      w.key,
      w.passphrase === undefined ? '' : '1',
      w.owner ?? '',
      w.group ?? '',
      w.mode ?? '',
      w.conf,
      w.csr ?? '',
      ...w.args,
    ),
    stdin: w.passphrase ?? '',
  }
}

/** The file the writer printed (base64), if it got that far. */
export function writtenPem(stdout: string): string | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('acplay-pem '))
  return line === undefined ? undefined : Buffer.from(line.slice('acplay-pem '.length), 'base64').toString('utf8')
}

/**
 * A key, CSR or certificate about to be (re)written at `path`: the mode to give it (the wanted one,
 * relative to the present file's, else to `defaultMode`; undefined: as the write leaves it), the
 * stat it leaves for later tasks, and the copy of the present file made first with `backup`.
 */
export function rewrite(
  path: string,
  st: PathStat,
  want: AttrWant,
  stats: Stats,
  o: { backup: boolean; defaultMode: number },
): { mode?: string; after: PathStat; backup?: string; changes: Change[] } {
  const exists = st.exists && st.type === 'file'
  const mode = want.mode ? fmtMode(resolveMode(want.mode, exists && st.mode ? Number.parseInt(st.mode, 8) : o.defaultMode, false)) : undefined
  const backup = o.backup && exists ? backupName(path) : undefined
  const after: PathStat = {
    exists: true,
    type: 'file',
    mode: mode ?? (exists ? st.mode : fmtMode(o.defaultMode)),
    owner: want.owner ?? (exists ? st.owner : stats.user),
    group: want.group ?? (exists ? st.group : stats.group),
  }
  return { mode, after, backup, changes: backup ? [backupChange(path, backup)] : [] }
}
