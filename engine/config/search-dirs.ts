/**
 * Where installed roles and collections are, as Ansible configures them: `roles_path` and
 * `collections_path(s)` in ansible.cfg `[defaults]` (relative entries from the file's dir), or
 * ANSIBLE_ROLES_PATH / ANSIBLE_COLLECTIONS_PATH(S) (colon-separated, relative to the current dir),
 * else Ansible's defaults. `~` is the user's home.
 */
import { join } from 'node:path'
import { SETTINGS, setting, sourceFor } from './settings.js'

export const DEFAULT_ROLES_PATH = SETTINGS.DEFAULT_ROLES_PATH.default

/** Ansible's DEFAULT_ROLES_PATH for a playbook in `baseDir`. */
export function configuredRolesPath(baseDir: string): string[] {
  return setting('DEFAULT_ROLES_PATH', sourceFor(baseDir))!
}

/** Ansible's COLLECTIONS_PATHS for a playbook in `baseDir`, after the playbook's own `collections/` dir. */
export function collectionsPaths(baseDir: string): string[] {
  return [...new Set([join(baseDir, 'collections'), ...setting('COLLECTIONS_PATHS', sourceFor(baseDir))!])]
}

/**
 * Where an installed Ansible's own collections are (Ansible also scans Python's sys.path,
 * COLLECTIONS_SCAN_SYS_PATH): Debian's ansible package puts its bundle here.
 */
export const PYTHON_COLLECTIONS_DIRS = ['/usr/lib/python3/dist-packages']

export const collectionsRoot = (path: string) =>
  path.endsWith('/ansible_collections') || path === 'ansible_collections' ? path : join(path, 'ansible_collections')

/** `ns.coll.role` in a collections path entry: `<path>/ansible_collections/ns/coll/roles/role` (the entry may name ansible_collections itself). */
export function collectionRoleDir(path: string, collection: string, role: string): string {
  const [ns, coll] = collection.split('.')
  return join(collectionsRoot(path), ns!, coll!, 'roles', role)
}
