/**
 * community.general's lookups that need nothing outside the controller: flattened and filetree
 * (also by their short names, as Ansible routes them: index.ts) and random_string.
 */
import { randomInt } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { mkFloat, pystr } from '../py.js'
import { findIn } from './context.js'
import { boolOpt, type Lookup, LookupError } from './types.js'

/** Lists flattened all the way down; a 'None' or 'null' term ends the list (as the plugin's `break`). */
function flattenAll(terms: unknown[]): unknown[] {
  const out: unknown[] = []
  for (const term of terms) {
    if (term === 'None' || term === 'null') break
    if (Array.isArray(term)) out.push(...flattenAll(term))
    else out.push(term)
  }
  return out
}

const flattened: Lookup = (terms) => flattenAll(terms)

/** Names and ids of users and groups, read once per run from the controller's files. */
function idNames(file: string): Map<number, string> {
  const names = new Map<number, string>()
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [name, , id] = line.split(':')
      if (name && id !== undefined && !names.has(Number(id))) names.set(Number(id), name)
    }
  } catch {
    // no /etc/passwd: ids stay numbers, as the plugin's KeyError path
  }
  return names
}

/** One entry of a tree, as the plugin's file_props (lstat: a link is a link); undefined for other file types. */
function fileProps(root: string, path: string, users: Map<number, string>, groups: Map<number, string>): Record<string, unknown> | undefined {
  const abs = join(root, path)
  const st = lstatSync(abs)
  const out: Record<string, unknown> = { root, path }
  if (st.isSymbolicLink()) Object.assign(out, { state: 'link', src: readlinkSync(abs) })
  else if (st.isDirectory()) out.state = 'directory'
  else if (st.isFile()) Object.assign(out, { state: 'file', src: abs })
  else return undefined
  return Object.assign(out, {
    uid: st.uid,
    gid: st.gid,
    owner: users.get(st.uid) ?? st.uid,
    group: groups.get(st.gid) ?? st.gid,
    mode: `0${(st.mode & 0o7777).toString(8).padStart(3, '0')}`,
    size: st.size,
    mtime: mkFloat(st.mtimeMs / 1000),
    ctime: mkFloat(st.ctimeMs / 1000),
  })
}

/** os.walk's order, top-down (names sorted: Python's is the directory's): each level's dirs then files, then into each dir. */
function walk(top: string, rel: string, visit: (relpath: string) => void): void {
  let names: string[]
  try {
    names = readdirSync(join(top, rel)).sort()
  } catch {
    return
  }
  const isDir = (n: string) => {
    try {
      return statSync(join(top, rel, n)).isDirectory()
    } catch {
      return false
    }
  }
  const dirs = names.filter(isDir)
  for (const n of [...dirs, ...names.filter((n) => !isDir(n))]) visit(join(rel, n))
  // like os.walk(followlinks=False): a link to a directory is listed, not entered
  for (const d of dirs) if (!lstatSync(join(top, rel, d)).isSymbolicLink()) walk(top, join(rel, d), visit)
}

/** Every file, directory and link under each term's directory (found as `files/` are); a path seen under an earlier term is skipped. */
const filetree: Lookup = (terms, _kw, env) => {
  const users = idNames('/etc/passwd')
  const groups = idNames('/etc/group')
  const out: Record<string, unknown>[] = []
  const seen = new Set<string>()
  for (const t of terms) {
    const term = pystr(t)
    const dir = dirname(term)
    const parent = dir === '.' ? env.ctx.candidates('', 'files').find((c) => isDirectory(c)) : findIn(env.ctx, dir, 'files')
    if (!parent) continue
    const root = join(parent, basename(term))
    walk(root, '', (rel) => {
      if (seen.has(rel)) return
      const props = fileProps(root, rel, users, groups)
      if (!props) return env.ctx.warn(`filetree: Error file type of ${join(root, rel)} is not supported`)
      seen.add(rel)
      out.push(props)
    })
  }
  return out
}

const isDirectory = (p: string) => {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

const DIGITS = '0123456789'
const LOWER = 'abcdefghijklmnopqrstuvwxyz'
const UPPER = LOWER.toUpperCase()
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'

function randomChars(chars: string, n: number): string {
  if (!chars) throw new LookupError('Available characters cannot be None, please change constraints')
  let s = ''
  for (let i = 0; i < n; i++) s += chars[randomInt(chars.length)]
  return s
}

/** A random string from the system's randomness: `length`, the character classes, `min_*`, `override_*`, `base64`. */
const randomString: Lookup = (_terms, kw) => {
  const num = (k: string, d: number) => (kw[k] === undefined || kw[k] === null ? d : Number(kw[k]))
  const length = num('length', 8)
  let chars = ''
  let value = ''
  if (kw.override_all) chars = pystr(kw.override_all)
  else {
    const special = kw.override_special ? pystr(kw.override_special) : PUNCTUATION
    if (boolOpt(kw.upper, true)) chars += UPPER
    if (boolOpt(kw.lower, true)) chars += LOWER
    if (boolOpt(kw.numbers, true)) chars += DIGITS
    if (boolOpt(kw.special, true)) chars += special
    const minimums: [string, string][] = [
      ['min_numeric', DIGITS],
      ['min_lower', LOWER],
      ['min_upper', UPPER],
      ['min_special', special],
    ]
    for (const [k, set] of minimums) if (num(k, 0)) value += randomChars(set, num(k, 0))
  }
  value += randomChars(chars, Math.max(0, length - value.length))
  const shuffled = [...value]
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
  }
  const s = shuffled.join('')
  return [boolOpt(kw.base64, false) ? Buffer.from(s, 'utf8').toString('base64') : s]
}

/** By FQCN; index.ts also routes the short names `flattened` and `filetree` here. */
export const GENERAL_LOOKUPS: Record<string, Lookup> = {
  'community.general.flattened': flattened,
  'community.general.filetree': filetree,
  'community.general.random_string': randomString,
}
