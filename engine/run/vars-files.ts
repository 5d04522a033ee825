/**
 * A play's `vars_files`, as Ansible's VariableManager reads them: each entry is a file, or a list
 * of files of which the first one found is read (with_first_found's way); names are templated with
 * the host's variables (role defaults, inventory, facts, play vars, -e), so
 * `vars/{{ ansible_os_family }}.yml` works once facts are gathered; a relative name is looked for in
 * the play's `vars/`, then its dir (find-file.ts). Entries without a template are read once per
 * play; the others per host, again when the host's facts change.
 */
import { existsSync, readFileSync } from 'node:fs'
import { AcplayError, playbookError } from '../errors.js'
import type { Play } from '../playbook/types.js'
import { mergeVars } from '../vars/precedence.js'
import { templateValue } from '../vars/template.js'
import { readYamlData } from '../yaml-source.js'
import type { PlayContext, RunContext } from './context.js'
import { candidates } from './find-file.js'
import { factVars } from './host-facts.js'
import type { HostState } from './host-state.js'

const isDynamic = (entry: string | string[]) => (Array.isArray(entry) ? entry : [entry]).some((f) => f.includes('{{') || f.includes('{%'))

function readVarsFile(path: string, play: Play): Record<string, unknown> {
  let data: unknown
  try {
    data = readYamlData(readFileSync(path, 'utf8'), path)
  } catch (e) {
    if (e instanceof AcplayError) throw e
    throw playbookError(`vars_files: cannot load ${path}: ${e instanceof Error ? e.message : String(e)}`, play.pos)
  }
  if (data && (typeof data !== 'object' || Array.isArray(data))) throw playbookError(`vars_files: ${path} must be a mapping`, play.pos)
  return (data ?? {}) as Record<string, unknown>
}

/**
 * The variables of the entries, in order. No file found is an error naming the entry. A name that
 * needs a variable not defined yet is skipped until facts are gathered (`factsGathered`), as
 * Ansible does (the play's own pass and the Gathering Facts task see it skipped), an error after.
 */
function load(
  rc: RunContext,
  play: Play,
  entries: readonly (string | string[])[],
  vars: Record<string, unknown>,
  host?: string,
  factsGathered = false,
): Record<string, unknown> {
  const playDir = play.dir ?? rc.playbook.dir
  const where = { file: play.pos.file, line: play.pos.line, ...(host ? { host } : {}) }
  let out: Record<string, unknown> = {}
  for (const entry of entries) {
    const names: string[] = []
    try {
      for (const f of Array.isArray(entry) ? entry : [entry]) names.push(String(templateValue(f, vars, where)))
    } catch (e) {
      if (!factsGathered && e instanceof AcplayError && e.code === 'E_UNDEFINED_VAR') continue
      throw e
    }
    const tried = names.flatMap((n) => candidates(n, 'vars', { playDir }))
    const found = tried.find((p) => existsSync(p))
    if (!found) throw playbookError(`vars_files: none of ${names.map((n) => `'${n}'`).join(', ')} was found (searched: ${tried.join(', ')})`, where)
    out = { ...out, ...readVarsFile(found, play) }
  }
  return out
}

/** The play's pass, before hosts: every entry without a template, and templated ones that render with the play's vars and -e. */
export function playVarsFiles(rc: RunContext, play: Play): Record<string, unknown> {
  return load(rc, play, play.vars_files, { playbook_dir: play.dir ?? rc.playbook.dir, ...play.vars, ...rc.opts.extraVars })
}

const perHost = new WeakMap<HostState, { pc: PlayContext; stamp: object; vars: Record<string, unknown> }>()

/** The vars_files layer for a host: the play's when no entry is templated, else read with the host's variables. */
export function hostVarsFiles(pc: PlayContext, host: HostState): Record<string, unknown> {
  const entries = pc.play.vars_files
  if (!entries.some(isDynamic)) return pc.varsFiles
  const facts = factVars(pc.run, host)
  const memo = perHost.get(host)
  if (memo && memo.pc === pc && memo.stamp === facts) return memo.vars
  const base = mergeVars({
    roleDefaults: [pc.roleDefaults],
    inventory: pc.run.inventory.hostVars(host.name),
    hostFacts: facts,
    play: pc.playVars,
    extra: pc.run.opts.extraVars,
  })
  const withHost = { ...base, inventory_hostname: host.name, playbook_dir: pc.play.dir ?? pc.run.playbook.dir }
  const vars = load(pc.run, pc.play, entries, withHost, host.name, host.hostFacts.module_setup === true)
  perHost.set(host, { pc, stamp: facts, vars })
  return vars
}
