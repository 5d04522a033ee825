/**
 * Host facts, as Ansible keeps them: the one rule for any module result that holds `ansible_facts`
 * (setup, service_facts, package_facts...), the variables they become, the run's fact settings
 * (gathering = implicit|explicit|smart) and the fact cache (memory, or jsonfile with
 * fact_caching_connection / fact_caching_timeout, shared format with Ansible's). The play's
 * "Gathering Facts" task is in facts.ts.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { givenSetting, setting, sourceFor } from '../config/settings.js'
import { AcplayError } from '../errors.js'
import { expanduser } from '../vars/py-path.js'
import type { RunContext } from './context.js'
import type { HostState } from './host-state.js'
import { allUnsafe, assignEntries, setEntry } from '../vars/unsafe.js'

type Facts = Record<string, unknown>

export interface FactSettings {
  gathering: 'implicit' | 'explicit' | 'smart'
  /** ANSIBLE_INJECT_FACT_VARS: facts also as top-level ansible_* variables */
  inject: boolean
  cache?: { dir: string; timeoutS: number; prefix: string }
  gatherSubset?: string[]
  gatherTimeout?: number
  factPath?: string
}

const settingsByRun = new WeakMap<RunContext, FactSettings>()

/** The run's fact settings, from the environment and ansible.cfg (read once per run). */
export function factSettings(rc: RunContext): FactSettings {
  let s = settingsByRun.get(rc)
  if (s) return s
  const src = sourceFor(rc.playbook.dir)
  const bad = (msg: string) => new AcplayError('E_CONFIG', msg, { file: src.cfgFile })
  const plugin = setting('CACHE_PLUGIN', src)!
  if (plugin !== 'memory' && plugin !== 'jsonfile') throw bad(`fact_caching '${plugin}' is not supported by acplay (memory, jsonfile)`)
  const connection = setting('CACHE_PLUGIN_CONNECTION', src)
  if (plugin === 'jsonfile' && !connection) throw bad('fact_caching = jsonfile needs fact_caching_connection (a directory)')
  s = {
    gathering: setting('DEFAULT_GATHERING', src) as FactSettings['gathering'],
    inject: setting('INJECT_FACTS_AS_VARS', src)!,
    cache:
      plugin === 'jsonfile'
        ? {
            dir: expanduser(connection!),
            timeoutS: setting('CACHE_PLUGIN_TIMEOUT', src)!,
            // the jsonfile plugin's own default is no prefix (not the setting's ansible_facts)
            prefix: givenSetting('CACHE_PLUGIN_PREFIX', src) ?? '',
          }
        : undefined,
    gatherSubset: setting('DEFAULT_GATHER_SUBSET', src),
    gatherTimeout: setting('DEFAULT_GATHER_TIMEOUT', src),
    factPath: setting('DEFAULT_FACT_PATH', src),
  }
  settingsByRun.set(rc, s)
  return s
}

// ---- the rule: a result's ansible_facts join the host's facts ----

/** Any module result holding `ansible_facts` (an object) feeds the host's facts; Ansible's rule, in one place. */
export function storeResultFacts(rc: RunContext, host: HostState, data: Record<string, unknown> | undefined): void {
  const facts = data?.ansible_facts
  if (!facts || typeof facts !== 'object' || Array.isArray(facts)) return
  setHostFacts(rc, host, facts as Facts)
}

export function setHostFacts(rc: RunContext, host: HostState, facts: Facts): void {
  host.hostFacts = { ...host.hostFacts, ...facts }
  const cache = factSettings(rc).cache
  if (cache) writeCache(cache, host.name, host.hostFacts)
}

/** meta: clear_facts: the host's facts and its fact cache entry are gone (set_fact and registered values stay, as in Ansible). */
export function clearHostFacts(rc: RunContext, host: HostState): void {
  host.hostFacts = {}
  const cache = factSettings(rc).cache
  if (cache) rmSync(join(cache.dir, `${cache.prefix}${host.name}`), { force: true })
}

const CONNECTION_VARS = new Set([
  'ansible_connection',
  'ansible_module_compression',
  'ansible_shell_type',
  'ansible_shell_executable',
  'ansible_ssh_host',
  'ansible_host',
  'ansible_ssh_user',
  'ansible_user',
  'ansible_ssh_pass',
  'ansible_password',
  'ansible_ssh_port',
  'ansible_port',
  'ansible_ssh_pipelining',
  'ansible_pipelining',
  'ansible_ssh_timeout',
  'ansible_timeout',
  'ansible_ssh_private_key_file',
  'ansible_private_key_file',
  'ansible_network_os',
  'ansible_connection_user',
  'ansible_ssh_executable',
  'ansible_ssh_common_args',
  'ansible_sftp_extra_args',
  'ansible_scp_extra_args',
  'ansible_ssh_extra_args',
  'ansible_ssh_transfer_method',
  'ansible_docker_extra_args',
  'ansible_become',
  'ansible_become_method',
  'ansible_become_user',
  'ansible_become_password',
  'ansible_become_pass',
  'ansible_become_exe',
  'ansible_become_flags',
  'ansible_rsync_path',
  'ansible_playbook_python',
  'ansible_facts',
  'add_host',
  'add_group',
])

/** Ansible's clean_facts: a fact may not pose as a connection or become variable or an interpreter. */
function restricted(key: string): boolean {
  if (key.startsWith('ansible_ssh_host_key_')) return false
  if (CONNECTION_VARS.has(key) || key.startsWith('ansible_become_') || /^ansible_.*_interpreter$/.test(key)) return true
  return /^ansible_(local|ssh|paramiko_ssh|psrp|winrm)_/.test(key) && !/(_bridge|_gwbridge)$/.test(key)
}

/** Actions whose facts are plain variables and whose results are kept as they are, not unsafe (Ansible's _ACTION_WITH_CLEAN_FACTS). */
export const CLEAN_FACTS_ACTIONS: ReadonlySet<string> = new Set(['set_fact', 'include_vars'])

/**
 * The variables changed_when / failed_when / until see once a result is in (Ansible's vars_copy in
 * TaskExecutor._execute): set_fact's and include_vars' facts as variables; another module's, with
 * inject_facts_as_vars, as variables, and (without the ansible_ prefix) under
 * ansible_facts.ansible_facts, where 2.14 merges namespace_facts' wrapped dict; debug's none.
 * `action`: the module's short name.
 */
export function withResultFacts(rc: RunContext, vars: Record<string, unknown>, action: string, result: unknown): Record<string, unknown> {
  const facts = (result as { ansible_facts?: unknown } | undefined)?.ansible_facts
  if (!facts || typeof facts !== 'object' || Array.isArray(facts) || action === 'debug') return vars
  if (CLEAN_FACTS_ACTIONS.has(action)) {
    const out = { ...vars }
    assignEntries(out, facts as Facts)
    return out
  }
  const namespaced: Facts = {}
  for (const [k, v] of Object.entries(facts)) namespaced[k.startsWith('ansible_') && k !== 'ansible_local' ? k.slice(8) : k] = v
  const out: Record<string, unknown> = { ...vars }
  setEntry(out, 'ansible_facts', { ...(vars.ansible_facts as Facts | undefined), ansible_facts: namespaced }, true)
  if (factSettings(rc).inject) for (const [k, v] of Object.entries(facts)) if (!k.startsWith('_ansible_') && !restricted(k)) setEntry(out, k, v, true)
  return out
}

const varsMemo = new WeakMap<Facts, Facts>()

/**
 * The variables a host's facts are (Ansible's precedence level "host facts", below play vars):
 * `ansible_facts` (names without the ansible_ prefix, ansible_local kept), and with
 * inject_facts_as_vars the facts themselves, minus the restricted names and `_ansible_*` keys.
 */
export function factVars(rc: RunContext, host: HostState): Facts {
  const facts = host.hostFacts
  const memo = varsMemo.get(facts)
  if (memo) return memo
  const namespaced: Facts = {}
  for (const [k, v] of Object.entries(facts)) namespaced[k.startsWith('ansible_') && k !== 'ansible_local' ? k.slice(8) : k] = v
  const out: Facts = {}
  if (factSettings(rc).inject) {
    for (const [k, v] of Object.entries(facts)) if (!k.startsWith('_ansible_') && !restricted(k)) out[k] = v
  } else out.ansible_local = facts.ansible_local ?? {}
  out.ansible_facts = namespaced
  // what the host told is unsafe data: never templated again (engine/vars/unsafe.ts)
  allUnsafe(out)
  varsMemo.set(facts, out)
  return out
}

// ---- the jsonfile cache: one JSON file per host, Ansible's layout ----

function writeCache(cache: NonNullable<FactSettings['cache']>, host: string, facts: Facts): void {
  const file = join(cache.dir, `${cache.prefix}${host}`)
  try {
    mkdirSync(cache.dir, { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, `${JSON.stringify(sortKeys(facts), null, 4)}`, { mode: 0o600 })
    renameSync(tmp, file)
  } catch (e) {
    throw new AcplayError('E_FACT_CACHE', `cannot write the fact cache: ${(e as Error).message}`, { file })
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Facts)[k])]),
    )
  return v
}

function readCache(cache: NonNullable<FactSettings['cache']>, host: string): Facts | undefined {
  const file = join(cache.dir, `${cache.prefix}${host}`)
  try {
    if (cache.timeoutS > 0 && statSync(file).mtimeMs + cache.timeoutS * 1000 < Date.now()) return undefined
    const data = JSON.parse(readFileSync(file, 'utf8'))
    return data && typeof data === 'object' && !Array.isArray(data) ? data : undefined
  } catch {
    return undefined // no file, or not ours to read: gathered anew
  }
}

/** --flush-cache: every inventory host's cached facts are gone before the first play (Ansible's _flush_cache). */
export function flushFactCache(rc: RunContext): void {
  const cache = factSettings(rc).cache
  if (!cache) return
  for (const host of rc.inventory.hosts.keys()) rmSync(join(cache.dir, `${cache.prefix}${host}`), { force: true })
}

const cacheLoaded = new WeakSet<HostState>()

/** With the jsonfile cache, a host's cached facts are its facts from the run's start (as in Ansible). */
export function loadCached(rc: RunContext, host: HostState): void {
  if (cacheLoaded.has(host)) return
  cacheLoaded.add(host)
  const cache = factSettings(rc).cache
  const cached = cache && readCache(cache, host.name)
  if (cached) host.hostFacts = { ...cached, ...host.hostFacts }
}
