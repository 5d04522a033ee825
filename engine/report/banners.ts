/**
 * When a task's banner (`TASK [...]`, `RUNNING HANDLER [...]`) is printed, as Ansible 2.14's default
 * callback prints it (plugins/callback/default.py `_task_start`, `_last_task_banner`): under the
 * linear strategy as the task starts; under free, not then, but before a result whose task is not
 * the one the last banner named. So a free play's lines read `TASK [a]` for a host's first result
 * of `a`, and `TASK [a]` again for another host's result of it after a result of some other task.
 * The last banner outlives a play's batches and the play, as the callback's.
 */
import { heading, taskTitle } from './format.js'
import type { TaskRef } from './types.js'

/** A task's identity for the rule (Ansible compares the task's uuid): where it is written, and the role it runs in. */
const identity = (t: TaskRef): string =>
  t.pos ? `${t.pos.file}:${t.pos.line}:${t.pos.col}|${t.role ?? ''}` : `${t.handler ? 'H' : 'T'}|${t.role ?? ''}|${t.name}`

export interface TaskBanners {
  /** a play starts: whether it runs the free strategy */
  play(free: boolean): void
  /** a task starts (on some hosts): the banner to print now, if any */
  start(t: TaskRef): string | undefined
  /** a line of a result of `t` is to be printed: the banner to print before it, if any */
  before(t: TaskRef): string | undefined
}

export function taskBanners(): TaskBanners {
  let free = false
  let last: string | undefined
  // the task as it started: its banner names it so (RUNNING HANDLER for a handler's loop items too)
  const started = new Map<string, TaskRef>()
  const banner = (t: TaskRef) => {
    last = identity(t)
    return heading(taskTitle(started.get(last) ?? t))
  }
  return {
    play: (isFree) => {
      free = isFree
    },
    start: (t) => {
      started.set(identity(t), t)
      return free ? undefined : banner(t)
    },
    before: (t) => (identity(t) === last ? undefined : banner(t)),
  }
}
