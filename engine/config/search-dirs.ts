/**
 * Where installed roles and collections are, as Ansible configures them: `roles_path` and
 * `collections_path(s)` in ansible.cfg `[defaults]` (relative entries from the file's dir), or
 * ANSIBLE_ROLES_PATH / ANSIBLE_COLLECTIONS_PATH(S) (colon-separated, relative to the current dir),
 * else Ansible's defaults. `~` is the user's home.
 */
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { findAnsibleCfg, readAnsibleCfg } from './ansible-cfg.js'

export const DEFAULT_ROLES_PATH = ['~/.ansible/roles', '/usr/share/ansible/roles', '/etc/ansible/roles']
export const DEFAULT_COLLECTIONS_PATHS = ['~/.ansible/collections', '/usr/share/ansible/collections']

const expandHome = (p: string) => (p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p)

/** A path list setting: the first environment variable set, else the first ansible.cfg key given, else the defaults. */
function pathList(baseDir: string, envVars: string[], keys: string[], defaults: string[]): string[] {
  const split = (v: string, base: string) =>
    v
      .split(':')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => resolve(base, expandHome(p)))
  for (const v of envVars) {
    const value = process.env[v]
    if (value !== undefined && value !== '') return split(value, process.cwd())
  }
  const file = findAnsibleCfg(baseDir)
  if (file) {
    const defaultsSection = readAnsibleCfg(file).defaults ?? {}
    for (const k of keys) {
      const value = defaultsSection[k]
      if (value !== undefined && value !== '') return split(value, dirname(file))
    }
  }
  return defaults.map(expandHome)
}

/** Ansible's DEFAULT_ROLES_PATH for a playbook in `baseDir`. */
export function configuredRolesPath(baseDir: string): string[] {
  return pathList(baseDir, ['ANSIBLE_ROLES_PATH'], ['roles_path'], DEFAULT_ROLES_PATH)
}

/** Ansible's COLLECTIONS_PATHS for a playbook in `baseDir`, after the playbook's own `collections/` dir. */
export function collectionsPaths(baseDir: string): string[] {
  const configured = pathList(
    baseDir,
    ['ANSIBLE_COLLECTIONS_PATH', 'ANSIBLE_COLLECTIONS_PATHS'],
    ['collections_path', 'collections_paths'],
    DEFAULT_COLLECTIONS_PATHS,
  )
  return [...new Set([join(baseDir, 'collections'), ...configured])]
}

/** `ns.coll.role` in a collections path entry: `<path>/ansible_collections/ns/coll/roles/role` (the entry may name ansible_collections itself). */
export function collectionRoleDir(path: string, collection: string, role: string): string {
  const root = path.endsWith('/ansible_collections') || path === 'ansible_collections' ? path : join(path, 'ansible_collections')
  const [ns, coll] = collection.split('.')
  return join(root, ns!, coll!, 'roles', role)
}
