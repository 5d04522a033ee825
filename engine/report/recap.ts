/** PLAY RECAP counts and the exit code, exactly as ansible-playbook computes them. */
import type { HostRecap, HostResult } from './types.js'

export function recap(hosts: readonly string[], results: readonly HostResult[]): HostRecap[] {
  const by = new Map(hosts.map((h) => [h, { host: h, ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 }]))
  for (const r of results) {
    const c = by.get(r.host)
    if (!c) continue
    if (r.status === 'ok' || r.status === 'changed') c.ok++
    // a looped include_tasks counts each item it included, as Ansible's stats do
    if (r.included && r.items) c.ok += r.items - 1
    if (r.status === 'changed') c.changed++
    if (r.status === 'skipped') c.skipped++
    // an ignored unreachable (ignore_unreachable) is ok and ignored, as Ansible counts it
    if (r.status === 'unreachable' && r.ignored) {
      c.ok++
      c.ignored++
    } else if (r.status === 'unreachable') c.unreachable++
    if (r.status === 'failed') {
      // Ansible counts an ignored failure as ok too, and changed when its result says so (a failed command ran)
      if (r.ignored) {
        c.ignored++
        c.ok++
        if (r.failedChanged) c.changed++
      } else if (r.rescued) c.rescued++
      else c.failed++
    }
  }
  // by name, as Ansible's default callback sorts its stats
  return [...by.values()].sort((a, b) => byName(a.host, b.host))
}

/** Host names in Ansible's order (Python's sorted: code point order): the recap's, a merged report's. */
export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** 0 all good, 2 a host failed, 4 a host was unreachable (4 wins). */
export function exitCode(recaps: readonly HostRecap[]): number {
  if (recaps.some((r) => r.unreachable > 0)) return 4
  if (recaps.some((r) => r.failed > 0)) return 2
  return 0
}

/** `host : ok=N changed=N ...` with Ansible's column padding. */
export function recapLines(recaps: readonly HostRecap[]): string[] {
  const counts = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const
  return recaps.map((r) => `${r.host.padEnd(26)} : ${counts.map((k) => `${k}=${String(r[k]).padEnd(4)}`).join(' ')}`)
}
