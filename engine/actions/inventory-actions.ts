/**
 * add_host and group_by change the run's inventory: later plays' host patterns, `groups`,
 * `group_names` and group_vars see the change. As in Ansible, `changed` says whether the
 * inventory changed (the strategy's _add_host / _add_group), and check mode changes it too.
 */
import { ModuleFailure } from '../errors.js'
import type { ActionEnv, ActionOutcome } from './run-action.js'

/** Ansible's parse_address for `name:port` (an IPv6 address only in brackets). */
function splitPort(spec: string): { name: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(spec)
  if (bracketed) return { name: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : undefined }
  const m = /^([^:]+):(\d+)$/.exec(spec)
  return m ? { name: m[1]!, port: Number(m[2]) } : { name: spec }
}

/** add_host's keys that are not host variables (Ansible's special_args: `group` and `host` do become variables). */
const SPECIAL = new Set(['name', 'hostname', 'groupname', 'groups'])

export async function addHost(args: Record<string, unknown>, env: ActionEnv): Promise<ActionOutcome> {
  const spec = args.name ?? args.hostname ?? args.host
  if (spec === undefined || spec === null || spec === '') throw new ModuleFailure('name, host or hostname needs to be provided')
  const { name, port } = splitPort(String(spec))
  const given = args.groupname ?? args.groups ?? args.group ?? ''
  let list: string[]
  if (Array.isArray(given)) list = given.map(String)
  else if (typeof given === 'string') list = given ? given.split(',') : []
  else throw new ModuleFailure('Groups must be specified as a list.')
  const groups = [...new Set(list.map((g) => g.trim()).filter(Boolean))]
  const vars: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(args)) if (!SPECIAL.has(k)) vars[k] = v
  if (port !== undefined) vars.ansible_ssh_port = port
  const changed = await inventoryOf(env).addHost!(name, groups, vars)
  return {
    status: changed ? 'changed' : 'ok',
    data: { changed, add_host: { host_name: name, groups, host_vars: vars } },
  }
}

export async function groupBy(args: Record<string, unknown>, env: ActionEnv): Promise<ActionOutcome> {
  if (args.key === undefined || args.key === null) return { status: 'failed', msg: "the 'key' param is required when using group_by", data: {} }
  const group = String(args.key).replaceAll(' ', '-')
  const parents = (Array.isArray(args.parents) ? args.parents : [args.parents ?? 'all']).map((p) => String(p).replaceAll(' ', '-'))
  const changed = await inventoryOf(env).addToGroup!(env.host.name, group, parents)
  return { status: changed ? 'changed' : 'ok', data: { changed, add_group: group, parent_groups: parents } }
}

function inventoryOf(env: ActionEnv) {
  if (!env.inventory.addHost || !env.inventory.addToGroup) throw new ModuleFailure('this inventory cannot be changed during the run')
  return env.inventory
}
