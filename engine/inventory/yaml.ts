/**
 * Ansible's YAML (and JSON) inventory format: top-level keys are groups, each with optional
 * `hosts`, `children` and `vars` mappings. Shapes follow ansible's yaml inventory plugin:
 * what it rejects is an error here (with file:line:col), what it skips is a warning.
 */
import { isMap, isScalar, type Node } from 'yaml'
import { inventoryError } from '../errors.js'
import { entries, parseYaml, posOf, toJS, type Source } from '../yaml-source.js'
import { applyConstructed } from './constructed.js'
import type { InventoryBuilder } from './data.js'
import { expandHostSpec, HostSpecError } from './host-pattern.js'

const SECTIONS = new Set(['hosts', 'children', 'vars'])

/** Parses YAML text; throws E_YAML with line and column on a syntax error. */
export const parseYamlSource = (text: string, file: string): Source => parseYaml(text, file)

/** True when a parsed document is shaped like a YAML inventory (a mapping). */
export const isInventoryMapping = (src: Source): boolean => isMap(src.doc.contents)

export function parseYamlInventory(src: Source, inv: InventoryBuilder): void {
  const root = src.doc.contents as Node | null
  const where = (node: Node | null | undefined) => {
    const { file, line, col } = posOf(src, node)
    return { file, line, col }
  }
  if (root === null || (isScalar(root) && root.value === null)) {
    inv.warnings.push(`${src.file}: empty YAML inventory`)
    return
  }
  if (!isMap(root)) throw inventoryError('a YAML inventory must be a mapping of group names', where(root))
  const plugin = entries(src, root).find((e) => e.key === 'plugin')
  if (plugin) {
    const name = String(toJS(src, plugin.value))
    if (name !== 'constructed' && name !== 'ansible.builtin.constructed')
      throw inventoryError(`inventory plugin '${name}' is not supported (acplay reads INI, YAML, scripts and the constructed plugin)`, where(plugin.value))
    applyConstructed(toJS(src, root) as Record<string, unknown>, inv, where(root))
    return
  }

  const parseGroup = (name: string, node: Node | null, keyNode: Node): void => {
    if (node !== null && !(isScalar(node) && node.value === null) && !isMap(node)) {
      inv.warnings.push(`${src.file}:${where(keyNode).line}: skipping '${name}': a group must be a mapping`)
      return
    }
    inv.addGroup(name)
    if (!isMap(node)) return
    for (const { key, keyNode: kn, value } of entries(src, node)) {
      if (!SECTIONS.has(key)) {
        inv.warnings.push(`${src.file}:${where(kn).line}: skipping unexpected key '${key}' in group '${name}': only hosts, children and vars are valid`)
        continue
      }
      if (value === null || (isScalar(value) && value.value === null)) continue
      // a bare string is allowed and means a single entry (`hosts: web1`)
      const items: { key: string; keyNode: Node; value: Node | null }[] =
        isScalar(value) && typeof value.value === 'string' ? [{ key: value.value, keyNode: value, value: null }] : isMap(value) ? entries(src, value) : []
      if (!isMap(value) && items.length === 0) {
        const hint = key === 'vars' ? '' : ` (write "${key}:" entries as keys: "name:" on its own line, not "- name")`
        throw inventoryError(`'${key}' of group '${name}' must be a mapping${hint}`, where(value))
      }
      if (key === 'vars') {
        for (const e of items) inv.setGroupVar(name, e.key, toJS(src, e.value), where(e.value ?? e.keyNode))
      } else if (key === 'children') {
        for (const e of items) {
          if (e.key === name) throw inventoryError(`group '${name}' names itself as a child`, where(e.keyNode))
          parseGroup(e.key, e.value, e.keyNode)
          inv.addChild(name, e.key, where(e.keyNode))
        }
      } else {
        for (const e of items) addHosts(e.key, e.keyNode, e.value, name)
      }
    }
  }

  const addHosts = (spec: string, keyNode: Node, value: Node | null, group: string): void => {
    let names: string[]
    let port: number | undefined
    try {
      ;({ names, port } = expandHostSpec(spec))
    } catch (e) {
      if (e instanceof HostSpecError) throw inventoryError(e.message, where(keyNode))
      throw e
    }
    const vars = value === null ? null : toJS(src, value)
    if (vars !== null && (typeof vars !== 'object' || Array.isArray(vars))) {
      throw inventoryError(`vars of host '${spec}' in group '${group}' must be a mapping`, where(value))
    }
    for (const n of names) {
      inv.addHost(n, group, port, src.file)
      for (const [k, v] of Object.entries((vars ?? {}) as Record<string, unknown>)) inv.setHostVar(n, k, v, where(value))
    }
  }

  for (const { key, keyNode, value } of entries(src, root)) parseGroup(key, value, keyNode)
}
