/** The validated, normalized shape of a playbook, as the run loop consumes it. */

export interface Pos {
  file: string
  line: number
  col: number
}

/** A role as tasks see it: where its files/templates are, and its defaults/vars layers. */
export interface RoleContext {
  name: string
  dir: string
  defaults: Record<string, unknown>
  vars: Record<string, unknown>
  /** vars given where the role is used (`roles: [{role: x, vars: ...}]`) */
  params: Record<string, unknown>
}

/** Keywords every task kind shares. Strings are templated at run time, per host. */
export interface TaskKeywords {
  name?: string
  pos: Pos
  /** all must be true (a `when` list is ANDed); raw Jinja expressions without braces */
  when: string[]
  tags: string[]
  vars: Record<string, unknown>
  become?: boolean
  become_user?: string
  ignore_errors?: boolean
  check_mode?: boolean
  diff?: boolean
  no_log?: boolean
  run_once?: boolean
  delegate_to?: string
  environment?: Record<string, unknown>
  /** set by the loader for tasks that come from a role */
  role?: RoleContext
}

export interface ModuleTask extends TaskKeywords {
  kind: 'module'
  /** canonical module name (aliases and FQCNs resolved) */
  module: string
  /** raw args (mapping, or parsed from `k=v` string); templated at run time */
  args: Record<string, unknown>
  register?: string
  notify: string[]
  /** `loop` / `with_items`: a list, or a template string that yields one */
  loop?: unknown
  loop_control?: LoopControl
  changed_when?: string[]
  failed_when?: string[]
  /** retry until all are true (raw expressions, as `when`), up to `retries` times, `delay` seconds apart */
  until?: string[]
  retries?: number | string
  delay?: number | string
}

export interface LoopControl {
  label?: string
  loop_var?: string
  index_var?: string
}

export interface BlockTask extends TaskKeywords {
  kind: 'block'
  block: Task[]
  rescue: Task[]
  always: Task[]
}

/** Dynamic includes: loaded when reached, per host (file/role names may be templates). */
export interface IncludeTasksTask extends TaskKeywords {
  kind: 'include_tasks'
  file: string
  /** the directory relative paths resolve against */
  baseDir: string
  loop?: unknown
  loop_control?: LoopControl
}

export interface IncludeRoleTask extends TaskKeywords {
  kind: 'include_role'
  /** role name (may be a template) */
  roleName: string
  /** import_role: false; include_role: true */
  dynamic: boolean
  baseDir: string
  /** role files other than main.yml (`tasks_from: setup` -> tasks/setup.yml) */
  tasks_from?: string
  vars_from?: string
  defaults_from?: string
  handlers_from?: string
  loop?: unknown
  loop_control?: LoopControl
}

export interface MetaTask extends TaskKeywords {
  kind: 'meta'
  action: 'flush_handlers' | 'end_play' | 'end_host' | 'noop' | 'clear_host_errors' | 'refresh_inventory' | 'reset_connection'
}

export type Task = ModuleTask | BlockTask | IncludeTasksTask | IncludeRoleTask | MetaTask

export interface Handler extends ModuleTask {
  /** the handler's name plus its `listen` topics */
  listen: string[]
}

export interface Play {
  name: string
  pos: Pos
  /** host pattern */
  hosts: string
  vars: Record<string, unknown>
  /** paths (may be templates), relative to the playbook's directory */
  vars_files: string[]
  become?: boolean
  become_user?: string
  /** undefined: not set (gathering = implicit gathers, explicit does not) */
  gather_facts?: boolean
  gather_subset?: string[]
  gather_timeout?: number
  fact_path?: string
  serial?: number | string
  strategy: 'linear' | 'free'
  check_mode?: boolean
  tags: string[]
  pre_tasks: Task[]
  /** `roles:` entries, each loaded as a block of the role's tasks with its RoleContext set */
  roles: Task[]
  tasks: Task[]
  post_tasks: Task[]
  handlers: Handler[]
  /** directory of the file the play is in (differs from Playbook.dir for import_playbook) */
  dir?: string
  any_errors_fatal?: boolean
  max_fail_percentage?: number
  environment?: Record<string, unknown>
  /** ssh (default) or local */
  connection?: string
  remote_user?: string
  /** default args by canonical module name */
  module_defaults?: Record<string, Record<string, unknown>>
}

export interface Playbook {
  file: string
  dir: string
  plays: Play[]
}
