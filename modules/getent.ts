/**
 * getent: a name service database (passwd, group, hosts, services, ...) or one key of it, returned
 * as Ansible's getent_<database> facts. Read-only: it plans ok with the data. In check mode a user or
 * group an earlier task would create or remove answers as it would then.
 */
import { ModuleFailure } from '../engine/errors.js'
import { getentRead, type GetentAnswer } from './facts/getent.js'
import type { GroupInfo } from './facts/group.js'
import type { UserInfo } from './facts/user.js'
import { defineModule, type ModuleContext, type Plan } from './types.js'

const COLON = ['passwd', 'shadow', 'group', 'gshadow']

/** Ansible's result: first field -> the other fields (a list of those for a key seen twice). */
export function getentFacts(lines: string[], split: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const seen = new Map<string, number>()
  for (const line of lines) {
    const [key = '', ...rest] = split === undefined ? line.trim().split(/\s+/) : line.split(split)
    const n = seen.get(key) ?? 0
    if (n === 0) out[key] = rest
    else if (n === 1) out[key] = [out[key], rest]
    else (out[key] as unknown[]).push(rest)
    seen.set(key, n + 1)
  }
  return out
}

/** The entry an earlier (check mode) user or group task would leave, as getent prints it. */
function predicted(ctx: ModuleContext, db: string, key: string): GetentAnswer | undefined {
  if (db === 'passwd') {
    const u = ctx.effect('user.info', key) as UserInfo | undefined
    if (!u) return undefined
    if (!u.exists) return { rc: 2, lines: [], error: '' }
    return { rc: 0, lines: [[key, 'x', u.uid ?? '', u.gid ?? '', u.comment ?? '', u.home ?? '', u.shell ?? ''].join(':')], error: '' }
  }
  if (db === 'group') {
    const g = ctx.effect('group.info', key) as GroupInfo | undefined
    if (!g) return undefined
    if (!g.exists) return { rc: 2, lines: [], error: '' }
    return { rc: 0, lines: [[key, 'x', g.gid ?? '', (g.members ?? []).join(',')].join(':')], error: '' }
  }
  return undefined
}

export const getent = defineModule({
  name: 'getent',
  aliases: ['ansible.builtin.getent'],
  summary: 'A wrapper to the unix getent utility',
  description: 'Runs getent against a database (and a key) and returns the result as the fact getent_<database>.',
  params: {
    database: { type: 'str', required: true, description: 'A getent database (passwd, group, hosts, services, ...).' },
    key: { type: 'str', description: 'Key to look up; without it the whole database.' },
    service: { type: 'str', description: 'Override all databases with this service (getent -s).' },
    split: { type: 'str', description: 'Character to split the values at (default: `:` for passwd, shadow, group, gshadow; whitespace otherwise).' },
    fail_key: { type: 'bool', default: true, description: 'Fail when the key is not found.' },
  },
  returns: { ansible_facts: 'getent_<database>: the first field of each entry -> its other fields' },
  examples: `
- ansible.builtin.getent: { database: passwd, key: root }
- getent: { database: group, split: ":" }
`,
  async plan(p, ctx): Promise<Plan> {
    if (!/^[a-z0-9_]+$/.test(p.database)) throw new ModuleFailure(`database ${JSON.stringify(p.database)} is not a getent database name`)
    if (p.service !== undefined && !/^[A-Za-z0-9_-]+$/.test(p.service)) throw new ModuleFailure(`service ${JSON.stringify(p.service)} is not a name service`)
    const key = p.key ?? ''
    const split = p.split ?? (COLON.includes(p.database) ? ':' : undefined)
    const earlier = key && ctx.check ? predicted(ctx, p.database, key) : undefined
    const r = earlier ?? (await ctx.fact(getentRead, p.database, key, p.service ?? ''))
    const tree = `getent_${p.database}`
    const from = earlier ? ' (as an earlier task would leave it)' : ''
    if (r.rc === 0) {
      const facts = getentFacts(r.lines, split)
      return {
        kind: 'ok',
        reason: `${Object.keys(facts).length} entr${Object.keys(facts).length === 1 ? 'y' : 'ies'} of ${p.database}${from}`,
        data: { ansible_facts: { [tree]: facts } },
      }
    }
    if (r.rc === 2) {
      const msg = 'One or more supplied key could not be found in the database.'
      if (!p.fail_key) return { kind: 'ok', reason: `${key} is not in ${p.database}${from}`, data: { ansible_facts: { [tree]: { [key]: null } }, msg } }
      throw new ModuleFailure(msg)
    }
    if (r.rc === 1) throw new ModuleFailure('Missing arguments, or database unknown.')
    if (r.rc === 3) throw new ModuleFailure('Enumeration not supported on this database.')
    throw new ModuleFailure(`Unexpected failure! ${r.error}`.trim())
  },
})
