/**
 * `acplay inventory`: the inventory as ansible-inventory shows it (--list JSON, --graph, --host), so
 * an inventory (a script's, a constructed one's) can be checked against Ansible's reading of it.
 */
import { Command } from 'commander'
import { setting, sourceFor } from '../config/settings.js'
import { optionError } from '../errors.js'
import { type Inventory, loadInventory } from '../inventory/index.js'
import { withVault } from '../vault/context.js'
import { ansibleJson } from '../report/ansible-json.js'
import { addVaultOptions, vaultFromFlags } from './vault-options.js'

export interface InventoryFlags {
  inventory: string[]
  list?: boolean
  graph?: boolean | string
  host?: string
  [vault: string]: unknown
}

const collect = (v: string, all: string[]) => [...all, v]

export function inventoryCommand(): Command {
  return addVaultOptions(
    new Command('inventory')
      .description('show the inventory as ansible-inventory does: --list (JSON), --graph [GROUP], --host HOST')
      .option('-i, --inventory <path>', 'inventory file, directory, script or host list (repeatable)', collect, [])
      .option('--list', "every group and host, with each host's variables (ansible-inventory --list)")
      .option('--graph [group]', 'the groups as a tree, from all or GROUP')
      .option('--host <host>', "one host's variables"),
  )
}

/** Ansible's INTERNAL_VARS: what ansible-inventory leaves out of a host's variables. */
const INTERNAL = new Set(['inventory_dir', 'inventory_file', 'inventory_hostname', 'inventory_hostname_short', 'groups', 'group_names', 'omit', 'playbook_dir'])

function hostVars(inv: Inventory, host: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inv.hostVars(host)).filter(([k]) => !INTERNAL.has(k)))
}

/** InventoryCLI.json_inventory: each group once (hosts, children; empty ones left out), then _meta.hostvars. */
function list(inv: Inventory): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const seen = new Set<string>()
  const format = (name: string) => {
    const g = inv.groups.get(name)!
    const entry: Record<string, unknown> = {}
    out[name] = entry
    if (name !== 'all' && g.hosts.length) entry.hosts = [...g.hosts]
    if (g.children.length) entry.children = [...g.children]
    for (const c of g.children) {
      if (seen.has(c)) continue
      format(c)
      seen.add(c)
    }
    if (!Object.keys(entry).length) delete out[name]
  }
  format('all')
  const hostvars: Record<string, unknown> = {}
  for (const h of inv.hosts.keys()) {
    const vars = hostVars(inv, h)
    if (Object.keys(vars).length) hostvars[h] = vars
  }
  return { _meta: { hostvars }, ...out }
}

/** InventoryCLI._graph_group: `@group:` lines, indented `  |--`, hosts under their groups. */
function graph(inv: Inventory, top: string): string[] {
  const line = (name: string, depth: number) => (depth ? `${'  |'.repeat(depth)}--${name}` : name)
  const walk = (name: string, depth: number): string[] => {
    const g = inv.groups.get(name)!
    const kids = g.children.flatMap((c) => walk(c, depth + 1))
    const hosts = name === 'all' ? [] : g.hosts.map((h) => line(h, depth + 1))
    return [line(`@${name}:`, depth), ...kids, ...hosts]
  }
  if (!inv.groups.has(top)) throw optionError(`Pattern must be valid group name when using --graph: ${top}`)
  return walk(top, 0)
}

const json = (v: unknown) => `${ansibleJson(v)}\n`

export async function executeInventory(f: InventoryFlags): Promise<number> {
  const modes = [f.list, f.graph, f.host].filter((x) => x !== undefined && x !== false)
  if (modes.length !== 1) throw optionError('acplay inventory needs exactly one of --list, --graph or --host')
  const cfg = sourceFor(process.cwd())
  const sources = f.inventory.length ? f.inventory : setting('DEFAULT_HOST_LIST', cfg)!
  const vault = await vaultFromFlags(f, { baseDir: process.cwd() })
  const inv = await withVault(vault, () => loadInventory(sources))
  for (const w of inv.warnings) process.stderr.write(`[WARNING]: ${w}\n`)
  if (f.list) process.stdout.write(json(list(inv)))
  else if (f.graph !== undefined) process.stdout.write(`${graph(inv, f.graph === true ? 'all' : String(f.graph)).join('\n')}\n`)
  else {
    const host = f.host!
    if (!inv.hosts.has(host)) throw optionError(`You must pass a single valid host to --host parameter: ${host}`)
    process.stdout.write(json(hostVars(inv, host)))
  }
  return 0
}
