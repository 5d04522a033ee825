/**
 * Where custom modules come from, in the order they are loaded:
 *   <playbook dir>/library, <playbook dir>/roles/<role>/library,
 *   `library` entries of acplay.config.json (beside the playbook, then in cwd),
 *   the command line's -M paths, then ANSIBLE_LIBRARY, else `[defaults] library` of the ansible.cfg
 *   in effect (engine/config/settings.ts).
 * A source is a directory of module files, one module file, or an npm package (by name or path).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { AcplayError } from '../errors.js'
import { expanduser } from '../vars/py-path.js'
import { findAnsibleCfg } from '../config/ansible-cfg.js'
import { type SettingSource, setting } from '../config/settings.js'

export type LibrarySource =
  | { kind: 'dir'; path: string; origin: string }
  | { kind: 'file'; path: string; origin: string }
  | { kind: 'package'; name: string; fromDir: string; origin: string }

export const CONFIG_FILE = 'acplay.config.json'
const libraryError = (msg: string, file?: string) => new AcplayError('E_LIBRARY', msg, { file })

/** Every library source for a playbook in `baseDir`, run from `cwd` with -M `modulePath`; missing library/ dirs are simply absent. */
export function librarySources(baseDir: string, cwd: string = process.cwd(), modulePath: string[] = []): LibrarySource[] {
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
  out.push(
    ...existing(
      modulePath.map((p) => resolve(cwd, expanduser(p))),
      '-M',
    ),
  )
  out.push(...modulePathSources({ cfgFile: findAnsibleCfg(baseDir, cwd), cwd }))
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
  const path = resolve(dir, expanduser(entry))
  if (!existsSync(path)) throw libraryError(`library path '${entry}' does not exist (${path})`, origin)
  if (!isDir(path)) return { kind: 'file', path, origin }
  if (existsSync(join(path, 'package.json'))) return { kind: 'package', name: path, fromDir: dir, origin }
  return { kind: 'dir', path, origin }
}

/** Ansible's DEFAULT_MODULE_PATH (`library = path1:path2`, relative to the cfg's directory); paths that do not exist are skipped, as Ansible does. */
function modulePathSources(src: SettingSource): LibrarySource[] {
  return existing(setting('DEFAULT_MODULE_PATH', src) ?? [], process.env.ANSIBLE_LIBRARY ? 'ANSIBLE_LIBRARY' : (src.cfgFile ?? ''))
}

/** Module paths as Ansible's loader takes them: a directory or a file; one that does not exist is skipped. */
function existing(paths: string[], origin: string): LibrarySource[] {
  return paths.filter((p) => existsSync(p)).map((p) => (isDir(p) ? { kind: 'dir', path: p, origin } : { kind: 'file', path: p, origin }))
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}
