/**
 * The lookups that read the controller: file, fileglob, first_found, template, pipe, lines. Relative
 * paths are found where a task's `src` is (the lookup context's search path); commands run in the
 * playbook's directory through `/bin/sh -c` with the term as its one argument, as Ansible's Popen(shell=True).
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join } from 'node:path'
import { readControlFile } from '../../vault/files.js'
import { templateLoader } from '../template-loader.js'
import { templateFileVars } from '../template-vars.js'
import { isUndef } from '../undefined.js'
import { isMapping, pystr, pyType, repr } from '../py.js'
import { fnmatchRe } from '../py-path.js'
import { findIn } from './context.js'
import { boolOpt, type Lookup, LookupError, type LookupEnv } from './types.js'

/** A controller file's text; a vault file decrypted (its text then a secret), as Ansible's loader reads it. */
const readText = (path: string): string => readControlFile(path).content.toString('utf8')

const file: Lookup = (terms, kw, env) =>
  terms.map((t) => {
    const term = pystr(t)
    const path = findIn(env.ctx, term, 'files')
    if (!path) throw new LookupError(`could not locate file in lookup: ${term}`)
    let text = readText(path)
    if (boolOpt(kw.lstrip, false)) text = text.replace(/^\s+/, '')
    if (boolOpt(kw.rstrip, true)) text = text.replace(/\s+$/, '')
    return text
  })

function glob(dir: string, pattern: string): string[] {
  if (!/[*?[]/.test(pattern)) {
    try {
      return statSync(join(dir, pattern)).isFile() ? [join(dir, pattern)] : []
    } catch {
      return []
    }
  }
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  // glob.glob: `*` and `?` do not match a leading dot
  const re = fnmatchRe(pattern)
  return names
    .filter((n) => re.test(n) && (pattern.startsWith('.') || !n.startsWith('.')))
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => {
      try {
        return statSync(p).isFile()
      } catch {
        return false
      }
    })
}

const fileglob: Lookup = (terms, _kw, env) =>
  terms.flatMap((t) => {
    const term = pystr(t)
    const name = basename(term)
    const dirs: (string | undefined)[] =
      name !== term ? [findIn(env.ctx, dirname(term), 'files')] : env.ctx.candidates('', 'files').map((d) => d.replace(/\/$/, ''))
    for (const d of dirs) {
      if (!d) continue
      const found = glob(d, name)
      if (found.length) return found
    }
    return []
  })

/** A `files`/`paths` option: a list, or a comma-separated string. */
const optList = (v: unknown): unknown[] =>
  v === undefined || v === null ? [] : typeof v === 'string' ? v.split(',').map((s) => s.trim()) : Array.isArray(v) ? v : [v]

function splitOn(terms: unknown, chars: string): string[] {
  if (typeof terms === 'string') return terms.split(new RegExp(`[${chars}]`))
  return (terms as unknown[]).flatMap((t) => splitOn(t, chars))
}

/** Python's os.path.join of two parts: an absolute second part wins. */
const pyJoin = (a: string, b: string) => (isAbsolute(b) ? b : a === '' ? b : a.endsWith('/') ? a + b : `${a}/${b}`)

function searchList(terms: unknown[], kw: Record<string, unknown>): { search: unknown[]; skip: boolean } {
  let search: unknown[] = []
  let skip = false
  for (const term of terms) {
    let opts: Record<string, unknown>
    if (isMapping(term)) opts = term
    else if (typeof term === 'string') opts = kw
    else if (Array.isArray(term)) {
      const inner = searchList(term, kw)
      search.push(...inner.search)
      skip = inner.skip
      continue
    } else throw new LookupError(`Invalid term supplied, can handle string, mapping or list of strings but got: ${pyType(term)} for ${repr(term)}`)
    skip = boolOpt(opts.skip, false)
    const files = splitOn(optList(opts.files), ',;')
    const paths = splitOn(optList(opts.paths), ',:;')
    if (paths.length) for (const p of paths) for (const f of files) search.push(pyJoin(p, f))
    else if (files.length) search = files
    else search.push(term)
  }
  return { search, skip }
}

const firstFound: Lookup = (terms, kw, env) => {
  const { search, skip } = searchList(terms, kw)
  for (const candidate of search) {
    let fn: unknown
    try {
      fn = env.template(candidate)
    } catch (e) {
      if ((e as { code?: string }).code === 'E_UNDEFINED_VAR') continue
      throw e
    }
    if (isUndef(fn)) continue
    const found = findIn(env.ctx, pystr(fn), env.subdir)
    if (found) return [found]
  }
  if (skip) return []
  throw new LookupError('No file was found when using first_found.')
}

const template: Lookup = (terms, kw, env) => {
  const extra = kw.template_vars ?? {}
  if (!isMapping(extra)) throw new LookupError(`template_vars must be a mapping, got ${pyType(extra)}`)
  return terms.map((t) => {
    const term = pystr(t)
    const path = findIn(env.ctx, term, 'templates')
    if (!path) throw new LookupError(`the template file ${term} could not be found for the lookup`)
    // Ansible's template vars (ansible_managed too), no destination; includes from the template's
    // dir, then the search path's templates dirs
    const own = { ...templateFileVars(term, path, undefined, env.ctx.baseDir), template_destpath: null }
    // (candidates of '.' are the search dirs themselves)
    const loader = templateLoader([dirname(path), ...env.ctx.candidates('.', 'templates')])
    return env.renderFile(readText(path), { ...own, ...extra }, loader)
  })
}

/** Runs `term` with /bin/sh -c in the playbook's directory; stdout as text, or the lookup fails. */
function shell(name: string, term: unknown, env: LookupEnv): string {
  const cmd = pystr(term)
  try {
    return execFileSync('/bin/sh', ['-c', cmd], {
      cwd: env.ctx.baseDir,
      input: '',
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'inherit'],
      maxBuffer: 256 * 1024 * 1024,
    })
  } catch (e) {
    const status = (e as { status?: number | null }).status
    throw new LookupError(`lookup_plugin.${name}(${cmd}) returned ${status ?? -1}`)
  }
}

const pipe: Lookup = (terms, _kw, env) => terms.map((t) => shell('pipe', t, env).replace(/\s+$/, ''))

const lines: Lookup = (terms, _kw, env) =>
  terms.flatMap((t) => {
    const out = shell('lines', t, env)
    const ls = out.split(/\r\n|\r|\n/)
    if (ls.at(-1) === '') ls.pop()
    return ls
  })

/** A file's text, decrypted when it is a vault file (a file lookup does that too; unvault says so). */
const unvault: Lookup = (terms, _kw, env) =>
  terms.map((t) => {
    const term = pystr(t)
    const path = findIn(env.ctx, term, 'files')
    if (!path) throw new LookupError(`Unable to find file matching "${term}" `)
    return readText(path)
  })

export const FILE_LOOKUPS: Record<string, Lookup> = { file, fileglob, first_found: firstFound, template, pipe, lines, unvault }
