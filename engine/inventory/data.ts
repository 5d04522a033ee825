/**
 * The mutable inventory the parsers fill in (Ansible's InventoryData): groups, hosts, their
 * relations and inventory-level vars. `reconcile()` applies Ansible's implicit-group rules.
 */
import { inventoryError, type Location } from '../errors.js'
import { connectionVarProblem } from './connection-vars.js'
import { GroupNames } from './group-names.js'
import type { Vars } from './types.js'

export interface GroupRec {
  name: string
  hosts: string[]
  children: string[]
  parents: string[]
  vars: Vars
}

export interface HostRec {
  name: string
  /** groups the host was put in directly */
  groups: string[]
  vars: Vars
  /** the first inventory source it appeared in (Ansible's inventory_file) */
  source?: string
}

export class InventoryBuilder {
  readonly groups = new Map<string, GroupRec>()
  readonly hosts = new Map<string, HostRec>()
  readonly warnings: string[] = []

  constructor(readonly groupNames = new GroupNames()) {
    this.addGroup('all')
    this.addGroup('ungrouped')
    this.addChild('all', 'ungrouped')
  }

  addGroup(given: string): GroupRec {
    const name = this.groupNames.name(given)
    let g = this.groups.get(name)
    if (!g) {
      g = { name, hosts: [], children: [], parents: [], vars: {} }
      this.groups.set(name, g)
    }
    return g
  }

  /** Adds (or finds) a host, puts it in `group`, and sets ansible_port from a `host:port` spec. */
  addHost(name: string, group?: string, port?: number, source?: string): HostRec {
    let h = this.hosts.get(name)
    if (!h) {
      h = { name, groups: [], vars: {}, source }
      this.hosts.set(name, h)
    }
    if (group) {
      const g = this.addGroup(group)
      if (!g.hosts.includes(name)) g.hosts.push(name)
      if (!h.groups.includes(g.name)) h.groups.push(g.name)
    }
    if (port !== undefined) h.vars.ansible_port = port
    return h
  }

  /** Makes `child` a child group of `parent`; refuses self-membership and cycles like Ansible. */
  addChild(parentGiven: string, childGiven: string, where: Location = {}): void {
    const [parent, child] = [this.groupNames.name(parentGiven), this.groupNames.name(childGiven)]
    if (parent === child) throw inventoryError(`group '${child}' cannot be a child of itself`, where)
    const p = this.addGroup(parent)
    const c = this.addGroup(child)
    if (p.children.includes(child)) return
    if (this.ancestors(parent).has(child)) {
      throw inventoryError(`adding group '${child}' as a child of '${parent}' creates a dependency loop`, where)
    }
    p.children.push(child)
    if (!c.parents.includes(parent)) c.parents.push(parent)
  }

  /** `where`: the variable's place in the inventory, named when a connection variable is invalid. */
  setGroupVar(group: string, key: string, value: unknown, where: Location = {}): void {
    const problem = connectionVarProblem(key, value)
    if (problem) throw inventoryError(`group ${group}: ${problem}`, where)
    this.addGroup(group).vars[key] = value
  }

  setHostVar(host: string, key: string, value: unknown, where: Location = {}): void {
    const problem = connectionVarProblem(key, value)
    if (problem) throw inventoryError(problem, { ...where, host })
    const h = this.hosts.get(host) ?? this.addHost(host)
    h.vars[key] = value
  }

  /** Every group above `name` (not itself). */
  ancestors(name: string): Set<string> {
    const out = new Set<string>()
    const walk = (g: string) => {
      for (const p of this.groups.get(g)?.parents ?? []) {
        if (!out.has(p)) {
          out.add(p)
          walk(p)
        }
      }
    }
    walk(name)
    return out
  }

  /**
   * Ansible's reconcile_inventory: parentless groups become children of `all`; a host with no
   * group but `all` goes to `ungrouped`; a host in another group leaves `ungrouped`.
   */
  reconcile(): void {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name)
    }
    const ungrouped = this.groups.get('ungrouped')!
    for (const h of this.hosts.values()) {
      const others = h.groups.filter((g) => g !== 'all' && g !== 'ungrouped')
      if (others.length > 0) {
        if (h.groups.includes('ungrouped')) {
          h.groups = h.groups.filter((g) => g !== 'ungrouped')
          ungrouped.hosts = ungrouped.hosts.filter((n) => n !== h.name)
        }
      } else if (!h.groups.includes('ungrouped')) {
        this.addHost(h.name, 'ungrouped')
      }
    }
  }
}
