/**
 * Ansible's setup facts from ONE command: the collectors that gather_subset selects (Ansible's
 * rules: min always, `all`, names and fact ids, `!x` exclusions, dependencies) say what to read,
 * the probe reads it all in one python run, and each collector turns its part into facts, in
 * Ansible's order, named as Ansible names them (ansible_ prefix, '-' as '_'), filtered by `filter`.
 */
import { fnmatchRe } from '../../../engine/vars/py-path.js'
import type { Fact } from '../../types.js'
import { distribution } from './distribution.js'
import { hardware } from './hardware.js'
import { local } from './local.js'
import { fibreChannelWwn, iscsi, network, nvme } from './network.js'
import { type Directive, probeArgv } from './probe.js'
import type { Collector, Facts, Raw } from './raw.js'
import {
  apparmor,
  caps,
  chroot,
  cmdline,
  dateTime,
  dns,
  env,
  fips,
  loadavg,
  lsb,
  pkgMgr,
  platform,
  python,
  selinux,
  serviceMgr,
  sshPubKeys,
  user,
} from './system.js'
import { virtual } from './virtual.js'

/** facter and ohai: Ansible runs them only where installed; acplay accepts the names and gathers nothing */
const external = (name: string): Collector => ({ name, reads: () => [], collect: () => ({}) })

/** Ansible's default_collectors order (its dependencies come first in it). */
export const COLLECTORS: Collector[] = [
  platform,
  distribution,
  lsb,
  selinux,
  apparmor,
  chroot,
  fips,
  python,
  caps,
  pkgMgr,
  serviceMgr,
  cmdline,
  dateTime,
  env,
  loadavg,
  sshPubKeys,
  user,
  virtual,
  hardware,
  dns,
  fibreChannelWwn,
  network,
  iscsi,
  nvme,
  local,
  external('facter'),
  external('ohai'),
]

/** What `min` is, and what `!all` leaves (setup.py's minimal_gather_subset). */
export const MINIMAL_SUBSET = [
  'apparmor',
  'caps',
  'cmdline',
  'date_time',
  'distribution',
  'dns',
  'env',
  'fips',
  'local',
  'lsb',
  'pkg_mgr',
  'platform',
  'python',
  'selinux',
  'service_mgr',
  'ssh_pub_keys',
  'user',
]

/** The collectors a gather_subset selects, in run order (collector.py's get_collector_names and deps). */
export function selectCollectors(gatherSubset: readonly string[]): Collector[] {
  const byId = new Map<string, Collector>()
  const aliases = new Map<string, string[]>()
  for (const c of COLLECTORS) {
    byId.set(c.name, c)
    for (const id of c.factIds ?? []) byId.set(id, c)
    aliases.set(c.name, c.factIds ?? [])
  }
  const valid = new Set(byId.keys())
  const minimal = new Set(MINIMAL_SUBSET)
  const add = new Set<string>()
  const exclude = new Set<string>()
  const explicit = new Set<string>()
  for (const subset of ['min', ...(gatherSubset.length ? gatherSubset : ['all'])]) {
    if (subset === 'min') for (const s of minimal) add.add(s)
    else if (subset === 'all') for (const s of valid) add.add(s)
    else if (subset.startsWith('!')) {
      const s = subset.slice(1)
      if (s === 'min') for (const m of minimal) exclude.add(m)
      else if (s === 'all') for (const v of valid) !minimal.has(v) && exclude.add(v)
      else {
        for (const a of aliases.get(s) ?? []) exclude.add(a)
        exclude.add(s)
      }
    } else {
      if (!valid.has(subset)) throw new Error(`Bad subset '${subset}' given to Ansible. gather_subset options allowed: all, ${[...valid].sort().join(', ')}`)
      explicit.add(subset)
      add.add(subset)
    }
  }
  if (add.size === 0) for (const v of valid) add.add(v)
  for (const e of exclude) if (!explicit.has(e)) add.delete(e)
  const chosen = new Set([...add].map((id) => byId.get(id)!))
  for (let grew = true; grew; ) {
    grew = false
    for (const c of [...chosen])
      for (const r of c.requires ?? []) {
        const dep = byId.get(r)!
        if (!chosen.has(dep)) {
          chosen.add(dep)
          grew = true
        }
      }
  }
  return COLLECTORS.filter((c) => chosen.has(c))
}

/** Python's fnmatch.fnmatchcase */
export const fnmatch = (name: string, pattern: string): boolean => fnmatchRe(pattern).test(name)

/** ansible_collector.py's filter: glob patterns, tried with the ansible_ prefix too. */
function keep(key: string, filters: readonly string[]): boolean {
  if (filters.length === 0 || (filters.length === 1 && filters[0] === '*')) return true
  return filters.some((f) => !f || fnmatch(key, f) || (!/^(ansible_|facter|ohai)/.test(f) && fnmatch(key, `ansible_${f}`)))
}

export interface SetupArgs {
  gatherSubset: string[]
  gatherTimeout: number
  filter: string[]
  factPath: string
  /** the interpreter to run the probe with (ansible_python_interpreter, else python3) */
  python: string
}

/** The facts from the probe's output: the `ansible_facts` dict setup returns. */
export function factsFromRaw(raw: Raw, args: SetupArgs): Facts {
  const out: Facts = {}
  const collected: Facts = {}
  for (const c of selectCollectors(args.gatherSubset)) {
    let facts: Facts
    try {
      facts = c.collect(raw, collected)
    } catch {
      continue // as Ansible: a collector that fails adds nothing (and the others still run)
    }
    for (const [k, v] of Object.entries(facts)) {
      const key = `ansible_${k.replace(/-/g, '_')}`
      collected[key] = v
      if (keep(key, args.filter)) out[key] = v
    }
  }
  const meta: Facts = { gather_subset: args.gatherSubset.length ? args.gatherSubset : ['all'], module_setup: true }
  for (const [k, v] of Object.entries(meta)) if (keep(k, args.filter)) out[k] = v
  return out
}

export function setupDirectives(args: SetupArgs): Directive[] {
  return [{ timeout: args.gatherTimeout }, ...selectCollectors(args.gatherSubset).flatMap((c) => c.reads({ factPath: args.factPath }))]
}

/** One python run on the host; its facts, or an error saying why it could not run. */
export const setupFacts: Fact<Facts, [SetupArgs]> = {
  name: 'setup.facts',
  command: (args) => ({ argv: probeArgv(args.python, setupDirectives(args)) }),
  parse(out, args) {
    let raw: Raw
    try {
      raw = JSON.parse(out.stdout) as Raw
    } catch {
      const why = (out.stderr || out.stdout).trim().split('\n').slice(-3).join(' ')
      throw new Error(
        out.rc === 127
          ? `fact gathering needs ${args.python} on the host: ${why}`
          : `fact gathering failed (${args.python}, rc ${out.rc}): ${why || 'no output'}`,
      )
    }
    return factsFromRaw(raw, args)
  },
}
