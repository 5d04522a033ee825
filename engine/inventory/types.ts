/** The inventory as the engine sees it: hosts, groups, per-host merged vars, host patterns. */

export type Vars = Record<string, unknown>

export interface InventoryHost {
  name: string
  /**
   * Every group the host belongs to, ancestors and `all` included, in the order their vars
   * apply (depth, then ansible_group_priority, then name): `all` first.
   */
  groups: string[]
}

export interface InventoryGroup {
  name: string
  /** hosts listed directly in this group, in order of appearance */
  hosts: string[]
  /** direct child groups, in the order they were added */
  children: string[]
  parents: string[]
  /** vars from the inventory sources themselves ([g:vars], `vars:`); group_vars/ files are separate layers */
  vars: Vars
  /** 0 for `all`; a child is always deeper than each of its parents */
  depth: number
}

/** One source of variables for a host, in the order they apply (later wins). */
export interface VarsLayer {
  /** e.g. "inventory group web", "/srv/inventory/group_vars/web.yml", "magic" */
  source: string
  vars: Vars
}

export interface LoadOptions {
  /** the playbook's directory: its group_vars/ and host_vars/ override the inventory's */
  playbookDir?: string
}

export interface Inventory {
  /** in order of first appearance */
  hosts: Map<string, InventoryHost>
  /** in order of creation: `all`, `ungrouped`, then as declared */
  groups: Map<string, InventoryGroup>
  /** problems Ansible only warns about (unknown YAML keys, skipped sources), for the CLI to print */
  warnings: string[]
  /** merged vars for a host, Ansible's inventory precedence, magic vars included */
  hostVars(name: string): Vars
  /** the layers hostVars merges, lowest precedence first */
  hostVarLayers(name: string): VarsLayer[]
  /** all hosts of a group: its own in the order added, then its descendants' breadth-first (Ansible's order) */
  groupHosts(name: string): string[]
  /** the `groups` magic variable: every group's hosts, one frozen mapping until the inventory changes */
  groupsVar(): Readonly<Record<string, readonly string[]>>
  /** hosts matching an Ansible host pattern, optionally intersected with a --limit */
  select(pattern: string, limit?: string): string[]
  /** the parts of `pattern` and `limit` that match no host (patterns.ts unmatchedPatterns) */
  unmatched(pattern: string, limit?: string): string[]
  /** add_host: adds or updates a host for the rest of the run; true when that changed the inventory */
  addHost?(name: string, groups: readonly string[], vars: Vars): Promise<boolean>
  /** the group_vars/ and host_vars/ beside the playbook of the play about to run (an imported playbook's directory) */
  usePlaybookDir?(dir: string): Promise<void>
  /** group_by: puts a host in a group (created under `parents`); true when that changed the inventory */
  addToGroup?(host: string, group: string, parents: readonly string[]): Promise<boolean>
}
