/**
 * Playbook loading: YAML -> validated Play[] (see types.ts), every error with file:line:col.
 * `import_playbook` entries are loaded inline; include_tasks / include_role are loaded by the run
 * loop when reached, through loadIncludedTasks / loadIncludedRole below.
 */
import { mergeMarked } from '../vars/unsafe.js'
import path from 'node:path'
import { AcplayError } from '../errors.js'
import { findTaskFile } from '../run/find-file.js'
import { isMap, isSeq, type Node } from 'yaml'
import { newPlayScope, registryOf, type LoadOptions, type Registry, type TaskScope } from './context.js'
import { conditions, isTemplate, mapping, str, tags } from './keywords.js'
import { loadPlay } from './play.js'
import { roleBlock } from './roles.js'
import { loadTaskFile } from './tasks.js'
import type { BlockTask, Handler, IncludeRoleTask, IncludeTasksTask, Play, Playbook, Task } from './types.js'
import { describeNode, entries, fail, isNull, parseYaml, posOf, readYaml, type Source } from '../yaml-source.js'

export type { LoadOptions } from './context.js'

const IMPORT_PLAYBOOK = new Set(['import_playbook', 'ansible.builtin.import_playbook'])

export async function loadPlaybook(file: string, opts: LoadOptions = {}): Promise<Playbook> {
  const abs = path.resolve(file)
  return { file: abs, dir: path.dirname(abs), plays: playsOf(readYaml(abs), registryOf(opts), opts.rolesPath ?? [], []) }
}

/** The same from text (tests, stdin); `file` names it in errors and anchors relative paths. */
export function loadPlaybookText(text: string, file: string, opts: LoadOptions = {}): Playbook {
  const abs = path.resolve(file)
  return { file: abs, dir: path.dirname(abs), plays: playsOf(parseYaml(text, abs), registryOf(opts), opts.rolesPath ?? [], []) }
}

function playsOf(src: Source, registry: Registry, rolesPath: string[], stack: string[]): Play[] {
  const root = src.doc.contents as Node | null
  if (isNull(root)) throw fail(src, root, 'playbook is empty')
  if (!isSeq(root)) throw fail(src, root, `a playbook must be a list of plays, got ${describeNode(root)}`)
  const chain = [...stack, src.file]
  return root.items.flatMap((n) => {
    const node = n as Node
    const imp = isMap(node) ? entries(src, node).find((e) => IMPORT_PLAYBOOK.has(e.key)) : undefined
    if (!imp) return [loadPlay(src, node, registry, rolesPath)]
    return importPlaybook(src, node, imp.value, registry, rolesPath, chain)
  })
}

/**
 * `- import_playbook: other.yml` (relative to the importing playbook, nested imports too) with
 * optional `vars` (over the plays' own), `tags` (added) and `when` (on every task of its plays).
 */
function importPlaybook(src: Source, node: Node, value: Node | null, registry: Registry, rolesPath: string[], chain: string[]): Play[] {
  const es = entries(src, node as never)
  let vars: Record<string, unknown> = {}
  let extraTags: string[] = []
  let when: string[] = []
  for (const { key, keyNode, value: v } of es) {
    if (IMPORT_PLAYBOOK.has(key) || key === 'name') continue
    else if (key === 'vars') vars = mapping(src, key, v)
    else if (key === 'tags') extraTags = tags(src, v)
    else if (key === 'when') when = conditions(src, key, v)
    else throw fail(src, keyNode, `'${key}' is not supported on import_playbook (supported: vars, tags, when)`)
  }
  const pos = posOf(src, node)
  const guarded = (list: Task[]): Task[] =>
    when.length && list.length ? [{ kind: 'block', pos, when, tags: [], vars: {}, block: list, rescue: [], always: [] }] : list
  const rel = str(src, 'import_playbook', value)
  if (isTemplate(rel)) throw fail(src, value, `import_playbook needs a fixed file name, got '${rel}'`)
  const file = path.resolve(path.dirname(src.file), rel)
  if (chain.includes(file)) throw fail(src, value, `import_playbook cycle: ${[...chain, file].join(' -> ')}`)
  return playsOf(readYaml(file), registry, rolesPath, chain).map((p) => ({
    ...p,
    vars: mergeMarked([p.vars, vars]),
    tags: [...new Set([...p.tags, ...extraTags])],
    pre_tasks: guarded(p.pre_tasks),
    roles: guarded(p.roles),
    tasks: guarded(p.tasks),
    post_tasks: guarded(p.post_tasks),
    handlers: p.handlers.map((h) => ({ ...h, when: [...when, ...h.when] })),
  }))
}

/** What the run loop knows about where an include sits. */
export interface IncludeContext extends LoadOptions {
  /** the play's directory (Play.dir): roles are searched from here */
  playDir: string
  /** the roles and role handlers the play has loaded (Play.seen): a dependency that ran is not run again, as in Ansible */
  seen?: Play['seen']
  /** the play's `collections:` (Play.collections) */
  collections?: string[]
}

function runtimeScope(ctx: IncludeContext, task: IncludeTasksTask | IncludeRoleTask, file: string): TaskScope {
  const play = newPlayScope(registryOf(ctx), ctx.playDir, ctx.rolesPath ?? [])
  if (ctx.seen) Object.assign(play, { rolesSeen: ctx.seen.roles, handlersSeen: ctx.seen.handlers })
  if (ctx.collections) play.collections = ctx.collections
  const src: Source = parseYaml('', file)
  return { play, src, baseDir: task.baseDir, role: task.role, stack: [] }
}

/** An include_tasks file that is not there (the include's error, named at its line). */
export class IncludedFileMissing extends AcplayError {}

/**
 * Loads an include_tasks file when the run reaches it; `file` is the task's file, already templated.
 * Returns the tasks (carrying the including task's role) and the handlers of roles they import.
 */
export function loadIncludedTasks(task: IncludeTasksTask, file: string, ctx: IncludeContext): { tasks: Task[]; handlers: Handler[]; file: string } {
  // a missing file is the include's error: named at the include_tasks line, with the places tried
  const where = { ...task.pos, task: task.name }
  let full: string
  try {
    full = findTaskFile(file, { role: task.role, taskFile: task.pos.file, playDir: ctx.playDir })
  } catch (e) {
    throw e instanceof AcplayError ? new IncludedFileMissing('E_PLAYBOOK', `include_tasks: ${e.message}`, where) : e
  }
  const scope = runtimeScope(ctx, task, task.pos.file)
  return { tasks: loadTaskFile(scope, full), handlers: scope.play.handlers, file: full }
}

/**
 * Loads an include_role when reached; `roleName` is task.roleName, already templated. The block has
 * no keywords of its own (the include's are the run loop's to apply). Its handlers are added once per
 * role instance (roles.ts roleBlock).
 */
export function loadIncludedRole(task: IncludeRoleTask, roleName: string, ctx: IncludeContext): { block: BlockTask; handlers: Handler[] } {
  const scope = runtimeScope(ctx, task, task.pos.file)
  const ref = {
    name: roleName,
    node: { file: task.pos.file, line: task.pos.line, col: task.pos.col },
    params: {},
    tasks_from: task.tasks_from,
    vars_from: task.vars_from,
    defaults_from: task.defaults_from,
    handlers_from: task.handlers_from,
    rolespec_validate: task.rolespec_validate,
    includeVars: task.vars ?? {},
  }
  const block = roleBlock(scope, ref, { pos: task.pos, when: [], tags: [], vars: {} }, false, 'include')!
  return { block, handlers: scope.play.handlers }
}
