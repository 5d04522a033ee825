/**
 * authorized_keys files, pure and as ansible.posix.authorized_key: lines parsed into (key, type,
 * options, comment, rank) keyed by the base64 key (other lines by their text), the wanted keys
 * merged in, and the file serialized again, every key line as "OPTIONS TYPE KEY COMMENT\n"
 * (a key without comment keeps Ansible's trailing space). Ansible's quirks are kept on purpose, so
 * that the files acplay writes are the files Ansible writes: a key whose options or comment change
 * moves to the end; duplicate lines collapse; exclusive removes comments too.
 */
import { KEY_TYPES } from './key-types.js'

/** Key options in order; a name may repeat (permitopen="a",permitopen="b"). value undefined: a flag. */
export type KeyOptions = [name: string, value: string | undefined][]

export type Entry =
  | { kind: 'key'; key: string; type: string; options: KeyOptions; comment: string; rank: number }
  /** a comment, blank or unparsable line, kept verbatim */
  | { kind: 'line'; line: string; rank: number }

/** Ansible's parseoptions: split at commas outside quotes; name=value or a bare flag. */
export function parseOptions(options: string | undefined): KeyOptions {
  if (!options) return []
  const parts = options.split(/((?:[^,"']|"[^"]*"|'[^']*')+)/).slice(1, -1)
  const out: KeyOptions = []
  for (const part of parts) {
    const eq = part.indexOf('=')
    if (eq >= 0) out.push([part.slice(0, eq), part.slice(eq + 1)])
    else if (part !== ',') out.push([part, undefined])
  }
  return out
}

/** Ansible's parsekey: undefined when the line holds no key (no known type, or nothing after it). */
export function parseKey(raw: string, rank: number): Entry | undefined {
  const line = raw.replaceAll('\\#', '#')
  const parts = line.split(/[ \t\r\n]+/).filter(Boolean)
  if (parts[0] === '#') return { kind: 'line', line, rank }
  const t = parts.findIndex((x) => KEY_TYPES.has(x))
  if (t < 0 || parts[t + 1] === undefined) return undefined
  return { kind: 'key', key: parts[t + 1]!, type: parts[t]!, options: parseOptions(parts.slice(0, t).join(' ')), comment: parts.slice(t + 2).join(' '), rank }
}

/** Python's str.splitlines(keepends=True). */
const splitKeep = (text: string) =>
  text.match(/[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])|[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+$/g) ?? []

/** The file as Ansible's parsekeys reads it: a Map in insertion order, keyed by the key (or the line). */
export function parseFile(text: string): Map<string, Entry> {
  const keys = new Map<string, Entry>()
  splitKeep(text).forEach((line, rank) => {
    const e = parseKey(line, rank)
    if (e?.kind === 'key') keys.set(e.key, e)
    else if (e) keys.set(e.line, e)
    else keys.set(line, { kind: 'line', line, rank })
  })
  return keys
}

/** Python dict equality of Ansible's option keydicts: per name, the list of values; name order ignored. */
function sameOptions(a: KeyOptions, b: KeyOptions): boolean {
  const group = (o: KeyOptions) => {
    const m = new Map<string, (string | undefined)[]>()
    for (const [k, v] of o) m.set(k, [...(m.get(k) ?? []), v])
    return m
  }
  const ga = group(a)
  const gb = group(b)
  if (ga.size !== gb.size) return false
  for (const [k, v] of ga) if (JSON.stringify(v) !== JSON.stringify(gb.get(k))) return false
  return true
}

export interface Want {
  /** the `key` argument: one or more key lines */
  keys: string
  state: 'present' | 'absent'
  keyOptions?: string
  comment?: string
  exclusive: boolean
}

/** Ansible's enforce_state over parsed entries: the entries after, and whether anything changed. */
export function merge(existing: Map<string, Entry>, w: Want): { entries: Map<string, Entry>; changed: boolean } {
  const entries = new Map(existing)
  const maxRank = entries.size
  const keep: string[] = []
  let changed = false
  const lines = w.keys.split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/).filter((l) => l && !l.startsWith('#'))
  lines.forEach((raw, rank) => {
    const parsed = parseKey(raw, rank)
    if (parsed?.kind !== 'key') throw new Error(`invalid key specified: ${raw}`)
    const k = {
      ...parsed,
      ...(w.keyOptions !== undefined ? { options: parseOptions(w.keyOptions) } : {}),
      ...(w.comment !== undefined ? { comment: w.comment } : {}),
    }
    const old = entries.get(k.key)
    const same = old?.kind === 'key' && old.type === k.type && sameOptions(old.options, k.options) && old.comment === k.comment
    const matched = old !== undefined && (same || w.state !== 'present')
    if (w.state === 'present') {
      keep.push(k.key)
      if (old && !matched) {
        entries.delete(k.key)
        changed = true
      }
      if (!matched) {
        entries.set(k.key, { ...k, rank: maxRank + k.rank })
        changed = true
      }
    } else if (matched) {
      entries.delete(k.key)
      changed = true
    }
  })
  if (w.state === 'present' && w.exclusive) {
    for (const id of [...entries.keys()]) {
      if (!keep.includes(id)) {
        entries.delete(id)
        changed = true
      }
    }
  }
  return { entries, changed }
}

/** Ansible's serialize: by rank (stable), key lines rebuilt, other lines verbatim. */
export function serialize(entries: Map<string, Entry>): string {
  return [...entries.values()]
    .sort((a, b) => a.rank - b.rank)
    .map((e) => {
      if (e.kind === 'line') return e.line
      const opts = e.options.length ? `${e.options.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join(',')} ` : ''
      return `${opts}${e.type} ${e.key} ${e.comment}\n`
    })
    .join('')
}
