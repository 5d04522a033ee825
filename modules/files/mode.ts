/**
 * File modes as Ansible takes them: an int is the mode bits themselves (YAML 1.1 `0644` arrives as
 * 420), a string of octal digits ("644", "0600", "01777"), or symbolic ("u=rw,g=r,o=", "a+X").
 * Symbolic modes are applied to the current mode (or the mode a new path would get).
 */
export type ModeSpec = { kind: 'octal'; bits: number; text: string } | { kind: 'symbolic'; text: string } | { kind: 'preserve' }

const PERM_BITS = 0o7777
/** what a new file / directory gets under umask 022, before any mode is applied */
export const NEW_FILE_MODE = 0o644
export const NEW_DIR_MODE = 0o755
const UMASK = 0o022
const CLAUSE = /^([ugoa]*)((?:[-+=](?:[rwxXst]*|[ugo]))+)$/

export class ModeError extends Error {}

/** Validates a `mode`-like argument; throws ModeError with a message naming `name`. */
export function parseMode(raw: unknown, name = 'mode', allowPreserve = false): ModeSpec | undefined {
  if (raw === undefined || raw === null) return undefined
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw) || raw < 0 || raw > PERM_BITS) throw new ModeError(`argument '${name}' must be a mode between 0 and 07777, got ${raw}`)
    return { kind: 'octal', bits: raw, text: fmtMode(raw) }
  }
  if (typeof raw !== 'string')
    throw new ModeError(`argument '${name}' must be an octal string like "0644" or symbolic like "u=rw,g=r", got ${JSON.stringify(raw)}`)
  const s = raw.trim()
  if (s === 'preserve') {
    if (allowPreserve) return { kind: 'preserve' }
    throw new ModeError(`argument '${name}': "preserve" is only supported by copy and template`)
  }
  if (/^[0-7]{1,5}$/.test(s)) {
    const bits = parseInt(s, 8)
    if (bits > PERM_BITS) throw new ModeError(`argument '${name}' is out of range: ${JSON.stringify(raw)}`)
    return { kind: 'octal', bits, text: fmtMode(bits) }
  }
  if (/^\d+$/.test(s)) throw new ModeError(`argument '${name}' must be octal, got ${JSON.stringify(raw)} (8 and 9 are not octal digits)`)
  for (const clause of s.split(',')) {
    if (!CLAUSE.test(clause))
      throw new ModeError(
        `argument '${name}' has a bad symbolic clause ${JSON.stringify(clause)} in ${JSON.stringify(raw)} (want e.g. "u=rw,g=r,o=" or "0644")`,
      )
  }
  return { kind: 'symbolic', text: s }
}

/** ParamDef.check for mode-like arguments: the message parseMode would fail with, at load time. */
export function modeCheck(value: unknown, name: string): string | undefined {
  try {
    parseMode(value, name, true)
    return undefined
  } catch (e) {
    if (e instanceof ModeError) return e.message
    throw e
  }
}

export const fmtMode = (bits: number): string => (bits & PERM_BITS).toString(8).padStart(4, '0')

/** The mode bits `spec` yields for a path whose current mode is `current` (undefined: new path). */
export function resolveMode(spec: ModeSpec, current: number | undefined, isDir: boolean, srcMode?: number): number {
  const base = current ?? (isDir ? NEW_DIR_MODE : NEW_FILE_MODE)
  if (spec.kind === 'octal') return spec.bits
  if (spec.kind === 'preserve') return srcMode ?? base
  return applySymbolic(spec.text, base, isDir)
}

/** Ansible's _symbolic_mode_to_octal: clauses applied left to right; "" users means "a" masked by the umask. */
export function applySymbolic(text: string, mode: number, isDir: boolean): number {
  let m = mode & PERM_BITS
  for (const clause of text.split(',')) {
    const match = CLAUSE.exec(clause)
    if (!match) throw new ModeError(`bad symbolic mode clause ${JSON.stringify(clause)}`)
    const usersText = match[1]!
    const useUmask = usersText === ''
    const users = usersText === '' || usersText.includes('a') ? 'ugo' : usersText
    for (const [, op, perms] of match[2]!.matchAll(/([-+=])([rwxXstugo]*)/g)) {
      for (const user of users) {
        const bits = permBits(user as 'u' | 'g' | 'o', perms!, m, isDir, useUmask)
        if (op === '=') {
          const mask = user === 'u' ? 0o4700 : user === 'g' ? 0o2070 : 0o1007
          m = (m & (mask ^ PERM_BITS)) | bits
        } else if (op === '+') m |= bits
        else m &= ~bits & PERM_BITS
      }
    }
  }
  return m
}

function permBits(user: 'u' | 'g' | 'o', perms: string, prev: number, isDir: boolean, useUmask: boolean): number {
  const shift = user === 'u' ? 6 : user === 'g' ? 3 : 0
  const rev = useUmask ? UMASK ^ PERM_BITS : PERM_BITS
  const applyX = isDir || (prev & 0o111) > 0
  const copy = (from: number) => ((prev >> from) & 7) << shift
  let bits = 0
  for (const p of perms) {
    if (p === 'r') bits |= (4 << shift) & rev
    else if (p === 'w') bits |= (2 << shift) & rev
    else if (p === 'x') bits |= (1 << shift) & rev
    else if (p === 'X') bits |= applyX ? 1 << shift : 0
    else if (p === 's') bits |= user === 'u' ? 0o4000 : user === 'g' ? 0o2000 : 0
    else if (p === 't') bits |= user === 'o' ? 0o1000 : 0
    else if (p === 'u') bits |= copy(6)
    else if (p === 'g') bits |= copy(3)
    else if (p === 'o') bits |= copy(0)
  }
  return bits
}
