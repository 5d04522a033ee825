/**
 * The Python methods playbooks call on values (`x.startswith('a')`, `d.items()`, `s.split(',')`).
 * Only these are reachable from templates: JS prototype members (`constructor`, `length`) are not.
 */
import { isMapping, pystr } from './py.js'

type Method = (self: any, ...args: any[]) => unknown

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const stripRe = (chars: unknown, where: 'both' | 'left' | 'right') => {
  const set = chars == null ? '\\s' : `[${escapeRe(String(chars))}]`
  const cls = chars == null ? '\\s' : set
  return new RegExp(where === 'left' ? `^${cls}+` : where === 'right' ? `${cls}+$` : `^${cls}+|${cls}+$`, 'g')
}

function split(s: string, sep?: string | null, maxsplit = -1): string[] {
  if (sep == null) {
    const parts = s
      .trim()
      .split(/\s+/)
      .filter((p) => p !== '')
    if (maxsplit < 0 || parts.length <= maxsplit) return parts
    const head = parts.slice(0, maxsplit)
    let rest = s.trim()
    for (const h of head) rest = rest.slice(rest.indexOf(h) + h.length).replace(/^\s+/, '')
    return [...head, rest]
  }
  const parts = s.split(sep)
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)]
}

/** str.format with {} / {0} / {name} fields (no format specs beyond that). */
function format(s: string, ...args: unknown[]): string {
  const last = args[args.length - 1]
  const kw = isMapping(last) && (last as { __keywords?: boolean }).__keywords ? (args.pop() as Record<string, unknown>) : {}
  let auto = 0
  return s.replace(/\{\{|\}\}|\{(\w*)\}/g, (m, field: string | undefined) => {
    if (m === '{{') return '{'
    if (m === '}}') return '}'
    if (field === '' || field === undefined) return pystr(args[auto++])
    return pystr(/^\d+$/.test(field) ? args[Number(field)] : kw[field])
  })
}

const STR: Record<string, Method> = {
  startswith: (s: string, p: string | string[]) => (Array.isArray(p) ? p : [p]).some((x) => s.startsWith(x)),
  endswith: (s: string, p: string | string[]) => (Array.isArray(p) ? p : [p]).some((x) => s.endsWith(x)),
  strip: (s: string, c?: string) => s.replace(stripRe(c, 'both'), ''),
  lstrip: (s: string, c?: string) => s.replace(stripRe(c, 'left'), ''),
  rstrip: (s: string, c?: string) => s.replace(stripRe(c, 'right'), ''),
  lower: (s: string) => s.toLowerCase(),
  upper: (s: string) => s.toUpperCase(),
  capitalize: (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  title: (s: string) => s.toLowerCase().replace(/(^|[^a-z0-9])([a-z])/g, (_m, a, b) => a + b.toUpperCase()),
  split,
  splitlines: (s: string) => s.split(/\r?\n/).filter((l, i, a) => i < a.length - 1 || l !== ''),
  replace: (s: string, a: string, b: string, n = -1) => {
    if (n < 0) return s.split(a).join(b)
    const parts = s.split(a)
    return parts.slice(0, n + 1).join(b) + (parts.length > n + 1 ? a + parts.slice(n + 1).join(a) : '')
  },
  join: (s: string, items: unknown[]) => items.map(pystr).join(s),
  find: (s: string, x: string) => s.indexOf(x),
  count: (s: string, x: string) => s.split(x).length - 1,
  format,
  isdigit: (s: string) => /^\d+$/.test(s),
  isalpha: (s: string) => /^[A-Za-z]+$/.test(s),
  zfill: (s: string, w: number) => s.padStart(w, '0'),
}

const LIST: Record<string, Method> = {
  index: (l: unknown[], x: unknown) => l.indexOf(x),
  count: (l: unknown[], x: unknown) => l.filter((y) => y === x).length,
}

const DICT: Record<string, Method> = {
  items: (d: Record<string, unknown>) => Object.entries(d),
  keys: (d: Record<string, unknown>) => Object.keys(d),
  values: (d: Record<string, unknown>) => Object.values(d),
  get: (d: Record<string, unknown>, k: string, def: unknown = null) => (Object.hasOwn(d, k) ? d[k] : def),
}

/** The bound Python method `name` of `obj`, or undefined. */
export function pyMethod(obj: unknown, name: string): ((...a: unknown[]) => unknown) | undefined {
  const table = typeof obj === 'string' ? STR : Array.isArray(obj) ? LIST : isMapping(obj) ? DICT : undefined
  const m = table && Object.hasOwn(table, name) ? table[name] : undefined
  return m && ((...args: unknown[]) => m(obj, ...args))
}
