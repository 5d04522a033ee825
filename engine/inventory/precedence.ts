/**
 * Inventory-level variable precedence for one host, exactly as Ansible's VariableManager
 * orders it (default VARIABLE_PRECEDENCE), lowest first:
 *   1. inventory-file vars of `all`, then of the host's other groups (by depth, priority, name)
 *   2. group_vars/all beside each inventory source, then beside the playbook
 *   3. group_vars/<group> beside each inventory source (groups ordered as in 1), then beside the playbook
 *   4. inventory-file host vars, then host_vars/ beside each inventory source, then beside the playbook
 * So a group_vars/all.yml file beats a [web:vars] section in the inventory file: Ansible's rule.
 * Merging is Ansible's default `replace`: a later layer replaces a whole top-level key.
 */
import { mergeMarked } from '../vars/unsafe.js'
import type { VarsDirs } from './vars-dirs.js'
import type { Vars, VarsLayer } from './types.js'

export interface HostVarSources {
  host: string
  /** the host's groups in precedence order, `all` first */
  groups: string[]
  /** inventory-file vars of a group */
  groupVars(group: string): Vars
  /** inventory-file vars of the host */
  hostVars: Vars
  /** group_vars/host_vars beside each inventory source, in source order */
  inventoryDirs: VarsDirs[]
  /** group_vars/host_vars beside the playbook */
  playbookDir?: VarsDirs
}

export function hostVarLayers(s: HostVarSources): VarsLayer[] {
  const layers: VarsLayer[] = []
  const push = (source: string, vars: Vars) => {
    if (Object.keys(vars).length) layers.push({ source, vars })
  }
  const files = (dirs: VarsDirs[], kind: 'groups' | 'hosts', names: string[]) => {
    for (const d of dirs) for (const n of names) for (const l of d[kind].get(n) ?? []) push(l.source, l.vars)
  }
  const groups = s.groups.filter((g) => g !== 'all')
  const play = s.playbookDir ? [s.playbookDir] : []

  push('inventory group all', s.groupVars('all'))
  for (const g of groups) push(`inventory group ${g}`, s.groupVars(g))
  files(s.inventoryDirs, 'groups', ['all'])
  files(play, 'groups', ['all'])
  files(s.inventoryDirs, 'groups', groups)
  files(play, 'groups', groups)
  push(`inventory host ${s.host}`, s.hostVars)
  files(s.inventoryDirs, 'hosts', [s.host])
  files(play, 'hosts', [s.host])
  return layers
}

export const mergeLayers = (layers: VarsLayer[]): Vars => mergeMarked(layers.map((l) => l.vars)) as Vars

/** Ansible's sort_groups key: depth, then ansible_group_priority (default 1), then name. */
export function compareGroups(a: { name: string; depth: number; priority: number }, b: typeof a): number {
  return a.depth - b.depth || a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
}
