/** Filters on single values: defaults, type conversion, strings, paths, shell/URL quoting. */
import { quote } from '../connection/quote.js'
import { undefinedVar } from '../errors.js'
import { encodeUserInfo } from '../secrets.js'
import { arg, type Filter } from './filter-types.js'
import { pystr, truthy } from './py.js'
import { pyMethod } from './py-methods.js'
import { isUndef } from './undefined.js'

const str = (v: unknown) => pystr(v)
const method = (v: unknown, name: string, ...args: unknown[]) => pyMethod(str(v), name)!(...args)

/** Ansible's to_bool: yes/on/1/true (any case) and 1 are true, everything else false. */
export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v
  if (v === null || v === undefined) return false
  const s = typeof v === 'string' ? v.trim().toLowerCase() : v
  return s === 'yes' || s === 'on' || s === '1' || s === 'true' || s === 1
}

/** Jinja's int: "12" -> 12, "12.7" -> 12, junk -> default (0). */
function toInt(v: unknown, args: unknown[], kw: Record<string, unknown>): unknown {
  const dflt = arg(args, kw, 0, 'default', 0)
  const base = Number(arg(args, kw, 1, 'base', 10))
  if (typeof v === 'boolean') return Number(v)
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : dflt
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '')
    const re = base === 16 ? /^[-+]?(0x)?[0-9a-f]+$/i : base === 8 ? /^[-+]?(0o)?[0-7]+$/i : base === 2 ? /^[-+]?(0b)?[01]+$/i : /^[-+]?\d+$/
    if (re.test(s)) return parseInt(s.replace(/^([-+]?)0[xob]/i, '$1'), base)
    const f = Number(s)
    return s !== '' && Number.isFinite(f) ? Math.trunc(f) : dflt
  }
  return dflt
}

function toFloat(v: unknown, args: unknown[], kw: Record<string, unknown>): unknown {
  const dflt = arg(args, kw, 0, 'default', 0.0)
  if (typeof v === 'boolean') return Number(v)
  if (typeof v === 'number') return v
  if (typeof v === 'string' && v.trim() !== '') {
    const f = Number(v.trim().replace(/^([-+]?)inf(inity)?$/i, '$1Infinity'))
    return Number.isNaN(f) ? dflt : f
  }
  return dflt
}

/** os.path.basename / dirname (Python's, which differ from node's on trailing slashes). */
const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1)
function dirname(p: string): string {
  const head = p.slice(0, p.lastIndexOf('/') + 1)
  return head && head !== '/'.repeat(head.length) ? head.replace(/\/+$/, '') : head
}

/** Python's urllib quote: unreserved characters (plus `safe`) stay, every other byte is %XX. */
export function urlQuote(s: string, safe = '/'): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b)
      return /[A-Za-z0-9\-._~]/.test(c) || (b < 128 && safe.includes(c)) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
    })
    .join('')
}

function urlencode(v: unknown): string {
  const qs = (s: unknown) => urlQuote(str(s), '').replace(/%20/g, '+')
  if (Array.isArray(v)) return v.map((p) => `${qs((p as unknown[])[0])}=${qs((p as unknown[])[1])}`).join('&')
  if (v && typeof v === 'object')
    return Object.entries(v)
      .map(([k, x]) => `${qs(k)}=${qs(x)}`)
      .join('&')
  return urlQuote(str(v))
}

export const coreFilters: Record<string, Filter> = {
  default: (v, args, kw) => {
    const dflt = arg(args, kw, 0, 'default_value', '')
    const boolean = arg(args, kw, 1, 'boolean', false)
    return isUndef(v) || (boolean && (v === null || !truthy(v))) ? dflt : v
  },
  mandatory: (v, args, kw) => {
    if (!isUndef(v)) return v
    const msg = arg<string | null>(args, kw, 0, 'msg', null)
    throw undefinedVar(msg ?? `Mandatory variable '${v.name}' not defined.`)
  },
  ternary: (v, args, kw) => {
    const none = arg<unknown>(args, kw, 2, 'none_val', undefined)
    if (v === null && none !== undefined) return none
    return truthy(v) ? arg(args, kw, 0, 'true_val', true) : arg(args, kw, 1, 'false_val', false)
  },
  bool: (v) => toBool(v),
  int: (v, args, kw) => toInt(v, args, kw),
  float: (v, args, kw) => toFloat(v, args, kw),
  string: (v) => str(v),
  lower: (v) => str(v).toLowerCase(),
  upper: (v) => str(v).toUpperCase(),
  capitalize: (v) => method(v, 'capitalize'),
  title: (v) => method(v, 'title'),
  trim: (v, args, kw) => method(v, 'strip', arg(args, kw, 0, 'chars', null)),
  replace: (v, args, kw) => method(v, 'replace', str(args[0]), str(args[1]), arg(args, kw, 2, 'count', -1) ?? -1),
  basename: (v) => basename(str(v)),
  dirname: (v) => dirname(str(v)),
  quote: (v) => quote(str(v)),
  urlencode: (v) => urlencode(v),
  urlencode_userinfo: (v) => encodeUserInfo(str(v)),
  b64encode: (v) => Buffer.from(str(v), 'utf8').toString('base64'),
  b64decode: (v) => Buffer.from(str(v), 'base64').toString('utf8'),
}
coreFilters.d = coreFilters.default!
