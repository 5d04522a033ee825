/**
 * Version pins in apt's `name` as Ansible's apt reads them (package_split, package_status,
 * package_best_match): `NAME=VERSION`, where VERSION may hold fnmatch wildcards (`nodejs=18.*`), and
 * `NAME>=VERSION`. Pure: the planner asks these with the version table apt-cache policy printed.
 */
import { fnmatchRe } from '../../engine/vars/py-path.js'

export type PinOp = '=' | '>='

export interface Pin {
  op: PinOp
  version: string
}

/** dpkg's order of one non-digit part: `~` first, then the end, then letters, then the rest. */
const order = (c: string | undefined) => (c === undefined ? 0 : c === '~' ? -1 : /[A-Za-z]/.test(c) ? c.charCodeAt(0) : c.charCodeAt(0) + 256)

/** dpkg's verrevcmp: alternating non-digit and digit runs. */
function verrevcmp(a: string, b: string): number {
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    let first = 0
    while ((i < a.length && !/\d/.test(a[i]!)) || (j < b.length && !/\d/.test(b[j]!))) {
      const ac = i < a.length && !/\d/.test(a[i]!) ? a[i] : undefined
      const bc = j < b.length && !/\d/.test(b[j]!) ? b[j] : undefined
      if (order(ac) !== order(bc)) return order(ac) - order(bc)
      if (ac !== undefined) i++
      if (bc !== undefined) j++
    }
    while (a[i] === '0') i++
    while (b[j] === '0') j++
    while (i < a.length && /\d/.test(a[i]!) && j < b.length && /\d/.test(b[j]!)) {
      if (!first) first = a.charCodeAt(i) - b.charCodeAt(j)
      i++
      j++
    }
    if (i < a.length && /\d/.test(a[i]!)) return 1
    if (j < b.length && /\d/.test(b[j]!)) return -1
    if (first) return first
  }
  return 0
}

const split = (v: string): [number, string, string] => {
  const colon = v.indexOf(':')
  const epoch = colon > 0 && /^\d+$/.test(v.slice(0, colon)) ? Number(v.slice(0, colon)) : 0
  const rest = colon > 0 && /^\d+$/.test(v.slice(0, colon)) ? v.slice(colon + 1) : v
  const dash = rest.lastIndexOf('-')
  return dash < 0 ? [epoch, rest, ''] : [epoch, rest.slice(0, dash), rest.slice(dash + 1)]
}

/** Debian version order (apt_pkg.version_compare): negative, 0 or positive. */
export function compareDebVersions(a: string, b: string): number {
  const [ea, ua, ra] = split(a)
  const [eb, ub, rb] = split(b)
  if (ea !== eb) return ea - eb
  return Math.sign(verrevcmp(ua, ub)) || Math.sign(verrevcmp(ra, rb))
}

/** Whether a version satisfies the pin (Ansible: fnmatch for `=`, version_compare for `>=`). */
export const pinMatches = (version: string, pin: Pin): boolean =>
  pin.op === '=' ? fnmatchRe(pin.version).test(version) : compareDebVersions(version, pin.version) >= 0

/**
 * The version Ansible's package_best_match picks: for `=`, the newest version of the table the pin
 * matches (a Version pin at 1001 beats every other priority); for `>=`, the candidate.
 */
export function bestMatch(pin: Pin, table: string[], candidate: string | undefined): string | undefined {
  if (pin.op === '>=') return candidate
  const matching = table.filter((v) => pinMatches(v, pin))
  return matching.sort(compareDebVersions).pop()
}
