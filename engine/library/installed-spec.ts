/**
 * The spec the run uses for a module that acplay lacks: the controller's Ansible has it
 * (installed-ansible.ts), so it runs as Ansible runs it (ansible-style.ts); else the reason it
 * cannot run, which the task fails with where it runs.
 */
import type { ModuleSpec } from '../../modules/types.js'
import { ansibleStyleModule } from './ansible-style.js'
import { findInstalledModule } from './installed-ansible.js'

const specs = new Map<string, ModuleSpec | { reason: string }>()

export function installedModuleSpec(name: string, playbookDir: string): ModuleSpec | { reason: string } {
  const key = `${playbookDir}\0${name}`
  let spec = specs.get(key)
  if (!spec) {
    spec = specFor(name, playbookDir)
    specs.set(key, spec)
  }
  return spec
}

function specFor(name: string, playbookDir: string): ModuleSpec | { reason: string } {
  const found = findInstalledModule(name, playbookDir)
  if (!found) return { reason: `module '${name}' is not supported by acplay (yet)` }
  if (found.windows) return { reason: `module '${name}' is not supported by acplay: ${found.fqcn} is a PowerShell module for Windows hosts` }
  if (found.actionPlugin)
    return { reason: `module '${name}' is not supported by acplay (yet): Ansible runs ${found.fqcn} through an action plugin on the controller` }
  const spec = ansibleStyleModule(found.file, { name, collection: found.collection, playbookDir })
  return spec ? (spec as ModuleSpec) : { reason: `module '${name}' (${found.file}) is not a module acplay can run` }
}
