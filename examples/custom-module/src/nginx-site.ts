/**
 * nginx_site: a site file in sites-available and its symlink in sites-enabled (the Debian layout).
 * An example custom module: one fact (one read-only command + a pure parser), a plan with a reason
 * for every no-op, argv arrays only, effects for check mode. In your own project, import from 'acplay'.
 */
import { defineModule, ModuleFailure, type Change, type ExecResult, type Fact } from '../../../engine/index.js'

export interface SiteState {
  /** the symlink's target in sites-enabled, '' when there is none (or it is not a symlink) */
  link: string
  /** both directories exist */
  dirs: boolean
  /** the file in sites-available, undefined when absent */
  content?: string
}

/** One round trip: readlink, the two dirs, the file. Paths travel as positional args, never in the script text. */
const SCRIPT = [
  'l=$(readlink -- "$2" 2>/dev/null) || l=',
  'd=no; [ -d "$(dirname -- "$1")" ] && [ -d "$(dirname -- "$2")" ] && d=yes',
  `printf '%s\\n%s\\n' "$l" "$d"`,
  'if [ -f "$1" ]; then echo file; cat -- "$1"; else echo none; fi',
].join('\n')

export const siteState: Fact<SiteState, [string, string]> = {
  name: 'nginx_site.state',
  command: (available, enabled) => ({ argv: ['sh', '-c', SCRIPT, 'sh', available, enabled] }),
  parse(out: ExecResult) {
    if (out.rc !== 0) throw new ModuleFailure(`cannot read the site: ${out.stderr.trim()}`)
    const [link = '', dirs = '', kind = ''] = out.stdout.split('\n', 3)
    const content = kind === 'file' ? out.stdout.split('\n').slice(3).join('\n') : undefined
    return { link, dirs: dirs === 'yes', content }
  },
  key: (available, enabled) => `${available}|${enabled}`,
}

export default defineModule({
  name: 'nginx_site',
  summary: 'Manage an nginx site: the file in sites-available and its link in sites-enabled',
  description: 'Writes <root>/sites-available/<name> and links <root>/sites-enabled/<name> to it. Does not reload nginx: notify a handler.',
  params: {
    name: { type: 'str', required: true, description: 'site name (a file name: no slashes)' },
    content: { type: 'str', description: 'the site configuration; required unless state is absent' },
    state: {
      type: 'str',
      default: 'enabled',
      choices: ['enabled', 'disabled', 'absent'],
      description: 'enabled: file and link; disabled: file, no link; absent: neither',
    },
    root: { type: 'path', default: '/etc/nginx', description: 'the nginx configuration directory' },
  },
  returns: { available: 'path of the site file', enabled: 'path of the link' },
  examples: `
- name: The Airflow webserver behind nginx
  nginx_site:
    name: airflow
    content: "{{ lookup('template', 'airflow.conf.j2') }}"
  notify: reload nginx
`,
  async plan(p, ctx) {
    if (!p.name || p.name.includes('/') || p.name === '.' || p.name === '..') throw new ModuleFailure(`name must be a file name, got '${p.name}'`)
    const available = `${p.root}/sites-available/${p.name}`
    const enabled = `${p.root}/sites-enabled/${p.name}`
    const data = { available, enabled }
    const now = await ctx.fact(siteState, available, enabled)
    const changes: Change[] = []
    const after = (s: SiteState) => [{ fact: siteState.name, key: siteState.key!(available, enabled), value: s }]

    if (p.state === 'absent') {
      if (now.content === undefined && !now.link) return { kind: 'ok', reason: `site ${p.name} is absent`, data }
      changes.push({
        summary: `remove site ${p.name}`,
        commands: [{ argv: ['rm', '-f', '--', enabled, available] }],
        diff: { path: available, before: now.content ?? '', after: '' },
        effects: after({ link: '', dirs: now.dirs }),
      })
      return { kind: 'change', changes, data }
    }
    if (p.content === undefined) throw new ModuleFailure(`content is required when state is ${p.state}`)
    const content = p.content.endsWith('\n') ? p.content : `${p.content}\n`
    const link = p.state === 'enabled' ? available : ''
    if (!now.dirs) {
      changes.push({
        summary: `create ${p.root}/sites-available and sites-enabled`,
        commands: [{ argv: ['mkdir', '-p', '--', `${p.root}/sites-available`, `${p.root}/sites-enabled`] }],
      })
    }
    if (now.content !== content) {
      changes.push({
        summary: `${now.content === undefined ? 'create' : 'update'} ${available}`,
        commands: [],
        upload: { content, dest: available, mode: '0644' },
        diff: { path: available, before: now.content ?? '', after: content },
      })
    }
    if (now.link !== link) {
      changes.push(
        link
          ? { summary: `enable site ${p.name}`, commands: [{ argv: ['ln', '-sfn', '--', available, enabled] }] }
          : { summary: `disable site ${p.name}`, commands: [{ argv: ['rm', '-f', '--', enabled] }] },
      )
    }
    if (changes.length === 0) return { kind: 'ok', reason: `site ${p.name} is ${p.state} with the wanted content`, data }
    changes.at(-1)!.effects = after({ link, dirs: true, content })
    return { kind: 'change', changes, data }
  },
})
