/**
 * Modules acplay lacks, found where Ansible would find them on the controller: ansible-core's own
 * (`ansible/modules/X.py`), a collection's in the collections paths or on Python's path
 * (`ansible_collections/ns/coll/plugins/modules/X.py`), following Ansible's routing
 * (`config/ansible_builtin_runtime.yml`: `docker_container` -> community.docker.docker_container;
 * a collection's `meta/runtime.yml`). Such a module runs as Ansible runs it (ansible-style.ts),
 * unless Ansible runs it through an action plugin of the same name, which is controller code
 * acplay does not run.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { collectionsPaths, collectionsRoot, PYTHON_COLLECTIONS_DIRS } from '../config/search-dirs.js'
import { PYTHONS } from './module-utils.js'

export interface InstalledModule {
  /** `ansible.builtin.X` or `ns.coll.X`, after routing */
  fqcn: string
  /** the module's source */
  file: string
  /** the collection it is in (undefined: ansible-core's own) and where that is installed */
  collection?: { name: string; dir: string }
  /** the action plugin Ansible runs it through, when there is one */
  actionPlugin?: string
  /** a PowerShell module (the .py beside it is its documentation) */
  windows?: boolean
}

interface Located {
  /** ansible-core's package directory (`.../ansible`) */
  core?: string
  /** the Python that has it */
  python?: string
  /** the entries of Python's path that hold `ansible_collections/` (Ansible finds collections there too) */
  collectionsOnPath: string[]
}

let located: Located | undefined

/** Where the controller's Python has ansible-core, asked once per process (only when a module acplay lacks is named). */
function locate(): Located {
  if (located) return located
  const script =
    'import json, os, sys\ntry:\n import ansible\n core = os.path.dirname(ansible.__file__)\nexcept ImportError:\n core = None\nprint(json.dumps({"core": core, "sysPath": sys.path}))'
  for (const python of PYTHONS) {
    try {
      const out = JSON.parse(execFileSync(python, ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as {
        core: string | null
        sysPath: string[]
      }
      if (!out.core && python !== PYTHONS[PYTHONS.length - 1]) continue
      located = {
        core: out.core ?? undefined,
        python: out.core ? python : undefined,
        collectionsOnPath: out.sysPath.filter((p) => p.startsWith('/') && existsSync(join(p, 'ansible_collections'))),
      }
      return located
    } catch {
      // no such python
    }
  }
  located = { collectionsOnPath: [] }
  return located
}

type Routing = Record<string, { redirect?: string; tombstone?: { removal_version?: string; removal_date?: string; warning_text?: string } } | undefined>

/** A module name Ansible's routing says was removed: Ansible's words for it. */
interface Removed {
  removed: string
}
const routings = new Map<string, Routing>()

/** A runtime.yml's `plugin_routing.modules`, read once per file. */
function routing(file: string): Routing {
  let r = routings.get(file)
  if (!r) {
    try {
      const doc = parse(readFileSync(file, 'utf8')) as { plugin_routing?: { modules?: Routing } } | null
      r = doc?.plugin_routing?.modules ?? {}
    } catch {
      r = {}
    }
    routings.set(file, r)
  }
  return r
}

/** ansible-core's package directory on the controller (`.../ansible`), if its Python has one. */
export function ansibleCoreDir(): string | undefined {
  return locate().core
}

/** The controller's Python that has ansible-core, if one has. */
export function pythonWithAnsible(): string | undefined {
  return locate().python
}

/**
 * The directories holding collections, in Ansible's order: the collections paths, then Python's path
 * (Debian's bundle, and any entry of the controller's sys.path with an `ansible_collections/`).
 */
export function collectionDirs(playbookDir: string): string[] {
  return [...new Set([...collectionsPaths(playbookDir), ...PYTHON_COLLECTIONS_DIRS, ...locate().collectionsOnPath])]
}

const FQCN = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/

/**
 * The module Ansible would run for `name` (short, `ansible.builtin.`/`ansible.legacy.` or FQCN),
 * a short name looked for first in `collections` (the task's role's collection, the play's
 * `collections:`); undefined when the controller has no such module.
 */
export function findInstalledModule(name: string, playbookDir: string, collections: string[] = []): InstalledModule | undefined {
  const r = route(name, playbookDir, collections, 0)
  return r && 'file' in r ? r : undefined
}

/** Why Ansible refuses `name`, when its routing says the module was removed (a tombstone). */
export function removedModule(name: string, playbookDir: string, collections: string[] = []): string | undefined {
  const r = route(name, playbookDir, collections, 0)
  return r && 'removed' in r ? r.removed : undefined
}

function route(name: string, playbookDir: string, collections: string[], hops: number): InstalledModule | Removed | undefined {
  if (hops > 5) return undefined
  const short = /^ansible\.(builtin|legacy)\.(\w+)$/.exec(name)?.[2]
  if (short || !name.includes('.')) {
    const n = short ?? name
    if (!short) {
      for (const c of collections) {
        const found = inCollection(`${c}.${n}`, playbookDir, hops)
        if (found) return found
      }
    }
    const { core } = locate()
    if (!core) return undefined
    const file = join(core, 'modules', `${n}.py`)
    if (existsSync(file)) return withAction({ fqcn: `ansible.builtin.${n}`, file }, join(core, 'plugins', 'action', `${n}.py`))
    return follow(routing(join(core, 'config', 'ansible_builtin_runtime.yml'))[n], `ansible.builtin.${n}`, 'ansible.builtin', playbookDir, hops)
  }
  return inCollection(name, playbookDir, hops)
}

/** `ns.coll.X` in the first directory that has collection ns.coll (as Ansible picks the collection, then the module). */
function inCollection(fqcn: string, playbookDir: string, hops: number): InstalledModule | Removed | undefined {
  const m = FQCN.exec(fqcn)
  if (!m) return undefined
  const [, ns, coll, n] = m as unknown as [string, string, string, string]
  const dir = collectionDir(`${ns}.${coll}`, playbookDir)
  if (!dir) return undefined
  const file = join(dir, 'plugins', 'modules', `${n}.py`)
  if (existsSync(file)) return withAction({ fqcn, file, collection: { name: `${ns}.${coll}`, dir } }, join(dir, 'plugins', 'action', `${n}.py`))
  return follow(routing(join(dir, 'meta', 'runtime.yml'))[n], fqcn, `${ns}.${coll}`, playbookDir, hops)
}

/** A routing entry: its redirect followed, or its tombstone in Ansible's words. */
function follow(entry: Routing[string], fqcn: string, collection: string, playbookDir: string, hops: number): InstalledModule | Removed | undefined {
  const t = entry?.tombstone
  if (t) {
    const when = t.removal_version ? ` in version ${t.removal_version}` : t.removal_date ? ` after ${t.removal_date}` : ''
    return {
      removed: `${fqcn} has been removed.${t.warning_text ? ` ${t.warning_text}` : ''} This feature was removed from ${collection}${when}. Please update your playbooks.`,
    }
  }
  return entry?.redirect && entry.redirect !== fqcn ? route(entry.redirect, playbookDir, [], hops + 1) : undefined
}

/** Where collection `ns.coll` is installed: the first of the directories holding collections that has it. */
export function collectionDir(collection: string, playbookDir: string): string | undefined {
  const [ns, coll] = collection.split('.') as [string, string]
  return collectionDirs(playbookDir)
    .map((p) => join(collectionsRoot(p), ns, coll))
    .find((d) => existsSync(join(d, 'plugins')) || existsSync(join(d, 'meta', 'runtime.yml')))
}

function withAction(m: InstalledModule, action: string): InstalledModule {
  const windows = existsSync(m.file.replace(/\.py$/, '.ps1'))
  return { ...m, ...(existsSync(action) ? { actionPlugin: action } : {}), ...(windows ? { windows } : {}) }
}
