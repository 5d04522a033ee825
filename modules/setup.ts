/**
 * Ansible's setup: gathers the host's facts (modules/facts/setup/) in one python run and returns
 * them as `ansible_facts`, which the engine stores for the host (engine/run/facts.ts) like any
 * module's `ansible_facts`. Read-only: always ok, and the same in check mode.
 */
import { AcplayError, ModuleFailure } from '../engine/errors.js'
import { setupFacts } from './facts/setup/index.js'
import { defineModule } from './types.js'

export const DEFAULT_FACT_PATH = '/etc/ansible/facts.d'

export const setup = defineModule({
  name: 'setup',
  aliases: ['gather_facts'],
  summary: 'Gathers facts about remote hosts',
  description:
    "Gathers Ansible's facts (distribution, network, hardware, virtualization, python, user, date_time, local facts from fact_path...) with one python3 run on the host, and returns them as `ansible_facts`; every later task sees them as `ansible_facts.*` and as `ansible_*` variables. The play's implicit fact gathering runs this module. `devices`, `device_links` and ethtool features are not gathered; facter and ohai are accepted as subsets and gather nothing.",
  params: {
    gather_subset: {
      type: 'list',
      elements: 'str',
      default: ['all'],
      description: 'all, min, hardware, network, virtual, a collector or fact name; `!name` excludes it (min is always gathered)',
    },
    gather_timeout: { type: 'int', default: 10, description: 'seconds a command of the gathering may run before it is given up' },
    filter: { type: 'list', elements: 'str', default: [], description: 'glob patterns of the facts to return (`ansible_*_mb`, `distribution*`)' },
    fact_path: { type: 'path', default: DEFAULT_FACT_PATH, description: 'directory of local facts (*.fact: JSON or INI, run when executable)' },
  },
  returns: { ansible_facts: 'the facts, named as Ansible names them (ansible_os_family, ansible_default_ipv4, ansible_local, ...)' },
  examples: `
- name: Only the network facts
  setup:
    gather_subset: ['!all', network]

- name: Memory facts only
  setup:
    filter: ['ansible_*_mb']
`,
  async plan(p, ctx) {
    const interpreter = ctx.vars.ansible_python_interpreter
    const python = typeof interpreter === 'string' && interpreter ? interpreter : 'python3'
    let facts: Record<string, unknown>
    try {
      facts = await ctx.fact(setupFacts, { gatherSubset: p.gather_subset, gatherTimeout: p.gather_timeout, filter: p.filter, factPath: p.fact_path, python })
    } catch (e) {
      // an unreachable host or a refused sudo stays what it is; a gathering that ran and failed fails the task
      if (e instanceof AcplayError) throw e
      throw new ModuleFailure((e as Error).message)
    }
    // Ansible's interpreter discovery reports the interpreter it found alongside the facts
    const python_ = facts.ansible_python as { executable?: string } | undefined
    if (python === 'python3' && python_?.executable) facts.discovered_interpreter_python = python_.executable
    return { kind: 'ok', reason: `${Object.keys(facts).length} facts gathered`, data: { ansible_facts: facts } }
  },
})
