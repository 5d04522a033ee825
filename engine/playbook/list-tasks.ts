/** `--list-tasks` / `--list-tags`: what a playbook would run, from the loaded shape alone. */
import type { Play, Playbook, Task } from './types.js'

export interface ListedTask {
  /** `role : name` for role tasks; unnamed tasks show their action */
  name: string
  /** effective tags: the play's, every enclosing block's and role's, and the task's own */
  tags: string[]
}

function label(t: Task): string {
  const own =
    t.name ??
    (t.kind === 'module'
      ? t.module
      : t.kind === 'include_tasks'
        ? `include_tasks ${t.file}`
        : t.kind === 'include_role'
          ? `include_role ${t.roleName}`
          : t.kind === 'meta'
            ? `meta: ${t.action}`
            : 'block')
  return t.role ? `${t.role.fqcn ?? t.role.name} : ${own}` : own
}

function walk(tasks: Task[], inherited: string[], out: ListedTask[]): void {
  for (const t of tasks) {
    const tags = [...new Set([...inherited, ...t.tags])]
    if (t.kind === 'block') for (const part of [t.block, t.rescue, t.always]) walk(part, tags, out)
    else out.push({ name: label(t), tags: tags.sort() })
  }
}

export function listPlayTasks(play: Play): ListedTask[] {
  const out: ListedTask[] = []
  walk([...play.pre_tasks, ...play.roles, ...play.tasks, ...play.post_tasks], play.tags, out)
  return out
}

export function listPlayTags(play: Play): string[] {
  return [...new Set(listPlayTasks(play).flatMap((t) => t.tags))].sort()
}

/** The text ansible-playbook --list-tasks prints. */
export function formatTaskList(pb: Playbook, file = pb.file): string {
  const lines = ['', `playbook: ${file}`]
  pb.plays.forEach((play, i) => {
    lines.push('', `  play #${i + 1} (${play.hosts}): ${play.name}\tTAGS: [${[...play.tags].sort().join(', ')}]`, '    tasks:')
    for (const t of listPlayTasks(play)) lines.push(`      ${t.name}\tTAGS: [${t.tags.join(', ')}]`)
  })
  return `${lines.join('\n')}\n`
}
