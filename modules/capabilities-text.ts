/**
 * File capabilities as text, for the capabilities module: Ansible's reading of a capability and of
 * `getcap -v` (capabilities.py), and libcap's own text rules (cap_from_text, cap_to_text, the
 * effective-bit rule of cap_set_file), so check mode can say what getcap will print after setcap.
 */

/** (name, op, flags) as Ansible's module splits "cap_net_raw+ep"; op and flags are null for a bare name (state=absent). */
export type CapTuple = readonly [name: string, op: string | null, flags: string | null]

export class CapTextError extends Error {}

const OPS = ['=', '-', '+']

/**
 * Ansible's _parse_cap: the operator is the first of '=', '-', '+' found anywhere in the text
 * (in that order of preference), the text splits at it and must give exactly two parts.
 */
export function parseCap(cap: string, opRequired = true): CapTuple {
  const op = OPS.find((o) => cap.includes(o))
  if (op === undefined) {
    if (opRequired) throw new CapTextError("Couldn't find operator (one of: ('=', '-', '+'))")
    return [cap, null, null]
  }
  const parts = cap.split(op)
  // Ansible's module crashes here (ValueError: too many values to unpack)
  if (parts.length !== 2) throw new CapTextError(`capability ${JSON.stringify(cap)} has '${op}' more than once: give one capability with one operator`)
  return [parts[0]!, op, parts[1]!]
}

/**
 * The capabilities Ansible reads from `getcap -v PATH`'s output: nothing when it prints the path
 * alone; else, after " =" (older libcap) or else the second word only (so of "cap_a=ep cap_b+i"
 * only cap_a), each lowercased, a comma list sharing the operator and flags of its last item.
 */
export function parseGetcap(stdout: string, path: string): CapTuple[] {
  if (stdout.trim() === path) return []
  const caps = stdout.includes(' =') ? pySplit(stdout.split(' =')[1]!) : pySplit(pySplit(stdout)[1] ?? '') // Python would raise IndexError on a one-word output that is not the path
  const out: CapTuple[] = []
  for (const raw of caps) {
    const cap = raw.toLowerCase()
    if (cap.includes(',')) {
      const group = cap.split(',')
      const [last, op, flags] = parseCap(group[group.length - 1]!)
      group[group.length - 1] = last
      for (const sub of group) out.push([sub, op, flags])
    } else out.push(parseCap(cap))
  }
  return out
}

/** Python's str.split() without arguments: words between runs of whitespace. */
const pySplit = (s: string): string[] => s.split(/\s+/).filter(Boolean)

/** The text Ansible hands setcap: each capability's name, op and flags, joined by spaces. */
export const setcapText = (caps: readonly CapTuple[]): string => caps.map((c) => c.join('')).join(' ')

export const sameCap = (a: CapTuple, b: CapTuple): boolean => a[0] === b[0] && a[1] === b[1] && a[2] === b[2]

/**
 * Ansible's decision from getcap's output: undefined when nothing changes, else the text setcap
 * gets (what was read, the capability taken out, then for present put back at the end).
 */
export function setcapFor(getcapOut: string, path: string, capability: string, state: 'present' | 'absent'): string | undefined {
  const want = parseCap(capability.trim().toLowerCase(), state === 'present')
  const current = parseGetcap(getcapOut, path)
  const kept = current.filter((c) => c[0] !== want[0])
  if (state === 'present') return current.some((c) => sameCap(c, want)) ? undefined : setcapText([...kept, want])
  return kept.length === current.length ? undefined : setcapText(kept)
}

/** Linux's capabilities by number (libcap 2.66, kernel 5.9+: 41 of them). */
export const CAP_NAMES = [
  'cap_chown',
  'cap_dac_override',
  'cap_dac_read_search',
  'cap_fowner',
  'cap_fsetid',
  'cap_kill',
  'cap_setgid',
  'cap_setuid',
  'cap_setpcap',
  'cap_linux_immutable',
  'cap_net_bind_service',
  'cap_net_broadcast',
  'cap_net_admin',
  'cap_net_raw',
  'cap_ipc_lock',
  'cap_ipc_owner',
  'cap_sys_module',
  'cap_sys_rawio',
  'cap_sys_chroot',
  'cap_sys_ptrace',
  'cap_sys_pacct',
  'cap_sys_admin',
  'cap_sys_boot',
  'cap_sys_nice',
  'cap_sys_resource',
  'cap_sys_time',
  'cap_sys_tty_config',
  'cap_mknod',
  'cap_lease',
  'cap_audit_write',
  'cap_audit_control',
  'cap_setfcap',
  'cap_mac_override',
  'cap_mac_admin',
  'cap_syslog',
  'cap_wake_alarm',
  'cap_block_suspend',
  'cap_audit_read',
  'cap_perfmon',
  'cap_bpf',
  'cap_checkpoint_restore',
] as const

// libcap's flag bits (1 << CAP_EFFECTIVE, CAP_PERMITTED, CAP_INHERITABLE)
const E = 1
const P = 2
const I = 4
const FLAG: Record<string, number> = { e: E, p: P, i: I }
const isAlpha = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c)
const isNameStart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c)
const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c)

/**
 * libcap's cap_from_text: the flags (E|P|I per capability number) a text sets, starting from none;
 * 'refused' where libcap refuses the text (setcap fails), 'unknown' for a capability numbered past
 * the named ones (what libcap does with it depends on the kernel).
 */
export function capFromText(text: string): number[] | 'refused' | 'unknown' {
  const state = CAP_NAMES.map(() => 0)
  const all = CAP_NAMES.map((_, n) => n)
  let i = 0
  for (;;) {
    while (isSpace(text[i])) i++
    if (i >= text.length) return state
    let list: number[] = []
    let listed = false
    if (isNameStart(text[i])) {
      for (;;) {
        const word = /^[A-Za-z_]*/.exec(text.slice(i))![0].toLowerCase()
        const byNumber = word ? undefined : capNumber(text.slice(i))
        // a capability by number, as strtoul(s, 0) reads it; beyond the named ones acplay cannot tell
        const n = byNumber ? byNumber.n : word === 'all' ? -1 : CAP_NAMES.indexOf(word as (typeof CAP_NAMES)[number])
        if (n === -1 && word === 'all') list = [...all]
        else if (n >= CAP_NAMES.length) return 'unknown'
        else if (n < 0) return 'refused'
        else list.push(n)
        i += byNumber ? byNumber.length : word.length
        if (text[i] !== ',') break
        if (!isNameStart(text[++i])) return 'refused'
      }
      listed = true
    } else if (text[i] === '+' || text[i] === '-') return 'refused'
    else list = [...all]
    let op = text[i++]
    if (op === '=' && (text[i] === '+' || text[i] === '-')) {
      if (!listed) return 'refused'
      op = text[i++] === '+' ? 'P' : 'M'
    } else if (op !== '+' && op !== '-' && op !== '=') return 'refused'
    let flags = 0
    do {
      const c = text[i]
      if (c !== undefined && !isSpace(c)) {
        const f = FLAG[c]
        if (f === undefined) return 'refused'
        flags |= f
        i++
      } else if (op !== '=') return 'refused'
      for (const n of list) {
        if (op === '=' || op === 'P' || op === 'M') state[n] = 0
        if (op === '=' || op === 'P' || op === '+') state[n]! |= flags
        else state[n]! &= ~flags
      }
      if (text[i] === '+' || text[i] === '-') {
        if (!listed) return 'refused'
        flags = 0
        op = text[i++]
        if (!isAlpha(text[i])) return 'refused'
      }
    } while (i < text.length && !isSpace(text[i]))
  }
}

/** A capability number at the start of `s` (decimal, 0x hex or 0 octal) and its length. */
function capNumber(s: string): { n: number; length: number } | undefined {
  const m = /^0[xX][0-9a-fA-F]+|^0[0-7]*|^[1-9][0-9]*/.exec(s)
  if (!m) return undefined
  const t = m[0]
  return { n: /^0[xX]/.test(t) ? parseInt(t, 16) : t.startsWith('0') ? parseInt(t, 8) : Number(t), length: t.length }
}

/**
 * What the file holds after cap_set_file: undefined when libcap refuses the set (an effective bit
 * set while some permitted or inheritable one is not effective). The kernel keeps one effective
 * bit, so what reads back as effective is every permitted or inheritable capability, or none.
 */
export function storedCaps(state: readonly number[]): number[] | undefined {
  const effective = state.some((f) => f & E)
  if (effective && state.some((f) => f & (P | I) && !(f & E))) return undefined
  return state.map((f) => (f & (P | I)) | (effective && f & (P | I) ? E : 0))
}

const flagText = (f: number) => `${f & E ? 'e' : ''}${f & I ? 'i' : ''}${f & P ? 'p' : ''}`

/** libcap's cap_to_text: the most common state as "=flags", then each other state's capabilities. */
export function capToText(state: readonly number[]): string {
  const histo = Array<number>(8).fill(0)
  for (const f of state) histo[f]!++
  let m = 7
  for (let t = 6; t >= 0; t--) if (histo[t]! >= histo[m]!) m = t
  let base = `=${flagText(m)}`
  let text = base
  for (let t = 7; t >= 0; t--) {
    if (t === m || !histo[t]) continue
    let clause = state.flatMap((f, n) => (f === t ? [CAP_NAMES[n]] : [])).join(',')
    const raised = t & ~m
    if (raised) {
      // "= a,b+ep" is written "a,b=ep"
      if (text === base && base === '=') {
        base = ''
        text = ''
        clause += `=${flagText(raised)}`
      } else clause += `+${flagText(raised)}`
    }
    const lowered = ~t & m
    if (lowered) clause += `-${flagText(lowered)}`
    text += text === '' ? clause : ` ${clause}`
  }
  return text
}

/**
 * What `getcap -v PATH` prints after `setcap TEXT PATH` succeeded, or undefined when setcap would
 * fail or acplay cannot tell (a capability named by number).
 */
export function getcapAfter(path: string, text: string): string | undefined {
  const parsed = capFromText(text)
  const stored = typeof parsed === 'string' ? undefined : storedCaps(parsed)
  return stored && `${path} ${capToText(stored)}\n`
}

/** Why setcap will refuse the text (libcap's rules), or undefined. */
export function setcapRefusal(text: string): string | undefined {
  const parsed = capFromText(text)
  if (parsed === 'refused') return 'libcap cannot read it'
  if (parsed !== 'unknown' && storedCaps(parsed) === undefined) return 'an effective bit needs every permitted and inheritable capability effective'
  return undefined
}
