/** Ansible's filters on single values: bool, ternary, mandatory, quoting, base64, paths, URLs, comment. */
import { bufferEncoding as pyBufferEncoding } from './py-codec.js'
import { undefinedVar } from '../errors.js'
import { encodeUserInfo } from '../secrets.js'
import { arg, type Filter } from './filter-types.js'
import { num, pystr, pyType, truthy, tuple } from './py.js'
import * as path from './py-path.js'
import { isUndef, templateError } from './undefined.js'

const str = (v: unknown) => pystr(v)

/** Ansible's to_bool for the engine: yes/on/1/true (any case, trimmed) and 1 are true, all else false. */
export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v
  if (v === null || v === undefined) return false
  const s = typeof v === 'string' ? v.trim().toLowerCase() : v
  return s === 'yes' || s === 'on' || s === '1' || s === 'true' || s === 1
}

/** The `bool` filter exactly: None stays None, strings are only lower-cased. */
function boolFilter(v: unknown): boolean | null {
  if (v === null || v === undefined || typeof v === 'boolean') return (v ?? null) as boolean | null
  if (typeof v === 'string') return ['yes', 'on', '1', 'true'].includes(v.toLowerCase())
  return num(v) === 1
}

/** shlex.quote. */
export function shlexQuote(s: string): string {
  if (s === '') return "''"
  if (/^[\w@%+=:,./-]+$/.test(s)) return s
  return `'${s.replace(/'/g, `'"'"'`)}'`
}

function b64decode(s: string, encoding: string): string {
  const clean = s.replace(/[^A-Za-z0-9+/=]/g, '')
  if (clean.replace(/=+$/, '').length % 4 === 1 || (clean.includes('=') && clean.length % 4 !== 0)) throw templateError('Incorrect padding')
  return decode(Buffer.from(clean, 'base64'), encoding)
}

function bufferEncoding(encoding: string): BufferEncoding {
  const e = pyBufferEncoding(encoding)
  if (!e) throw templateError(`unknown encoding: ${encoding}`)
  return e
}
const decode = (b: Buffer, encoding: string) => b.toString(bufferEncoding(encoding))

const COMMENT_STYLES: Record<string, Record<string, string>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
}

/** Ansible's comment filter: the text as a comment block in one of its styles. */
function comment(text: string, style: string, kw: Record<string, unknown>): string {
  const styleParams = COMMENT_STYLES[style]
  if (!styleParams) throw templateError(`comment: unknown style '${style}'`)
  const prepostfix = Object.hasOwn(kw, 'decoration') ? str(kw.decoration) : (styleParams.decoration ?? '')
  const p: Record<string, unknown> = {
    newline: '\n',
    beginning: '',
    prefix: prepostfix.replace(/\s+$/, ''),
    prefix_count: 1,
    decoration: '',
    postfix: prepostfix.replace(/\s+$/, ''),
    postfix_count: 1,
    end: '',
    ...styleParams,
    ...kw,
  }
  const nl = str(p.newline)
  const deco = str(p.decoration)
  const beginning = p.beginning ? `${str(p.beginning)}${nl}` : ''
  let prefix = ''
  if (p.prefix) prefix = (p.prefix !== nl ? `${str(p.prefix)}${nl}` : nl).repeat(Number(p.prefix_count))
  const body = `${deco}${text.split(nl).join(`${nl}${deco}`)}`.split(`${deco}${nl}`).join(`${deco.replace(/\s+$/, '')}${nl}`)
  const postfix = ['', ...Array.from({ length: Number(p.postfix_count) }, () => str(p.postfix))].join(nl)
  const end = p.end ? `${nl}${str(p.end)}` : ''
  return beginning + prefix + body + postfix + end
}

/** urllib.parse.urlsplit as Ansible's urlsplit filter returns it (all attributes, sorted). */
function urlsplit(v: string, query: string): unknown {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(v)!
  const netloc = m[2] ?? ''
  const userinfo = netloc.includes('@') ? netloc.slice(0, netloc.lastIndexOf('@')) : undefined
  const hostport = netloc.slice(netloc.lastIndexOf('@') + 1)
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostport)!
  const host = hp[1]!.replace(/^\[|\]$/g, '').toLowerCase()
  let port: number | null = null
  if (hp[2] !== undefined && hp[2] !== '') {
    if (!/^\d+$/.test(hp[2]) || Number(hp[2]) > 65535) throw templateError(`Port could not be cast to integer value as '${hp[2]}'`)
    port = Number(hp[2])
  }
  const results: Record<string, unknown> = {
    fragment: m[5] ?? '',
    hostname: host || null,
    netloc,
    password: userinfo?.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : null,
    path: m[3],
    port,
    query: m[4] ?? '',
    scheme: (m[1] ?? '').toLowerCase(),
    username: userinfo === undefined ? null : userinfo.split(':')[0],
  }
  if (!query) return results
  if (!Object.hasOwn(results, query)) throw templateError(`urlsplit: unknown URL component: ${query}`)
  return results[query]
}

const urldecode = (s: string) =>
  Buffer.from(
    s.replace(/\+/g, ' ').replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8')

const pathFilter = (fn: (p: string) => unknown) => (v: unknown) => fn(str(v))

export const coreFilters: Record<string, Filter> = {
  mandatory: (v, args, kw) => {
    if (!isUndef(v)) return v
    const msg = arg<unknown>(args, kw, 0, 'msg', null)
    throw undefinedVar(msg !== null ? str(msg) : `Mandatory variable '${v.name}' not defined.`)
  },
  ternary: (v, args, kw) => {
    const none = arg<unknown>(args, kw, 2, 'none_val', null)
    if (v === null && none !== null) return none
    return truthy(v) ? arg(args, kw, 0, 'true_val', undefined) : arg(args, kw, 1, 'false_val', undefined)
  },
  bool: (v) => boolFilter(v),
  type_debug: (v) => pyType(v),
  quote: (v) => shlexQuote(v === null || v === undefined ? '' : str(v)),
  urlencode_userinfo: (v) => encodeUserInfo(str(v)),
  urldecode: (v) => urldecode(str(v)),
  urlsplit: (v, args, kw) => urlsplit(str(v), str(arg(args, kw, 0, 'query', ''))),
  b64encode: (v, args, kw) => Buffer.from(str(v), bufferEncoding(str(arg(args, kw, 0, 'encoding', 'utf-8')))).toString('base64'),
  b64decode: (v, args, kw) => b64decode(str(v), str(arg(args, kw, 0, 'encoding', 'utf-8'))),
  comment: (v, args, kw) => comment(str(v), str(arg(args, kw, 0, 'style', 'plain')), Object.fromEntries(Object.entries(kw).filter(([k]) => k !== 'style'))),
  basename: pathFilter(path.basename),
  dirname: pathFilter(path.dirname),
  expanduser: pathFilter(path.expanduser),
  expandvars: pathFilter(path.expandvars),
  realpath: pathFilter(path.realpath),
  relpath: (v, args, kw) => path.relpath(str(v), str(arg(args, kw, 0, 'start', '.'))),
  splitext: (v) => tuple(path.splitext(str(v))),
  path_join: (v) => {
    if (typeof v === 'string') return v
    if (!Array.isArray(v)) throw templateError(`|path_join expects string or sequence, got ${pyType(v)} instead.`)
    const parts = v.map(str)
    const [first, ...rest] = parts
    return first === undefined ? '' : path.join(first, ...rest)
  },
  fileglob: (v) => path.glob(str(v)).filter(path.isFile),
  normpath: pathFilter(path.normpath),
  commonpath: (v) => {
    if (!Array.isArray(v)) throw templateError(`|commonpath expects sequence, got ${pyType(v)} instead.`)
    try {
      return path.commonpath(v.map(str))
    } catch (e) {
      throw templateError(`commonpath: ${(e as Error).message}`)
    }
  },
  win_basename: pathFilter(path.winBasename),
  win_dirname: pathFilter(path.winDirname),
  win_splitdrive: (v) => tuple(path.winSplitdrive(str(v))),
}
