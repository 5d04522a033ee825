/**
 * What openssh_keypair reads of a key pair, in ONE command: whether the private key and its .pub
 * exist, the private key's first line (its format), `ssh-keygen -l` (size, fingerprint, type, as
 * Ansible's opensshbin backend reads them), `ssh-keygen -P '' -y` (does it load without a
 * passphrase; the public key it derives) and, with a passphrase, `ssh-keygen -y` with that
 * passphrase. The passphrase comes on stdin and reaches ssh-keygen through SSH_ASKPASS (a script
 * of ours in a private temp dir that prints an environment variable): never on a command line.
 * The same command stats the key's directory and both files (following links, as Ansible's
 * os.path checks do), so a converged key pair costs one round trip even without read-ahead.
 */
import { dirname } from 'node:path'
import { passphraseKey } from '../facts/crypto.js'
import { parseStatRecord, type PathStat } from '../facts/path.js'
import { shScript, type Fact } from '../types.js'

/** `ssh-keygen -l` of the private key, as Ansible's PrivateKey.from_string reads it. */
export interface ListedKey {
  size: number
  fingerprint: string
  /** rsa, dsa, ecdsa, ed25519 */
  type: string
}

/** A public key line: "type data comment". */
export interface PubKey {
  type: string
  data: string
  comment: string
}

/** What an `ssh-keygen -y` gave: whether the key loaded, the public key it derived. */
export interface Derived {
  loads: boolean
  /** Ansible's opensshbin test for an unreadable key: rc 255 or one of its error words */
  unreadable: boolean
  pub?: PubKey
}

/** Who the commands run as (the owner a new file gets) and the stat of the directory and both files. */
export interface KeypairStats {
  user: string
  group: string
  dir: PathStat
  priv: PathStat
  pub: PathStat
}

export interface KeypairState {
  stats: KeypairStats
  priv: 'absent' | 'file' | 'dir'
  /** the private key file's format by its first line: SSH, PKCS8, PKCS1 or '' */
  format?: string
  listed?: ListedKey
  /** ssh-keygen -P '' -y */
  plain?: Derived
  /** ssh-keygen -y with the passphrase (asked with one) */
  withPass?: Derived
  /** the .pub file: absent, its key, or null when it holds no key line (or is not a file) */
  pubFile: 'absent' | PubKey | null
}

// $1 the private key's path, $2 "1" when a passphrase is on stdin, $3 its directory. Each
// ssh-keygen's output comes back base64 (one field per line); stdin is closed for them so nothing
// waits on a prompt. /proc/self/ is the stat process's own: its owner is the user we run as.
export const KEYPAIR_SH = `p=$1
IFS= read -r pass || :
for f in /proc/self/ "$3" "$p" "$p.pub"; do
  printf 'stat %s\\n' "$(stat -L -c '%F|%a|%U|%G|%u|%g|%s|%i|%d|%h' -- "$f" 2>/dev/null || echo absent)"
done
if [ -d "$p" ]; then echo 'priv dir'
elif [ -e "$p" ]; then
  echo 'priv file'
  printf 'first %s\\n' "$(head -n1 -- "$p" 2>/dev/null | tr -d '\\r\\n' | LC_ALL=C tr -c ' -~' '?' | head -c 100)"
  printf 'l %s\\n' "$(ssh-keygen -l -f "$p" 2>/dev/null </dev/null | head -n1)"
  y=$(ssh-keygen -P '' -y -f "$p" 2>&1 </dev/null)
  printf 'plain %s %s\\n' "$?" "$(printf '%s' "$y" | base64 -w0)"
  if [ "$2" = 1 ]; then
    d=$(mktemp -d) || exit 1
    trap 'rm -rf -- "$d"' EXIT
    printf '#!/bin/sh\\nprintf "%%s\\\\n" "$ACPLAY_SSH_PASS"\\n' > "$d/askpass"
    chmod 700 "$d/askpass"
    y=$(ACPLAY_SSH_PASS=$pass SSH_ASKPASS=$d/askpass SSH_ASKPASS_REQUIRE=force ssh-keygen -y -f "$p" 2>&1 </dev/null)
    printf 'pass %s %s\\n' "$?" "$(printf '%s' "$y" | base64 -w0)"
  fi
else echo 'priv absent'
fi
if [ -f "$p.pub" ]; then printf 'pub '; base64 -w0 < "$p.pub"; echo
elif [ -e "$p.pub" ]; then echo 'pubother'
else echo 'pubabsent'
fi
exit 0`

// what Ansible's opensshbin backend takes for "cannot read this key" in ssh-keygen's stderr
const UNREADABLE_WORDS = ['is not a public key file', 'incorrect passphrase', 'load failed']

/** Ansible's PrivateKey.from_string of `ssh-keygen -l`: undefined where it raises (no output). */
export function parseListed(line: string): ListedKey | undefined {
  const f = line.trim().split(/\s+/).filter(Boolean)
  if (f.length < 2) return undefined
  const size = Number.parseInt(f[0]!, 10)
  if (!Number.isFinite(size)) return undefined
  return { size, fingerprint: f[1]!, type: f[f.length - 1]!.slice(1, -1).toLowerCase() }
}

/** A public key line as Ansible splits it ("type data comment..."); undefined without type and data. */
export function parsePubLine(text: string): PubKey | undefined {
  const line = text.replace(/^[ \n]+|[ \n]+$/g, '')
  const first = line.indexOf(' ')
  if (first < 0) return undefined
  const second = line.indexOf(' ', first + 1)
  return {
    type: line.slice(0, first),
    data: second < 0 ? line.slice(first + 1) : line.slice(first + 1, second),
    comment: second < 0 ? '' : line.slice(second + 1),
  }
}

function parseDerived(field: string): Derived {
  const [rc, b64 = ''] = field.split(' ')
  const text = Buffer.from(b64, 'base64').toString('utf8')
  const code = Number(rc)
  const loads = code === 0
  const keyLine = loads ? text.split('\n').find((l) => /^[a-z0-9@.-]+ \S/.test(l)) : undefined
  return {
    loads,
    unreadable: code === 255 || UNREADABLE_WORDS.some((w) => text.includes(w)),
    pub: keyLine === undefined ? undefined : parsePubLine(keyLine),
  }
}

const FORMATS: Record<string, string> = {
  '-----BEGIN OPENSSH PRIVATE KEY-----': 'SSH',
  '-----BEGIN PRIVATE KEY-----': 'PKCS8',
  '-----BEGIN RSA PRIVATE KEY-----': 'PKCS1',
}

export function parseKeypair(stdout: string): KeypairState {
  const lines = stdout.split('\n')
  const field = (k: string) => lines.find((l) => l.startsWith(`${k} `))?.slice(k.length + 1)
  const priv = field('priv') as KeypairState['priv'] | undefined
  if (priv === undefined) throw new Error(`unexpected output: ${stdout.slice(0, 200)}`)
  const pubText = field('pub')
  const pubFile = pubText !== undefined ? (parsePubLine(Buffer.from(pubText, 'base64').toString('utf8')) ?? null) : lines.includes('pubother') ? null : 'absent'
  const [self, dir, privSt, pubSt] = lines.filter((l) => l.startsWith('stat ')).map((l) => parseStatRecord(l.slice(5)))
  if (!self?.exists || !dir || !privSt || !pubSt) throw new Error(`unexpected output: ${stdout.slice(0, 200)}`)
  const stats = { user: self.owner!, group: self.group!, dir, priv: privSt, pub: pubSt }
  const st: KeypairState = { stats, priv, pubFile }
  if (priv !== 'file') return st
  st.format = FORMATS[(field('first') ?? '').trim()] ?? ''
  st.listed = parseListed(field('l') ?? '')
  const plain = field('plain')
  if (plain !== undefined) st.plain = parseDerived(plain)
  const pass = field('pass')
  if (pass !== undefined) st.withPass = parseDerived(pass)
  return st
}

/** The key pair at (path, passphrase): a passphrase is asked only when given. */
export const keypairFact: Fact<KeypairState, [string, string | undefined]> = {
  name: 'ssh.keypair',
  key: (path, passphrase) => `${path}${passphraseKey(passphrase)}`,
  command: (path, passphrase) => ({ ...shScript(KEYPAIR_SH, path, passphrase === undefined ? '' : '1', dirname(path)), stdin: passphrase ?? '' }),
  parse(out, path) {
    if (out.rc !== 0) throw new Error(`cannot read the key pair ${path}: ${out.stderr.trim()}`)
    return parseKeypair(out.stdout)
  },
}
