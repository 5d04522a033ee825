/**
 * Where custom modules come from, in the order they are loaded:
 *   <playbook dir>/library, <playbook dir>/roles/<role>/library,
 *   `library` entries of acplay.config.json (beside the playbook, then in cwd),
 *   `[defaults] library` of ansible.cfg ($ANSIBLE_CONFIG, else cwd, else beside the playbook).
 * A source is a directory of module files, one module file, or an npm package (by name or path).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { AcplayError } from '../errors.js'
import { findAnsibleCfg, readAnsibleCfg } from '../config/ansible-cfg.js'

export type LibrarySource =
  | { kind: 'dir'; path: string; origin: string }
  | { kind: 'file'; path: string; origin: string }
  | { kind: 'package'; name: string; fromDir: string; origin: string }

export const CONFIG_FILE = 'acplay.config.json'
const libraryError = (msg: string, file?: string) => new AcplayError('E_LIBRARY', msg, { file })

/** Every library source for a playbook in `baseDir`, run from `cwd`; missing library/ dirs are simply absent. */
export function librarySources(baseDir: string, cwd: string = process.cwd()): LibrarySource[] {
  const out: LibrarySource[] = []
  const dirIfAny = (path: string, origin: string) => {
    if (isDir(path)) out.push({ kind: 'dir', path, origin })
  }
  dirIfAny(join(baseDir, 'library'), 'library/ beside the playbook')
  // The playbook loader learns role dirs only while loading; roles/*/library covers the usual layout.
  const roles = join(baseDir, 'roles')
  if (isDir(roles)) for (const r of readdirSync(roles).sort()) dirIfAny(join(roles, r, 'library'), `role ${r}`)
  const configs = [...new Set([join(baseDir, CONFIG_FILE), join(cwd, CONFIG_FILE)].map((p) => resolve(p)))]
  for (const cfg of configs) if (existsSync(cfg)) out.push(...configSources(cfg))
  const ansibleCfg = findAnsibleCfg(baseDir, cwd)
  if (ansibleCfg) out.push(...ansibleCfgSources(ansibleCfg))
  return out
}

/** acplay.config.json: `{ "library": ["some-package", "./path/to/dir-or-file-or-package"] }`. */
export function configSources(file: string): LibrarySource[] {
  let cfg: unknown
  try {
    cfg = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw libraryError(`cannot read ${CONFIG_FILE}: ${(e as Error).message}`, file)
  }
  const lib = (cfg as { library?: unknown } | null)?.library
  if (lib === undefined) return []
  if (!Array.isArray(lib) || !lib.every((x) => typeof x === 'string' && x.length > 0)) {
    throw libraryError(`'library' must be a list of package names or paths, got ${JSON.stringify(lib)}`, file)
  }
  return (lib as string[]).map((entry) => sourceOf(entry, dirname(file), `${file}`))
}

/** A path entry (./x, ../x, /x, ~/x) or a package name resolved from the config's directory. */
function sourceOf(entry: string, dir: string, origin: string): LibrarySource {
  const isPath = entry.startsWith('.') || isAbsolute(entry) || entry.startsWith('~/')
  if (!isPath) return { kind: 'package', name: entry, fromDir: dir, origin }
  const path = resolve(dir, entry.startsWith('~/') ? join(homedir(), entry.slice(2)) : entry)
  if (!existsSync(path)) throw libraryError(`library path '${entry}' does not exist (${path})`, origin)
  if (!isDir(path)) return { kind: 'file', path, origin }
  if (existsSync(join(path, 'package.json'))) return { kind: 'package', name: path, fromDir: dir, origin }
  return { kind: 'dir', path, origin }
}

/** `[defaults] library = path1:path2` (Ansible's DEFAULT_MODULE_PATH); relative to the cfg's directory. */
export function ansibleCfgSources(file: string): LibrarySource[] {
  const lib = readAnsibleCfg(file).defaults?.library
  if (lib === undefined) return []
  const paths = lib
    .split(':')
    .map((p) => p.trim())
    .filter(Boolean)
  // Ansible skips library paths that do not exist; so do we (a shared ansible.cfg often lists several)
  return paths
    .map((p) => resolve(dirname(file), p.startsWith('~/') ? join(homedir(), p.slice(2)) : p))
    .filter((p) => existsSync(p))
    .map((p) => (isDir(p) ? { kind: 'dir', path: p, origin: file } : { kind: 'file', path: p, origin: file }))
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}
