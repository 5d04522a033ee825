/** --list-hosts and --list-tasks, in ansible-playbook's layout. Nothing is run. */
import { formatTaskList } from '../playbook/list-tasks.js'
import type { Loaded } from '../run.js'
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

export function listTasks(l: Loaded, opts: RunOptions): string[] {
  return formatTaskList(l.playbook, opts.playbook, (tags) => tagged(opts, tags))
    .replace(/\n$/, '')
    .split('\n')
}
