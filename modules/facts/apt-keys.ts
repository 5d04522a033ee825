/**
 * The keys apt trusts (apt-key's listing, as Ansible's apt_key reads it), and the id of a key given
 * as data or as a file on the host (gpg --show-keys), in ONE round trip. Key data goes on stdin.
 */
import { shScript, type Fact } from '../types.js'

export interface AptKeys {
  /** long key ids (16 hex) of the non-expired primary keys and subkeys apt trusts */
  keys: string[]
  /** the first key id in the data/file asked about, if any was asked */
  keyId?: string
  /** why the key data or file could not be read */
  keyError?: string
}

export interface KeySource {
  keyring?: string
  /** a key file on the host */
  file?: string
  /** key data (armored or not) to identify */
  data?: string
}

// $1 keyring ('' = apt's own), $2 file ('' = none), $3 'data' when the key data comes on stdin
const SCRIPT = `k=$1; f=$2; d=$3
if [ -n "$k" ]; then set -- --keyring "$k"; else set --; fi
o=$(LC_ALL=C apt-key "$@" adv --list-public-keys --keyid-format=long 2>&1 </dev/null) || { printf '%s\\n' "$o" >&2; exit 1; }
printf '%s\\n@@key\\n' "$o"
if [ -n "$f" ]; then LC_ALL=C gpg --batch --with-colons --show-keys -- "$f" 2>&1 || echo "@@error"
elif [ "$d" = data ]; then LC_ALL=C gpg --batch --with-colons --show-keys 2>&1 || echo "@@error"; fi`

/** Ansible's parse_output_for_keys: pub/sub lines, not expired; the apt-key format ("rsa4096/ID") or gpg's colons. */
export function parseKeyIds(output: string): string[] {
  const found: string[] = []
  for (const line of output.split('\n')) {
    if (!(line.startsWith('pub') || line.startsWith('sub')) || line.includes('expired')) continue
    const code = line.split(/\s+/)[1]?.split('/')
    if (code?.length === 2) found.push(code[1]!)
    else {
      const id = line.split(':')[4]
      if (id) found.push(id)
    }
  }
  return found
}

export const aptKeys: Fact<AptKeys, [KeySource]> = {
  name: 'apt.keys',
  key: (s) => JSON.stringify([s.keyring ?? '', s.file ?? '', s.data ?? '']),
  command: (s) => ({
    ...shScript(SCRIPT, s.keyring ?? '', s.file ?? '', s.data !== undefined ? 'data' : ''),
    ...(s.data !== undefined ? { stdin: s.data } : {}),
  }),
  parse(out, s) {
    if (out.rc !== 0) throw new Error(`Unable to list public keys: ${out.stderr.trim() || `exit ${out.rc}`}`)
    const [listing = '', key = ''] = out.stdout.split('@@key\n')
    const res: AptKeys = { keys: parseKeyIds(listing) }
    if (s.file !== undefined || s.data !== undefined) {
      const ids = key.includes('@@error') ? [] : parseKeyIds(key)
      if (ids.length) res.keyId = ids[0]
      else res.keyError = `Unable to extract key from '${s.file ?? 'inline data'}'`
    }
    return res
  },
}
