/**
 * modprobe (community.general.modprobe): load or unload a kernel module, and make that persistent
 * (/etc/modules-load.d/NAME.conf, options in /etc/modprobe.d/NAME.conf; `persistent: absent` comments
 * the module's lines out), with Ansible's rules. Loading is checked with `modprobe -n` at plan time,
 * so check mode fails as the run would for a module that does not exist.
 *
 * A kernel without loadable modules (no /proc/modules) has nothing loaded: state=absent is then ok
 * and state=present fails with modprobe's own message (Ansible fails reading /proc/modules).
 *
 * Effects recorded: modprobe.state (key: the name) and path.stat/path.content of the files written.
 */
import { shlexSplit } from '../engine/connection/shlex.js'
import { ModuleFailure } from '../engine/errors.js'
import { moduleState, type ConfFile, type ModuleState } from './facts/modprobe.js'
import { fileEffects } from './files/stat.js'
import { escapeRe } from './pytext.js'
import { defineModule, type Change, type Plan } from './types.js'

const LOAD_DIR = '/etc/modules-load.d'
const OPTIONS_DIR = '/etc/modprobe.d'

export const modprobe = defineModule({
  name: 'modprobe',
  aliases: ['community.general.modprobe'],
  summary: 'Load or unload kernel modules',
  description:
    'Loads (`modprobe NAME PARAMS`) or unloads (`modprobe -r NAME`) a kernel module. persistent=present writes ' +
    '/etc/modules-load.d/NAME.conf and the params as `options` lines in /etc/modprobe.d/NAME.conf (commenting out other ' +
    'options of the module); persistent=absent comments the module and its options out.',
  params: {
    name: { type: 'str', required: true, description: 'Name of the kernel module.' },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'], description: 'Whether the module should be loaded.' },
    params: { type: 'str', default: '', description: 'Module parameters (`numdummies=2`).' },
    persistent: {
      type: 'str',
      default: 'disabled',
      choices: ['disabled', 'absent', 'present'],
      description: 'Load the module on boot (present), not any more (absent), or leave the files alone (disabled).',
    },
  },
  returns: { name: 'the module', params: 'its parameters', state: 'the state asked for' },
  examples: `
- community.general.modprobe:
    name: dummy
    params: numdummies=2
    persistent: present
`,
  async plan(p, ctx): Promise<Plan> {
    if (!/^[A-Za-z0-9_-]+$/.test(p.name)) throw new ModuleFailure(`name ${JSON.stringify(p.name)} is not a kernel module name`)
    let args: string[]
    try {
      args = shlexSplit(p.params)
    } catch (e) {
      throw new ModuleFailure(`params: ${(e as Error).message}`)
    }
    const result = { name: p.name, params: p.params, state: p.state }
    const s = await ctx.fact(moduleState, p.name, p.state, args)
    const changes: Change[] = []
    const next: ModuleState = structuredClone(s)

    if (p.state === 'present' && !s.loaded) {
      if (s.dryRun && s.dryRun.rc !== 0) throw new ModuleFailure(s.dryRun.output.trim(), { ...result, rc: s.dryRun.rc, stderr: s.dryRun.output })
      changes.push({ summary: `load ${p.name}${p.params ? ` ${p.params}` : ''}`, commands: [{ argv: ['modprobe', '--', p.name, ...args] }] })
      next.loaded = true
    } else if (p.state === 'absent' && s.loaded) {
      if (s.dryRun && s.dryRun.rc !== 0) throw new ModuleFailure(s.dryRun.output.trim(), { ...result, rc: s.dryRun.rc, stderr: s.dryRun.output })
      changes.push({ summary: `unload ${p.name}`, commands: [{ argv: ['modprobe', '-r', '--', p.name] }] })
      next.loaded = false
    }

    const moduleLine = new RegExp(`^ *${escapeRe(p.name)} *(?:[#;].*)?$`)
    const optionLine = new RegExp(`^options ${escapeRe(p.name)} (\\w+=\\S+) *(?:[#;].*)?$`)
    const lines = (f: ConfFile) => f.text.split('\n')
    const persistently = s.loadFiles.some((f) => lines(f).some((l) => moduleLine.test(l)))
    const permanent = new Set(s.optionFiles.flatMap((f) => lines(f).flatMap((l) => optionLine.exec(l)?.[1] ?? [])))
    const wanted = new Set(p.params.split(/\s+/).filter(Boolean))
    const paramsSet = wanted.size === permanent.size && [...wanted].every((x) => permanent.has(x))

    const write = (dir: 'loadFiles' | 'optionFiles', path: string, real: string, text: string, summary: string) => {
      changes.push({ summary, commands: [], upload: { content: text, dest: real }, effects: fileEffects(real, { exists: true, type: 'file' }, text) })
      const list = next[dir].filter((f) => f.path !== path)
      next[dir] = [...list, { path, real, text }]
    }
    const commentOut = (dir: 'loadFiles' | 'optionFiles', re: RegExp, what: string, except?: string) => {
      for (const f of next[dir]) {
        if (f.path === except) continue
        const ls = lines(f)
        if (!ls.some((l) => re.test(l))) continue
        write(dir, f.path, f.real, ls.map((l) => (re.test(l) ? `#${l}` : l)).join('\n'), `comment out ${what} in ${f.path}`)
      }
    }
    if (p.persistent === 'present' && !(persistently && paramsSet)) {
      if (!persistently)
        write('loadFiles', `${LOAD_DIR}/${p.name}.conf`, `${LOAD_DIR}/${p.name}.conf`, `${p.name}\n`, `load ${p.name} on boot (${LOAD_DIR}/${p.name}.conf)`)
      if (!paramsSet) {
        const own = `${OPTIONS_DIR}/${p.name}.conf`
        commentOut('optionFiles', optionLine, `the old options of ${p.name}`, own)
        const options = `${[...wanted].map((x) => `options ${p.name} ${x}`).join('\n')}\n`
        write('optionFiles', own, next.optionFiles.find((f) => f.path === own)?.real ?? own, options, `options of ${p.name} (${own})`)
      }
    } else if (p.persistent === 'absent') {
      if (persistently) commentOut('loadFiles', moduleLine, `${p.name}`)
      if (permanent.size) commentOut('optionFiles', optionLine, `the options of ${p.name}`)
    }

    if (changes.length === 0) {
      const loaded = s.loaded ? 'loaded' : s.listed ? 'not loaded' : 'not loaded (the kernel has no loadable modules)'
      const boot = p.persistent === 'disabled' ? '' : persistently ? ', loaded on boot' : ', not loaded on boot'
      return { kind: 'ok', reason: `module ${p.name} is ${loaded}${boot}`, data: result }
    }
    const last = changes[changes.length - 1]!
    changes[changes.length - 1] = {
      ...last,
      effects: [...(last.effects ?? []), { fact: moduleState.name, key: p.name, value: { ...next, dryRun: { rc: 0, output: '' } } }],
    }
    return { kind: 'change', changes, data: result }
  },
})
