/**
 * PEP 508 environment markers (`python_version >= "3.8" and extra == "postgres"`), evaluated against
 * the host's environment (gathered with the installed packages) to find the dependencies an extra needs.
 */
import { parseSpecifiers, parseVersion, satisfies } from './pep440.js'

const normalizeName = (n: string) =>
  n
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-')

const VARIABLES = new Set([
  'python_version',
  'python_full_version',
  'os_name',
  'sys_platform',
  'platform_release',
  'platform_system',
  'platform_version',
  'platform_machine',
  'platform_python_implementation',
  'implementation_name',
  'implementation_version',
  'extra',
  'os.name',
  'sys.platform',
  'platform.version',
  'platform.machine',
  'platform.python_implementation',
  'python_implementation',
])

export type MarkerEnv = Record<string, string>

type Token = { t: 'str' | 'var' | 'op' | 'and' | 'or' | '(' | ')'; v: string }

const TOKEN_RE = /\s*(?:('[^']*'|"[^"]*")|(===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b)|(and\b|or\b)|(\(|\))|([A-Za-z_][A-Za-z0-9_.]*))/y

function tokenize(s: string): Token[] {
  const out: Token[] = []
  TOKEN_RE.lastIndex = 0
  while (TOKEN_RE.lastIndex < s.length) {
    if (/^\s*$/.test(s.slice(TOKEN_RE.lastIndex))) break
    const at = TOKEN_RE.lastIndex
    const m = TOKEN_RE.exec(s)
    if (!m) throw new Error(`cannot parse marker ${JSON.stringify(s)} at ${at}`)
    if (m[1]) out.push({ t: 'str', v: m[1].slice(1, -1) })
    else if (m[2]) out.push({ t: 'op', v: m[2].replace(/\s+/, ' ') })
    else if (m[3]) out.push({ t: m[3] as 'and' | 'or', v: m[3] })
    else if (m[4]) out.push({ t: m[4] as '(' | ')', v: m[4] })
    else if (VARIABLES.has(m[5]!)) out.push({ t: 'var', v: m[5]! })
    else throw new Error(`unknown marker variable ${JSON.stringify(m[5])} in ${JSON.stringify(s)}`)
  }
  return out
}

function compare(op: string, left: string, right: string, isExtra: boolean): boolean {
  if (isExtra) [left, right] = [normalizeName(left), normalizeName(right)]
  if (op === 'in') return right.includes(left)
  if (op === 'not in') return !right.includes(left)
  if (!isExtra && op !== '===' && parseVersion(left) && parseVersion(right)) {
    try {
      return satisfies(left, parseSpecifiers(`${op}${right}`), { prereleases: true })
    } catch {
      /* not a valid specifier (e.g. a wildcard with <): compare as strings */
    }
  }
  if (op === '==' || op === '===') return left === right
  if (op === '!=') return left !== right
  throw new Error(`marker operator ${op} needs versions, got ${JSON.stringify(left)} and ${JSON.stringify(right)}`)
}

/** Evaluates a marker. A variable missing from `env` makes the comparison false (unknown environment). */
export function evaluateMarker(marker: string, env: MarkerEnv): boolean {
  const toks = tokenize(marker)
  let i = 0
  const value = (): { v: string | undefined; extra: boolean } => {
    const t = toks[i++]
    if (t?.t === 'str') return { v: t.v, extra: false }
    if (t?.t === 'var') return { v: env[t.v], extra: t.v === 'extra' }
    throw new Error(`marker ${JSON.stringify(marker)}: expected a value`)
  }
  const atom = (): boolean => {
    if (toks[i]?.t === '(') {
      i++
      const r = orExpr()
      if (toks[i++]?.t !== ')') throw new Error(`marker ${JSON.stringify(marker)}: missing ')'`)
      return r
    }
    const l = value()
    const op = toks[i++]
    if (op?.t !== 'op') throw new Error(`marker ${JSON.stringify(marker)}: expected an operator`)
    const r = value()
    if (l.v === undefined || r.v === undefined) return false
    return compare(op.v, l.v, r.v, l.extra || r.extra)
  }
  const andExpr = (): boolean => {
    let r = atom()
    while (toks[i]?.t === 'and') {
      i++
      r = atom() && r
    }
    return r
  }
  const orExpr = (): boolean => {
    let r = andExpr()
    while (toks[i]?.t === 'or') {
      i++
      r = andExpr() || r
    }
    return r
  }
  const r = orExpr()
  if (i !== toks.length) throw new Error(`marker ${JSON.stringify(marker)}: unexpected ${toks[i]!.v}`)
  return r
}
