/** What the loaders share: the module registry hooks, the per-play role bookkeeping, where a file sits. */
import { builtinModules, moduleNames, resolveModuleName } from '../../modules/index.js'
import type { ModuleSpec } from '../../modules/types.js'
import type { Handler, RoleContext } from './types.js'
import type { Source } from '../yaml-source.js'
import type { ModuleDefaults } from './module-defaults.js'

export interface LoadOptions {
  /** a module registry to use instead of the built-in one (the hooks below override it) */
  modules?: Record<string, ModuleSpec>
  /** canonical name for a short name, alias or FQCN (default: the built-in registry) */
  resolveModule?: (name: string) => string | undefined
  /** every name a module answers to, for "did you mean" */
  moduleNames?: () => string[]
  getModuleSpec?: (name: string) => ModuleSpec | undefined
  /** extra role directories, searched after <playbook dir>/roles and <playbook dir> */
  rolesPath?: string[]
}

export interface Registry {
  resolveModule(name: string): string | undefined
  moduleNames(): string[]
  getModuleSpec(name: string): ModuleSpec | undefined
}

export function registryOf(opts: LoadOptions): Registry {
  const registry = opts.modules ?? builtinModules
  return {
    resolveModule: opts.resolveModule ?? ((n) => resolveModuleName(n, registry)),
    moduleNames: opts.moduleNames ?? (() => [...moduleNames(registry).keys()]),
    getModuleSpec: opts.getModuleSpec ?? ((n) => registry[n]),
  }
}

/** State for one play: roles already loaded (Ansible runs a role once per play unless its params differ). */
export interface PlayScope {
  registry: Registry
  /** directory of the top-level playbook (roles/ lives here) */
  playbookDir: string
  rolesPath: string[]
  handlers: Handler[]
  /** role identity (dir + params) -> loaded */
  rolesSeen: Set<string>
  handlersSeen: Set<string>
  /** play `module_defaults`, by canonical module name: their keys count as given when validating args */
  moduleDefaults: ModuleDefaults
  /** the play's `collections:`: where a role's short name is also looked for */
  collections: string[]
}

/** Where a task list sits: its file, the dir relative includes resolve against, its role. */
export interface TaskScope {
  play: PlayScope
  src: Source
  baseDir: string
  role?: RoleContext
  /** files being imported, to catch import cycles */
  stack: string[]
  /** loading a `handlers:` list (`listen` is valid) */
  inHandlers?: boolean
  /** inside a block or import with a `when`: whether its tasks run is known only then */
  conditional?: boolean
  /** the enclosing blocks', imports' and role entry's module_defaults (the play's are PlayScope's) */
  moduleDefaults?: ModuleDefaults
}

export function newPlayScope(registry: Registry, playbookDir: string, rolesPath: string[] = []): PlayScope {
  return { registry, playbookDir, rolesPath, handlers: [], rolesSeen: new Set(), handlersSeen: new Set(), moduleDefaults: {}, collections: [] }
}
