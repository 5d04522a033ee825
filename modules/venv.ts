/**
 * venv: a Python virtual environment at a path.
 *
 * Effects recorded (for later tasks in check mode): creating records venv.info (a venv), path.stat
 * (a directory) and pip.installed = { status: ok, dists: {} } (a fresh venv has no packages of ours);
 * removing records venv.info absent, path.stat absent and pip.installed absent; a settings update
 * records venv.info only.
 */
import { ModuleFailure } from '../engine/errors.js'
import { venvInfo } from './facts/venv.js'
import { createdVenvEffects, venvCommand, type CreateVenv } from './pip/create-venv.js'
import { defineModule, type Change } from './types.js'

export const venv = defineModule({
  name: 'venv',
  aliases: ['virtualenv'],
  summary: 'Create or remove a Python virtual environment',
  description:
    'Creates a venv with `PYTHON -m venv` (as `owner` when given), keeps its system-site-packages setting and ' +
    'owner, or removes it. A path that exists but is not a venv (no pyvenv.cfg, or a bin/python that does not ' +
    'run) fails with the reason instead of being reported ok; `clear: true` recreates a broken venv.',
  params: {
    path: { type: 'path', required: true, aliases: ['dest', 'name'], description: 'Directory of the venv.' },
    python: { type: 'str', default: 'python3', description: 'Interpreter that creates the venv (name on PATH or absolute path).' },
    system_site_packages: { type: 'bool', default: false, description: 'Give the venv access to the system site-packages.' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: 'Whether the venv should exist.' },
    owner: { type: 'str', description: 'Create the venv as this user (runuser; needs root) and keep the tree owned by it.' },
    clear: { type: 'bool', default: false, description: 'Recreate (python -m venv --clear) a venv whose bin/python no longer runs, instead of failing.' },
  },
  returns: { path: 'the venv directory', python: 'x.y.z of its interpreter (when it exists)' },
  examples: `
- name: Airflow virtualenv
  venv:
    path: /home/astro/airflow-venv
    owner: astro
- venv: { path: /opt/old-venv, state: absent }
`,
  async plan(p, ctx) {
    if (/[\0\n]/.test(p.path)) throw new ModuleFailure(`path must not contain a newline or NUL: ${JSON.stringify(p.path)}`)
    if (!p.path.startsWith('/')) throw new ModuleFailure(`path must be absolute, got ${JSON.stringify(p.path)}`)
    if (p.owner !== undefined && !/^[a-z_][a-z0-9_.-]*\$?$/i.test(p.owner)) throw new ModuleFailure(`owner ${JSON.stringify(p.owner)} is not a valid user name`)
    const path = p.path.length > 1 ? p.path.replace(/\/+$/, '') : p.path
    const info = await ctx.fact(venvInfo, path)
    const data = { path, python: info.python }

    if (p.state === 'absent') {
      if (!info.exists) return { kind: 'ok', reason: `${path} does not exist`, data }
      // only what is (or was) a venv is removed: never a foreign directory or file at that path
      const removable = info.isVenv || info.empty || info.problem?.startsWith('its bin/python')
      if (!removable) throw new ModuleFailure(`refusing to remove ${path}: ${info.problem}`)
      const change: Change = {
        summary: `remove virtualenv ${path}`,
        commands: [{ argv: ['rm', '-rf', '--', path] }],
        effects: [
          { fact: 'venv.info', key: path, value: { exists: false, isVenv: false } },
          { fact: 'path.stat', key: path, value: { exists: false } },
          { fact: 'pip.installed', key: path, value: { status: 'absent' } },
        ],
      }
      return { kind: 'change', changes: [change], data }
    }

    const opts: CreateVenv = { path, command: [p.python, '-m', 'venv'], systemSitePackages: p.system_site_packages, owner: p.owner }
    if (!info.exists || info.empty) {
      return {
        kind: 'change',
        changes: [{ summary: `create virtualenv ${path} with ${p.python}`, commands: [venvCommand(opts)], effects: createdVenvEffects(opts, true) }],
        data,
      }
    }
    if (!info.isVenv) {
      const broken = info.problem?.startsWith('its bin/python')
      if (!(broken && p.clear)) {
        throw new ModuleFailure(
          `${path} exists but is not a usable virtualenv: ${info.problem}${broken ? '; set clear: true to recreate it' : '; remove it or choose another path'}`,
        )
      }
      const o = { ...opts, clear: true }
      return {
        kind: 'change',
        changes: [{ summary: `recreate broken virtualenv ${path} (${info.problem})`, commands: [venvCommand(o)], effects: createdVenvEffects(o, true) }],
        data,
      }
    }

    const changes: Change[] = []
    if (info.systemSitePackages !== undefined && info.systemSitePackages !== p.system_site_packages) {
      const o = { ...opts, withoutPip: true }
      changes.push({
        summary: `set include-system-site-packages = ${p.system_site_packages} in ${path}/pyvenv.cfg`,
        commands: [venvCommand(o)],
        diff: {
          path: `${path}/pyvenv.cfg`,
          before: `include-system-site-packages = ${!p.system_site_packages}\n`,
          after: `include-system-site-packages = ${p.system_site_packages}\n`,
        },
        effects: createdVenvEffects(o, false).filter((e) => e.fact === 'venv.info'),
      })
    }
    if (p.owner && info.owner !== p.owner) {
      changes.push({
        summary: `chown -R ${p.owner} ${path} (owned by ${info.owner})`,
        commands: [{ argv: ['chown', '-R', '--', `${p.owner}:`, path] }],
        diff: { path, before: '', after: '', attrs: { owner: [info.owner ?? '', p.owner] } },
        effects: [{ fact: 'venv.info', key: path, value: { ...info, owner: p.owner, systemSitePackages: p.system_site_packages } }],
      })
    }
    if (changes.length) return { kind: 'change', changes, data }
    const where = info.python ? `python ${info.python}` : 'python unknown until created'
    const ssp = p.system_site_packages ? ', with system site-packages' : ''
    return { kind: 'ok', reason: `${path} is a virtualenv (${where}${ssp}${info.owner ? `, owner ${info.owner}` : ''})`, data }
  },
})
