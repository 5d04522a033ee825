/** Where `src:` of copy/template (and a lookup's relative path) is looked up on the control machine, as Ansible does. */
import { existsSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { ModuleFailure } from '../errors.js'
import type { RoleContext } from '../playbook/types.js'

export type FileKind = 'files' | 'templates' | 'vars'

/** Every place a relative `path` is looked for, in order (an absolute one is itself). */
export function fileCandidates(path: string, kind: FileKind, playbookDir: string, role?: RoleContext): string[] {
  if (isAbsolute(path)) return [path]
  return [...(role ? [join(role.dir, kind, path), join(role.dir, path)] : []), join(playbookDir, kind, path), join(playbookDir, path)]
}

export function findFile(path: string, kind: FileKind, playbookDir: string, role?: RoleContext): string {
  if (isAbsolute(path)) return path
  const candidates = fileCandidates(path, kind, playbookDir, role)
  const found = candidates.find((c) => existsSync(c))
  if (!found) throw new ModuleFailure(`could not find '${path}' (looked in: ${candidates.join(', ')})`)
  return found
}
