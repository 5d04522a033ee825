/** `--list-tasks` / `--list-tags`: what a playbook would run, from the loaded shape alone. */
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

export function listPlayTags(play: Play): string[] {
  return [...new Set(listPlayTasks(play).flatMap((t) => t.tags))].sort()
}

/** The text ansible-playbook --list-tasks prints (the tasks --tags / --skip-tags keep). */
export function formatTaskList(pb: Playbook, file = pb.file, selected: TagFilter = () => true): string {
  const lines = ['', `playbook: ${file}`]
  pb.plays.forEach((play, i) => {
    lines.push('', `  play #${i + 1} (${play.hosts}): ${play.name}\tTAGS: [${[...play.tags].sort().join(', ')}]`, '    tasks:')
    for (const t of listPlayTasks(play, selected)) lines.push(`      ${t.name}\tTAGS: [${t.tags.join(', ')}]`)
  })
  return `${lines.join('\n')}\n`
}
