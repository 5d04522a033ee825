/**
 * Loads custom modules (see sources.ts for where from) into a registry beside the built-in ones.
 * A module file default-exports (or exports) `defineModule({ name, summary, params, plan })`.
 * Module files are built JavaScript (.js / .mjs): TypeScript sources are compiled first. A `.py`,
 * `.sh` or extension-less program is a module written for Ansible (ansible-style.ts).
 * A custom module never shadows a built-in one or another custom one: that is refused, naming both.
 */
import { readdirSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isEngineAction } from '../actions/names.js'
import { AcplayError } from '../errors.js'
import { builtinModules, resolveModuleName } from '../../modules/index.js'
import { checkSpec, validateParams } from '../../modules/schema.js'
import type { ModuleSpec } from '../../modules/types.js'
import { ANSIBLE_MODULE_FILE, ansibleStyleModule } from './ansible-style.js'
import { packageEntry } from './package-entry.js'
import { librarySources, type LibrarySource } from './sources.js'

export interface LoadedModules {
  /** built-in and custom modules by canonical name: what loadPlaybook and run take */
  modules: Record<string, ModuleSpec>
  /** the custom ones, each with `file` set */
  custom: ModuleSpec[]
}

/** Names a task uses for things other than modules: a module by that name could never run. */
const RESERVED = ['include_tasks', 'import_tasks', 'include_role', 'import_role', 'import_playbook', 'block', 'meta']
const MODULE_EXT = /\.(m?js)$/
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
/** aliases may be FQCNs (acme.web.nginx_site) */
const ALIAS = /^[A-Za-z_][A-Za-z0-9_.]*$/

const libraryError = (msg: string, file?: string) => new AcplayError('E_LIBRARY', msg, { file })

/** The registry for a playbook in `baseDir`: built-in modules plus every custom module found for it. */
export async function loadModules(
  baseDir: string,
  opts: { cwd?: string; builtins?: Record<string, ModuleSpec>; modulePath?: string[] } = {},
): Promise<LoadedModules> {
  return loadLibrary(librarySources(baseDir, opts.cwd, opts.modulePath), opts.builtins)
}

export async function loadLibrary(sources: LibrarySource[], builtins: Record<string, ModuleSpec> = builtinModules): Promise<LoadedModules> {
  const files = new Map<string, string>() // realpath -> origin, each file once
  for (const s of sources) for (const f of moduleFiles(s)) if (!files.has(realpathSync(f))) files.set(realpathSync(f), s.origin)
  const custom: ModuleSpec[] = []
  const owners = new Map<string, ModuleSpec>() // every custom name and alias -> its module
  for (const file of files.keys()) {
    for (const spec of await modulesOf(file)) {
      checkModule(spec)
      for (const n of [spec.name, ...(spec.aliases ?? [])]) {
        const builtin = resolveModuleName(n, builtins)
        if (builtin)
          throw libraryError(
            `module '${n}' in ${file} would shadow the built-in module '${builtin}'; custom modules cannot replace built-in ones: rename it`,
            file,
          )
        if (isEngineAction(n) || RESERVED.includes(n)) throw libraryError(`module name '${n}' in ${file} is a task keyword of acplay; rename it`, file)
        const other = owners.get(n)
        if (other) throw libraryError(`module '${n}' is defined twice: in ${other.file} and in ${file}; rename one`, file)
        owners.set(n, spec)
      }
      custom.push(spec)
    }
  }
  return { modules: { ...builtins, ...Object.fromEntries(custom.map((m) => [m.name, m])) }, custom }
}

function moduleFiles(s: LibrarySource): string[] {
  if (s.kind === 'file') return [s.path]
  if (s.kind === 'package') return [packageEntry(s.name, s.fromDir, s.origin)]
  const names = readdirSync(s.path)
    .filter((n) => !n.startsWith('.') && !n.startsWith('_'))
    .sort()
  for (const n of names) {
    const base = n.replace(/\.(c|m)?ts$/, '')
    if (base !== n && !n.endsWith('.d.ts') && !names.some((m) => m === `${base}.js` || m === `${base}.mjs`)) {
      throw libraryError(`${join(s.path, n)}: acplay loads built JavaScript modules (.js, .mjs); compile this TypeScript file first`, join(s.path, n))
    }
  }
  return names.filter((n) => MODULE_EXT.test(n) || ANSIBLE_MODULE_FILE.test(n)).map((n) => join(s.path, n))
}

/** A file's modules: acplay's (JavaScript), or the one written for Ansible it is (none for a README). */
async function modulesOf(file: string): Promise<ModuleSpec[]> {
  if (MODULE_EXT.test(file)) return importModules(file)
  try {
    const spec = ansibleStyleModule(file)
    return spec ? [spec as ModuleSpec] : []
  } catch (e) {
    throw libraryError(`cannot read module file ${file}: ${e instanceof Error ? e.message : String(e)}`, file)
  }
}

/** Every distinct module spec a file exports (default and named), each a copy carrying `file`. */
async function importModules(file: string): Promise<ModuleSpec[]> {
  let ns: Record<string, unknown>
  try {
    ns = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  } catch (e) {
    throw libraryError(`cannot load module file ${file}: ${e instanceof Error ? e.message : String(e)}`, file)
  }
  const specs = [...new Set(Object.values(ns).filter(isModuleLike))]
  if (specs.length === 0) {
    throw libraryError(`${file} exports no module: export default defineModule({ name, summary, params, plan }) (helper files start with '_')`, file)
  }
  return specs.map((s) => ({ ...s, file }))
}

const isModuleLike = (x: unknown): x is ModuleSpec =>
  !!x && typeof x === 'object' && typeof (x as ModuleSpec).name === 'string' && typeof (x as ModuleSpec).plan === 'function'

/** The spec itself: a usable name, a summary, known param types, defaults of the declared type. */
function checkModule(spec: ModuleSpec): void {
  const bad = (msg: string) => libraryError(`module ${spec.name} (${spec.file}): ${msg}`, spec.file)
  if (!NAME.test(spec.name)) throw bad(`name must be letters, digits and _ (got '${spec.name}')`)
  if (typeof spec.summary !== 'string' || !spec.summary.trim()) throw bad(`a one-line 'summary' is required (acplay doc lists it)`)
  if (!spec.params || typeof spec.params !== 'object') throw bad(`'params' must be an object of argument specs`)
  for (const a of spec.aliases ?? []) if (!ALIAS.test(a)) throw bad(`alias must be letters, digits, _ and . (got '${a}')`)
  checkSpec(spec)
  for (const [name, def] of Object.entries(spec.params)) {
    if (def.default === undefined) continue
    try {
      validateParams({ name: spec.name, params: { [name]: { ...def, required: false } } }, { [name]: def.default })
    } catch (e) {
      throw bad(`default of '${name}' is invalid: ${(e as Error).message}`)
    }
  }
}
