/**
 * openssl_privatekey's decisions, as community.crypto 2.14's module makes them
 * (module_backends/privatekey.py): whether an existing key is kept, regenerated or converted to
 * another format, and the script that makes a key on the host with `openssl`.
 */
import { ModuleFailure } from '../../engine/errors.js'
import type { PrivateKeyState } from '../facts/crypto.js'
import { shScript, type Command } from '../types.js'
import { CURVES, printfOctal, RAW_PKCS8_PREFIX, type KeyType } from './keys.js'

export type Regenerate = 'never' | 'fail' | 'partial_idempotence' | 'full_idempotence' | 'always'
export type KeyFormatParam = 'pkcs1' | 'pkcs8' | 'raw' | 'auto' | 'auto_ignore'

export interface KeyWant {
  type: KeyType
  size: number
  curve?: string
  passphrase?: string
  format: KeyFormatParam
  formatMismatch: 'regenerate' | 'convert'
  regenerate: Regenerate
}

/** The format a key is written in: auto picks PKCS#8 for the Edwards/Montgomery types, PKCS#1 ("traditional") otherwise. */
export function wantedFormat(w: Pick<KeyWant, 'format' | 'type'>): 'pkcs1' | 'pkcs8' | 'raw' {
  if (w.format !== 'auto' && w.format !== 'auto_ignore') return w.format
  return ['X25519', 'X448', 'Ed25519', 'Ed448'].includes(w.type) ? 'pkcs8' : 'pkcs1'
}

const FORCE_HINT = ' Will not proceed. To force regeneration, call the module with `generate` set to'

/** Does the existing key have the wanted type and size (RSA, DSA) or curve (ECC)? */
function sizeAndTypeMatch(w: KeyWant, st: PrivateKeyState): boolean {
  const pub = st.pub!
  if (pub.type === 'RSA' || pub.type === 'DSA') return w.type === pub.type && w.size === pub.size
  if (pub.type === 'ECC') return w.type === 'ECC' && w.curve !== undefined && w.curve === pub.curve
  return w.type === pub.type
}

/** Ansible's needs_regeneration, then needs_conversion: what to do with the key at the path. */
export function keyAction(w: KeyWant, st: PrivateKeyState): 'keep' | 'regenerate' | 'convert' {
  if (w.regenerate === 'always' || !st.exists) return 'regenerate'
  // the key loads only with the right passphrase, or none for a key that is not encrypted
  if (!st.pub) {
    if (w.regenerate === 'full_idempotence') return 'regenerate'
    throw new ModuleFailure(
      `Unable to read the key. The key is protected with a another passphrase / no passphrase or broken.${FORCE_HINT} \`full_idempotence\` or \`always\`, or with \`force=true\`.`,
    )
  }
  if (w.regenerate !== 'never' && !sizeAndTypeMatch(w, st)) {
    if (w.regenerate !== 'fail') return 'regenerate'
    throw new ModuleFailure(`Key has wrong type and/or size.${FORCE_HINT} \`partial_idempotence\`, \`full_idempotence\` or \`always\`, or with \`force=true\`.`)
  }
  const formatOk = w.format === 'auto_ignore' || st.format === wantedFormat(w)
  if (w.formatMismatch === 'regenerate' && w.regenerate !== 'never' && !formatOk) {
    if (w.regenerate !== 'fail') return 'regenerate'
    throw new ModuleFailure(
      `Key has wrong format.${FORCE_HINT} \`partial_idempotence\`, \`full_idempotence\` or \`always\`, or with \`force=true\`. To convert the key, set \`format_mismatch\` to \`convert\`.`,
    )
  }
  if (w.formatMismatch === 'convert' && !formatOk) return 'convert'
  return 'keep'
}

/** genpkey's arguments for a new key of the wanted type. */
export function genpkeyArgs(w: Pick<KeyWant, 'type' | 'size' | 'curve'>): string[] {
  switch (w.type) {
    case 'RSA':
      return ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${w.size}`]
    case 'ECC':
      return ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${CURVES[w.curve!]}`, '-pkeyopt', 'ec_param_enc:named_curve']
    case 'Ed25519':
    case 'Ed448':
    case 'X25519':
    case 'X448':
      return ['-algorithm', w.type.toUpperCase()]
    default:
      throw new ModuleFailure(`type=${w.type} is not supported by acplay (RSA, ECC, Ed25519, Ed448, X25519 and X448 are)`)
  }
}

/**
 * Writes a key at $dest: made by `openssl genpkey` (or read from the existing file, to convert it),
 * in the wanted format, encrypted with AES-256 when there is a passphrase (cryptography's
 * BestAvailableEncryption), into a temp file beside it (umask 077), given owner, group and mode,
 * then renamed into place. The passphrase comes on stdin and reaches openssl on a descriptor.
 * Prints the new public key (DER, base64) and, with return_content, the file.
 * $1 dest, $2 source (gen|convert), $3 format, $4 "1" to encrypt, $5 owner, $6 group, $7 mode,
 * $8 raw length, $9 raw PKCS#8 prefix (octal escapes), $10 "1" to print the file; then genpkey's args.
 */
export const WRITE_KEY_SH = `set -e
dest=$1 src=$2 fmt=$3 enc=$4 owner=$5 group=$6 mode=$7 rawlen=$8 rawpre=$9
show=\${10}
shift 10
IFS= read -r pass || :
umask 077
tmp=$(mktemp "$(dirname -- "$dest")/.acplay-key.XXXXXX")
trap 'rm -f -- "$tmp"' EXIT
make() {
  if [ "$src" = gen ]; then openssl genpkey -quiet "$@"
  elif [ "$enc" = 1 ]; then openssl pkey -in "$dest" -passin fd:3 3<<ACPLAY_PASS
$pass
ACPLAY_PASS
  else openssl pkey -in "$dest"; fi
}
case $fmt in
raw) make "$@" | openssl pkey -outform DER | tail -c "$rawlen" > "$tmp"
  [ "$(wc -c < "$tmp")" -eq "$rawlen" ] || { echo "openssl made no key" >&2; exit 1; } ;;
*) trad=; [ "$fmt" = pkcs1 ] && trad=-traditional
  if [ "$enc" = 1 ]; then make "$@" | openssl pkey $trad -aes256 -passout fd:3 -out "$tmp" 3<<ACPLAY_PASS
$pass
ACPLAY_PASS
  else make "$@" | openssl pkey $trad -out "$tmp"; fi ;;
esac
[ -s "$tmp" ] || { echo "openssl made no key" >&2; exit 1; }
[ -z "$owner$group" ] || chown -- "$owner\${group:+:$group}" "$tmp"
chmod -- "$mode" "$tmp"
if [ "$fmt" = raw ]; then pub=$({ printf "$rawpre"; cat -- "$tmp"; } | openssl pkey -inform DER -pubout -outform DER | base64 -w0)
elif [ "$enc" = 1 ]; then pub=$(openssl pkey -in "$tmp" -passin fd:3 -pubout -outform DER 3<<ACPLAY_PASS | base64 -w0
$pass
ACPLAY_PASS
)
else pub=$(openssl pkey -in "$tmp" -pubout -outform DER | base64 -w0); fi
sync -f "$tmp"
mv -f -- "$tmp" "$dest"
trap - EXIT
echo "acplay-pub $pub"
if [ "$show" = 1 ]; then printf 'acplay-content '; base64 -w0 < "$dest"; echo; fi`

export interface WriteKey {
  dest: string
  source: 'gen' | 'convert'
  want: KeyWant
  owner?: string
  group?: string
  mode: string
  returnContent: boolean
}

export function writeKeyCommand(a: WriteKey): Command {
  const format = wantedFormat(a.want)
  const raw = format === 'raw' ? RAW_PKCS8_PREFIX[a.want.type] : undefined
  const rawPre = raw ? printfOctal(raw.hex) : ''
  const enc = a.want.passphrase !== undefined && format !== 'raw'
  const gen = a.source === 'gen' ? genpkeyArgs(a.want) : []
  return {
    ...shScript(
      WRITE_KEY_SH,
      a.dest,
      a.source,
      format,
      enc ? '1' : '',
      a.owner ?? '',
      a.group ?? '',
      a.mode,
      String(raw?.length ?? 0),
      rawPre,
      a.returnContent ? '1' : '',
      ...gen,
    ),
    stdin: a.want.passphrase ?? '',
  }
}

/** What the write printed: the new public key (DER, base64) and, with return_content, the file (base64). */
export function parseWritten(stdout: string): { pub?: string; content?: string } {
  const get = (k: string) =>
    stdout
      .split('\n')
      .find((l) => l.startsWith(`${k} `))
      ?.slice(k.length + 1)
  return { pub: get('acplay-pub') || undefined, content: get('acplay-content') }
}
