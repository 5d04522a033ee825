/**
 * npm (community.general.npm): Node.js packages in a project directory (`path`) or globally, decided
 * as community.general decides: `npm list --json --long` says what is installed (NAME and
 * NAME@VERSION), `npm outdated NAME` what is outdated (state=latest); `ci` always runs. npm runs with
 * the same flags and in the same order as there, so it installs what Ansible's npm installs.
 *
 * Reads: one `npm list` (and one `npm outdated` for latest). Effects: npm.list of the directory (or
 * the global packages) as after the change; a version npm picks itself is recorded as unknown.
 */
import { ModuleFailure } from '../engine/errors.js'
import { npmList, npmOutdated, type NpmDep, type NpmList } from './facts/npm.js'
import type { ParamValues } from './schema.js'
import { defineModule, shScript, type Change, type Command, type ModuleContext, type Plan, type Unknowable } from './types.js'

// in the directory, made first when missing (as Ansible's makedirs); the rest is the npm command
const IN_DIR = 'if [ -n "$1" ]; then mkdir -p -- "$1" && cd -- "$1" || exit 1; fi; shift; exec "$@"'

export const npm = defineModule({
  name: 'npm',
  summary: 'Manage node.js packages with npm',
  description:
    'Installs, updates (state=latest) or removes a package in a project directory (path) or globally (global: true); without a name, ' +
    "installs the project's dependencies; ci: true runs `npm ci` (always a change, as in Ansible). npm reads the registry given, or its own configuration.",
  params: {
    name: { type: 'str', description: 'The package name (without it: every dependency of the project in path).' },
    path: { type: 'path', description: 'The project directory (created when missing). Required unless global.' },
    version: { type: 'str', description: 'The version to install (NAME@VERSION; installed means exactly this version is listed).' },
    global: { type: 'bool', default: false, description: 'Install globally (npm --global).' },
    production: { type: 'bool', default: false, description: 'Install, update and ci with --production (no devDependencies).' },
    executable: { type: 'path', description: 'The npm to run (default: npm on PATH); split at spaces, as Ansible does.' },
    registry: { type: 'str', description: 'The registry URL (npm --registry).' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent', 'latest'], description: 'present, absent, or the latest version.' },
    ignore_scripts: { type: 'bool', default: false, description: 'npm --ignore-scripts.' },
    unsafe_perm: { type: 'bool', default: false, description: 'npm --unsafe-perm.' },
    ci: { type: 'bool', default: false, description: 'Run `npm ci` (install exactly the lock file); always reported changed.' },
    no_optional: { type: 'bool', default: false, description: 'npm --no-optional.' },
    no_bin_links: { type: 'bool', default: false, description: 'npm --no-bin-links.' },
  },
  // community.general checks these in the module's code
  requiredIf: [
    ['global', false, ['path']],
    ['state', 'absent', ['name']],
  ],
  returns: {},
  examples: `
- community.general.npm:
    name: pm2
    global: true
- community.general.npm:
    path: /srv/app
    production: true
    ci: true
- community.general.npm: { name: left-pad, version: 1.3.0, path: /srv/app, registry: "http://npm.internal/" }
`,
  async plan(p, ctx): Promise<Plan> {
    const plan = await planNpm(p, ctx)
    if (plan.kind === 'ok') return plan
    // check mode: what npm writes is unknown until it has run (engine/unknown.ts)
    const unknowns: Unknowable[] = p.global ? [{ under: '/usr/local/lib/node_modules' }, { under: '/usr/local/bin' }] : [{ under: p.path!.replace(/\/+$/, '') }]
    return { ...plan, changes: plan.changes.map((c) => ({ ...c, unknowns })) }
  },
})

async function planNpm(p: ParamValues<typeof npm.params>, ctx: ModuleContext): Promise<Plan> {
  {
    if (p.name !== undefined && (/^-/.test(p.name) || /[\s\0]/.test(p.name)))
      throw new ModuleFailure(`argument 'name' is not a package name: ${JSON.stringify(p.name)}`)
    const exe = p.executable ? p.executable.split(' ') : ['npm']
    const nameVersion = p.name !== undefined && p.version && p.state !== 'absent' ? `${p.name}@${p.version}` : p.name
    const dir = p.global ? '' : p.path!
    // community.general's _exec: the flags in its order, the package only where it adds it
    const argv = (args: string[], withName = true): string[] => [
      ...exe,
      ...args,
      ...(p.global ? ['--global'] : []),
      ...(p.production && args.some((a) => ['install', 'update', 'ci'].includes(a)) ? ['--production'] : []),
      ...(p.ignore_scripts ? ['--ignore-scripts'] : []),
      ...(p.unsafe_perm ? ['--unsafe-perm'] : []),
      ...(nameVersion && withName ? [nameVersion] : []),
      ...(p.registry ? ['--registry', p.registry] : []),
      ...(p.no_optional ? ['--no-optional'] : []),
      ...(p.no_bin_links ? ['--no-bin-links'] : []),
    ]
    const run = (args: string[]): Command => shScript(IN_DIR, p.global ? '' : p.path!, ...argv(args))
    const where = p.global ? 'the global packages' : p.path!
    const listArgv = argv(['list', '--json', '--long'], false)
    const listKey = npmList.key!(dir, listArgv)
    const effect = (value: NpmList) => [{ fact: npmList.name, key: listKey, value }]
    const what = nameVersion ?? "the project's dependencies"

    if (p.ci) {
      return { kind: 'change', changes: [{ summary: `npm ci in ${where}`, commands: [run(['ci'])], effects: effect({ unknown: true }) }] }
    }
    const list = await ctx.fact(npmList, dir, listArgv)
    if (list.unknown)
      return { kind: 'change', changes: [{ summary: `would change ${what} in ${where} (depends on an earlier npm ci)`, commands: [run(['install'])] }] }
    const deps = list.dependencies
    const installed = new Set<string>()
    const missing: string[] = []
    let unknownVersion = false
    for (const [dep, props] of Object.entries(deps ?? {})) {
      if (props.missing || props.invalid) missing.push(dep)
      else {
        installed.add(dep)
        if (props.version) installed.add(`${dep}@${props.version}`)
        if (props.version === null && dep === p.name) unknownVersion = true
      }
    }
    if (deps === undefined) missing.push(p.name ?? '')
    else if (nameVersion && !installed.has(nameVersion)) missing.push(p.name!)
    const after = (patch: Record<string, NpmDep | undefined>): NpmList => {
      const next = { ...(deps ?? {}) }
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) delete next[k]
        else next[k] = v
      }
      return { dependencies: next }
    }
    // npm install in a project installs the whole tree (without devDependencies under --production)
    const installEffect = () =>
      p.name !== undefined || !p.production
        ? effect(
            after({
              ...(p.production ? {} : Object.fromEntries(missing.filter(Boolean).map((m) => [m, { version: null }]))),
              ...(p.name !== undefined ? { [p.name]: { version: p.version ?? null } } : {}),
            }),
          )
        : effect({ unknown: true })
    const changes: Change[] = []

    if (p.state === 'absent') {
      if (!installed.has(p.name!)) return { kind: 'ok', reason: `${p.name} is not installed in ${where}` }
      changes.push({ summary: `npm uninstall ${p.name} in ${where}`, commands: [run(['uninstall'])], effects: effect(after({ [p.name!]: undefined })) })
      return { kind: 'change', changes }
    }
    if (unknownVersion && p.version)
      return {
        kind: 'change',
        changes: [
          { summary: `would install ${nameVersion} in ${where} (depends on an earlier change)`, commands: [run(['install'])], effects: installEffect() },
        ],
      }
    if (missing.length)
      changes.push({
        summary: `npm install ${what} in ${where} (missing: ${missing.filter(Boolean).join(', ') || what})`,
        commands: [run(['install'])],
        effects: installEffect(),
      })
    if (p.state === 'latest') {
      const outdated = missing.length && deps === undefined ? [] : await ctx.fact(npmOutdated, dir, argv(['outdated']))
      if (outdated.length) {
        changes.push({
          summary: `npm update ${what} in ${where} (outdated: ${outdated.join(', ')})`,
          commands: [run(['update'])],
          effects: p.name !== undefined ? effect(after({ [p.name]: { version: null } })) : effect({ unknown: true }),
        })
      }
    }
    if (changes.length) return { kind: 'change', changes }
    const v = p.name !== undefined ? deps?.[p.name]?.version : undefined
    return {
      kind: 'ok',
      reason:
        p.name !== undefined
          ? `${p.name}${v ? `@${v}` : ''} is installed${p.state === 'latest' ? ' and up to date' : ''} in ${where}`
          : `every dependency is installed in ${where}`,
    }
  }
}
