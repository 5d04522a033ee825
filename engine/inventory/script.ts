/**
 * Dynamic inventory scripts, as Ansible's script plugin runs them: an executable source run with
 * `--list` gives JSON groups (a list of hosts, or `hosts`/`vars`/`children`) and `_meta.hostvars`;
 * without `_meta`, each host's variables come from `--host NAME`.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { inventoryError } from '../errors.js'
import { isMapping } from '../vars/py.js'
import type { InventoryBuilder } from './data.js'

const run = promisify(execFile)

async function json(file: string, args: string[]): Promise<unknown> {
  let stdout: string
  try {
    ;({ stdout } = await run(file, args, { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' }))
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string }
    throw inventoryError(`inventory script had an execution error (${args.join(' ')}): ${(err.stderr || err.message).trim()}`, { file })
  }
  try {
    return JSON.parse(stdout)
  } catch (e) {
    throw inventoryError(`inventory script's ${args[0]} output is not JSON: ${(e as Error).message}`, { file })
  }
}

const list = (v: unknown, what: string, file: string): unknown[] => {
  if (Array.isArray(v)) return v
  throw inventoryError(`inventory script: ${what} must be a list`, { file })
}

export async function readScript(file: string, inv: InventoryBuilder): Promise<void> {
  const data = await json(file, ['--list'])
  if (!isMapping(data)) throw inventoryError('inventory script: --list must print a JSON object of groups', { file })
  const hosts = new Set<string>()
  for (const [group, raw] of Object.entries(data)) {
    if (group === '_meta') continue
    inv.addGroup(group)
    // a list is the group's hosts; a mapping without hosts/vars/children is one host's vars (Ansible's reading)
    const g = !isMapping(raw) ? { hosts: raw } : ['hosts', 'vars', 'children'].some((k) => k in raw) ? raw : { hosts: [group], vars: raw }
    for (const h of list(g.hosts ?? [], `${group}'s hosts`, file)) {
      hosts.add(String(h))
      inv.addHost(String(h), group, undefined, file)
    }
    if (g.vars !== undefined) {
      if (!isMapping(g.vars)) throw inventoryError(`inventory script: ${group}'s vars must be a mapping`, { file })
      for (const [k, v] of Object.entries(g.vars)) inv.setGroupVar(group, k, v, { file })
    }
    for (const child of list(g.children ?? [], `${group}'s children`, file)) inv.addChild(group, String(child), { file })
  }
  const meta = isMapping(data._meta) && isMapping(data._meta.hostvars) ? data._meta.hostvars : undefined
  for (const h of hosts) {
    const vars = meta ? (meta[h] ?? {}) : await json(file, ['--host', h])
    if (!isMapping(vars)) throw inventoryError(`inventory script: the variables of ${h} must be a mapping`, { file })
    for (const [k, v] of Object.entries(vars)) inv.setHostVar(h, k, v, { file })
  }
}
