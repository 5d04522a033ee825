/** The change that creates (or repairs) a venv, shared by the venv and pip modules, with its effects. */
import type { Change, Command, FactEffect } from '../types.js'
import type { PipEnv } from '../facts/pip.js'
import type { VenvInfo } from '../facts/venv.js'
import type { PathStat } from '../facts/path.js'

export interface CreateVenv {
  path: string
  /** argv that creates a venv when the path is appended, e.g. ['python3', '-m', 'venv'] */
  command: string[]
  systemSitePackages?: boolean
  clear?: boolean
  /** --without-pip: only rewrite pyvenv.cfg and the interpreter links of an existing venv */
  withoutPip?: boolean
  /** create it as this user (runuser: the engine's become must be root) */
  owner?: string
}

export function venvCommand(o: CreateVenv): Command {
  const isStdVenv = o.command.length >= 3 && o.command.at(-2) === '-m' && o.command.at(-1) === 'venv'
  const flags = [...(o.systemSitePackages ? ['--system-site-packages'] : []), ...(o.clear ? ['--clear'] : [])]
  if (o.withoutPip && isStdVenv) flags.push('--without-pip')
  // `--` so a path that starts with '-' is a path (python -m venv and virtualenv both use argparse)
  const argv = [...o.command, ...flags, '--', o.path]
  return { argv: o.owner ? ['runuser', '-u', o.owner, '--', ...argv] : argv }
}

/**
 * Effects of a created venv: venv.info (a venv, python version unknown until it exists), path.stat
 * (a directory), and pip.installed = no packages yet, so a later pip task in check mode plans
 * "install X" instead of failing on a venv that is not there.
 */
export function createdVenvEffects(o: CreateVenv, fresh: boolean): FactEffect[] {
  const info: VenvInfo = { exists: true, isVenv: true, systemSitePackages: !!o.systemSitePackages, owner: o.owner ?? 'root' }
  const stat: PathStat = { exists: true, type: 'directory', mode: '0755', owner: o.owner ?? 'root' }
  const effects: FactEffect[] = [
    { fact: 'venv.info', key: o.path, value: info },
    { fact: 'path.stat', key: o.path, value: stat },
  ]
  if (fresh) effects.push({ fact: 'pip.installed', key: o.path, value: { status: 'ok', dists: {} } satisfies PipEnv })
  return effects
}

const venvCreations = new WeakSet<Change>()

export function createVenvChange(o: CreateVenv, summary = `create virtualenv ${o.path}`): Change {
  const change: Change = { summary, commands: [venvCommand(o)], effects: createdVenvEffects(o, true) }
  venvCreations.add(change)
  return change
}

/** Whether `change` is one createVenvChange made (a plan that ran it created the venv: changed, whatever pip said). */
export const createsVenv = (change: Change) => venvCreations.has(change)
