/**
 * The lookups that read a value out of a data file on the controller: csvfile (a row's column by
 * its first column) and ini (a key of a section, or of a Java properties file). Files are found
 * where the file lookup finds them (findIn, `files/` first). Options come as keywords or inline in
 * the term, read as Ansible 2.14 reads them, quirks included: inline options stay set for the
 * terms after, and ini's inline values are strings (`re=false` is a true value there).
 */
import { readFileSync } from 'node:fs'
import { readControlFile } from '../../vault/files.js'
import { pyDecode } from '../py-codec.js'
import { pyRegex } from '../py-regex.js'
import { pystr, truthy } from '../py.js'
import { findIn, type LookupContext } from './context.js'
import { csvRows } from './csv-read.js'
import { IniConfig } from './ini-read.js'
import { splitKv } from './lists.js'
import { boolOpt, type Lookup, LookupError } from './types.js'

function locate(ctx: LookupContext, file: unknown): string {
  const path = findIn(ctx, pystr(file), 'files')
  if (!path) throw new LookupError(`could not locate file in lookup: ${pystr(file)}`)
  return path
}

function decoded(bytes: Buffer, encoding: unknown): string {
  try {
    return pyDecode(bytes, pystr(encoding))
  } catch (e) {
    throw new LookupError((e as Error).message)
  }
}

/** Python's int() of a column: `2`, ` -1 `, `1_0`; a float is truncated. */
function column(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v)
  const s = pystr(v)
  if (!/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(s)) throw new LookupError(`csvfile: invalid literal for int() with base 10: '${s}'`)
  return Number.parseInt(s.replace(/_/g, ''), 10)
}

const CSV_OPTIONS = ['col', 'default', 'delimiter', 'file', 'encoding']

const csvfile: Lookup = (terms, kw, env) => {
  const params: Record<string, unknown> = { col: '1', default: null, delimiter: 'TAB', file: 'ansible.csv', encoding: 'utf-8' }
  for (const k of CSV_OPTIONS) if (kw[k] !== undefined) params[k] = kw[k]
  const out: unknown[] = []
  for (const t of terms) {
    // the key is the words that are no option: it may be several, quotes kept as written
    const { words, kv } = splitKv(pystr(t))
    if (words.length === 0) throw new LookupError('Search key is required but was not found')
    for (const [k, v] of Object.entries(kv)) {
      if (!CSV_OPTIONS.includes(k)) throw new LookupError(`${k} is not a valid option`)
      params[k] = v
    }
    if (params.delimiter === 'TAB') params.delimiter = '\t'
    const path = locate(env.ctx, params.file)
    const rows = csvRows(decoded(readFileSync(path), params.encoding), pystr(params.delimiter))
    const key = words.join(' ')
    const row = rows.find((r) => r.length > 0 && r[0] === key)
    if (row) {
      const i = column(params.col)
      const v = row[i < 0 ? row.length + i : i]
      if (v === undefined)
        throw new LookupError(`csvfile: list index out of range (column ${i} of ${pystr(params.file)}, whose row '${key}' has ${row.length})`)
      out.push(v)
    } else if (params.default !== null && params.default !== undefined) out.push(params.default)
  }
  return out
}

/** ini's options, in Ansible's order (an inline word naming two of them is taken by the last). */
const INI_OPTIONS = ['type', 'file', 'section', 're', 'encoding', 'default', 'case_sensitive', 'allow_no_value']

/**
 * ini's inline options (Ansible's _parse_params): words split on whitespace; a word holding
 * `option=` starts that option, the words after it join its value; the first option-less word is
 * the key. Returns the key; sets the options in `params`.
 */
function inlineOptions(term: string, params: Record<string, unknown>): string {
  const values = new Map<string, string>()
  let current = 'key'
  for (const [i, word] of term.split(/\s+/).filter(Boolean).entries()) {
    if (word.includes('=')) for (const k of INI_OPTIONS) if (word.includes(`${k}=`)) current = k
    const had = values.get(current)
    values.set(current, i === 0 || !had ? word : `${had} ${word}`)
  }
  let key: string | undefined
  for (const param of values.values()) {
    if (!param.includes('=')) {
      key ??= param
      continue
    }
    const parts = param.split('=')
    if (parts.length !== 2) throw new LookupError(`could not use '${param}' from '${term}': one '=' per option`)
    if (!INI_OPTIONS.includes(parts[0]!)) throw new LookupError(`${parts[0]} is not a valid option.`)
    params[parts[0]!] = parts[1]
  }
  if (key === undefined) throw new LookupError(`No key to lookup was provided as first term with in string inline options: ${term}`)
  return key
}

const ini: Lookup = (terms, kw, env) => {
  const params: Record<string, unknown> = {
    type: 'ini',
    file: 'ansible.ini',
    section: 'global',
    re: false,
    encoding: 'utf-8',
    default: '',
    case_sensitive: false,
    allow_no_value: boolOpt(kw.allow_none, false),
  }
  for (const k of INI_OPTIONS) if (kw[k] !== undefined) params[k] = k === 're' || k === 'allow_no_value' ? boolOpt(kw[k], false) : kw[k]
  // one parser for every term, made before the inline options are read (they cannot change these two)
  const config = new IniConfig({ allowNoValue: truthy(params.allow_no_value), caseSensitive: truthy(params.case_sensitive) })
  const out: unknown[] = []
  for (const t of terms) {
    const term = pystr(t)
    const key = term.includes('=') || term.trim().includes(' ') ? inlineOptions(term, params) : term
    const file = pystr(params.file)
    let text = decoded(readControlFile(locate(env.ctx, file)).content, params.encoding)
    if (params.type === 'properties') {
      text = `[java_properties]\n${text}`
      params.section = 'java_properties'
    }
    try {
      config.read(text)
    } catch (e) {
      throw e instanceof LookupError ? new LookupError(`${file}: ${e.message}`) : e
    }
    const section = pystr(params.section)
    if (!config.has(section)) throw new LookupError(`No section '${section}' in ${file}`)
    if (truthy(params.re)) {
      // re.match: from the key's start
      const re = pyRegex(key, {}, false)
      const at = new RegExp(re.source, `${re.flags}y`)
      for (const [k, v] of config.items(section)) {
        at.lastIndex = 0
        if (at.test(k)) out.push(v)
      }
      continue
    }
    const v = config.get(section, key)
    const value = v === undefined ? params.default : v
    if (value !== null && value !== undefined) out.push(value)
  }
  return out
}

export const DATA_FILE_LOOKUPS: Record<string, Lookup> = { csvfile, ini }
