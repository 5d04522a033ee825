/**
 * A task's loop as Ansible runs it (TaskExecutor._get_loop_items / _run_loop): the items from
 * `loop:` or `with_<lookup>:`, each item's variables (loop_var, index_var, ansible_loop with
 * `extended`), its label, the pause between items, and the registered result of the whole loop.
 */
import { AcplayError, type Location } from '../errors.js'
import type { LoopControl } from '../playbook/types.js'
import { toBool } from '../vars/filters-core.js'
import { loopLookup } from '../vars/lookups/index.js'
import type { SearchKind } from '../vars/lookups/context.js'
import { pystr, repr } from '../vars/py.js'
import { lookupScope, templar, templateValue } from '../vars/template.js'
import { allUnsafe, isUnsafeEntry, setEntry, unsafeKeys } from '../vars/unsafe.js'
import { knownDeep } from '../vars/undefined.js'

interface LoopTask {
  loop?: unknown
  loop_with?: string
  loop_control?: LoopControl
}

/** Where with_first_found looks first, by the task's action (Ansible: 'template', 'var', 'file' in the action's name). */
export function lookupSubdir(action: string): SearchKind {
  return action.includes('template') ? 'templates' : action.includes('var') ? 'vars' : 'files'
}

/** The items of the task's loop on a host; undefined when the task has no loop. */
export function loopItems(task: LoopTask, action: string, vars: Record<string, unknown>, where: Location): unknown[] | undefined {
  if (task.loop === undefined) return undefined
  try {
    // check mode: items holding an unknown (a looped task's registered results) wait for its task (task.ts)
    // a lookup's items are unsafe data (Ansible's _get_loop_items wraps them), and so are those
    // rendered from it (engine/vars/unsafe.ts)
    if (task.loop_with) return allUnsafe([...knownDeep(loopLookup(task.loop_with, task.loop, lookupScope(vars), lookupSubdir(action)))])
    const { value: items, unsafe } = templar.templateValueTracked(task.loop, vars, where)
    if (Array.isArray(items)) return unsafe && !unsafeKeys(items) ? allUnsafe([...knownDeep(items)]) : knownDeep(items)
    throw new AcplayError(
      'E_LOOP',
      `Invalid data passed to 'loop', it requires a list, got this instead: ${pystr(items)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`,
      where,
    )
  } catch (e) {
    if (e instanceof AcplayError && !e.where.file) throw new AcplayError(e.code, e.message, { ...e.where, ...where })
    throw e
  }
}

/** loop_control, templated once per task and host (Ansible post-validates it before the first item). */
export interface LoopSettings {
  loopVar: string
  indexVar?: string
  pauseMs: number
  extended: boolean
  allItems: boolean
  label?: string
}

export function loopSettings(task: LoopTask, vars: Record<string, unknown>, where: Location): LoopSettings {
  const lc: LoopControl = task.loop_control ?? {}
  const t = (v: unknown) => templateValue(v, vars, where)
  const pause = lc.pause === undefined ? 0 : Number(t(lc.pause))
  if (!Number.isFinite(pause) || pause < 0)
    throw new AcplayError('E_LOOP', `loop_control.pause must be a number of seconds, got ${JSON.stringify(lc.pause)}`, where)
  return {
    loopVar: lc.loop_var === undefined ? 'item' : pystr(t(lc.loop_var)),
    indexVar: lc.index_var === undefined ? undefined : pystr(t(lc.index_var)),
    pauseMs: pause * 1000,
    extended: lc.extended === undefined ? false : toBool(t(lc.extended)),
    allItems: lc.extended_allitems === undefined ? true : toBool(t(lc.extended_allitems)),
    label: lc.label,
  }
}

export interface LoopItem {
  /** the task's variables with this item's */
  vars: Record<string, unknown>
  /** what the item adds to its registered result (item, ansible_loop_var, index_var, ansible_loop) */
  registered: Record<string, unknown>
}

/** Item `i` of `items`: its variables and what its result records. */
export function loopItem(s: LoopSettings, items: unknown[], i: number, vars: Record<string, unknown>): LoopItem {
  const item = items[i]
  const added: Record<string, unknown> = { ansible_loop_var: s.loopVar, [s.loopVar]: item }
  const registered: Record<string, unknown> = { [s.loopVar]: item, ansible_loop_var: s.loopVar }
  if (s.indexVar !== undefined) {
    added.ansible_index_var = s.indexVar
    added[s.indexVar] = i
    registered[s.indexVar] = i
    registered.ansible_index_var = s.indexVar
  }
  if (s.extended) {
    const n = items.length
    const loop: Record<string, unknown> = { index: i + 1, index0: i, first: i === 0, last: i + 1 === n, length: n, revindex: n - i, revindex0: n - i - 1 }
    if (s.allItems) loop.allitems = items
    if (i + 1 < n) loop.nextitem = items[i + 1]
    if (i > 0) loop.previtem = items[i - 1]
    added.ansible_loop = loop
    registered.ansible_loop = loop
  }
  const itemVars = { ...vars, ...added }
  setEntry(itemVars, s.loopVar, item, isUnsafeEntry(items, String(i)))
  return { vars: itemVars, registered }
}

/** The label shown for an item: loop_control.label templated, else the item; shown as Python shows it (`(item={'a': 1})`). */
export function itemLabel(s: LoopSettings, item: LoopItem, where: Location): string {
  const v = s.label !== undefined ? templateValue(s.label, item.vars, where) : item.vars[s.loopVar]
  return typeof v === 'string' ? v : repr(asLists(v))
}

/** Ansible's loop items are wrapped into lists: a lookup's tuples show as lists. */
const asLists = (v: unknown): unknown => (Array.isArray(v) ? Array.from(v, asLists) : v)

export const pause = (ms: number): Promise<void> => (ms > 0 ? new Promise((res) => setTimeout(res, ms)) : Promise.resolve())
