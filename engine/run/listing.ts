/** --list-hosts and --list-tasks, in ansible-playbook's layout. Nothing is run. */
import { taskLabel } from '../playbook/module-task.js'
import type { Loaded } from '../run.js'
import type { Task } from '../playbook/types.js'
import type { RunOptions } from './options.js'
import { playHosts, tagged } from './gate.js'

export function listHosts(l: Loaded, opts: RunOptions): string[] {
  const out = ['', `playbook: ${opts.playbook}`]
  l.playbook.plays.forEach((p, i) => {
    const hosts = playHosts(l.inventory, p, opts)
    out.push('', `  play #${i + 1} (${p.hosts}): ${p.name}\tTAGS: [${p.tags.join(', ')}]`, `    pattern: ['${p.hosts}']`, `    hosts (${hosts.length}):`)
    for (const h of hosts) out.push(`      ${h}`)
  })
  return out
}

function walk(tasks: readonly Task[], inherited: string[], opts: RunOptions, out: string[]): void {
  for (const t of tasks) {
    const tags = [...inherited, ...t.tags]
    if (t.kind === 'block') {
      walk([...t.block, ...t.rescue, ...t.always], tags, opts, out)
      continue
    }
    if (t.kind === 'meta') continue
    if (!tagged(opts, tags)) continue
    const name = t.kind === 'module' ? taskLabel(t) : t.kind === 'include_tasks' ? `include_tasks ${t.file}` : `include_role ${t.roleName}`
    out.push(`      ${t.role ? `${t.role.name} : ` : ''}${name}\tTAGS: [${[...new Set(tags)].join(', ')}]`)
  }
}

export function listTasks(l: Loaded, opts: RunOptions): string[] {
  const out = ['', `playbook: ${opts.playbook}`]
  l.playbook.plays.forEach((p, i) => {
    out.push('', `  play #${i + 1} (${p.hosts}): ${p.name}\tTAGS: [${p.tags.join(', ')}]`, '    tasks:')
    walk([...p.pre_tasks, ...p.roles, ...p.tasks, ...p.post_tasks], p.tags, opts, out)
  })
  return out
}
