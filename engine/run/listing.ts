/** --list-hosts, --list-tasks and --list-tags, alone or together, in ansible-playbook's layout. Nothing is run. */
import { formatListing } from '../playbook/list-tasks.js'
import type { Loaded } from '../run.js'
import type { RunOptions } from './options.js'
import { playHosts, tagged } from './gate.js'

export function listPlaybook(l: Loaded, opts: RunOptions, what: { hosts?: boolean; tasks?: boolean; tags?: boolean }): string[] {
  return formatListing(l.playbook, opts.playbook, {
    hostsOf: what.hosts ? (p) => playHosts(l.inventory, p, opts) : undefined,
    tasks: what.tasks,
    tags: what.tags,
    selected: (tags) => tagged(opts, tags),
  })
}
