/**
 * Ansible's magic variables (VariableManager._get_magic_variables and load_options_vars), the one
 * place the run sets them. They win over every other layer, as in Ansible. What is the same for the
 * whole play is built once per play; what depends on the live state (hosts still in the play) once
 * per change of it, shared by every host's tasks.
 *
 * Not here: `ansible_managed` and `template_*` (set only while a template file renders, as in
 * Ansible: engine/vars/template-vars.ts); inventory_hostname(_short), groups, group_names,
 * inventory_dir/file (the inventory's magic layer); ansible_facts (host-facts.ts); omit (a global).
 */
import { resolve } from 'node:path'
import { findAnsibleCfg } from '../config/ansible-cfg.js'
import type { RoleContext, Task } from '../playbook/types.js'
import type { PlayContext } from './context.js'
import { searchPath } from './find-file.js'
import { activeHostsVersion } from './host-state.js'
import { DEFAULT_FORKS } from './options.js'

/**
 * The Ansible version acplay answers to (`ansible_version`): the ansible-core it is checked against
 * (Debian's 2.14), so roles' `ansible_version.full is version('2.9', '>=')` gates pass as there.
 */
export const ANSIBLE_VERSION = { string: '2.14.18', full: '2.14.18', major: 2, minor: 14, revision: 18 } as const

const playMagic = new WeakMap<PlayContext, Record<string, unknown>>()

const roleName = (r: RoleContext) => r.fqcn ?? r.name

/**
 * The play's roles as Ansible lists them: `roles:` entries and import_role'd roles (Ansible adds
 * those to the play's roles), then the roles they depend on (meta dependencies, at any depth).
 */
function playRoleNames(play: PlayContext['play']): { play: string[]; deps: string[] } {
  const names: string[] = []
  const deps: string[] = []
  const walk = (tasks: readonly Task[]) => {
    for (const t of tasks) {
      if (t.kind !== 'block') continue
      const r = t.role
      const list = r?.via === 'roles' || r?.via === 'import' ? names : r?.via === 'dependency' ? deps : undefined
      if (r && list && !list.includes(roleName(r))) list.push(roleName(r))
      walk([...t.block, ...t.rescue, ...t.always])
    }
  }
  walk([...play.roles, ...play.pre_tasks, ...play.tasks, ...play.post_tasks])
  return { play: names, deps }
}

/** What every task of the play sees alike: the run's options and the play's roles. */
function forPlay(pc: PlayContext): Record<string, unknown> {
  let m = playMagic.get(pc)
  if (m) return m
  const opts = pc.run.opts
  const roles = playRoleNames(pc.play)
  const cfg = findAnsibleCfg(pc.run.playbook.dir)
  m = {
    // an imported playbook's plays have its dir, as in Ansible
    playbook_dir: pc.play.dir ?? pc.run.playbook.dir,
    ansible_config_file: cfg ? resolve(cfg) : null,
    ansible_play_name: pc.play.name,
    ansible_role_names: [...new Set([...roles.deps, ...roles.play])],
    ansible_play_role_names: roles.play,
    ansible_dependent_role_names: roles.deps,
    role_names: roles.play,
    ansible_version: ANSIBLE_VERSION,
    ansible_check_mode: !!opts.check,
    ansible_diff_mode: !!opts.diff,
    ansible_forks: opts.forks ?? DEFAULT_FORKS,
    ansible_inventory_sources: opts.inventory.map((i) => resolve(i)),
    ansible_run_tags: opts.tags?.length ? opts.tags : ['all'],
    ansible_skip_tags: opts.skipTags ?? [],
    ansible_verbosity: opts.verbosity ?? 0,
    ansible_play_hosts_all: pc.hostNames,
    // only when --limit was given, as in Ansible
    ...(opts.limit !== undefined ? { ansible_limit: opts.limit } : {}),
  }
  playMagic.set(pc, m)
  return m
}

const activeLists = new WeakMap<readonly string[], { version: number; hosts: readonly string[] }>()

/**
 * `names` without the hosts that left the play. A host of a later batch has no state yet: it is
 * still in the play (Ansible removes failed hosts only). Frozen: every host's tasks share it.
 */
function activeOf(pc: PlayContext, names: readonly string[]): readonly string[] {
  const version = activeHostsVersion()
  const kept = activeLists.get(names)
  if (kept?.version === version) return kept.hosts
  const hosts = Object.freeze(
    names.filter((h) => {
      const state = pc.run.hosts.get(h)
      return !state || state.active
    }),
  )
  activeLists.set(names, { version, hosts })
  return hosts
}

const searchPaths = new WeakMap<object, Map<string, readonly string[]>>()

/** `ansible_search_path`, one frozen list per role, task file and play dir (every host's tasks share it). */
function searchPathOf(pc: PlayContext, role: RoleContext | undefined, taskFile: string | undefined): readonly string[] {
  const playDir = pc.play.dir ?? pc.run.playbook.dir
  let byFile = searchPaths.get(role ?? pc)
  if (!byFile) {
    byFile = new Map()
    searchPaths.set(role ?? pc, byFile)
  }
  const key = `${taskFile ?? ''}\0${playDir}`
  let path = byFile.get(key)
  if (!path) {
    path = Object.freeze(searchPath({ role, taskFile, playDir }))
    byFile.set(key, path)
  }
  return path
}

/** Adds the magic variables for a task of `role` (or none) in the play to `vars`. */
export function addMagicVars(vars: Record<string, unknown>, pc: PlayContext, role: RoleContext | undefined, taskFile: string | undefined): void {
  Object.assign(vars, forPlay(pc))
  if (role) {
    vars.role_name = role.name
    vars.role_path = role.dir
    vars.ansible_role_name = roleName(role)
    vars.ansible_collection_name = role.collection ?? null
    // a role run by include_role / import_role: the roles that ran it, nearest first
    const parents: RoleContext[] = []
    for (let r: RoleContext | undefined = role; (r?.via === 'include' || r?.via === 'import') && r.parents?.[0]; r = r.parents[0]) parents.push(r.parents[0])
    if (parents.length) {
      vars.ansible_parent_role_names = parents.map(roleName)
      vars.ansible_parent_role_paths = parents.map((p) => p.dir)
    }
  }
  // the same lists for every host until a host joins or leaves the play (activeOf)
  vars.ansible_play_hosts = activeOf(pc, pc.hostNames)
  vars.ansible_play_batch = activeOf(pc, pc.batch ?? pc.hostNames)
  vars.play_hosts = vars.ansible_play_batch
  vars.ansible_search_path = searchPathOf(pc, role, taskFile)
}
