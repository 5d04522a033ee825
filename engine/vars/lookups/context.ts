/**
 * What lookups need from the run that the variables do not hold: where relative files are found
 * (the task's role, then the play: engine/run/find-file.ts), the controller directory commands run
 * in, the inventory, where secrets and warnings go. The run puts one on the variables a task sees
 * (engine/run/scope.ts, under a symbol key: copied with the variables, invisible to `vars`,
 * `varnames` and JSON); templates evaluated without one get a context rooted at the working directory.
 */
import { existsSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'

/** The subdirectory a relative path is looked up in first: `files` for file lookups, `templates`, `vars` (with_first_found on include_vars). */
export type SearchKind = 'files' | 'templates' | 'vars'

export interface LookupContext {
  /** the playbook's directory: `pipe` and `lines` run there, and the last place relative paths are looked for */
  baseDir: string
  /** every path a relative `path` is looked for at, in order (Ansible's search path) */
  candidates(path: string, kind: SearchKind): string[]
  /** a value no output may show (a generated password) */
  secret(value: string): void
  /** a warning for the run's output (errors='warn') */
  warn(message: string): void
  /** inventory host names matching a host pattern */
  hosts(pattern: string): string[]
}

export const LOOKUP_CONTEXT: unique symbol = Symbol('acplay.lookupContext')

/** For templates evaluated outside a task: relative paths from the working directory. */
function defaultContext(): LookupContext {
  const baseDir = process.cwd()
  return {
    baseDir,
    candidates: (path, kind) => (isAbsolute(path) ? [path] : [join(baseDir, kind, path), join(baseDir, path)]),
    secret: () => {},
    warn: (m) => process.emitWarning(m),
    hosts: () => [],
  }
}

export function lookupContext(vars: Record<string | symbol, unknown> | undefined): LookupContext {
  const ctx = vars?.[LOOKUP_CONTEXT] as LookupContext | undefined
  return ctx ?? defaultContext()
}

/** The first candidate that exists, or undefined (absolute paths as they are). */
export function findIn(ctx: LookupContext, path: string, kind: SearchKind): string | undefined {
  if (path.startsWith('~')) path = path.replace(/^~(?=$|\/)/, process.env.HOME ?? '~')
  if (isAbsolute(path)) return existsSync(path) ? resolve(path) : undefined
  return ctx.candidates(path, kind).find((c) => existsSync(c))
}
