/**
 * Manage local groups with groupadd/groupmod/groupdel.
 * Effects recorded: `group.info` (key = name): the group as it will be ({ exists: false } on removal;
 * gid unknown when created without one).
 */
import { ModuleFailure } from '../engine/errors.js'
import { notYet } from './schema.js'
import { defineModule } from './types.js'
import { checkAccountName, groupInfo, type GroupInfo } from './facts/group.js'

const line = (g: GroupInfo) => (g.exists ? `${g.name}:x:${g.gid ?? '?'}:${(g.members ?? []).join(',')}\n` : '')

export const group = defineModule({
  name: 'group',
  summary: 'Manage groups',
  description: 'Creates, changes (gid) or removes a local group. One round trip (getent group) when nothing changes.',
  params: {
    name: { type: 'str', required: true, description: 'the group name' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'], description: 'whether the group should exist' },
    gid: { type: 'int', description: 'the group id' },
    system: { type: 'bool', default: false, description: 'create a system group (only on creation)' },
    non_unique: { type: 'bool', default: false, description: 'allow a gid another group already has (groupadd/groupmod --non-unique); needs gid' },
    local: notYet({ type: 'bool', default: false }, 'Use lgroupadd and co. (local groups only, for hosts with central directories).'),
  },
  returns: { name: 'the group name', gid: 'the group id (unknown in check mode for a new group without `gid`)', state: 'present or absent' },
  examples: `
- name: A group for the Airflow service
  group: { name: astro, system: true }
`,
  async plan(p, ctx) {
    const bad = checkAccountName('group', p.name)
    if (bad) throw new ModuleFailure(bad)
    if (p.gid !== undefined && p.gid < 0) throw new ModuleFailure(`argument 'gid' must not be negative`)
    const g = await ctx.fact(groupInfo, p.name)
    const data = { name: p.name, gid: p.state === 'present' ? (p.gid ?? g.gid) : undefined, state: p.state }
    if (p.state === 'absent') {
      if (!g.exists) return { kind: 'ok', reason: `group ${p.name} does not exist`, data }
      return {
        kind: 'change',
        changes: [
          {
            summary: `remove group ${p.name}`,
            commands: [{ argv: ['groupdel', '--', p.name] }],
            diff: { path: '/etc/group', before: line(g), after: '' },
            effects: [{ fact: 'group.info', key: p.name, value: { exists: false } satisfies GroupInfo }],
          },
        ],
        data,
      }
    }
    if (!g.exists) {
      const after: GroupInfo = { exists: true, name: p.name, gid: p.gid, members: [] }
      const argv = [
        'groupadd',
        ...(p.gid !== undefined ? ['--gid', String(p.gid)] : []),
        ...(p.non_unique && p.gid !== undefined ? ['--non-unique'] : []),
        ...(p.system ? ['--system'] : []),
        '--',
        p.name,
      ]
      return {
        kind: 'change',
        changes: [
          {
            summary: `create ${p.system ? 'system ' : ''}group ${p.name}${p.gid !== undefined ? ` with gid ${p.gid}` : ''}`,
            commands: [{ argv }],
            diff: { path: '/etc/group', before: '', after: line(after) },
            effects: [{ fact: 'group.info', key: p.name, value: after }],
          },
        ],
        data,
      }
    }
    if (p.gid !== undefined && g.gid !== p.gid) {
      const after: GroupInfo = { ...g, gid: p.gid }
      return {
        kind: 'change',
        changes: [
          {
            summary: `change gid of group ${p.name}: ${g.gid} -> ${p.gid}`,
            commands: [{ argv: ['groupmod', '--gid', String(p.gid), ...(p.non_unique ? ['--non-unique'] : []), '--', p.name] }],
            diff: { path: '/etc/group', before: line(g), after: line(after), attrs: { gid: [String(g.gid), String(p.gid)] } },
            effects: [{ fact: 'group.info', key: p.name, value: after }],
          },
        ],
        data,
      }
    }
    return { kind: 'ok', reason: `group ${p.name} exists with gid ${g.gid}`, data }
  },
})
