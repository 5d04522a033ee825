/**
 * apt_key: a key in apt's trusted keys (apt-key, deprecated in Debian but what Ansible's apt_key
 * drives): present when its id (the last 16 hex digits, or 8 for a short id) is among the
 * non-expired keys apt-key lists. The key comes from `data`, a `file` on the host, a `url` (fetched on
 * the host, in plan); `keyserver` is not supported yet. One read: the listing and the id of the given key.
 * Effects: apt.keys (the listing after).
 */
import { ModuleFailure } from '../engine/errors.js'
import { aptKeys, type AptKeys, type KeySource } from './facts/apt-keys.js'
import { notYet } from './schema.js'
import { defineModule, shScript, type Command, type ModuleContext, type Plan } from './types.js'

/** Ansible's parse_key_id: [short (8), fingerprint (16), the id as given, upper-cased]. */
export function parseKeyId(raw: string): [string, string, string] {
  let id = raw.toUpperCase()
  if (id.startsWith('0X')) id = id.slice(2)
  if (!/^[0-9A-F]+$/.test(id)) throw new ModuleFailure('Invalid key_id')
  if (id.length !== 8 && id.length !== 16 && id.length <= 16) throw new ModuleFailure('Invalid key_id')
  return [id.slice(-8), id.length > 16 ? id.slice(-16) : id, id]
}

async function download(ctx: ModuleContext, url: string, validateCerts: boolean): Promise<string> {
  const out = await ctx.run({ argv: ['curl', '-fsSL', '--max-time', '60', ...(validateCerts ? [] : ['-k']), '--', url] })
  if (out.rc !== 0) throw new ModuleFailure(`Failed to download key at ${url}: ${out.stderr.trim() || `curl exit ${out.rc}`}`)
  return out.stdout
}

const keyringArgs = (keyring?: string) => (keyring ? ['--keyring', keyring] : [])

// after apt-key: the key must be listed (it is not when the id names a subkey or the data holds another key)
const VERIFY = `k=$1; fp=$2; want=$3; msg=$4; shift 4
"$@" || exit $?
if [ -n "$k" ]; then set -- --keyring "$k"; else set --; fi
l=$(LC_ALL=C apt-key "$@" adv --list-public-keys --keyid-format=long 2>/dev/null </dev/null)
listed=no; printf '%s\\n' "$l" | grep -E '^(pub|sub)' | grep -v expired | grep -Eq -- "/[0-9A-F]*$fp( |$)" && listed=yes
[ "$listed" = "$want" ] || { echo "apt-key did not return an error, but $msg (check that the id is correct and *not* a subkey)" >&2; exit 1; }`

export const aptKey = defineModule({
  name: 'apt_key',
  summary: 'Add or remove an apt key',
  description:
    'Adds a key to the keys apt trusts with apt-key (deprecated by Debian: prefer a keyring file and signed-by, see deb822_repository), or removes it. ' +
    'The key is identified by id, or by the first key in data / file / url.',
  params: {
    id: { type: 'str', description: 'The key id: 8, 16 or more hex digits (0x allowed). Needed with keyserver and for state=absent without the key.' },
    data: { type: 'str', description: 'The key itself (ASCII armored).' },
    file: { type: 'path', description: 'A key file on the host.' },
    url: { type: 'str', description: 'Where to download the key (on the host, with curl).' },
    keyserver: notYet(
      { type: 'str' },
      'A keyserver to receive the key from (apt-key adv --recv).',
      'receiving keys from a keyserver is not supported yet (dirmngr needs DNS); give the key as data, file or url',
    ),
    keyring: { type: 'path', description: "A keyring file to use instead of apt's own trusted keys." },
    validate_certs: { type: 'bool', default: true, description: 'Verify the TLS certificate of an https url.' },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'], description: 'Whether the key should be trusted.' },
  },
  mutuallyExclusive: [['data', 'file', 'keyserver', 'url']],
  // Ansible fails in the module's code ("Missing key_id, required with keyserver."; without any key it crashes)
  requiredBy: { keyserver: ['id'] },
  requiredOneOf: [['id', 'data', 'file', 'url']],
  returns: {
    id: 'the key id as given or found',
    key_id: 'the key id, upper-cased, without 0x',
    short_id: 'its last 8 hex digits',
    fp: 'its last 16 hex digits (what is compared)',
    before: 'the key ids apt trusted before',
    after: 'the key ids after a change',
  },
  examples: `
- apt_key:
    url: https://repo.example/key.asc
    id: 0x9F4D8EB2A41C6DF0
- apt_key: { data: "{{ lookup('file', 'repo.asc') }}" }
- apt_key: { id: 9F4D8EB2A41C6DF0, state: absent }
`,
  async plan(p, ctx): Promise<Plan> {
    let data = p.data
    if (!p.id && p.url) data = await download(ctx, p.url, p.validate_certs)
    const source: KeySource = { keyring: p.keyring, ...(!p.id && p.file ? { file: p.file } : {}), ...(!p.id && data !== undefined ? { data } : {}) }
    const read: AptKeys = await ctx.fact(aptKeys, source)
    if (read.keyError) throw new ModuleFailure(read.keyError)
    // check mode: the listing an earlier apt_key task would leave (the read above may also identify key data)
    const listingKey = aptKeys.key!({ keyring: p.keyring })
    const listed = (ctx.effect(aptKeys.name, listingKey) as AptKeys | undefined)?.keys ?? read.keys
    const given = p.id ?? read.keyId!
    const [short, fp, keyId] = parseKeyId(given)
    const shortFormat = keyId.length === 8
    const keys = shortFormat ? listed.map((k) => k.slice(-8)) : listed
    const data_ = { id: given, short_id: short, fp, key_id: keyId, before: keys }
    // as Ansible: the fingerprint (= the short id for an 8-digit id) among the listed ids (shortened alike)
    const has = keys.includes(fp)
    const effect = (after: string[]) => [{ fact: aptKeys.name, key: listingKey, value: { keys: after } satisfies AptKeys }]

    if (p.state === 'present') {
      if (has) return { kind: 'ok', reason: `key ${keyId} is trusted${p.keyring ? ` (${p.keyring})` : ''}`, data: data_ }
      let add: string[]
      let stdin: string | undefined
      if (p.file) add = ['apt-key', ...keyringArgs(p.keyring), 'add', p.file]
      else {
        stdin = data ?? (await download(ctx, p.url!, p.validate_certs))
        add = ['apt-key', ...keyringArgs(p.keyring), 'add', '-']
      }
      const cmd: Command = { ...shScript(VERIFY, p.keyring ?? '', fp, 'yes', 'failed to add the key', ...add), ...(stdin !== undefined ? { stdin } : {}) }
      return {
        kind: 'change',
        changes: [{ summary: `add key ${keyId}${p.keyring ? ` to ${p.keyring}` : ''}`, commands: [cmd], effects: effect([...listed, read.keyId ?? fp]) }],
        data: { ...data_, after: [...keys, fp] },
      }
    }
    if (!has) return { kind: 'ok', reason: `key ${keyId} is not trusted${p.keyring ? ` (${p.keyring})` : ''}`, data: data_ }
    // as Ansible: apt-key del with the short id (older apt-key only took 8 digits)
    const del = ['apt-key', ...keyringArgs(p.keyring), 'del', short]
    const cmd = shScript(VERIFY, p.keyring ?? '', fp, 'no', 'the key was not removed', ...del)
    return {
      kind: 'change',
      changes: [
        { summary: `remove key ${keyId}${p.keyring ? ` from ${p.keyring}` : ''}`, commands: [cmd], effects: effect(listed.filter((k) => !k.endsWith(short))) },
      ],
      data: { ...data_, after: keys.filter((k) => !k.endsWith(short)) },
    }
  },
})
