/**
 * user's generate_ssh_key, as Ansible's user module does it: a key pair made by the host's
 * ssh-keygen (no passphrase) when the private key file (and its .pub) is not there, or always with
 * `force`; the key directory made 0700 and the files owned by the user. The result carries
 * ssh_key_file, ssh_fingerprint (`ssh-keygen -l`) and ssh_public_key, as Ansible's.
 */
import { type Change, type Fact, type Plan, shScript } from '../types.js'

export interface SshKeyParams {
  name: string
  generate_ssh_key: boolean
  ssh_key_type: string
  ssh_key_bits: number
  ssh_key_file?: string
  ssh_key_comment?: string
  force: boolean
}

export interface SshKeyInfo {
  exists: boolean
  pubExists: boolean
  /** `ssh-keygen -l -f` of the private key ('' when it is missing) */
  fingerprint: string
  /** the .pub file's content, stripped (null when it is missing) */
  publicKey: string | null
}

const MARK = '--acplay-ssh-key--'

// prints the marker, then the fingerprint line and the public key: the same for the fact and after a key is made
const REPORT = `printf '%s\\n' "${MARK}"; if [ -e "$1" ]; then echo "key $(ssh-keygen -l -f "$1" 2>/dev/null)"; else echo none; fi; if [ -e "$1.pub" ]; then echo pub; cat "$1.pub"; fi`

/** The key pair at a path, read in one command. */
export const sshKeyInfo: Fact<SshKeyInfo, [string]> = {
  name: 'user.ssh_key',
  command: (file) => shScript(REPORT, file),
  parse: (out) => parseReport(out.stdout)!,
  key: (file) => file,
}

function parseReport(stdout: string): SshKeyInfo | undefined {
  const at = stdout.lastIndexOf(`${MARK}\n`)
  if (at < 0) return undefined
  const [key = '', ...rest] = stdout.slice(at + MARK.length + 1).split('\n')
  const pub = rest[0] === 'pub'
  const exists = key.startsWith('key')
  return { exists, pubExists: pub, fingerprint: exists ? key.slice(3).trim() : '', publicKey: pub ? rest.slice(1).join('\n').trim() : null }
}

/** The private key's path: absolute, or under the home (Ansible's default `.ssh/id_<type>`). */
export const keyPath = (p: SshKeyParams, home: string) => {
  const file = p.ssh_key_file ?? `.ssh/id_${p.ssh_key_type}`
  return file.startsWith('/') ? file : `${home.replace(/\/$/, '')}/${file}`
}

const resultOf = (file: string, k: SshKeyInfo) => ({ ssh_key_file: file, ssh_fingerprint: k.fingerprint, ssh_public_key: k.publicKey })

// $1 key file, $2 user, $3 group, $4 type, $5 bits, $6 comment ('' -> Ansible's default), $7 force
const KEYGEN = `set -e
d=$(dirname -- "$1")
if [ ! -e "$d" ]; then mkdir -m 0700 -- "$d"; chown -- "$2:$3" "$d"; fi
if [ "$7" = 1 ]; then rm -f -- "$1.pub"; fi
c=$6; [ -n "$c" ] || c="ansible-generated on $(hostname)"
b=; if [ "$5" -gt 0 ]; then b="-b $5"; fi
echo y | ssh-keygen -q -t "$4" $b -C "$c" -f "$1" -N '' >/dev/null
chown -- "$2:$3" "$1" "$1.pub"
set -- "$1"
${REPORT}`

/** The key pair's change (when one is to be made) and the values the result carries. */
export function planSshKey(p: SshKeyParams, file: string, group: string, k: SshKeyInfo): { change?: Change; data: Record<string, unknown> } {
  const keep = !p.force && (k.exists || k.pubExists)
  if (keep) return { data: resultOf(file, k) }
  const after: SshKeyInfo = { exists: true, pubExists: true, fingerprint: '', publicKey: null }
  return {
    change: {
      summary: `generate an SSH key pair for user ${p.name} (${p.ssh_key_type}) in ${file}`,
      commands: [shScript(KEYGEN, file, p.name, group, p.ssh_key_type, String(p.ssh_key_bits), p.ssh_key_comment ?? '', p.force ? '1' : '0')],
      effects: [{ fact: sshKeyInfo.name, key: file, value: after }],
    },
    // until it is made (check mode), as Ansible's: no fingerprint, no public key
    data: resultOf(file, { exists: false, pubExists: false, fingerprint: '', publicKey: null }),
  }
}

/** After a key was made: its fingerprint and public key, from what the command printed (the plan's data has its file). */
export function generatedKey(stdout: string): Record<string, unknown> | undefined {
  const k = parseReport(stdout)
  return k && { ssh_fingerprint: k.fingerprint, ssh_public_key: k.publicKey }
}

/** The user plan with the key pair's change and values added. */
export function withSshKey(plan: Plan, key: { change?: Change; data: Record<string, unknown> }): Plan {
  const data = { ...plan.data, ...key.data }
  if (!key.change) return { ...plan, data }
  return { kind: 'change', changes: [...(plan.kind === 'change' ? plan.changes : []), key.change], data }
}
