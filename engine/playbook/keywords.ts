/** Readers of keyword values (keyword-table.ts says which keyword has which): each checks the node's type and names it in the error. */
import { isMap, isScalar, isSeq, type Node } from 'yaml'
import { describeNode, entries, fail, isNull, toJS, type Source } from '../yaml-source.js'
import { pyInt } from '../vars/py-int.js'

const TEMPLATE = /\{\{|\{%/
export const isTemplate = (v: unknown): boolean => typeof v === 'string' && TEMPLATE.test(v)

function conditionItem(src: Source, key: string, node: Node | null): string {
  if (isScalar(node)) {
    const v = node.value
    // as written: a template is rendered, then what it gives evaluated (engine/vars/template.ts evaluate)
    if (typeof v === 'string') return v
    if (typeof v === 'boolean') return v ? 'True' : 'False'
    if (typeof v === 'number') return String(v)
  }
  throw fail(src, node, `'${key}' must be a string, a boolean or a list of them, got ${describeNode(node)}`)
}

/** when / changed_when / failed_when / until: raw expressions, ANDed. */
export function conditions(src: Source, key: string, node: Node | null): string[] {
  if (isNull(node)) return []
  if (isSeq(node)) return node.items.map((n) => conditionItem(src, key, n as Node))
  return [conditionItem(src, key, node)]
}

/** tags: a string (comma separated allowed) or a list. */
export function tags(src: Source, node: Node | null): string[] {
  if (isNull(node)) return []
  const items = isSeq(node) ? (node.items as Node[]) : [node]
  const out: string[] = []
  for (const n of items) {
    if (!isScalar(n) || n.value === null || typeof n.value === 'object')
      throw fail(src, n, `'tags' must be a string or a list of strings, got ${describeNode(n)}`)
    const s = String(n.value)
    out.push(...(isSeq(node) ? [s.trim()] : s.split(',').map((t) => t.trim())).filter(Boolean))
  }
  return out
}

export function stringList(src: Source, key: string, node: Node | null): string[] {
  if (isNull(node)) return []
  const items = isSeq(node) ? (node.items as Node[]) : [node]
  return items.map((n) => {
    if (isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number')) return String(n.value)
    throw fail(src, n, `'${key}' must be a string or a list of strings, got ${describeNode(n)}`)
  })
}

export function str(src: Source, key: string, node: Node | null): string {
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value)
  throw fail(src, node, `'${key}' must be a string, got ${describeNode(node)}`)
}

const TRUE = new Set(['yes', 'true', 'on', 'y'])
const FALSE = new Set(['no', 'false', 'off', 'n'])

/** A boolean; with `templated`, a template too (kept as written, for the run to render per host). */
export function bool(src: Source, key: string, node: Node | null, templated = false): boolean | string {
  if (isScalar(node)) {
    const v = node.value
    if (typeof v === 'boolean') return v
    if (typeof v === 'string' && TRUE.has(v.toLowerCase())) return true
    if (typeof v === 'string' && FALSE.has(v.toLowerCase())) return false
    if (isTemplate(v)) {
      if (templated) return v as string
      throw fail(src, node, `'${key}' must be a boolean (a template is not supported here)`)
    }
  }
  throw fail(src, node, `'${key}' must be a boolean, got ${describeNode(node)}`)
}

export function mapping(src: Source, key: string, node: Node | null): Record<string, unknown> {
  if (isNull(node)) return {}
  if (isMap(node)) return toJS(src, node) as Record<string, unknown>
  throw fail(src, node, `'${key}' must be a mapping, got ${describeNode(node)}`)
}

/**
 * `loop`: read as written. A value that is not a list (nor a template yielding one) fails the task on
 * each host when it runs (engine/run/loop.ts), as Ansible's TaskExecutor does, so a role whose
 * faulty loop sits in a branch that never runs still loads (with_<lookup> terms: keyword-table.ts).
 */
export function loopValue(src: Source, node: Node | null): unknown {
  return isNull(node) ? undefined : toJS(src, node) // `loop:` with no value: no loop, as Ansible's None
}

/** retries / delay: a number, or a template that yields one. */
export function number(src: Source, key: string, node: Node | null): number | string {
  const v = (node as { value?: unknown } | null)?.value
  if (typeof v === 'number' || (typeof v === 'string' && /^\s*(\d+|\{\{[\s\S]*\}\})\s*$/.test(v))) return v
  throw fail(src, node, `'${key}' must be a number or a template, got ${describeNode(node)}`)
}

export interface LoopControl {
  label?: string
  loop_var?: string
  index_var?: string
  /** seconds between items (a number or a template) */
  pause?: number | string
  /** ansible_loop (index, first, last, previtem, ...); a boolean or a template */
  extended?: boolean | string
  /** with extended: ansible_loop.allitems too (default true) */
  extended_allitems?: boolean | string
}

export function loopControl(src: Source, node: Node | null): LoopControl {
  const out: LoopControl = {}
  if (isNull(node)) return out
  if (!isMap(node)) throw fail(src, node, `'loop_control' must be a mapping, got ${describeNode(node)}`)
  for (const { key, keyNode, value } of entries(src, node)) {
    if (key === 'label' || key === 'loop_var' || key === 'index_var') out[key] = str(src, key, value)
    else if (key === 'pause') out.pause = number(src, key, value)
    else if (key === 'extended' || key === 'extended_allitems') out[key] = bool(src, key, value, true)
    else throw fail(src, keyNode, `unknown loop_control key '${key}' (supported: label, loop_var, index_var, pause, extended, extended_allitems)`)
  }
  return out
}

/** One of a fixed set of strings. */
export function oneOf<T extends string>(src: Source, key: string, node: Node | null, allowed: readonly T[]): T {
  const v = str(src, key, node)
  if (!allowed.includes(v as T)) throw fail(src, node, `'${key}' must be one of ${allowed.join(', ')}, got '${v}'`)
  return v as T
}

/** `serial`: a number, a percentage, or a list of them (the batch sizes in turn, the last one repeated). */
export function serial(src: Source, key: string, node: Node | null): number | string | (number | string)[] {
  const one = (n: Node | null): number | string => {
    const v = isScalar(n) ? n.value : undefined
    if (typeof v === 'number' || typeof v === 'string') return v
    throw fail(src, n, `'${key}' must be a number, a percentage or a list of them, got ${describeNode(n)}`)
  }
  return isSeq(node) ? (node.items as Node[]).map(one) : one(node)
}

export function percentage(src: Source, key: string, node: Node | null): number {
  const v = isScalar(node) ? node.value : undefined
  if (typeof v !== 'number' || v < 0 || v > 100) throw fail(src, node, `'${key}' must be a number from 0 to 100, got ${describeNode(node)}`)
  return v
}

/** A positive whole number of seconds (gather_timeout). */
export function seconds(src: Source, key: string, node: Node | null): number {
  const v = isScalar(node) ? node.value : undefined
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) throw fail(src, node, `'${key}' must be a positive number of seconds, got ${describeNode(node)}`)
  return n
}

/** A port number (1-65535) read as Python's int() reads it ("2222", 2222.0), as Ansible's `port`; null: unset. */
export function port(src: Source, key: string, node: Node | null): number | undefined {
  if (isNull(node)) return undefined
  const v = isScalar(node) ? node.value : undefined
  const n = portNumber(v)
  if (n === undefined) throw fail(src, node, `'${key}' must be a port number (1-65535), got ${isScalar(node) ? JSON.stringify(v) : describeNode(node)}`)
  return n
}

/** int(v) when it is a port number (1-65535), else undefined. */
export function portNumber(v: unknown): number | undefined {
  let n: number
  try {
    n = pyInt(v)
  } catch {
    return undefined
  }
  return n >= 1 && n <= 65535 ? n : undefined
}

/** become_method: acplay becomes with sudo or su; another is refused at its line (a template is checked once rendered: engine/run/gate.ts). */
export function becomeMethodKeyword(src: Source, key: string, node: Node | null): 'sudo' | 'su' {
  const v = str(src, key, node)
  if (v !== 'sudo' && v !== 'su') throw fail(src, node, `become_method '${v}' is not supported (acplay becomes with sudo or su)`)
  return v
}
