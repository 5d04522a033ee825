/**
 * The loaded, read-only inventory: group tree with depths, each host's groups in precedence
 * order, merged host vars with magic variables, and host pattern selection.
 */
import { dirname, resolve } from 'node:path'
import { inventoryError } from '../errors.js'
import type { InventoryBuilder } from './data.js'
import { LOCALHOST, selectHosts, unmatchedPatterns, type PatternView } from './patterns.js'
import { compareGroups, hostVarLayers, mergeLayers } from './precedence.js'
import type { Inventory, InventoryGroup, InventoryHost, Vars, VarsLayer } from './types.js'
import type { VarsDirs } from './vars-dirs.js'

export class LoadedInventory implements Inventory {
  readonly hosts = new Map<string, InventoryHost>()
  readonly groups = new Map<string, InventoryGroup>()
  readonly warnings: string[]
  private readonly hostRecVars = new Map<string, Vars>()
  private readonly hostSource = new Map<string, string | undefined>()
  private readonly members = new Map<string, string[]>()
  private readonly view: PatternView = { hosts: [], groups: [], groupHosts: (g) => this.groupHosts(g) }
  /**
   * Each host's merged vars and the `groups` magic var, made once until add_host or group_by
   * changes the inventory (held in one object: a sliced view of this inventory shares it).
   */
  private readonly cache: { vars: Map<string, Vars>; groupsVar?: Readonly<Record<string, readonly string[]>> } = { vars: new Map() }

  constructor(
    private readonly data: InventoryBuilder,
    private readonly inventoryDirs: VarsDirs[],
    private playbookDir: VarsDirs | undefined,
    /** reads group_vars/ and host_vars/ of names the run adds (add_host, group_by) into the dirs above */
    private readonly loadVarsFor?: (groups: string[], hosts: string[]) => Promise<void>,
    /** group_vars/ and host_vars/ beside a playbook in another directory (read once per directory) */
    private readonly forPlaybook?: (dir: string) => Promise<VarsDirs | undefined>,
  ) {
    this.warnings = [...data.warnings]
    this.build()
    for (const conflict of [...this.groups.keys()].filter((g) => this.hosts.has(g))) {
      this.warnings.push(`found both group and host with the same name: ${conflict}`)
    }
  }

  private build(): void {
    const data = this.data
    const depth = groupDepths(data)
    this.groups.clear()
    for (const g of data.groups.values()) {
      this.groups.set(g.name, {
        name: g.name,
        hosts: [...g.hosts],
        children: [...g.children],
        parents: [...g.parents],
        vars: { ...g.vars },
        depth: depth.get(g.name)!,
      })
    }
    const key = (name: string) => ({ name, depth: depth.get(name)!, priority: priorityOf(this.groups.get(name)!.vars) })
    this.hosts.clear()
    for (const h of data.hosts.values()) {
      const all = new Set<string>(['all'])
      for (const g of h.groups) for (const x of [g, ...data.ancestors(g)]) all.add(x)
      const groups = [...all]
        .map(key)
        .sort(compareGroups)
        .map((k) => k.name)
      this.hosts.set(h.name, { name: h.name, groups })
      this.hostRecVars.set(h.name, { ...h.vars })
      // absolute, as Ansible's inventory_file is whatever -i said
      this.hostSource.set(h.name, h.source ? resolve(h.source) : undefined)
    }
    this.members.clear()
    for (const name of this.groups.keys()) this.members.set(name, this.collectHosts(name))
    this.view.hosts = [...this.hosts.keys()]
    this.view.groups = [...this.groups.keys()]
    this.cache.vars.clear()
    this.cache.groupsVar = undefined
  }

  /**
   * add_host: the host (added if new) with `vars` over its own and in `groups` (created if new).
   * True when the inventory changed (Ansible's `changed` for add_host).
   */
  async addHost(name: string, groups: readonly string[], vars: Vars): Promise<boolean> {
    const data = this.data
    const isNew = !data.hosts.has(name)
    const newGroups = groups.filter((g) => !data.groups.has(g))
    const host = data.addHost(name)
    let changed = isNew
    for (const [k, v] of Object.entries(vars)) {
      if (JSON.stringify(host.vars[k]) === JSON.stringify(v) && k in host.vars) continue
      data.setHostVar(name, k, v)
      changed = true
    }
    for (const g of groups) {
      if (data.groups.get(g)?.hosts.includes(name)) continue
      data.addHost(name, g)
      changed = true
    }
    if (changed) await this.rebuild(newGroups, isNew ? [name] : [])
    return changed
  }

  /** group_by: `host` in `group`, the group a child of `parents` (each created if new). True when the inventory changed. */
  async addToGroup(host: string, group: string, parents: readonly string[]): Promise<boolean> {
    const data = this.data
    const newGroups = [group, ...parents].filter((g) => !data.groups.has(g))
    let changed = parents.some((p) => !data.groups.has(p))
    for (const p of parents) {
      if (p === group || data.groups.get(p)?.children.includes(group)) continue
      data.addChild(p, group)
      changed = true
    }
    if (!data.groups.get(group)?.hosts.includes(host)) {
      data.addHost(host, group)
      changed = true
    }
    if (changed || newGroups.length) await this.rebuild(newGroups, [])
    return changed
  }

  private async rebuild(groups: string[], hosts: string[]): Promise<void> {
    this.data.reconcile()
    if (this.loadVarsFor && (groups.length || hosts.length)) await this.loadVarsFor(groups, hosts)
    this.build()
  }

  /**
   * The playbook whose group_vars/ and host_vars/ apply from now on: Ansible reads them beside the
   * playbook a play is written in (an imported playbook's own directory, not the top playbook's).
   */
  async usePlaybookDir(dir: string): Promise<void> {
    if (!this.forPlaybook) return
    const vars = await this.forPlaybook(dir)
    if (vars === this.playbookDir) return
    this.playbookDir = vars
    this.cache.vars.clear()
  }

  /**
   * Ansible's Group.get_hosts(): the group's own hosts in the order they were added, then its
   * descendants' breadth-first (children in the order they were added), without duplicates.
   */
  private collectHosts(name: string): string[] {
    const out = new Set<string>()
    const seen = new Set([name])
    let level = [name]
    while (level.length) {
      const next: string[] = []
      for (const g of level) {
        const group = this.groups.get(g)!
        for (const h of group.hosts) out.add(h)
        for (const c of group.children) {
          if (seen.has(c)) continue
          seen.add(c)
          next.push(c)
        }
      }
      level = next
    }
    return [...out]
  }

  groupHosts(name: string): string[] {
    return [...(this.members.get(name) ?? [])]
  }

  select(pattern: string, limit?: string): string[] {
    return selectHosts(this.view, pattern, limit)
  }

  unmatched(pattern: string, limit?: string): string[] {
    return unmatchedPatterns(this.view, pattern, limit)
  }

  hostVarLayers(name: string): VarsLayer[] {
    const host = this.hosts.get(name)
    if (!host && !LOCALHOST.has(name)) throw inventoryError(`unknown host '${name}'`, { host: name })
    const layers = hostVarLayers({
      host: name,
      // Ansible's implicit localhost belongs to no group but still gets `all`'s vars
      groups: host?.groups ?? ['all'],
      groupVars: (g) => this.groups.get(g)?.vars ?? {},
      hostVars: host ? this.hostRecVars.get(name)! : { ansible_connection: 'local' },
      inventoryDirs: this.inventoryDirs,
      playbookDir: this.playbookDir,
    })
    layers.push({ source: 'magic', vars: this.magicVars(name, host) })
    return layers
  }

  /**
   * Merged once per host (frozen: callers copy, never change it); per task and host, with `groups`
   * copied each time, it was O(hosts) per task and host (bench/README.md, fleet).
   */
  hostVars(name: string): Vars {
    let vars = this.cache.vars.get(name)
    if (!vars) {
      vars = Object.freeze(mergeLayers(this.hostVarLayers(name)))
      this.cache.vars.set(name, vars)
    }
    return vars
  }

  groupsVar(): Readonly<Record<string, readonly string[]>> {
    this.cache.groupsVar ??= Object.freeze(Object.fromEntries([...this.groups.keys()].map((g) => [g, Object.freeze(this.groupHosts(g))])))
    return this.cache.groupsVar
  }

  private magicVars(name: string, host: InventoryHost | undefined): Vars {
    const source = this.hostSource.get(name)
    const groups = this.groupsVar()
    return {
      inventory_hostname: name,
      inventory_hostname_short: LOCALHOST.has(name) ? name : name.split('.')[0],
      group_names: (host?.groups ?? []).filter((g) => g !== 'all').sort(),
      groups,
      inventory_file: source ?? null,
      inventory_dir: source ? dirname(source) : null,
    }
  }
}

/** Ansible's group depth: `all` is 0, a child is one deeper than its deepest parent. */
function groupDepths(data: InventoryBuilder): Map<string, number> {
  const depth = new Map<string, number>()
  const of = (name: string): number => {
    const known = depth.get(name)
    if (known !== undefined) return known
    const parents = data.groups.get(name)?.parents ?? []
    const d = parents.length ? Math.max(...parents.map(of)) + 1 : 0
    depth.set(name, d)
    return d
  }
  for (const name of data.groups.keys()) of(name)
  return depth
}

/** ansible_group_priority from the inventory source orders groups of equal depth (default 1). */
function priorityOf(vars: Vars): number {
  const p = Number(vars.ansible_group_priority ?? 1)
  return Number.isFinite(p) ? p : 1
}
