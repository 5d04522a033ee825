/** Where `src:` of copy/template is looked up on the control machine, as Ansible does. */
import { existsSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { ModuleFailure } from '../errors.js'
import type { RoleContext } from '../playbook/types.js'

export function findFile(path: string, kind: 'files' | 'templates', playbookDir: string, role?: RoleContext): string {
  if (isAbsolute(path)) return path
  const candidates = [...(role ? [join(role.dir, kind, path), join(role.dir, path)] : []), join(playbookDir, kind, path), join(playbookDir, path)]
  const found = candidates.find((c) => existsSync(c))
  if (!found) throw new ModuleFailure(`could not find '${path}' (looked in: ${candidates.join(', ')})`)
  return found
}
