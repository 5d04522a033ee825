/**
 * Ansible's INI inventory format, parsed line by line like ansible's ini plugin: `[group]`,
 * `[group:children]`, `[group:vars]`; hosts before any section are `ungrouped`.
 */
import { inventoryError } from '../errors.js'
import type { InventoryBuilder } from './data.js'
import { expandHostSpec, HostSpecError } from './host-pattern.js'
import { iniValue, shlexSplit } from './ini-value.js'

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/

type State = 'hosts' | 'children' | 'vars'

/** A group named before it is declared: `[g:vars]` of an unknown g, or a child not yet seen. */
interface Pending {
  line: number
  state: 'vars' | 'children'
  parents: { name: string; line: number }[]
}

export function parseIni(text: string, file: string, inv: InventoryBuilder): void {
  let group = 'ungrouped'
  let state: State = 'hosts'
  let lineNo = 0
  const pending = new Map<string, Pending>()
  const fail = (msg: string, line = lineNo) => inventoryError(msg, { file, line })

  // children named before their own section are attached once the section appears
  const attachPending = (name: string) => {
    const p = pending.get(name)
    if (p?.state !== 'children') return
    pending.delete(name)
    for (const parent of p.parents) {
      inv.addChild(parent.name, name, { file, line: parent.line })
      attachPending(parent.name)
    }
  }

  for (const raw of text.split(/\r?\n/)) {
    lineNo++
    const line = raw.trim()
    if (!line || line[0] === '#' || line[0] === ';') continue

    const m = SECTION.exec(line)
    if (m) {
      group = inv.groupNames.name(m[1]!)
      const kind = m[2] ?? 'hosts'
      if (kind !== 'hosts' && kind !== 'children' && kind !== 'vars') {
        throw fail(`section [${group}:${kind}] has unknown type '${kind}' (expected hosts, children or vars)`)
      }
      state = kind
      if (!inv.groups.has(group)) {
        // [g:vars] alone does not declare g; remember it and complain at the end if nothing does
        if (state === 'vars' && !pending.has(group)) pending.set(group, { line: lineNo, state: 'vars', parents: [] })
        inv.addGroup(group)
      }
      if (state !== 'vars' && pending.has(group)) {
        if (pending.get(group)!.state === 'vars') pending.delete(group)
        else attachPending(group)
      }
      continue
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      throw fail(`invalid section entry '${line}': a section is [name], [name:children] or [name:vars], with no spaces`)
    }

    if (state === 'hosts') parseHostLine(line, group, file, lineNo, inv)
    else if (state === 'vars') {
      const eq = line.indexOf('=')
      if (eq < 0) throw fail(`expected key=value in [${group}:vars], got: ${line}`)
      inv.setGroupVar(group, line.slice(0, eq).trim(), iniValue(line.slice(eq + 1).trim()), { file, line: lineNo })
    } else {
      const c = GROUP_NAME.exec(line)
      if (!c) throw fail(`expected a group name in [${group}:children], got: ${line}`)
      const child = inv.groupNames.name(c[1]!)
      if (child === group) throw fail(`[${group}:children] names '${group}' itself: a group cannot be its own child`)
      if (inv.groups.has(child)) inv.addChild(group, child, { file, line: lineNo })
      else {
        const p = pending.get(child)
        if (p) p.parents.push({ name: group, line: lineNo })
        else pending.set(child, { line: lineNo, state: 'children', parents: [{ name: group, line: lineNo }] })
      }
    }
  }

  // Ansible reports only the first unresolved reference
  for (const [name, p] of pending) {
    if (p.state === 'vars') throw fail(`section [${name}:vars] is not valid for undefined group '${name}'`, p.line)
    const parent = p.parents[p.parents.length - 1]!
    throw fail(`section [${parent.name}:children] includes undefined group '${name}'`, parent.line)
  }
}

function parseHostLine(line: string, group: string, file: string, lineNo: number, inv: InventoryBuilder): void {
  const fail = (msg: string) => inventoryError(msg, { file, line: lineNo })
  let tokens: string[]
  try {
    tokens = shlexSplit(line)
  } catch (e) {
    throw fail(`cannot parse host line '${line}': ${(e as Error).message}`)
  }
  const spec = tokens[0]
  if (spec === undefined) return
  let names: string[]
  let port: number | undefined
  try {
    ;({ names, port } = expandHostSpec(spec))
  } catch (e) {
    if (e instanceof HostSpecError) throw fail(e.message)
    throw e
  }
  if (spec.endsWith(':') && port === undefined) {
    throw fail(`invalid host '${spec}': a trailing ':' is reserved for a port (host:port)`)
  }
  if (names.includes('---')) throw fail(`invalid host '---': this looks like a YAML file; name it .yml or .yaml`)
  const vars: Record<string, unknown> = {}
  for (const t of tokens.slice(1)) {
    const eq = t.indexOf('=')
    if (eq < 0) throw fail(`expected key=value host variable assignment, got: ${t}`)
    vars[t.slice(0, eq)] = iniValue(t.slice(eq + 1))
  }
  for (const name of names) {
    inv.addHost(name, group, port, file)
    for (const [k, v] of Object.entries(vars)) inv.setHostVar(name, k, v, { file, line: lineNo })
  }
}
