/**
 * The validated, normalized shape of a playbook, as the run loop consumes it. Keyword fields come
 * from the keyword table (keyword-table.ts): which keywords each kind takes and their value types.
 */
import type { Pos } from '../yaml-source.js'
import type { KeywordValues } from './keyword-table.js'
import type { ModuleDefaults } from './module-defaults.js'

export type { Pos }

/** A role as tasks see it: where its files/templates are, and its defaults/vars layers. */
export interface RoleContext {
  name: string
  dir: string
  defaults: Record<string, unknown>
  vars: Record<string, unknown>
  /**
   * The `vars:` of where the role is used (a `roles:` entry's, an import_role's or include_role's):
   * Ansible's Role.vars, below the role's vars/main.yml, and play-wide like it where the role is
   * the play's (roles:, import_role, a public include_role)
   */
  definitionVars: Record<string, unknown>
  /** the entry's other keys (`roles: [{role: x, port: 80}]`): Ansible's role params, above set_fact for the role's tasks */
  params: Record<string, unknown>
  /** `ns.coll.role` for a collection's role (Ansible's ansible_role_name); `name` is then the short name */
  fqcn?: string
  /** the collection a collection's role belongs to: its dependencies' short names are looked up there first */
  collection?: string
  /** the roles that pulled this one in, nearest first (Ansible's dependency chain: their dirs are searched for files too) */
  parents?: RoleContext[]
  /** how it came in: the play's `roles:`, a meta dependency, import_role or include_role (ansible_play_role_names, ansible_parent_role_names) */
  via?: 'roles' | 'dependency' | 'import' | 'include'
}

/**
 * Keywords every task kind shares (those an import takes). Conditions (`when`, `changed_when`,
 * `until`...) are raw Jinja expressions without braces, ANDed; `loop` is a list or a template that
 * yields one, or with `loop_with` the terms of that lookup.
 */
export interface TaskKeywords extends KeywordValues<'import'> {
  pos: Pos
  when: string[]
  tags: string[]
  vars: Record<string, unknown>
  /** `with_<lookup>`: the lookup that turns `loop` (its terms) into the items (Ansible's loop_with) */
  loop_with?: string
  /** set by the loader for tasks that come from a role */
  role?: RoleContext
  /** default arguments by canonical module name (module-defaults.ts) */
  module_defaults?: ModuleDefaults
}

/** A module task; in `handlers:` it may `listen` too. */
export interface ModuleTask extends TaskKeywords, Omit<KeywordValues<'task' | 'handler'>, keyof TaskKeywords> {
  kind: 'module'
  /** canonical module name (aliases and FQCNs resolved) */
  module: string
  /** the action as the task wrote it, when that is not `module` (ansible.builtin.copy, package): an unnamed task's name */
  action?: string
  /** raw args (mapping, or parsed from `k=v` string); templated at run time */
  args: Record<string, unknown>
  notify: string[]
}

export type { LoopControl } from './keywords.js'

export interface BlockTask extends TaskKeywords {
  kind: 'block'
  block: Task[]
  rescue: Task[]
  always: Task[]
}

/** Dynamic includes: loaded when reached, per host (file/role names may be templates). */
export interface IncludeTasksTask extends TaskKeywords, Omit<KeywordValues<'include'>, keyof TaskKeywords> {
  kind: 'include_tasks'
  file: string
  /** the action as written when not `include_tasks` (ansible.builtin.include_tasks, or the deprecated `include`): an unnamed task's name */
  action?: string
  /** the directory relative paths resolve against */
  baseDir: string
  /** `apply:` keywords given to every included task (a block around them) */
  apply?: TaskKeywords
}

export interface IncludeRoleTask extends TaskKeywords, Omit<KeywordValues<'include'>, keyof TaskKeywords> {
  kind: 'include_role'
  /** the action as written when not `include_role` (ansible.builtin.include_role): in an unnamed task's name */
  action?: string
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
  /** false: the role's argument spec is not checked (playbook/role-argspec.ts) */
  rolespec_validate?: boolean
  /** include_role `public: true`: once loaded, its defaults and vars are the play's, as a `roles:` entry's */
  public?: boolean
  /** `apply:` keywords given to every task of the role (a block around them) */
  apply?: TaskKeywords
}

export interface MetaTask extends TaskKeywords {
  kind: 'meta'
  /** the action as written when not `meta` (ansible.builtin.meta): an unnamed task's name */
  written?: string
  action: 'flush_handlers' | 'end_play' | 'end_host' | 'end_batch' | 'noop' | 'clear_host_errors' | 'clear_facts' | 'refresh_inventory' | 'reset_connection'
}

export type Task = ModuleTask | BlockTask | IncludeTasksTask | IncludeRoleTask | MetaTask

/** A handler: a module task or an include_tasks, with the names it answers to. */
export type Handler = (ModuleTask | IncludeTasksTask) & {
  /** the handler's name plus its `listen` topics */
  listen: string[]
  /** the keywords of the imports (import_tasks, a static include) it was loaded through, outermost first */
  within?: TaskKeywords[]
}

/** One `vars_prompt:` entry: asked on a terminal when neither -e nor a default gives the value. */
export interface VarsPrompt {
  name: string
  prompt?: string
  default?: unknown
  /** the answer is a secret: not echoed, masked in output (Ansible's default: true) */
  private: boolean
  /** ask twice, the answers must match */
  confirm?: boolean
  /** the answer is never templated (it may hold `{{`) */
  unsafe?: boolean
  /** hash the answer with this crypt scheme (sha512_crypt, md5_crypt, ...), as the password_hash filter */
  encrypt?: string
  /** the hash's salt; else a random one of salt_size characters (else the scheme's own size) */
  salt?: string
  saltSize?: number
  pos: Pos
}

export interface Play extends KeywordValues<'play'> {
  name: string
  pos: Pos
  /** host pattern */
  hosts: string
  vars: Record<string, unknown>
  /** files (may be templates), or lists of them of which the first found is read; relative to the play's dir (its vars/ first) */
  vars_files: (string | string[])[]
  /** undefined: not set (gathering = implicit gathers, explicit does not); a template until the run renders it */
  gather_facts?: boolean | string
  strategy: 'linear' | 'free'
  tags: string[]
  pre_tasks: Task[]
  /** `roles:` entries, each loaded as a block of the role's tasks with its RoleContext set */
  roles: Task[]
  tasks: Task[]
  post_tasks: Task[]
  handlers: Handler[]
  /** directory of the file the play is in (differs from Playbook.dir for import_playbook) */
  dir?: string
  vars_prompt?: VarsPrompt[]
  /** default args by canonical module name */
  module_defaults?: ModuleDefaults
  /** `collections:`: a role's short name is also looked for in these (ns.coll), in order */
  collections?: string[]
  /** the roles (and role handlers) loaded for the play: an include_role run later does not load them twice */
  seen?: { roles: Set<string>; handlers: Set<string> }
}

export interface Playbook {
  file: string
  dir: string
  plays: Play[]
}
