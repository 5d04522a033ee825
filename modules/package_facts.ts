/**
 * package_facts: the installed packages as Ansible's ansible_facts.packages (name -> list of
 * { name, version, arch, category, origin, source }), from dpkg and apt. Read-only: it plans ok with
 * the data. In check mode a listed package an earlier apt task would remove or upgrade shows as it
 * would then (packages it would newly install cannot be listed: the effects are looked up by name).
 */
import { ModuleFailure } from '../engine/errors.js'
import type { AptPackage } from './facts/apt.js'
import { installedPackages } from './facts/packages.js'
import { defineModule, type Plan } from './types.js'

const MANAGERS = ['auto', 'rpm', 'apt', 'portage', 'pkg', 'pacman', 'apk', 'pkg_info']

export const packageFacts = defineModule({
  name: 'package_facts',
  aliases: ['ansible.builtin.package_facts'],
  summary: 'Package information as facts',
  description: 'Returns the installed packages in ansible_facts.packages. Debian and Ubuntu hosts (the apt manager).',
  params: {
    manager: {
      type: 'list',
      elements: 'str',
      default: ['auto'],
      description: 'Package managers to ask: auto or apt (the others are not usable on the hosts acplay supports).',
    },
    strategy: { type: 'str', default: 'first', choices: ['first', 'all'], description: 'first: the first usable manager only; all: every usable one.' },
  },
  returns: { ansible_facts: 'packages: name -> [ { name, version, arch, category, origin, source } ]' },
  examples: `
- ansible.builtin.package_facts:
- debug:
    msg: "nginx {{ ansible_facts.packages['nginx'][0].version }}"
  when: "'nginx' in ansible_facts.packages"
`,
  async plan(p, ctx): Promise<Plan> {
    const asked = p.manager.map((m) => m.toLowerCase())
    const unsupported = asked.filter((m) => !MANAGERS.includes(m))
    if (unsupported.length)
      throw new ModuleFailure(
        asked.includes('auto')
          ? 'Could not auto detect a usable package manager, check warnings for details.'
          : `Unsupported package managers requested: ${unsupported.join(', ')}`,
      )
    const tried = [...new Set(asked.flatMap((m) => (m === 'auto' ? MANAGERS.slice(1) : [m])))]
    const packages = tried.includes('apt') ? await ctx.fact(installedPackages) : null
    if (!packages)
      throw new ModuleFailure(
        `Could not detect a supported package manager from the following list: ${JSON.stringify(tried)}, or the required Python library is not installed. Check warnings for details.`,
      )
    for (const name of Object.keys(packages)) {
      const e = ctx.effect('apt.package', name) as AptPackage | undefined
      if (!e) continue
      if (e.status !== 'installed') delete packages[name]
      else if (e.version) for (const v of packages[name]!) v.version = e.version
    }
    return { kind: 'ok', reason: `${Object.keys(packages).length} packages installed`, data: { ansible_facts: { packages } } }
  },
})
