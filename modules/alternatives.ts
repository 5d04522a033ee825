/**
 * alternatives (community.general.alternatives): one alternative of a group of Debian's
 * update-alternatives, as Ansible's module decides it from `update-alternatives --display NAME`:
 * installed (again when the priority or the subcommands differ), then selected (manual mode) or
 * the group set back to auto; or removed. Effects: alternatives.display key=<name> -> the group as
 * it would then be displayed.
 */
import { ModuleFailure } from '../engine/errors.js'
import { pathStat } from './facts/path.js'
import { defineModule, type Change, type Fact, type Plan } from './types.js'

export interface Subcommand {
  name: string
  path: string
  /** undefined when the display names no link for it */
  link?: string
}

export interface AlternativesGroup {
  /** 'auto' or 'manual' ('' when the display has none) */
  mode: string
  currentPath?: string
  currentLink?: string
  alternatives: Record<string, { priority: number; subcommands: Subcommand[] }>
}

/** The group as `update-alternatives --display` shows it (Ansible's regular expressions); undefined: no such group. */
export function parseDisplay(out: string): AlternativesGroup | undefined {
  const mode = /\s-\s(?:status\sis\s)?(\w*)(?:\smode|.)$/m.exec(out)
  if (!mode) return undefined
  const links = new Map<string, string>()
  for (const m of out.matchAll(/^\s*(?:slave|follower) (\S+) is (.*)$/gm)) links.set(m[1]!, m[2]!)
  const alternatives: AlternativesGroup['alternatives'] = {}
  for (const m of out.matchAll(/^(\/.*)\s-\s(?:family\s\S+\s)?priority\s(\d+)((?:\s+(?:slave|follower).*)*)/gm)) {
    const subcommands = [...m[3]!.matchAll(/^\s+(?:slave|follower) (.*): (.*)$/gm)]
      .filter((s) => s[2] !== '(null)')
      .map((s) => ({ name: s[1]!, path: s[2]!, link: links.get(s[1]!) }))
    alternatives[m[1]!] = { priority: Number(m[2]), subcommands }
  }
  return {
    mode: mode[1]!,
    currentPath: /^\s*link currently points to (.*)$/m.exec(out)?.[1],
    currentLink: /^\s*link \w+ is (.*)$/m.exec(out)?.[1],
    alternatives,
  }
}

export const alternativesDisplay: Fact<AlternativesGroup | undefined, [string]> = {
  name: 'alternatives.display',
  key: (name) => name,
  command: (name) => ({ argv: ['env', 'LC_ALL=C', 'update-alternatives', '--display', name] }),
  parse: (out) => (out.rc === 0 ? parseDisplay(out.stdout) : undefined),
}

const sameSubcommands = (a: readonly Subcommand[], b: readonly Subcommand[]) => {
  const key = (s: Subcommand) => JSON.stringify([s.name, s.path, s.link ?? null])
  const ka = a.map(key)
  const kb = b.map(key)
  return ka.every((k) => kb.includes(k)) && kb.every((k) => ka.includes(k))
}

function subcommandsParam(v: unknown): Subcommand[] | undefined {
  if (v === undefined) return undefined
  return (v as Record<string, unknown>[]).map((s, i) => {
    for (const k of ['name', 'path', 'link'])
      if (typeof s?.[k] !== 'string' || !s[k]) throw new ModuleFailure(`subcommands[${i}]: '${k}' is required (a string)`)
    return { name: s.name as string, path: s.path as string, link: s.link as string }
  })
}

export const alternatives = defineModule({
  name: 'alternatives',
  aliases: ['community.general.alternatives'],
  summary: 'Manage alternative programs for common commands (update-alternatives)',
  description:
    'present installs the alternative; selected (the default) also selects it (manual mode); auto installs it and puts the group ' +
    'back in auto mode; absent removes it. `link` is needed when the group does not exist yet, and, as in Ansible, to install into ' +
    'an existing group whose name is not all letters, digits and _ (x-www-browser): only such names have their link read back.',
  params: {
    name: { type: 'str', required: true, description: 'The generic name of the link (the group).' },
    path: { type: 'path', required: true, description: 'The real executable the link should point to.' },
    link: { type: 'path', description: 'The symbolic link (needed when the group is new).' },
    priority: { type: 'int', description: 'The priority; 50 when the alternative is new and none is given.' },
    state: { type: 'str', default: 'selected', choices: ['present', 'selected', 'auto', 'absent'], description: 'See the description.' },
    subcommands: {
      type: 'list',
      elements: 'dict',
      aliases: ['slaves'],
      description: 'Followers of the link: each a mapping of name, path and link.',
    },
  },
  returns: { msg: "what was done ('Install alternative ...', 'Set alternative ...'), '' when nothing" },
  examples: `
- community.general.alternatives:
    name: java
    path: /usr/lib/jvm/java-17-openjdk-amd64/bin/java
- community.general.alternatives:
    name: editor
    path: /usr/bin/vim.basic
    state: auto
`,
  async plan(p, ctx): Promise<Plan> {
    const group = await ctx.fact(alternativesDisplay, p.name)
    const wanted = subcommandsParam(p.subcommands)
    const current = group?.alternatives[p.path]
    const changes: Change[] = []
    const messages: string[] = []
    const after: AlternativesGroup = group ? structuredClone(group) : { mode: 'auto', alternatives: {} }
    if (p.state !== 'absent') {
      const install =
        !current || (p.priority !== undefined && current.priority !== p.priority) || (wanted !== undefined && !sameSubcommands(current.subcommands, wanted))
      if (install) {
        if (!(await ctx.fact(pathStat, p.path)).exists) throw new ModuleFailure(`Specified path ${p.path} does not exist`)
        const link = p.link ?? group?.currentLink
        if (!link) throw new ModuleFailure('Needed to install the alternative, but unable to do so as we are missing the link')
        const priority = p.priority ?? current?.priority ?? 50
        const subs = wanted ?? (current?.subcommands.length ? current.subcommands : undefined) ?? []
        const argv = [
          'update-alternatives',
          '--install',
          link,
          p.name,
          p.path,
          String(priority),
          ...subs.flatMap((s) => ['--slave', s.link ?? '', s.name, s.path]),
        ]
        changes.push({ summary: `install alternative ${p.path} for ${p.name} (priority ${priority})`, commands: [{ argv }] })
        messages.push(`Install alternative '${p.path}' for '${p.name}'.`)
        after.alternatives[p.path] = { priority, subcommands: subs }
        after.currentLink = link
        if (after.mode !== 'manual') after.currentPath = best(after)
      }
      if (p.state === 'selected' && group?.currentPath !== p.path) {
        changes.push({ summary: `select ${p.path} for ${p.name}`, commands: [{ argv: ['update-alternatives', '--set', p.name, p.path] }] })
        messages.push(`Set alternative '${p.path}' for '${p.name}'.`)
        after.mode = 'manual'
        after.currentPath = p.path
      }
      if (p.state === 'auto' && group?.mode === 'manual') {
        changes.push({ summary: `${p.name} back to auto mode`, commands: [{ argv: ['update-alternatives', '--auto', p.name] }] })
        messages.push(`Set alternative to auto for '${p.name}'.`)
        after.mode = 'auto'
        after.currentPath = best(after)
      }
    } else if (current) {
      changes.push({ summary: `remove alternative ${p.path} from ${p.name}`, commands: [{ argv: ['update-alternatives', '--remove', p.name, p.path] }] })
      messages.push(`Remove alternative '${p.path}' from '${p.name}'.`)
      delete after.alternatives[p.path]
      if (after.currentPath === p.path || after.mode !== 'manual') {
        after.mode = 'auto'
        after.currentPath = best(after)
      }
    }
    const data = { msg: messages.join(' ') }
    if (changes.length === 0) return { kind: 'ok', reason: describe(p.name, group), data }
    const effect = Object.keys(after.alternatives).length ? after : undefined
    changes[changes.length - 1]!.effects = [{ fact: alternativesDisplay.name, key: p.name, value: effect }]
    return { kind: 'change', changes: changes.map((c) => ({ ...c, commands: c.commands.map((k) => ({ argv: ['env', 'LC_ALL=C', ...k.argv] })) })), data }
  },
})

/** The path auto mode picks: the highest priority (the first of equals, as listed). */
function best(g: AlternativesGroup): string | undefined {
  let top: string | undefined
  for (const [path, a] of Object.entries(g.alternatives)) if (top === undefined || a.priority > g.alternatives[top]!.priority) top = path
  return top
}

function describe(name: string, g: AlternativesGroup | undefined): string {
  return g ? `${name}: ${g.mode} mode, ${g.currentPath ?? 'no current path'}` : `${name}: no such group`
}
