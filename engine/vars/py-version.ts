/**
 * The version classes Ansible's `version` test compares with: LooseVersion (default),
 * StrictVersion (strict=true / version_type='strict'), SemanticVersion ('semver'/'semantic') and
 * PEP 440 ('pep440'), each returning -1 / 0 / 1 or throwing Python's error.
 */
import { cmp } from './py.js'

type Cmp = (a: string, b: string) => number

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0)

/** Python tuple/list ordering of plain values (int vs str raises, as in Python 3). */
function seqCmp(a: unknown[], b: unknown[]): number {
  return sign(cmp(a, b))
}

export const loose: Cmp = (a, b) => {
  const parse = (s: string) =>
    s
      .split(/(\d+|[a-z]+|\.)/)
      .filter((x) => x && x !== '.')
      .map((x) => (/^\d+$/.test(x) ? Number(x) : x))
  const pa = parse(a)
  const pb = parse(b)
  if (pa.length === pb.length && pa.every((x, i) => x === pb[i])) return 0
  return seqCmp(pa, pb)
}

const strict: Cmp = (a, b) => {
  const parse = (s: string) => {
    const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(s)
    if (!m) throw new Error(`invalid version number '${s}'`)
    return { v: [Number(m[1]), Number(m[2]), Number(m[4] ?? 0)], pre: m[5] ? [m[5][0], Number(m[6])] : null }
  }
  const pa = parse(a)
  const pb = parse(b)
  const c = seqCmp(pa.v, pb.v)
  if (c) return c
  if (!pa.pre && !pb.pre) return 0
  if (!pb.pre) return -1
  if (!pa.pre) return 1
  return seqCmp(pa.pre, pb.pre)
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/

const semver: Cmp = (a, b) => {
  const parse = (s: string) => {
    const m = SEMVER.exec(s)
    if (!m) throw new Error(`invalid semantic version '${s}'`)
    return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] }
  }
  const pa = parse(a)
  const pb = parse(b)
  const c = seqCmp(pa.core, pb.core)
  if (c) return c
  if (!pa.pre.length && !pb.pre.length) return 0
  if (!pb.pre.length) return -1
  if (!pa.pre.length) return 1
  for (let i = 0; i < Math.min(pa.pre.length, pb.pre.length); i++) {
    const [x, y] = [pa.pre[i]!, pb.pre[i]!] // i is below both lengths
    if (x === y) continue
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)]
    if (nx && ny) return sign(Number(x) - Number(y))
    if (nx) return -1
    if (ny) return 1
    return x < y ? -1 : 1
  }
  return sign(pa.pre.length - pb.pre.length)
}

const PEP440 =
  /^\s*v?(?:(?:(\d+)!)?(\d+(?:\.\d+)*)([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?((?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d+)?))?([-_.]?(dev)[-_.]?(\d+)?)?)(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i

/** packaging.version's sort key, with -inf/+inf as -Infinity/Infinity. */
function pep440Key(s: string): unknown[] {
  const m = PEP440.exec(s)
  if (!m) throw new Error(`Invalid version: '${s}'`)
  const release = m[2]!.split('.').map(Number) // the release group is required
  while (release.length > 1 && release[release.length - 1] === 0) release.pop()
  const preL = m[4]?.toLowerCase()
  const pre = preL ? [preL === 'alpha' ? 'a' : preL === 'beta' ? 'b' : ['c', 'pre', 'preview'].includes(preL) ? 'rc' : preL, Number(m[5] ?? 0)] : null
  const post = m[6] ? Number(m[7] ?? m[9] ?? 0) : null
  const dev = m[10] ? Number(m[12] ?? 0) : null
  const preKey = !pre && post === null && dev !== null ? [-Infinity] : pre ? pre : [Infinity]
  const local = m[13] ? m[13].split(/[-_.]/).map((p) => (/^\d+$/.test(p) ? [1, Number(p)] : [0, p.toLowerCase()])) : [[-Infinity]]
  return [Number(m[1] ?? 0), release, preKey, post === null ? -Infinity : post, dev === null ? Infinity : dev, local]
}

const pep440: Cmp = (a, b) => {
  const deep = (x: unknown, y: unknown): number => {
    if (Array.isArray(x) && Array.isArray(y)) {
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = deep(x[i], y[i])
        if (c) return c
      }
      return sign(x.length - y.length)
    }
    if (x === y) return 0
    // packaging's Infinity / NegativeInfinity order above / below everything
    if (x === Infinity || y === -Infinity) return 1
    if (y === Infinity || x === -Infinity) return -1
    if (typeof x === typeof y) return (x as number) < (y as number) ? -1 : 1
    return typeof x === 'number' ? -1 : 1
  }
  return deep(pep440Key(a), pep440Key(b))
}

export const VERSION_TYPES: Record<string, Cmp> = { loose, strict, semver, semantic: semver, pep440 }
