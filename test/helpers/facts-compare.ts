/**
 * Compares acplay's facts with Ansible's setup output from the same host: every fact by value,
 * except those that change by the second (compared by shape: same keys, same types) and lists whose
 * order Ansible does not keep (compared as sets).
 */
import { isDeepStrictEqual } from 'node:util'

type Facts = Record<string, unknown>

/** Ansible facts acplay does not gather (docs/facts.md says so too). */
export const NOT_PROVIDED = ['ansible_device_links', 'ansible_devices']

/** change between two gatherings a second apart */
const VOLATILE = ['ansible_date_time', 'ansible_memfree_mb', 'ansible_memory_mb', 'ansible_uptime_seconds', 'ansible_loadavg', 'ansible_swapfree_mb']
/** Ansible passes these through a set (interfaces: dict keys; tech: sets): their order is random */
const AS_SETS = ['ansible_interfaces', 'ansible_virtualization_tech_guest', 'ansible_virtualization_tech_host']
/** the environment of the connection: Ansible's has a tty and its own ssh port, acplay's shell its own `_` */
const STABLE_ENV = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'USER']
const VOLATILE_MOUNT_KEYS = ['block_available', 'block_used', 'size_available', 'inode_available', 'inode_used']
/**
 * The testbed's containers see the outer machine's /sys/class/net, where other testbeds' links
 * (ve-acpN) come and go between two gatherings: those are left out on both sides.
 */
const OUTER_LINK = /^(ansible_)?ve[-_]acp\d+$/

export function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]))
  return v === null ? 'null' : typeof v
}

export interface FactsReport {
  problems: string[]
  byValue: string[]
  byShape: string[]
  /** in Ansible's output, not in acplay's */
  missing: string[]
  /** in acplay's output, not in Ansible's */
  extra: string[]
}

export function compareFacts(ours: Facts, ansible: Facts, opts: { ignore?: string[] } = {}): FactsReport {
  const r: FactsReport = { problems: [], byValue: [], byShape: [], missing: [], extra: [] }
  const skip = (k: string) => OUTER_LINK.test(k) || opts.ignore?.includes(k)
  const keys = new Set([...Object.keys(ours), ...Object.keys(ansible)])
  const differ = (k: string, a: unknown, b: unknown) =>
    r.problems.push(`${k}: acplay ${JSON.stringify(a)?.slice(0, 400)} / ansible ${JSON.stringify(b)?.slice(0, 400)}`)
  for (const k of [...keys].sort()) {
    if (skip(k)) continue
    if (!(k in ours)) {
      r.missing.push(k)
      continue
    }
    if (!(k in ansible)) {
      r.extra.push(k)
      continue
    }
    const [a, b] = [ours[k], ansible[k]]
    if (VOLATILE.includes(k)) {
      r.byShape.push(k)
      if (!isDeepStrictEqual(shape(a), shape(b))) differ(k, shape(a), shape(b))
    } else if (AS_SETS.includes(k)) {
      r.byValue.push(k)
      const set = (x: unknown) => [...new Set((x as string[]).filter((n) => !OUTER_LINK.test(n)))].sort()
      if (!isDeepStrictEqual(set(a), set(b))) differ(k, set(a), set(b))
    } else if (k === 'ansible_env') {
      r.byShape.push(k)
      const [ea, eb] = [a as Record<string, string>, b as Record<string, string>]
      for (const v of STABLE_ENV) if (ea[v] !== eb[v]) differ(`ansible_env.${v}`, ea[v], eb[v])
    } else if (k === 'ansible_mounts') {
      r.byShape.push(k)
      const norm = (ms: unknown) =>
        (ms as Facts[])
          .map((m) => Object.fromEntries(Object.entries(m).map(([x, y]) => [x, VOLATILE_MOUNT_KEYS.includes(x) ? typeof y : y])))
          .sort((x, y) => String(x.mount).localeCompare(String(y.mount)))
      if (!isDeepStrictEqual(norm(a), norm(b))) differ(k, norm(a), norm(b))
    } else {
      r.byValue.push(k)
      if (!isDeepStrictEqual(a, b)) differ(k, a, b)
    }
  }
  return r
}
