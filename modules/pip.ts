/**
 * pip: Python packages in a virtualenv (created first when missing) or for an interpreter.
 *
 * "Already satisfied" is decided here from the installed distributions (one python run reading
 * their METADATA files) and PEP 440 specifiers, including the dependencies of requested extras.
 * `state: latest` and `requirements` files ask pip's resolver read-only: `pip install --dry-run
 * --report -` (pip >= 22.2) against the configured index, in plan.
 *
 * Effects recorded: pip.installed (key: the venv path, or `python:<interpreter>`) = the
 * distributions after the change ({name: {version}}; version null where an unpinned install's
 * result is not known before it runs); creating the venv also records venv.info and path.stat.
 */
import { ModuleFailure } from '../engine/errors.js'
import { pipDryRun, pipInstalled, pipTargetKey, type InstalledDist, type PipEnv, type PipTarget, type WouldInstall } from './facts/pip.js'
import { createVenvChange, createsVenv } from './pip/create-venv.js'
import { resolveVirtualenvArgv, virtualenvArgv } from './pip/virtualenv-command.js'
import { parseRequirement, requirementText, type Requirement } from './pip/requirement.js'
import { checkAbsent, checkPresent, pinnedVersion, type Verdict } from './pip/satisfied.js'
import { shlexSplit } from '../engine/connection/shlex.js'
import { notYet } from './schema.js'
import { defineModule, type Change, type Command, type ModuleContext, type Plan, type Unknowable } from './types.js'

type Dists = Record<string, InstalledDist>

const installedEffect = (key: string, dists: Dists) => ({ fact: 'pip.installed', key, value: { status: 'ok', dists } satisfies PipEnv })

function parseNames(names: string[], version: string | undefined): Requirement[] {
  if (version !== undefined && names.length !== 1) throw new ModuleFailure('version can only be used with exactly one name')
  return names.map((n) => {
    try {
      const r = parseRequirement(n)
      if (version === undefined) return r
      if (r.specifiers.length) throw new Error(`name ${JSON.stringify(n)} already has a version specifier; do not also give version`)
      return parseRequirement(`${requirementText(r)}==${version}`)
    } catch (e) {
      throw new ModuleFailure(`name: ${(e as Error).message}`)
    }
  })
}

export const pip = defineModule({
  name: 'pip',
  summary: 'Manage Python packages with pip',
  description:
    'Installs, upgrades or removes Python distributions in a virtualenv (created with virtualenv_command ' +
    'when missing) or for an interpreter. A converged host is ok without running pip; latest and requirements ' +
    'files are resolved with `pip install --dry-run --report -` (read-only) against index_url. As in Ansible, a run is changed when pip ' +
    "says so ('Successfully installed', 'Successfully uninstalled'; a requirements file: the dry run's answer) or when it created the venv; " +
    'check mode reports the prediction.',
  params: {
    name: { type: 'list', elements: 'str', aliases: ['names'], description: 'Requirements such as `astronomer-core[postgres]==2.0.*`.' },
    version: { type: 'str', description: 'Exact version for a single `name` (== VERSION).' },
    requirements: { type: 'str', description: 'A requirements file on the host (relative to chdir).' },
    virtualenv: { type: 'path', description: 'Virtualenv to install into; created when missing.' },
    virtualenv_command: {
      type: 'path',
      default: 'virtualenv',
      description: 'Command that creates the virtualenv (the path is appended), e.g. `python3 -m venv`; a bare program name must be on the PATH.',
    },
    virtualenv_python: { type: 'str', description: 'Interpreter of a virtualenv made by `virtualenv` (-p); refused with `-m venv` and pyvenv.' },
    virtualenv_site_packages: { type: 'bool', default: false, description: 'Create the virtualenv with --system-site-packages.' },
    state: {
      type: 'str',
      default: 'present',
      choices: ['present', 'absent', 'latest', 'forcereinstall'],
      description: 'present, absent, latest or forcereinstall (always reinstalls).',
    },
    index_url: { type: 'str', description: 'Base URL of the package index (pip --index-url).' },
    extra_index_url: { type: 'list', elements: 'str', description: 'Extra index URLs (pip --extra-index-url).' },
    extra_args: { type: 'str', description: 'Extra pip arguments, split as a shell would (never run through one).' },
    executable: {
      type: 'path',
      description: "The pip to run when there is no virtualenv (e.g. /opt/app/bin/pip); its directory's python3 reads the installed packages.",
    },
    chdir: { type: 'path', description: 'Directory pip runs in.' },
    umask: { type: 'str', description: 'The umask pip (and the virtualenv creation) runs with, an octal string such as "0022".' },
    editable: notYet({ type: 'bool', default: false }, 'Pass the editable flag (-e).', 'editable installs (-e PATH or VCS URL) are not supported yet'),
  },
  mutuallyExclusive: [
    ['name', 'requirements'],
    ['virtualenv', 'executable'],
  ],
  requiredOneOf: [['name', 'requirements']],
  returns: { name: 'the requirements asked for', virtualenv: 'the virtualenv', state: 'the state', cmd: 'the pip command (argv) that ran' },
  examples: `
- pip:
    name: ['astronomer-core[postgres]==2.0.*']
    virtualenv: /home/astro/airflow-venv
    index_url: https://pypi.internal/simple
- pip: { name: acplay-demo, state: latest, virtualenv: /opt/demo }
- pip: { requirements: requirements.txt, chdir: /srv/app, virtualenv: /srv/app/venv }
`,
  async plan(p, ctx) {
    if (p.umask !== undefined && !/^0?[0-7]{3}$/.test(p.umask)) throw new ModuleFailure('umask must be an octal integer')
    for (const [k, v] of Object.entries({ virtualenv: p.virtualenv, executable: p.executable, chdir: p.chdir, requirements: p.requirements })) {
      if (v !== undefined && /[\0\n]/.test(v)) throw new ModuleFailure(`${k} must not contain a newline or NUL`)
    }
    if (p.virtualenv !== undefined && !p.virtualenv.startsWith('/') && !p.chdir)
      throw new ModuleFailure(`virtualenv must be an absolute path (or give chdir), got ${JSON.stringify(p.virtualenv)}`)
    if (p.requirements !== undefined && p.state === 'absent')
      throw new ModuleFailure('state absent with requirements is not supported: list the names to remove')
    let extra: string[]
    try {
      extra = p.extra_args ? shlexSplit(p.extra_args) : []
    } catch (e) {
      throw new ModuleFailure(`extra_args: ${(e as Error).message}`)
    }
    const reqs = p.name ? parseNames(p.name, p.version) : []
    const venvPath = p.virtualenv && !p.virtualenv.startsWith('/') ? `${p.chdir!.replace(/\/+$/, '')}/${p.virtualenv}` : p.virtualenv?.replace(/(.)\/+$/, '$1')
    // without a venv, the packages are read with the python3 next to `executable` (or on PATH)
    const python = p.executable?.includes('/') ? p.executable.replace(/[^/]*$/, 'python3') : 'python3'
    const target: PipTarget = venvPath ? { venv: venvPath } : { python }
    const key = pipTargetKey(target)
    const pipArgv = venvPath ? [`${venvPath}/bin/python`, '-m', 'pip'] : p.executable ? [p.executable] : ['python3', '-m', 'pip']
    const index = [...(p.index_url ? ['--index-url', p.index_url] : []), ...(p.extra_index_url ?? []).flatMap((u) => ['--extra-index-url', u])]
    const chdir = p.chdir ? ['env', '-C', p.chdir] : []
    const pipCmd = (...args: string[]) => ({ argv: [...chdir, ...pipArgv, ...args] })
    const data = { name: p.name, requirements: p.requirements, virtualenv: venvPath, state: p.state }

    const env = await ctx.fact(pipInstalled, target)
    // Simulated: the venv exists only as an earlier unapplied change's effect, so pip cannot be asked.
    let simulated = ctx.effect('pip.installed', key) !== undefined
    const changes: Change[] = []
    if (env.status === 'broken') throw new ModuleFailure(`${venvPath ? `virtualenv ${venvPath}` : key} is not usable: ${env.detail}`)
    const dists: Dists = env.status === 'ok' ? env.dists : {}
    if (env.status === 'absent') {
      if (!venvPath) throw new ModuleFailure(`python interpreter ${python} not found on ${ctx.host}`)
      if (p.state === 'absent') return { kind: 'ok', reason: `virtualenv ${venvPath} does not exist, so nothing is installed`, data }
      changes.push(createVenvChange({ path: venvPath, command: await venvArgv(p, ctx), systemSitePackages: p.virtualenv_site_packages }))
      simulated = true
    }
    // check mode: what pip writes (console scripts, modules) is unknown until it has run
    const unknowns: Unknowable[] = venvPath ? [{ under: venvPath }] : [{ under: '/usr/local' }]
    const finish = (plan: Plan): Plan => withUmask(withUnknowns({ ...plan, data: { ...data, ...plan.data } }, unknowns), p.umask)

    if (p.requirements !== undefined) {
      const r = ['-r', p.requirements]
      const install = pipCmd(
        'install',
        ...index,
        ...extra,
        ...(p.state === 'latest' ? ['--upgrade'] : []),
        ...(p.state === 'forcereinstall' ? ['--force-reinstall'] : []),
        ...r,
      )
      if (p.state === 'forcereinstall' || simulated) {
        const why = simulated && env.status === 'ok' ? 'would change (depends on an earlier change): ' : ''
        changes.push({ summary: `${why}install requirements from ${p.requirements}`, commands: [install] })
        return finish({ kind: 'change', changes, data: { cmd: install.argv } })
      }
      const would = await ctx.fact(pipDryRun, [...pipArgv, 'install', ...index, ...extra, ...(p.state === 'latest' ? ['--upgrade'] : []), ...r], p.chdir)
      if (would.length === 0)
        return finish({ kind: 'ok', reason: `all requirements in ${p.requirements} are satisfied${p.state === 'latest' ? ' at their latest versions' : ''}` })
      changes.push({
        summary: `install ${listWould(would)} (from ${p.requirements})`,
        commands: [install],
        effects: [installedEffect(key, merge(dists, would))],
      })
      return finish({ kind: 'change', changes, data: { cmd: install.argv } })
    }

    return finish(await planNames(p.state, reqs, { dists, env, simulated, key, changes, pipArgv, pipCmd, index, extra, chdir: p.chdir }, ctx))
  },
  // Ansible's pip: what ran changed something only when pip says so (check mode keeps the plan's
  // prediction). Debian's pip leaves the distribution's own packages alone ("Not uninstalling six at
  // /usr/lib/python3/dist-packages, outside environment /usr"), exit code 0: ok, on every run. An
  // install of names changed something when pip says 'Successfully installed' (a requirements file:
  // Ansible compares pip freeze before and after; acplay keeps its dry run's answer), or when the
  // venv was created first.
  interpret(p, out, planned) {
    if (out.rc !== 0 || planned?.some(createsVenv)) return undefined
    if (p.state === 'absent') {
      if (out.stdout.includes('Successfully uninstalled')) return undefined
      const said = out.stdout.trim().split('\n').at(-1) || 'nothing was uninstalled'
      return { failed: false, changed: false, msg: `pip uninstalled nothing: ${said}` }
    }
    if (p.requirements !== undefined || out.stdout.includes('Successfully installed')) return undefined
    const said = out.stdout.trim().split('\n').at(-1) || 'nothing was installed'
    return { failed: false, changed: false, msg: `pip installed nothing: ${said}` }
  },
})

/** The command that creates the missing venv: checked and resolved on the host as Ansible does, except in check mode (Ansible reports `changed` before). */
async function venvArgv(p: { virtualenv_command: string; virtualenv_python?: string }, ctx: ModuleContext): Promise<string[]> {
  const interpreter =
    typeof ctx.vars.ansible_python_interpreter === 'string' && !ctx.vars.ansible_python_interpreter.startsWith('auto')
      ? ctx.vars.ansible_python_interpreter
      : 'python3'
  if (!ctx.check) return resolveVirtualenvArgv(virtualenvArgv(p.virtualenv_command, p.virtualenv_python, interpreter || 'python3'), ctx)
  try {
    return virtualenvArgv(p.virtualenv_command, p.virtualenv_python, interpreter || 'python3')
  } catch {
    return [p.virtualenv_command]
  }
}

/** The unknowns of a plan's changes that run pip (not the venv's creation: its effects say what it makes). */
function withUnknowns(plan: Plan, unknowns: Unknowable[]): Plan {
  if (plan.kind === 'ok') return plan
  return {
    ...plan,
    changes: plan.changes.map((c) => (c.effects?.some((e) => e.fact === 'venv.info') ? c : { ...c, unknowns: [...(c.unknowns ?? []), ...unknowns] })),
  }
}

/** Ansible sets the process umask before pip (and the venv creation) run. */
function withUmask(plan: Plan, umask: string | undefined): Plan {
  if (umask === undefined || plan.kind === 'ok') return plan
  const wrap = (c: Command): Command => ({ ...c, argv: ['sh', '-c', 'umask "$1" || exit; shift; exec "$@"', 'sh', umask, ...c.argv], inline: true })
  return { ...plan, changes: plan.changes.map((ch) => ({ ...ch, commands: ch.commands.map(wrap) })) }
}

interface NameCtx {
  dists: Dists
  env: PipEnv
  simulated: boolean
  key: string
  changes: Change[]
  pipArgv: string[]
  pipCmd: (...args: string[]) => { argv: string[] }
  index: string[]
  extra: string[]
  chdir?: string
}

const listWould = (w: WouldInstall[]) => w.map((x) => `${x.name}==${x.version}`).join(', ')

function merge(dists: Dists, would: WouldInstall[]): Dists {
  const out = { ...dists }
  for (const w of would) out[w.name] = { version: w.version }
  return out
}

function afterInstall(dists: Dists, reqs: Requirement[]): Dists {
  const out = { ...dists }
  for (const r of reqs) out[r.key] = { version: pinnedVersion(r) }
  return out
}

async function planNames(state: string, reqs: Requirement[], c: NameCtx, ctx: ModuleContext): Promise<Plan> {
  const texts = (rs: Requirement[]) => rs.map(requirementText)
  const { dists, changes, key } = c
  const marker = c.env.status === 'ok' ? c.env.env : undefined
  if (state === 'absent') {
    const verdicts = reqs.map((r) => checkAbsent(r, dists))
    const remove = verdicts.filter((v) => !v.satisfied).map((v) => v.req)
    if (remove.length === 0) return { kind: 'ok', reason: verdicts.map((v) => v.why).join('; ') }
    const rest = { ...dists }
    for (const r of remove) delete rest[r.key]
    const cmd = c.pipCmd('uninstall', '--yes', ...c.extra, ...remove.map((r) => r.name))
    changes.push({ summary: `uninstall ${remove.map((r) => r.name).join(', ')}`, commands: [cmd], effects: [installedEffect(key, rest)] })
    return { kind: 'change', changes, data: { cmd: cmd.argv } }
  }
  if (state === 'forcereinstall') {
    const cmd = c.pipCmd('install', '--force-reinstall', ...c.index, ...c.extra, ...texts(reqs))
    changes.push({ summary: `reinstall ${texts(reqs).join(', ')}`, commands: [cmd], effects: [installedEffect(key, afterInstall(dists, reqs))] })
    return { kind: 'change', changes, data: { cmd: cmd.argv } }
  }
  if (state === 'latest') {
    const cmd = c.pipCmd('install', '--upgrade', ...c.index, ...c.extra, ...texts(reqs))
    if (c.simulated) {
      const why = changes.length ? '' : 'would change (depends on an earlier change): '
      changes.push({
        summary: `${why}install the latest ${texts(reqs).join(', ')}`,
        commands: [cmd],
        effects: [installedEffect(key, afterInstall(dists, reqs))],
      })
      return { kind: 'change', changes, data: { cmd: cmd.argv } }
    }
    const would = await ctx.fact(pipDryRun, [...c.pipArgv, 'install', '--upgrade', ...c.index, ...c.extra, ...texts(reqs)], c.chdir)
    if (would.length === 0) {
      return { kind: 'ok', reason: reqs.map((r) => `${r.name} ${dists[r.key]?.version ?? ''} is the latest version available`.replace('  ', ' ')).join('; ') }
    }
    changes.push({ summary: `upgrade to ${listWould(would)}`, commands: [cmd], effects: [installedEffect(key, merge(dists, would))] })
    return { kind: 'change', changes, data: { cmd: cmd.argv } }
  }
  const verdicts: Verdict[] = reqs.map((r) => checkPresent(r, dists, marker))
  const todo = verdicts.filter((v) => v.satisfied !== true)
  if (todo.length === 0) return { kind: 'ok', reason: verdicts.map((v) => v.why).join('; ') }
  const unknownOnly = todo.every((v) => v.satisfied === 'unknown')
  const install = todo.map((v) => v.req)
  const cmd = c.pipCmd('install', ...c.index, ...c.extra, ...texts(install))
  const summary = unknownOnly
    ? `would change (depends on an earlier change): install ${texts(install).join(', ')}`
    : `install ${texts(install).join(', ')} (${todo.map((v) => v.why).join('; ')})`
  const before = `${install.map((r) => (dists[r.key] ? `${r.name}==${dists[r.key]!.version ?? '?'}` : `${r.name} (not installed)`)).join('\n')}\n`
  const diff = { path: `${key} (installed packages)`, before, after: `${texts(install).join('\n')}\n` }
  changes.push({ summary, commands: [cmd], diff, effects: [installedEffect(key, afterInstall(dists, install))] })
  return { kind: 'change', changes, data: { cmd: cmd.argv } }
}
