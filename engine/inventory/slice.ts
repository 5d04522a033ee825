/**
 * `--slice K/N`: run part K of N of the inventory, so N controllers (a CI matrix, a Kubernetes
 * Indexed Job) share a fleet without a scheduler. AWX's job slicing rule: the inventory's hosts
 * sorted by name, host i (from 0) in part (i mod N) + 1 (awx/main/models/inventory.py,
 * get_script_data: `hosts.order_by('name')[offset::slice_count]`). So the parts differ in size by at
 * most one, and a host stays in its part as long as the inventory's host list does not change.
 * Names sort by code point, not by locale, so every runner splits the same way.
 *
 * Unlike AWX (which hands each part a pared-down inventory) the inventory stays whole: groups and
 * hostvars render as in one run; only the hosts a play runs on are restricted. A host a play names
 * that is not in the inventory (the implicit localhost) runs in part 1 only.
 */
import { optionError } from '../errors.js'
import type { Inventory } from './types.js'

export interface Slice {
  /** 1-based part number */
  index: number
  count: number
}

export function parseSlice(text: string): Slice {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim())
  if (!m) throw optionError(`--slice ${text}: expected K/N, e.g. --slice 2/4 (part 2 of 4)`)
  const [index, count] = [Number(m[1]), Number(m[2])]
  if (count < 1 || index < 1 || index > count) throw optionError(`--slice ${text}: K must be between 1 and N (N >= 1)`)
  return { index, count }
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The hosts of part `s.index` of `names`. */
export function sliceMembers(names: Iterable<string>, s: Slice): Set<string> {
  const sorted = [...new Set(names)].sort(byCodePoint)
  return new Set(sorted.filter((_, i) => i % s.count === s.index - 1))
}

/** The inventory, with every host selection restricted to the part. */
export function sliceInventory(inv: Inventory, s: Slice | undefined): Inventory {
  if (!s || s.count === 1) return inv
  const members = sliceMembers(inv.hosts.keys(), s)
  const loaded = new Set(inv.hosts.keys())
  // a host add_host made during this part's run is this part's
  const inPart = (h: string) => members.has(h) || (!loaded.has(h) && (inv.hosts.has(h) || s.index === 1))
  const select = inv.select.bind(inv)
  const sliced = Object.create(inv) as Inventory
  sliced.select = (pattern, limit) => select(pattern, limit).filter(inPart)
  return sliced
}
