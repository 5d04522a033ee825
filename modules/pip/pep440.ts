/**
 * PEP 440 versions and specifiers, as `packaging.version` / `packaging.specifiers` do them, so
 * "already satisfied" is decided here from the installed versions without asking pip.
 */

export interface Version {
  epoch: number
  release: number[]
  pre?: ['a' | 'b' | 'rc', number]
  post?: number
  dev?: number
  local?: (string | number)[]
  /** the text as given */
  text: string
}

const VERSION_RE =
  /^\s*v?(?:(?:(\d+)!)?(\d+(?:\.\d+)*)([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?((?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d+)?))?([-_.]?(dev)[-_.]?(\d+)?)?)(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i

const PRE: Record<string, 'a' | 'b' | 'rc'> = { a: 'a', alpha: 'a', b: 'b', beta: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' }

/** Parses a PEP 440 version; undefined when the text is not one. */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION_RE.exec(text)
  if (!m) return undefined
  const v: Version = { epoch: Number(m[1] ?? 0), release: m[2]!.split('.').map(Number), text: text.trim() }
  if (m[4]) v.pre = [PRE[m[4].toLowerCase()]!, Number(m[5] ?? 0)]
  if (m[6]) v.post = Number(m[7] ?? m[9] ?? 0)
  if (m[11]) v.dev = Number(m[12] ?? 0)
  if (m[13])
    v.local = m[13]
      .toLowerCase()
      .split(/[-_.]/)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
  return v
}

export function mustParseVersion(text: string): Version {
  const v = parseVersion(text)
  if (!v) throw new Error(`invalid version ${JSON.stringify(text)} (not PEP 440)`)
  return v
}

export const isPrerelease = (v: Version) => v.pre !== undefined || v.dev !== undefined

/** The normalised form: 1.0.0RC1 -> 1.0.0rc1, 1.0-post2 -> 1.0.post2. */
export function formatVersion(v: Version, withLocal = true): string {
  let s = (v.epoch ? `${v.epoch}!` : '') + v.release.join('.')
  if (v.pre) s += `${v.pre[0]}${v.pre[1]}`
  if (v.post !== undefined) s += `.post${v.post}`
  if (v.dev !== undefined) s += `.dev${v.dev}`
  if (withLocal && v.local) s += `+${v.local.join('.')}`
  return s
}

const cmp = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0)
const PRE_ORDER = { a: 0, b: 1, rc: 2 }

function cmpRelease(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = cmp(a[i] ?? 0, b[i] ?? 0)
    if (c) return c
  }
  return 0
}

// Sort key of the pre segment: a dev-only release sorts before its pre-releases, a final after them.
function preRank(v: Version): [number, number] {
  if (!v.pre && v.post === undefined && v.dev !== undefined) return [-1, 0]
  if (!v.pre) return [3, 0]
  return [PRE_ORDER[v.pre[0]], v.pre[1]]
}

function cmpLocal(a?: (string | number)[], b?: (string | number)[]): number {
  if (!a || !b) return cmp(a ? 1 : 0, b ? 1 : 0)
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i]
    const y = b[i]
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1
    if (typeof x !== typeof y) return typeof x === 'number' ? 1 : -1 // numbers sort after strings
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

/** -1, 0, 1 as PEP 440 orders versions (1.0 == 1.0.0; 1.0.dev1 < 1.0a1 < 1.0 < 1.0.post1). */
export function compareVersions(a: Version, b: Version, withLocal = true): number {
  const [pa, pb] = [preRank(a), preRank(b)]
  return (
    cmp(a.epoch, b.epoch) ||
    cmpRelease(a.release, b.release) ||
    cmp(pa[0], pb[0]) ||
    cmp(pa[1], pb[1]) ||
    cmp(a.post ?? -1, b.post ?? -1) ||
    cmp(a.dev ?? Infinity, b.dev ?? Infinity) ||
    (withLocal ? cmpLocal(a.local, b.local) : 0)
  )
}

export type Operator = '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '==='

export interface Specifier {
  op: Operator
  /** the version text (for == and != possibly ending in `.*`) */
  version: string
  text: string
}

const SPEC_RE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;]+)\s*$/

/** Parses "==2.0.*", ">=1.1, <2" into specifiers; throws with the offending part. */
export function parseSpecifiers(text: string): Specifier[] {
  if (!text.trim()) return []
  return text.split(',').map((part) => {
    const m = SPEC_RE.exec(part)
    if (!m) throw new Error(`invalid version specifier ${JSON.stringify(part.trim())}`)
    const op = m[1] as Operator
    const version = m[2]!
    const wildcard = version.endsWith('.*')
    if (op !== '===') {
      if (wildcard && op !== '==' && op !== '!=') throw new Error(`'.*' is only allowed with == and != (${part.trim()})`)
      const v = parseVersion(wildcard ? version.slice(0, -2) : version)
      if (!v) throw new Error(`invalid version in specifier ${JSON.stringify(part.trim())}`)
      if (wildcard && (v.pre || v.post !== undefined || v.dev !== undefined || v.local)) {
        throw new Error(`a '.*' prefix must be a plain release (${part.trim()})`)
      }
      if (op === '~=' && v.release.length < 2) throw new Error(`~= needs at least two release segments (${part.trim()})`)
      if (v.local && op !== '==' && op !== '!=') throw new Error(`a local version is only allowed with == and != (${part.trim()})`)
    }
    return { op, version, text: `${op}${version}` }
  })
}

const sameBase = (a: Version, b: Version) => a.epoch === b.epoch && cmpRelease(a.release, b.release) === 0

function prefixMatch(candidate: Version, prefix: Version): boolean {
  if (candidate.epoch !== prefix.epoch) return false
  return prefix.release.every((n, i) => (candidate.release[i] ?? 0) === n)
}

/** Does `v` satisfy one specifier (ignoring the pre-release policy)? */
export function matchesSpecifier(v: Version, s: Specifier): boolean {
  if (s.op === '===') return v.text.toLowerCase() === s.version.toLowerCase()
  if (s.version.endsWith('.*')) {
    const hit = prefixMatch(v, mustParseVersion(s.version.slice(0, -2)))
    return s.op === '==' ? hit : !hit
  }
  const sv = mustParseVersion(s.version)
  // A specifier without a local part compares public versions only (1.0+abc == 1.0).
  const c = compareVersions(v, sv, sv.local !== undefined)
  switch (s.op) {
    case '==':
      return c === 0
    case '!=':
      return c !== 0
    case '<=':
      return compareVersions(v, sv, false) <= 0
    case '>=':
      return compareVersions(v, sv, false) >= 0
    case '<':
      // <3.0 excludes 3.0rc1 unless the specifier itself is a pre-release
      if (compareVersions(v, sv, false) >= 0) return false
      return isPrerelease(sv) || !isPrerelease(v) || !sameBase(v, sv)
    case '>':
      if (compareVersions(v, sv, false) <= 0) return false
      // >1.0 excludes 1.0.post1 (unless the specifier is a post-release) and 1.0+local
      if (sv.post === undefined && v.post !== undefined && sameBase(v, sv)) return false
      return !(v.local && sameBase(v, sv))
    case '~=': {
      const prefix = { ...sv, release: sv.release.slice(0, -1), pre: undefined, post: undefined, dev: undefined }
      return compareVersions(v, sv, false) >= 0 && prefixMatch(v, prefix)
    }
  }
}

/** Whether a set of specifiers lets pre-releases in by itself (one of them names a pre-release). */
export function specifiersAllowPrereleases(specs: readonly Specifier[]): boolean {
  return specs.some((s) => {
    if (!['==', '>=', '<=', '~=', '==='].includes(s.op) || s.version.endsWith('.*')) return false
    const v = parseVersion(s.version)
    return v !== undefined && isPrerelease(v)
  })
}

/**
 * Does `version` satisfy every specifier? Pre-releases are excluded unless `prereleases` is true
 * or a specifier names one (PEP 440). For an already installed version pip passes prereleases: true.
 */
export function satisfies(version: string, specs: readonly Specifier[], opts: { prereleases?: boolean } = {}): boolean {
  const v = parseVersion(version)
  if (!v) return specs.every((s) => s.op === '===' && s.version.toLowerCase() === version.trim().toLowerCase())
  const pre = opts.prereleases ?? specifiersAllowPrereleases(specs)
  if (isPrerelease(v) && !pre) return false
  return specs.every((s) => matchesSpecifier(v, s))
}
