/**
 * Reading keys, CSRs and certificates for the community.crypto modules: one script per file, run
 * with the host's `openssl`. A passphrase reaches openssl on a file descriptor (a here-document
 * from the script's stdin), never on a command line. What comes back is public: the public key's
 * DER, a key file's first line and whether it is encrypted; the private key only when asked
 * (return_content).
 */
import { createHmac, randomBytes } from 'node:crypto'
import { keyFormat, printfOctal, publicKeyInfo, RAW_PKCS8_PREFIX, type PublicKeyInfo } from '../crypto/keys.js'
import type { CsrWant } from '../crypto/csr-plan.js'
import { shScript, type Fact } from '../types.js'

export interface PrivateKeyState {
  exists: boolean
  /** a directory or some other non-file at the path */
  notFile?: boolean
  format?: ReturnType<typeof keyFormat>
  encrypted?: boolean
  /**
   * The public key when the key loads as Ansible's module loads it (an encrypted key with the
   * passphrase, a plain one without; a raw one by its length); undefined: it does not.
   */
  pub?: PublicKeyInfo
  /** return_content: the file, base64 */
  content?: string
}

// $1 path, $2 "1" when a passphrase is given (it is on stdin), $3 the type a 32-byte raw key is read
// as, $4 "1" to print the file (return_content). The raw prefixes are the script's own text.
const raw = (name: string) => printfOctal(RAW_PKCS8_PREFIX[name]!.hex)
export const PRIVATE_KEY_SH = `p=$1
[ -e "$p" ] || { echo absent; exit 0; }
[ -f "$p" ] || { echo notfile; exit 0; }
IFS= read -r pass || :
first=$(head -n1 -- "$p" | tr -d '\\r\\n' | LC_ALL=C tr -c ' -~' '?' | head -c 300)
printf 'first %s\\n' "$first"
enc=0
case $first in '-----BEGIN ENCRYPTED PRIVATE KEY-----') enc=1 ;; esac
grep -q '^Proc-Type: 4,ENCRYPTED' -- "$p" 2>/dev/null && enc=1
echo "encrypted $enc"
case $first in
-----BEGIN*-----)
  if [ "$enc" = 1 ] && [ "$2" = 1 ]; then
    pub=$(openssl pkey -in "$p" -passin fd:3 -pubout -outform DER 2>/dev/null 3<<ACPLAY_PASS | base64 -w0
$pass
ACPLAY_PASS
)
  elif [ "$enc" = 0 ] && [ "$2" != 1 ]; then
    pub=$(openssl pkey -in "$p" -pubout -outform DER 2>/dev/null | base64 -w0)
  fi ;;
*)
  if [ "$2" != 1 ]; then
    case $(wc -c < "$p") in
    32) if [ "$3" = X25519 ]; then pre='${raw('X25519')}'; else pre='${raw('Ed25519')}'; fi ;;
    56) pre='${raw('X448')}' ;;
    57) pre='${raw('Ed448')}' ;;
    *) pre= ;;
    esac
    [ -n "$pre" ] && pub=$({ printf "$pre"; cat -- "$p"; } | openssl pkey -inform DER -pubout -outform DER 2>/dev/null | base64 -w0)
  fi ;;
esac
[ -n "$pub" ] && echo "pub $pub"
if [ "$4" = 1 ]; then printf 'content '; base64 -w0 < "$p"; echo; fi
exit 0`

// per process: a passphrase's part of a fact key is not a guessing oracle outside this run's memory
const KEY_SALT = randomBytes(16)

/** What identifies a read with a passphrase, without holding it. */
export const passphraseKey = (passphrase: string | undefined): string =>
  passphrase === undefined ? '' : ` with passphrase ${createHmac('sha256', KEY_SALT).update(passphrase).digest('hex').slice(0, 16)}`

export function parsePrivateKey(stdout: string): PrivateKeyState {
  const lines = stdout.split('\n')
  if (lines[0] === 'absent') return { exists: false }
  if (lines[0] === 'notfile') return { exists: true, notFile: true }
  const field = (k: string) => lines.find((l) => l.startsWith(`${k} `))?.slice(k.length + 1)
  const st: PrivateKeyState = { exists: true, format: keyFormat(field('first')), encrypted: field('encrypted') === '1' }
  const der = field('pub')
  if (der) st.pub = publicKeyInfo(der)
  const content = field('content')
  if (content !== undefined) st.content = content
  return st
}

/** A private key file: (path, passphrase, the type a 32-byte raw key is, return the content). */
export const privateKeyFact: Fact<PrivateKeyState, [string, string | undefined, string, boolean]> = {
  name: 'crypto.privatekey',
  key: (path, passphrase, raw32, content) => `${path}${passphraseKey(passphrase)} raw32 ${raw32}${content ? ' content' : ''}`,
  command: (path, passphrase, raw32, content) => ({
    ...shScript(PRIVATE_KEY_SH, path, passphrase === undefined ? '' : '1', raw32, content ? '1' : ''),
    stdin: passphrase ?? '',
  }),
  parse(out, path) {
    if (out.rc !== 0) throw new Error(`cannot read ${path}: ${out.stderr.trim()}`)
    return parsePrivateKey(out.stdout)
  },
}

/** A CSR or certificate file: its DER when openssl reads it as PEM, and whether its signature checks. */
export interface PemState {
  exists: boolean
  notFile?: boolean
  /** DER, base64; undefined: not a PEM openssl reads */
  der?: string
  /** the CSR's self-signature verifies (CSRs only) */
  verified?: boolean
  /** the file, when asked for (return_content) */
  text?: string
  /**
   * Check mode: a CSR an earlier task of this run is to make (its effect): what it will hold, and
   * its key's public key ('' when that key is to be made too)
   */
  planned?: { want: CsrWant; pub: string }
}

// $1 path, $2 req|x509, $3 "1" to print the file
const PEM_SH = `p=$1
[ -e "$p" ] || { echo absent; exit 0; }
[ -f "$p" ] || { echo notfile; exit 0; }
der=$(openssl "$2" -in "$p" -outform DER 2>/dev/null | base64 -w0)
[ -n "$der" ] && echo "der $der"
if [ "$2" = req ] && [ -n "$der" ]; then openssl req -in "$p" -noout -verify >/dev/null 2>&1 && echo verified; fi
if [ "$3" = 1 ]; then printf 'text '; base64 -w0 < "$p"; echo; fi
exit 0`

export function parsePem(stdout: string): PemState {
  const lines = stdout.split('\n')
  if (lines[0] === 'absent') return { exists: false }
  if (lines[0] === 'notfile') return { exists: true, notFile: true }
  const field = (k: string) => lines.find((l) => l.startsWith(`${k} `))?.slice(k.length + 1)
  const st: PemState = { exists: true, der: field('der') || undefined, verified: lines.includes('verified') }
  const text = field('text')
  if (text !== undefined) st.text = Buffer.from(text, 'base64').toString('utf8')
  return st
}

/** A CSR (req) or certificate (x509) file: (path, kind, return the text). */
export const pemFact: Fact<PemState, [string, 'req' | 'x509', boolean]> = {
  name: 'crypto.pem',
  key: (path, kind, text) => `${path} ${kind}${text ? ' text' : ''}`,
  command: (path, kind, text) => shScript(PEM_SH, path, kind, text ? '1' : ''),
  parse(out, path) {
    if (out.rc !== 0) throw new Error(`cannot read ${path}: ${out.stderr.trim()}`)
    return parsePem(out.stdout)
  },
}
