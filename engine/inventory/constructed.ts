/**
 * Ansible's `constructed` inventory plugin (a YAML source with `plugin: constructed`): after the
 * sources before it, each host gets variables from Jinja expressions (`compose`), joins groups whose
 * condition holds (`groups`) and groups named from its variables (`keyed_groups`), as
 * ansible/plugins/inventory/constructed.py and Constructable do it.
 */
import { AcplayError, inventoryError, type Location } from '../errors.js'
import { isMapping, pystr, truthy } from '../vars/py.js'
import { templateValue } from '../vars/template.js'
import type { InventoryBuilder } from './data.js'
import type { Vars } from './types.js'

const OPTIONS = new Set(['plugin', 'strict', 'compose', 'groups', 'keyed_groups', 'leading_separator', 'use_vars_plugins', 'use_extra_vars'])

/** to_safe_group_name(force=True): a leading digit and every non-word character become `_`. */
export const safeGroupName = (name: string): string => name.replace(/^[\d\W]|[^\w]/gu, '_')

/** The variables the plugin sees for a host: its groups' (shallow first, then by name), its own, and the magic ones. */
function hostVars(inv: InventoryBuilder, host: string): Vars {
  const h = inv.hosts.get(host)!
  const groups = new Set(['all', ...h.groups])
  for (const g of h.groups) for (const a of inv.ancestors(g)) groups.add(a)
  const depth = (g: string): number => Math.max(0, ...(inv.groups.get(g)?.parents ?? []).map((p) => depth(p) + 1))
  const priority = (g: string) => Number(inv.groups.get(g)?.vars.ansible_group_priority ?? 1)
  const ordered = [...groups].sort((a, b) => depth(a) - depth(b) || priority(a) - priority(b) || a.localeCompare(b))
  const vars: Vars = {}
  for (const g of ordered) Object.assign(vars, inv.groups.get(g)?.vars)
  return {
    ...vars,
    ...h.vars,
    inventory_hostname: host,
    inventory_hostname_short: host.split('.')[0],
    group_names: [...groups].filter((g) => g !== 'all').sort(),
  }
}

/** `{{ expression }}` with the host's variables (a lone expression: its native value). */
const compose = (expression: unknown, vars: Vars, where: Location): unknown => templateValue(`{{ ${pystr(expression)} }}`, vars, where)

const reason = (e: unknown) => (e instanceof AcplayError ? e.message : e instanceof Error ? e.message : String(e))

export function applyConstructed(config: Record<string, unknown>, inv: InventoryBuilder, where: Location): void {
  for (const key of Object.keys(config)) if (!OPTIONS.has(key)) throw inventoryError(`constructed: unknown option '${key}'`, where)
  const strict = truthy(config.strict ?? false)
  const composeOpt = config.compose ?? {}
  const groupsOpt = config.groups ?? {}
  const keyed = config.keyed_groups ?? []
  if (!isMapping(composeOpt)) throw inventoryError('constructed: compose must be a mapping of variable names to expressions', where)
  if (!isMapping(groupsOpt)) throw inventoryError('constructed: groups must be a mapping of group names to conditions', where)
  if (!Array.isArray(keyed)) throw inventoryError('constructed: keyed_groups must be a list', where)
  const leading = config.leading_separator === undefined ? true : truthy(config.leading_separator)
  for (const host of [...inv.hosts.keys()]) {
    let vars = hostVars(inv, host)
    for (const [name, expression] of Object.entries(composeOpt)) {
      try {
        inv.setHostVar(host, name, compose(expression, vars, where), where)
      } catch (e) {
        if (strict) throw inventoryError(`Could not set ${name} for host ${host}: ${reason(e)}`, where)
      }
    }
    vars = hostVars(inv, host)
    for (const [group, condition] of Object.entries(groupsOpt)) {
      let holds: boolean
      try {
        holds = truthy(compose(condition, vars, where))
      } catch (e) {
        if (strict) throw inventoryError(`Could not add host ${host} to group ${safeGroupName(group)}: ${reason(e)}`, where)
        continue
      }
      if (holds) inv.addHost(host, safeGroupName(group))
    }
    for (const entry of keyed) keyedGroups(inv, host, entry, vars, strict, leading, where)
  }
}

/** One keyed_groups entry: the groups its key names for the host (a string, a list, or a mapping's name_value pairs). */
function keyedGroups(inv: InventoryBuilder, host: string, entry: unknown, vars: Vars, strict: boolean, leading: boolean, where: Location): void {
  if (!isMapping(entry)) throw inventoryError(`Invalid keyed group entry, it must be a dictionary: ${pystr(entry)}`, where)
  let key: unknown
  try {
    key = compose(entry.key, vars, where)
  } catch (e) {
    if (strict) throw inventoryError(`Could not generate group for host ${host} from ${pystr(entry.key)} entry: ${reason(e)}`, where)
    return
  }
  const dflt = entry.default_value === undefined || entry.default_value === null ? undefined : pystr(entry.default_value)
  const trailing = entry.trailing_separator
  if (trailing !== undefined && trailing !== null && dflt !== undefined)
    throw inventoryError('parameters are mutually exclusive for keyed groups: default_value|trailing_separator', where)
  if (!(truthy(key) || (key === '' && dflt !== undefined))) {
    // an empty list or mapping simply makes no group
    if (strict && !(Array.isArray(key) || isMapping(key)))
      throw inventoryError(`No key or key resulted empty for ${pystr(entry.key)} in host ${host}, invalid entry`, where)
    return
  }
  const prefix = pystr(entry.prefix ?? '')
  let sep = pystr(entry.separator ?? '_')
  const names: string[] = []
  const orDefault = (n: unknown) => (n === '' && dflt !== undefined ? dflt : pystr(n))
  if (typeof key === 'string') names.push(orDefault(key))
  else if (Array.isArray(key)) names.push(...key.map(orDefault))
  else if (isMapping(key)) {
    for (const [name, value] of Object.entries(key)) {
      if (value !== '') names.push(`${name}${sep}${pystr(value)}`)
      else if (dflt !== undefined) names.push(`${name}${sep}${dflt}`)
      else names.push(trailing === false ? name : `${name}${sep}`)
    }
  } else throw inventoryError(`Invalid group name format, expected a string or a list of them or dictionary, got: ${typeof key}`, where)
  const parent = entry.parent_group ? safeGroupName(pystr(templateValue(entry.parent_group, vars, where))) : undefined
  for (const bare of names) {
    if (prefix === '' && !leading) sep = ''
    const group = safeGroupName(`${prefix}${sep}${bare}`)
    inv.addHost(host, group)
    if (parent) inv.addChild(parent, group, where)
  }
}
