/**
 * Ansible's sysctl logic, pure: the file's values (the last assignment of a key wins), the file
 * rewritten with the key set or removed (every line stripped, later duplicates of a key dropped), and
 * what has to happen: write the file, set the running value, reload the file.
 */
import { pyReadlines } from '../pytext.js'

const TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't'])
const FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f'])

/** value as Ansible reads it: booleans become 1/0, anything else is stripped. */
export function sysctlValueOf(value: string | undefined): string {
  if (value === undefined) return ''
  const v = value.toLowerCase()
  if (TRUE.has(v)) return '1'
  if (FALSE.has(v)) return '0'
  return value.trim()
}

const skipped = (line: string) => !line || line.startsWith('#') || line.startsWith(';') || !line.includes('=')

function split(line: string): [string, string] {
  const eq = line.indexOf('=')
  return [line.slice(0, eq).trim(), line.slice(eq + 1).trim()]
}

export function fileValues(text: string): Map<string, string> {
  const values = new Map<string, string>()
  for (const raw of pyReadlines(text)) {
    const line = raw.trim()
    if (!skipped(line)) values.set(...split(line))
  }
  return values
}

/** The file's new text: the key's first line replaced (or dropped), later lines of any repeated key dropped. */
export function fixedText(text: string, name: string, value: string, present: boolean): string {
  const out: string[] = []
  const seen = new Set<string>()
  for (const raw of pyReadlines(text)) {
    const line = raw.trim()
    if (skipped(line)) {
      out.push(line)
      continue
    }
    const [k, v] = split(line)
    if (seen.has(k)) continue
    seen.add(k)
    if (k !== name) out.push(`${k}=${v}`)
    else if (present) out.push(`${k}=${value}`)
  }
  if (!seen.has(name) && present) out.push(`${name}=${value}`)
  return out.map((l) => `${l}\n`).join('')
}

/** Same fields in the same order, whatever the whitespace between them. */
export function sameValue(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false
  const x = a.split(/\s+/).filter(Boolean)
  const y = b.split(/\s+/).filter(Boolean)
  return x.length === y.length && x.every((f, i) => f === y[i])
}

export interface SysctlDecision {
  changed: boolean
  writeFile: boolean
  setProc: boolean
  reload: boolean
}

/** What Ansible's sysctl does for a key, given the file's value and the running one. */
export function decide(
  a: { present: boolean; value: string; reload: boolean; sysctlSet: boolean },
  fileValue: string | undefined,
  proc: string | null,
): SysctlDecision {
  let changed = false
  let writeFile = false
  let setProc = false
  if (fileValue === undefined && a.present) changed = writeFile = true
  else if (fileValue === undefined) changed = false
  else if (fileValue && !a.present) changed = writeFile = true
  else if (fileValue !== a.value) changed = writeFile = true
  else if (a.reload && !sameValue(proc, a.value)) changed = true
  if (a.sysctlSet && a.present && !sameValue(proc, a.value)) {
    changed = true
    if (proc !== null) setProc = true
  }
  return { changed, writeFile, setProc, reload: changed && a.reload }
}
