/**
 * Where a relative control-side file is looked up, as Ansible's DataLoader.path_dwim_relative_stack
 * does: for each dir of the task's search path (its role, the roles that pulled that role in, then
 * the dir of the file the task is written in), `DIR/KIND/FILE` then `DIR/FILE`; last the play's dir
 * the same way. KIND is `files` (copy, unarchive, the file lookup), `templates`, `vars`
 * (include_vars) or `tasks`. The one home of this rule: modules, include_vars and lookups (through
 * their LookupContext, engine/run/scope.ts) call it.
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { AcplayError, type Location } from '../errors.js'
import type { RoleContext } from '../playbook/types.js'
import type { TaskRun } from './scope.js'

export type FileKind = 'files' | 'templates' | 'vars' | 'tasks' | 'handlers'

/** What a task's file search depends on. */
export interface SearchContext {
  /** the task's role; its `parents` (the roles that pulled it in) are searched after it */
  role?: RoleContext
  /** the file the task is written in (its dir is searched after the roles') */
  taskFile?: string
  /** the play's dir (Ansible's basedir), searched last */
  playDir: string
  /** the task's file:line, for the not-found error */
  where?: Location
}

/** A task's search context: its role, its file, its play's dir. */
export function searchContext({ pc, task, scope, where }: Pick<TaskRun, 'pc' | 'task' | 'scope' | 'where'>): SearchContext {
  return { role: task.role ?? scope.role, taskFile: task.pos.file, playDir: pc.play.dir ?? pc.run.playbook.dir, where }
}

/** Ansible's `ansible_search_path`: the role dirs (the role, then its parents), the task file's dir, the play's dir. */
export function searchPath(ctx: SearchContext): string[] {
  const out: string[] = []
  for (let r: RoleContext | undefined = ctx.role; r; r = r.parents?.[0]) if (!out.includes(r.dir)) out.push(r.dir)
  const taskDir = ctx.taskFile ? dirname(resolve(ctx.taskFile)) : undefined
  if (taskDir && !out.includes(taskDir)) out.push(taskDir)
  // the play's dir last, as Ansible shows it (its file search tries it last anyway)
  if (!out.includes(ctx.playDir)) out.push(ctx.playDir)
  return out
}

/** The dirs a relative file of `kind` is looked for in, in order (duplicates dropped). */
export function searchPaths(kind: FileKind, ctx: SearchContext): string[] {
  return dirsFor(kind, searchPath(ctx), ctx.playDir)
}

function dirsFor(kind: FileKind, path: readonly string[], playDir: string): string[] {
  return [...new Set([...path, playDir].flatMap((d) => [join(d, kind), d]))]
}

const expandHome = (p: string) => (p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p)

/** The places `path` is looked for, in order: itself when absolute (or `~`), else under each search dir. */
export function candidates(path: string, kind: FileKind, ctx: SearchContext): string[] {
  const p = expandHome(path)
  if (isAbsolute(p)) return [p]
  return searchPaths(kind, ctx).map((d) => join(d, p))
}

/** The first existing candidate; else the error names the task and every place tried (never a raw ENOENT). */
export function findFile(path: string, kind: FileKind, ctx: SearchContext): string {
  const tried = candidates(path, kind, ctx)
  const found = tried.find((c) => existsSync(c))
  if (found) return found
  throw new AcplayError('E_FILE_NOT_FOUND', notFoundMessage(path, tried), ctx.where)
}

/**
 * include_vars `dir:` (Ansible's _set_root_dir): in a role, under the role's vars/ (a path already
 * starting with vars/ is the role's own); outside one, beside the task's file.
 */
export function varsDir(dir: string, ctx: SearchContext): string {
  const p = expandHome(dir)
  if (isAbsolute(p)) return p
  if (ctx.role) return join(ctx.role.dir, p.startsWith('vars/') ? '' : 'vars', p)
  return join(ctx.taskFile ? dirname(resolve(ctx.taskFile)) : ctx.playDir, p)
}

export function notFoundMessage(path: string, tried: string[]): string {
  return `could not find or access '${path}' (searched: ${tried.join(', ')})`
}

/**
 * A task file named by include_tasks / import_tasks (Ansible's included_file.py and helpers.py):
 * in a role, the role's tasks/ (handlers/ for a handler) first, then beside the including file,
 * then the role dir; outside a role, beside the including file; last the play's dir.
 */
export function taskFileCandidates(file: string, ctx: SearchContext & { handler?: boolean }): string[] {
  const p = expandHome(file)
  if (isAbsolute(p)) return [p]
  const here = ctx.taskFile ? dirname(resolve(ctx.taskFile)) : ctx.playDir
  const role = ctx.role ? [join(ctx.role.dir, ctx.handler ? 'handlers' : 'tasks', p)] : []
  const out = [...role, join(here, p), ...(ctx.role ? [join(ctx.role.dir, p)] : []), join(ctx.playDir, p)]
  return [...new Set(out)]
}

export function findTaskFile(file: string, ctx: SearchContext & { handler?: boolean }): string {
  const tried = taskFileCandidates(file, ctx)
  const found = tried.find((c) => existsSync(c))
  if (found) return found
  throw new AcplayError('E_FILE_NOT_FOUND', notFoundMessage(file, tried), ctx.where)
}
