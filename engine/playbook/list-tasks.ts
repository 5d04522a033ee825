/** `--list-hosts` / `--list-tasks` / `--list-tags`: what a playbook would run, from the loaded shape alone. */
import { taskLabel } from './module-task.js'
import type { Play, Playbook, Task } from './types.js'

export interface ListedTask {
  /** `role : name` for role tasks; unnamed tasks show their action */
  name: string
  /** effective tags: the play's, every enclosing block's and role's, and the task's own */
  tags: string[]
}

/**
 * ansible-playbook --list-tasks' name for a task: a named task's get_name (`role : name`), an
 * unnamed one's action as written, without its role (include_tasks, include_role, meta too).
 */
function label(t: Task): string {
  if (t.kind === 'include_role') return t.name ?? t.action ?? 'include_role'
  if (t.name) return t.role ? `${t.role.fqcn ?? t.role.name} : ${t.name}` : t.name
  if (t.kind === 'include_tasks') return t.action ?? t.kind
  return t.kind === 'module' ? (taskLabel(t) ?? t.module) : t.kind
}

/** Which tasks --tags / --skip-tags keep, by a task's effective tags (all of them: no filter). */
export type TagFilter = (tags: readonly string[]) => boolean

function walk(tasks: readonly Task[], inherited: string[], selected: TagFilter, out: ListedTask[]): void {
  for (const t of tasks) {
    const tags = [...new Set([...inherited, ...t.tags])]
    if (t.kind === 'block') for (const part of [t.block, t.rescue, t.always]) walk(part, tags, selected, out)
    else if (selected(tags)) out.push({ name: label(t), tags: tags.sort() })
  }
}

export function listPlayTasks(play: Play, selected: TagFilter = () => true): ListedTask[] {
  const out: ListedTask[] = []
  walk([...play.pre_tasks, ...play.roles, ...play.tasks, ...play.post_tasks], play.tags, selected, out)
  return out
}

export interface ListingOptions {
  /** the play's hosts (--list-hosts) */
  hostsOf?: (play: Play) => string[]
  /** --list-tasks */
  tasks?: boolean
  /** --list-tags */
  tags?: boolean
  /** the tasks --tags / --skip-tags keep */
  selected?: TagFilter
}

/**
 * The lines ansible-playbook prints for --list-hosts, --list-tasks and --list-tags, alone or
 * together: per play its line, then its hosts, its tasks and their tags.
 */
export function formatListing(pb: Playbook, file: string, o: ListingOptions): string[] {
  const out = ['', `playbook: ${file}`]
  pb.plays.forEach((play, i) => {
    // the play's own tags as Ansible joins its set: ',' (in Python's set order; one tag reads the same)
    out.push('', `  play #${i + 1} (${play.hosts}): ${play.name}\tTAGS: [${[...new Set(play.tags)].join(',')}]`)
    if (o.hostsOf) {
      const hosts = o.hostsOf(play)
      out.push(`    pattern: ['${play.hosts}']`, `    hosts (${hosts.length}):`, ...hosts.map((h) => `      ${h}`))
    }
    if (!o.tasks && !o.tags) return
    const tasks = listPlayTasks(play, o.selected)
    if (o.tasks) out.push('    tasks:', ...tasks.map((t) => `      ${t.name}\tTAGS: [${t.tags.join(', ')}]`))
    if (o.tags) out.push(`      TASK TAGS: [${[...new Set([...play.tags, ...tasks.flatMap((t) => t.tags)])].sort().join(', ')}]`)
  })
  return out
}
