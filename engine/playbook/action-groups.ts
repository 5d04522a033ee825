/**
 * `module_defaults: {group/NAME: ...}`: the actions of an action group, as Ansible's
 * Base._resolve_group reads them from the collection's `meta/runtime.yml` (`action_groups`), or
 * ansible-core's `config/ansible_builtin_runtime.yml` for a short name (`group/aws`, whose entry
 * only extends `amazon.aws.aws` and `community.aws.aws`). Actions named short belong to the group's
 * collection, and a module ansible-core routes a short name to is a member by that name too; an
 * action the controller cannot resolve is left out, as is an extended group that
 * cannot be found (Ansible's `mandatory=False`); the group itself must exist.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ansibleCoreDir, collectionDir, findInstalledModule } from '../library/installed-ansible.js'

/** An action group's entries: action names, and at most one `{metadata: {extend_group: [...]}}`. */
type Groups = Record<string, unknown[]>

const FQCR = /^[A-Za-z_]\w*\.[A-Za-z_]\w*\.[A-Za-z_][\w.]*$/
const groupsByFile = new Map<string, Groups | undefined>()

function actionGroupsIn(file: string): Groups | undefined {
  if (!groupsByFile.has(file)) {
    let groups: Groups | undefined
    try {
      const doc = parse(readFileSync(file, 'utf8')) as { action_groups?: Groups } | null
      groups = doc?.action_groups ?? {}
    } catch {
      groups = undefined // no such collection metadata
    }
    groupsByFile.set(file, groups)
  }
  return groupsByFile.get(file)
}

function runtimeOf(collection: string, playbookDir: string): Groups | undefined {
  if (collection === 'ansible.builtin') {
    const core = ansibleCoreDir()
    return core ? actionGroupsIn(join(core, 'config', 'ansible_builtin_runtime.yml')) : undefined
  }
  const dir = collectionDir(collection, playbookDir)
  return dir ? actionGroupsIn(join(dir, 'meta', 'runtime.yml')) : undefined
}

export interface ActionGroup {
  /** the group's fully qualified name (`ansible.builtin.aws`, `community.postgresql.all`) */
  name: string
  /** its actions, each as `resolve` names it */
  members: string[]
}

/** `name` fully qualified: a short one is `collection`'s. */
const within = (collection: string, name: string): string => (FQCR.test(name) ? name : `${collection}.${name}`)

/** A group's fully qualified name: a short one is ansible-core's (`aws` -> `ansible.builtin.aws`). */
export const qualifiedGroup = (name: string): string => within('ansible.builtin', name)

/**
 * The group `name` (fully qualified, or short for ansible.builtin's), its actions named by
 * `resolve` (undefined: an action the controller cannot resolve); undefined when there is no such group.
 */
export function resolveActionGroup(
  name: string,
  playbookDir: string,
  resolve: (action: string) => string | undefined,
  seen = new Set<string>(),
): ActionGroup | undefined {
  const fq = qualifiedGroup(name)
  const collection = fq.split('.').slice(0, 2).join('.')
  const entries = runtimeOf(collection, playbookDir)
  const group = entries?.[fq] ?? entries?.[fq.slice(collection.length + 1)]
  if (!Array.isArray(group)) return undefined
  seen.add(fq)
  const members: string[] = []
  const extend: string[] = []
  for (const action of group) {
    if (typeof action === 'string') {
      const fqAction = within(collection, action)
      const resolved = resolve(fqAction)
      if (resolved) members.push(resolved)
      // a task may name it by the short name ansible-core routes to it (`postgresql_ping`): that name too
      const short = fqAction.slice(fqAction.lastIndexOf('.') + 1)
      if (resolved === fqAction && findInstalledModule(short, playbookDir)?.fqcn === fqAction) members.push(short)
      continue
    }
    const more = (action as { metadata?: { extend_group?: unknown } } | null)?.metadata?.extend_group
    for (const g of typeof more === 'string' ? [more] : Array.isArray(more) ? more : []) if (typeof g === 'string') extend.push(g)
  }
  for (const g of extend) {
    const fqg = within(collection, g)
    if (seen.has(fqg)) continue
    members.push(...(resolveActionGroup(fqg, playbookDir, resolve, seen)?.members ?? []))
  }
  return { name: fq, members: [...new Set(members)] }
}
