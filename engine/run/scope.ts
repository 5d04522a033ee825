/** Keywords inherited from enclosing blocks and roles, and the variables a task sees on a host. */
import type { TaskKeywords } from '../playbook/types.js'
import type { HostState } from './host-state.js'
import type { PlayContext } from './context.js'
import { factVars } from './facts.js'

/** The keywords a block or role passes down to its tasks (the same fields as on a task). */
export type Scope = Pick<
  TaskKeywords,
  'vars' | 'when' | 'tags' | 'become' | 'become_user' | 'ignore_errors' | 'check_mode' | 'diff' | 'no_log' | 'environment' | 'role'
>

export const rootScope = (): Scope => ({ vars: {}, when: [], tags: [] })

/** The scope inside a block (or role): its keywords override the outer ones, its `when`s add up. */
export function enter(scope: Scope, k: TaskKeywords): Scope {
  return {
    vars: { ...scope.vars, ...k.vars },
    when: [...scope.when, ...k.when],
    tags: [...scope.tags, ...k.tags],
    become: k.become ?? scope.become,
    become_user: k.become_user ?? scope.become_user,
    ignore_errors: k.ignore_errors ?? scope.ignore_errors,
    check_mode: k.check_mode ?? scope.check_mode,
    diff: k.diff ?? scope.diff,
    no_log: k.no_log ?? scope.no_log,
    environment: k.environment ? { ...scope.environment, ...k.environment } : scope.environment,
    role: k.role ?? scope.role,
  }
}

/** Ansible's precedence, lowest first; see engine/vars/precedence.ts for the documented order. */
export function taskVars(pc: PlayContext, host: HostState, scope: Scope, task: TaskKeywords): Record<string, unknown> {
  const role = task.role ?? scope.role
  const opts = pc.run.opts
  const vars: Record<string, unknown> = {
    ...pc.roleDefaults,
    ...role?.defaults,
    ...pc.run.inventory.hostVars(host.name),
    ...factVars(pc.run, host),
    ...pc.playVars,
    ...pc.varsFiles,
    ...pc.roleVars,
    ...role?.vars,
    ...role?.params,
    ...scope.vars,
    ...task.vars,
    ...host.facts,
    ...opts.extraVars,
    ansible_check_mode: !!opts.check,
    ansible_diff_mode: !!opts.diff,
    playbook_dir: pc.run.playbook.dir,
    role_path: role?.dir,
    role_name: role?.name,
    ansible_play_hosts_all: pc.hostNames,
    hostvars: hostvars(pc),
  }
  // computed when first read (a loop's items and a spread read it): filtering every play host for
  // every task and host made each task O(hosts²)
  let playHosts: string[] | undefined
  Object.defineProperty(vars, 'ansible_play_hosts', {
    enumerable: true,
    configurable: true,
    get: () => (playHosts ??= pc.hostNames.filter((h) => pc.run.hosts.get(h)?.active)),
    set: (value: unknown) => Object.defineProperty(vars, 'ansible_play_hosts', { value, writable: true, enumerable: true, configurable: true }),
  })
  return vars
}

const hostvarsOfPlay = new WeakMap<PlayContext, Record<string, unknown>>()

/**
 * `hostvars[name]`: every host's inventory vars plus its facts, computed on access. One object per
 * play (its getters read the live state): built per task and host it made a run O(hosts²) per task,
 * 11 s of a 1,000-host no-op (bench/README.md, fleet).
 */
function hostvars(pc: PlayContext): Record<string, unknown> {
  let out = hostvarsOfPlay.get(pc)
  if (out) return out
  out = {}
  hostvarsOfPlay.set(pc, out)
  for (const name of pc.run.inventory.hosts.keys()) {
    Object.defineProperty(out, name, {
      enumerable: true,
      get: () => {
        const h = pc.run.hosts.get(name)
        return { ...pc.run.inventory.hostVars(name), ...(h && factVars(pc.run, h)), ...h?.facts }
      },
    })
  }
  return out
}
