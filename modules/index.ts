/**
 * The module registry: a plain object of built-in modules, plus Ansible's names for them
 * (FQCNs like ansible.builtin.copy, community.postgresql.postgresql_user, and each module's aliases).
 */
import { apt } from './apt.js'
import { command } from './command.js'
import { copy } from './copy.js'
import { file } from './file.js'
import { group } from './group.js'
import { lineinfile } from './lineinfile.js'
import { ping } from './ping.js'
import { pip } from './pip.js'
import { postgresDb } from './postgres/db.js'
import { postgresHba } from './postgres/hba.js'
import { postgresSet } from './postgres/set.js'
import { postgresUser } from './postgres/user.js'
import { setup } from './setup.js'
import { shell } from './shell.js'
import { systemd } from './systemd.js'
import { template } from './template.js'
import type { ModuleSpec } from './types.js'
import { user } from './user.js'
import { venv } from './venv.js'

const all = [
  apt,
  command,
  copy,
  file,
  group,
  lineinfile,
  ping,
  pip,
  postgresDb,
  postgresHba,
  postgresSet,
  postgresUser,
  setup,
  shell,
  systemd,
  template,
  user,
  venv,
] as ModuleSpec[]

export const builtinModules: Record<string, ModuleSpec> = Object.fromEntries(all.map((m) => [m.name, m]))

const FQCN_PREFIXES = ['ansible.builtin.', 'ansible.legacy.', 'community.general.', 'community.postgresql.', 'ansible.posix.']

/** Every name a module answers to, mapped to its canonical name. */
export function moduleNames(registry: Record<string, ModuleSpec> = builtinModules): Map<string, string> {
  const names = new Map<string, string>()
  for (const [name, spec] of Object.entries(registry)) {
    for (const n of [name, ...(spec.aliases ?? [])]) names.set(n, name)
  }
  return names
}

/** The canonical name for `name` (short, alias or FQCN), or undefined. */
export function resolveModuleName(name: string, registry: Record<string, ModuleSpec> = builtinModules): string | undefined {
  const names = moduleNames(registry)
  if (names.has(name)) return names.get(name)
  for (const p of FQCN_PREFIXES) if (name.startsWith(p) && names.has(name.slice(p.length))) return names.get(name.slice(p.length))
  return undefined
}
