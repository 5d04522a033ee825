/** Python's posixpath and ntpath functions behind Ansible's path filters (they differ from node's on edge cases). */
import { readdirSync, realpathSync, statSync } from 'node:fs'
import { homedir } from 'node:os'

export const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1)

export function dirname(p: string): string {
  const head = p.slice(0, p.lastIndexOf('/') + 1)
  return head && head !== '/'.repeat(head.length) ? head.replace(/\/+$/, '') : head
}

/** ('a.tar', '.gz'); leading dots of the name do not start an extension. */
export function splitext(p: string): [string, string] {
  const sep = p.lastIndexOf('/')
  const dot = p.lastIndexOf('.')
  if (dot > sep) {
    let i = sep + 1
    while (i < dot && p[i] === '.') i++
    if (i < dot) return [p.slice(0, dot), p.slice(dot)]
  }
  return [p, '']
}

export function join(first: string, ...rest: string[]): string {
  let out = first
  for (const b of rest) {
    if (b.startsWith('/')) out = b
    else if (out === '' || out.endsWith('/')) out += b
    else out += `/${b}`
  }
  return out
}

export function normpath(p: string): string {
  if (p === '') return '.'
  const initial = p.startsWith('//') && !p.startsWith('///') ? 2 : p.startsWith('/') ? 1 : 0
  const parts: string[] = []
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue
    if (c !== '..' || (!initial && !parts.length) || (parts.length && parts[parts.length - 1] === '..')) parts.push(c)
    else if (parts.length) parts.pop()
  }
  const out = '/'.repeat(initial) + parts.join('/')
  return out || '.'
}

/** os.path.commonpath: the longest common leading path of absolute (or of relative) paths. */
export function commonpath(paths: string[]): string {
  if (!paths.length) throw new Error('commonpath() arg is an empty sequence')
  const abs = paths[0]!.startsWith('/')
  if (paths.some((p) => p.startsWith('/') !== abs)) throw new Error("Can't mix absolute and relative paths")
  const split = paths.map((p) => p.split('/').filter((c) => c !== '' && c !== '.'))
  const first = split[0]!
  const common: string[] = []
  // the loop condition includes i < first.length, so first[i] is in range
  for (let i = 0; split.every((parts) => i < parts.length && parts[i] === first[i]); i++) common.push(first[i]!)
  return (abs ? '/' : '') + common.join('/')
}

export const abspath = (p: string) => normpath(p.startsWith('/') ? p : join(process.cwd(), p))

export function relpath(p: string, start = '.'): string {
  if (!p) throw new Error('no path specified')
  const a = abspath(start).split('/').filter(Boolean)
  const b = abspath(p).split('/').filter(Boolean)
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  const rel = [...Array(a.length - i).fill('..'), ...b.slice(i)]
  return rel.length ? rel.join('/') : '.'
}

/** os.path.realpath: symlinks resolved as far as the path exists, the rest normalized. */
export function realpath(p: string): string {
  const abs = abspath(p)
  const parts = abs.split('/').filter(Boolean)
  for (let n = parts.length; n >= 0; n--) {
    const head = `/${parts.slice(0, n).join('/')}`
    try {
      const real = realpathSync(head)
      return normpath(join(real, ...parts.slice(n)))
    } catch {
      // this prefix does not exist: try a shorter one
    }
  }
  return abs
}

export const expanduser = (p: string): string => expanduserWith(p, process.env.HOME ?? homedir())

/** Python's expanduser with `home` as HOME (a host's, or undefined: left as written). */
export function expanduserWith(p: string, home: string | undefined): string {
  if (!p.startsWith('~') || home === undefined) return p
  const i = p.indexOf('/', 1)
  const user = p.slice(1, i < 0 ? undefined : i)
  if (user !== '') return p // other users' homes need the password database; left as written, as when unknown
  // as Python: HOME's trailing slashes dropped, and '/' when nothing is left
  return home.replace(/\/+$/, '') + (i < 0 ? '' : p.slice(i)) || '/'
}

/** $VAR and ${VAR} from the controller's environment (or `env`); unknown names stay as written. */
export const expandvars = (p: string, env: NodeJS.ProcessEnv = process.env) =>
  p.replace(/\$(\w+|\{[^}]*\})/g, (m, name: string) => {
    const n = name.startsWith('{') ? name.slice(1, -1) : name
    return env[n] ?? m
  })

/** ntpath.splitdrive: ('C:', '\\x') or ('\\\\server\\share', '\\x'). */
export function winSplitdrive(p: string): [string, string] {
  const norm = p.replace(/\//g, '\\')
  if (norm.startsWith('\\\\') && norm[2] !== '\\') {
    const i = norm.indexOf('\\', 2)
    if (i < 0) return ['', p]
    const j = norm.indexOf('\\', i + 1)
    if (j === i + 1) return ['', p]
    const end = j < 0 ? p.length : j
    return [p.slice(0, end), p.slice(end)]
  }
  if (p[1] === ':') return [p.slice(0, 2), p.slice(2)]
  return ['', p]
}

function winSplit(p: string): [string, string] {
  const [d, rest] = winSplitdrive(p)
  let i = rest.length
  while (i && !'/\\'.includes(rest.charAt(i - 1))) i--
  const head = rest.slice(0, i)
  const tail = rest.slice(i)
  const trimmed = head.replace(/[/\\]+$/, '')
  return [d + (trimmed || head), tail]
}

export const winBasename = (p: string) => winSplit(p)[1]
export const winDirname = (p: string) => winSplit(p)[0]

/** Python's fnmatch.fnmatchcase as a RegExp, for one name or path component (`*`, `?`, `[seq]`, `[!seq]`). */
export function fnmatchRe(pattern: string): RegExp {
  let re = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === '*') re += '.*'
    else if (c === '?') re += '.'
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2)
      if (end < 0) re += '\\['
      else {
        let set = pattern.slice(i + 1, end)
        if (set.startsWith('!')) set = `^${set.slice(1)}`
        re += `[${set.replace(/\\/g, '\\\\')}]`
        i = end
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  return new RegExp(`^${re}$`, 's')
}

const hasMagic = (s: string) => /[*?[]/.test(s)

/** glob.glob on the controller (sorted, where Python gives directory order); hidden names need a leading dot. */
export function glob(pattern: string): string[] {
  const absolute = pattern.startsWith('/')
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0)
  let paths = [absolute ? '/' : '']
  for (const part of absolute ? parts.slice(1) : parts) {
    const next: string[] = []
    for (const base of paths) {
      if (!hasMagic(part)) {
        next.push(base === '' ? part : base.endsWith('/') ? base + part : `${base}/${part}`)
        continue
      }
      let names: string[]
      try {
        names = readdirSync(base === '' ? '.' : base)
      } catch {
        continue
      }
      const re = fnmatchRe(part)
      for (const n of names.sort()) {
        if (n.startsWith('.') && !part.startsWith('.')) continue
        if (re.test(n)) next.push(base === '' ? n : base.endsWith('/') ? base + n : `${base}/${n}`)
      }
    }
    paths = next
  }
  return paths.filter((p) => {
    try {
      statSync(p)
      return true
    } catch {
      return false
    }
  })
}

export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile()
  } catch {
    return false
  }
}
