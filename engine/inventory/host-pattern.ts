/**
 * Host specs as inventories write them: `name`, `name:port`, `[v6::addr]:port`, and ranges
 * `web[01:03]`, `db-[a:c]`, `n[0:10:5]` (Ansible's parse_address + expand_hostname_range).
 */

/** Thrown for a malformed spec; the parser adds file and line. */
export class HostSpecError extends Error {}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** Splits a trailing `:port` off a host spec; colons inside `[...]` ranges do not count. */
export function splitPort(spec: string): { host: string; port?: number } {
  const v6 = /^\[([^\]]*:[^\]]*)\](?::(\d+))?$/.exec(spec)
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : undefined }
  let depth = 0
  const colons: number[] = []
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]
    if (c === '[') depth++
    else if (c === ']') depth--
    else if (c === ':' && depth === 0) colons.push(i)
  }
  // one outer colon followed by digits is a port; several are an IPv6 address
  if (colons.length === 1) {
    const i = colons[0]!
    const port = spec.slice(i + 1)
    if (/^\d+$/.test(port) && i > 0) return { host: spec.slice(0, i), port: Number(port) }
  }
  return { host: spec }
}

/** Expands every `[begin:end(:step)]` range in a host name, left to right. */
export function expandRanges(name: string): string[] {
  const open = name.indexOf('[')
  if (open < 0) return [name]
  const close = name.indexOf(']', open)
  if (close < 0) throw new HostSpecError(`bad host range in '${name}': '[' without a closing ']'`)
  const head = name.slice(0, open)
  const tail = name.slice(close + 1)
  const bounds = name.slice(open + 1, close).split(':')
  const bad = (why: string) => new HostSpecError(`bad host range '[${bounds.join(':')}]' in '${name}': ${why}`)
  if (bounds.length !== 2 && bounds.length !== 3) throw bad('a range must be begin:end or begin:end:step')
  const beg = bounds[0] || '0'
  const end = bounds[1]!
  if (!end) throw bad('a range must have an end value')
  const step = bounds.length === 3 ? Number(bounds[2]) : 1
  if (!Number.isInteger(step) || step < 1) throw bad('the step must be a positive integer')

  let seq: string[]
  const ib = beg.length === 1 ? LETTERS.indexOf(beg) : -1
  const ie = end.length === 1 ? LETTERS.indexOf(end) : -1
  if (ib >= 0 && ie >= 0) {
    if (ib > ie) throw bad('begin must be <= end')
    seq = []
    for (let i = ib; i <= ie; i += step) seq.push(LETTERS[i]!)
  } else {
    if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) throw bad('begin and end must both be numbers or both single letters')
    // a zero-padded begin sets the width of every number (web[01:10] -> web01..web10)
    const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0
    if (width && width !== end.length) throw bad('a zero-padded range needs begin and end of equal length')
    const b = Number(beg)
    const e = Number(end)
    if (b > e) throw bad('begin must be <= end')
    seq = []
    for (let i = b; i <= e; i += step) seq.push(String(i).padStart(width, '0'))
  }
  return seq.flatMap((s) => expandRanges(head + s + tail))
}

/** A host spec as written in an inventory: the host names it stands for and an optional port. */
export function expandHostSpec(spec: string): { names: string[]; port?: number } {
  const { host, port } = splitPort(spec)
  return { names: expandRanges(host), port }
}
