/**
 * pg_hba.conf as lines: find the ONE rule a task describes, replace or insert or remove it, and
 * leave every other line (comments, spacing, order) exactly as it was. Pure; unit-tested.
 */
export interface HbaRule {
  type: string
  databases: string[]
  users: string[]
  /** normalised: "10.231.0.0/16" (a mask column folded into a prefix length), a host name, all, samehost... */
  address?: string
  method: string
  options: string[]
}

const TYPES = new Set(['local', 'host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc'])

/** Whitespace-separated tokens up to a comment; double-quoted tokens keep their quotes. */
function tokens(line: string): string[] {
  const out: string[] = []
  const re = /"[^"]*"\S*|[^\s#"]+|#/g
  for (const m of line.matchAll(re)) {
    if (m[0] === '#') break
    out.push(m[0])
  }
  return out
}

function ipv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s)
  if (!m) return undefined
  const parts = m.slice(1).map(Number)
  if (parts.some((x) => x > 255)) return undefined
  return parts.reduce((a, x) => a * 256 + x, 0)
}

function maskBits(mask: string): number | undefined {
  const n = ipv4(mask)
  if (n === undefined) return undefined
  const bits = n.toString(2).padStart(32, '0')
  return /^1*0*$/.test(bits) ? (bits.indexOf('0') === -1 ? 32 : bits.indexOf('0')) : undefined
}

/** "10.231.0.5/16" -> "10.231.0.0/16"; address + netmask -> CIDR; others lower-cased as they are. */
export function normalizeAddress(address: string, netmask?: string): string {
  let [addr, len] = address.split('/') as [string, string | undefined]
  if (netmask !== undefined) {
    const bits = maskBits(netmask)
    if (bits === undefined) return `${address.toLowerCase()} ${netmask}`
    len = String(bits)
  }
  const n = ipv4(addr)
  if (n === undefined || len === undefined) return len === undefined ? addr.toLowerCase() : `${addr.toLowerCase()}/${len}`
  const bits = Number(len)
  const net = bits === 0 ? 0 : n - (n % 2 ** (32 - bits))
  return `${[24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join('.')}/${bits}`
}

export function parseRule(line: string): HbaRule | undefined {
  const t = tokens(line)
  if (t.length < 4 || !TYPES.has(t[0]!)) return undefined
  const rule: HbaRule = { type: t[0]!, databases: t[1]!.split(','), users: t[2]!.split(','), method: '', options: [] }
  let i = 3
  if (rule.type !== 'local') {
    const addr = t[i++]!
    const hasMask = !addr.includes('/') && ipv4(addr) !== undefined && t[i] !== undefined && ipv4(t[i]!) !== undefined
    rule.address = normalizeAddress(addr, hasMask ? t[i++] : undefined)
  }
  if (t[i] === undefined) return undefined
  rule.method = t[i++]!
  rule.options = t.slice(i)
  return rule
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x))

/** The identity of a rule: type, databases, users, source. Method and options are what a task sets. */
export function sameRule(a: HbaRule, b: HbaRule): boolean {
  return a.type === b.type && sameSet(a.databases, b.databases) && sameSet(a.users, b.users) && (a.address ?? '') === (b.address ?? '')
}

function cidr(s: string | undefined): [number, number] | undefined {
  const m = /^([\d.]+)\/(\d+)$/.exec(s ?? '')
  const n = m ? ipv4(m[1]!) : undefined
  return n === undefined ? undefined : [n, Number(m![2])]
}

/** Would `a` (earlier in the file) match every connection `b` matches, so that `b` below it never applies? */
export function covers(a: HbaRule, b: HbaRule): boolean {
  const typeOk = a.type === b.type || (a.type === 'host' && b.type !== 'local')
  const list = (x: string[], y: string[]) => x.includes('all') || y.every((v) => x.includes(v))
  let addrOk = b.type === 'local' || a.address === 'all' || a.address === b.address
  const ca = cidr(a.address)
  const cb = cidr(b.address)
  if (!addrOk && ca && cb && ca[1] <= cb[1]) {
    const block = 2 ** (32 - ca[1])
    addrOk = Math.floor(ca[0] / block) === Math.floor(cb[0] / block)
  }
  return typeOk && list(a.databases, b.databases) && list(a.users, b.users) && addrOk
}

/** One rule line, columns as Debian's default file (type 8, database 16, user 16, address 24). */
export function formatRule(r: HbaRule): string {
  const cols = [r.type.padEnd(7), r.databases.join(',').padEnd(15), r.users.join(',').padEnd(15), (r.address ?? '').padEnd(23), r.method]
  return [cols.join(' '), ...r.options].join(' ').trimEnd()
}

export interface HbaEdit {
  content: string
  /** what happened: replaced / inserted / removed / unchanged */
  action: 'replaced' | 'inserted' | 'removed' | 'unchanged'
}

/** Applies `state` for `rule` to the file text. Other lines are kept byte for byte. */
export function editHba(content: string, rule: HbaRule, state: 'present' | 'absent'): HbaEdit {
  const lines = content === '' ? [] : content.replace(/\n$/, '').split('\n')
  const parsed = lines.map(parseRule)
  const at = parsed.findIndex((r) => r !== undefined && sameRule(r, rule))
  const end = (ls: string[]) => (ls.length ? `${ls.join('\n')}\n` : '')
  if (state === 'absent') {
    if (at < 0) return { content, action: 'unchanged' }
    return { content: end(lines.filter((_, i) => !(parsed[i] && sameRule(parsed[i]!, rule)))), action: 'removed' }
  }
  const line = formatRule(rule)
  if (at >= 0) {
    const have = parsed[at]!
    if (have.method === rule.method && have.options.join(' ') === rule.options.join(' ')) return { content, action: 'unchanged' }
    lines[at] = line
    return { content: end(lines), action: 'replaced' }
  }
  // A new rule goes just before the first rule that would shadow it (PostgreSQL uses the first match), else at the end.
  const before = parsed.findIndex((r) => r !== undefined && covers(r, rule))
  if (before < 0) lines.push(line)
  else lines.splice(before, 0, line)
  return { content: end(lines), action: 'inserted' }
}
