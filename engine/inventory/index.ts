/**
 * Inventories as ansible-inventory reads them: `-i` sources (INI, YAML/JSON, directories,
 * `h1,h2,` host lists), group_vars/ and host_vars/ beside them and beside the playbook.
 */
import { resolve } from 'node:path'
import { setting, sourceFor } from '../config/settings.js'
import { InventoryBuilder } from './data.js'
import { type GroupNameMode, GroupNames } from './group-names.js'
import { LoadedInventory } from './inventory.js'
import { readSources } from './sources.js'
import { loadVarsDirs, type VarsDirs } from './vars-dirs.js'
import type { Inventory, LoadOptions } from './types.js'

export type { Inventory, InventoryGroup, InventoryHost, LoadOptions, Vars, VarsLayer } from './types.js'
export { LOCALHOST, splitPattern } from './patterns.js'

export async function loadInventory(sources: string[], opts: LoadOptions = {}): Promise<Inventory> {
  const mode = setting('TRANSFORM_INVALID_GROUP_CHARS', sourceFor(opts.playbookDir ?? process.cwd())) as GroupNameMode
  const data = new InventoryBuilder(new GroupNames(mode))
  const dirs = await readSources(sources, data)
  const badNames = data.groupNames.warning()
  if (badNames) data.warnings.push(badNames)
  data.reconcile()

  const groups = [...data.groups.keys()]
  const hosts = [...data.hosts.keys()]
  // the same directory twice adds nothing (Ansible would read it twice to the same effect)
  const unique = [...new Map(dirs.map((d) => [resolve(d), d])).values()]
  const inventoryDirs = await Promise.all(unique.map((d) => loadVarsDirs(d, groups, hosts)))
  // group_vars/ and host_vars/ beside a play's playbook, by directory (none where an inventory source's are read already)
  const playbookDirs = new Map<string, { dir: string; vars: VarsDirs } | undefined>()
  const forPlaybook = async (dir: string): Promise<VarsDirs | undefined> => {
    const key = resolve(dir)
    if (!playbookDirs.has(key))
      playbookDirs.set(key, unique.some((d) => resolve(d) === key) ? undefined : { dir, vars: await loadVarsDirs(dir, data.groups.keys(), data.hosts.keys()) })
    return playbookDirs.get(key)?.vars
  }
  const playbookDir = opts.playbookDir !== undefined ? await forPlaybook(opts.playbookDir) : undefined
  // group_vars/ of a group made by group_by apply to its hosts from then on, as Ansible's vars plugin reads them on demand
  const loadVarsFor = async (newGroups: string[], newHosts: string[]) => {
    const dirs = [...unique.map((d, i) => [d, inventoryDirs[i]!] as const), ...[...playbookDirs.values()].flatMap((p) => (p ? [[p.dir, p.vars] as const] : []))]
    for (const [dir, into] of dirs) {
      const more = await loadVarsDirs(dir, newGroups, newHosts)
      for (const [k, v] of more.groups) into.groups.set(k, v)
      for (const [k, v] of more.hosts) into.hosts.set(k, v)
    }
  }
  return new LoadedInventory(data, inventoryDirs, playbookDir, loadVarsFor, forPlaybook)
}
