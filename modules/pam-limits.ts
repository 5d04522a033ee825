/**
 * pam_limits (community.general.pam_limits): one "domain type item value" line of limits.conf, as
 * Ansible's module edits it (editLimits): every line of that domain, type and item gets the value
 * (use_max / use_min keep the larger / smaller), else a tab-separated line is appended; comment
 * lines and lines that are not four fields stay as they are. Its quirk is kept too, so files stay
 * byte for byte what Ansible leaves: without `comment`, a changed or new line takes the comment of
 * the first earlier setting line that has one. A missing dest is created (its directory must exist).
 * Effects: path.stat and path.content of dest (files/write.ts).
 */
import { dirname } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { pathStat } from './facts/path.js'
import { planEdit, readForEdit } from './files/edit.js'
import { defineModule, type Plan } from './types.js'

const ITEMS = ['core', 'data', 'fsize', 'memlock', 'nofile', 'rss', 'stack', 'cpu', 'nproc', 'as', 'maxlogins', 'maxsyslogins', 'priority', 'locks']
const MORE_ITEMS = ['sigpending', 'msgqueue', 'nice', 'rtprio', 'chroot']
const UNLIMITED = new Set(['unlimited', 'infinity', '-1'])

export interface LimitsArgs {
  domain: string
  type: string
  item: string
  value: string
  useMax: boolean
  useMin: boolean
  comment: string
  /** the file, for the message about an invalid line in it */
  dest: string
}

/** Ansible's check of a value: -20..19 for nice and priority, else a count or unlimited. */
function checkValue(item: string, value: string, prefix = ''): void {
  if (item === 'nice' || item === 'priority') {
    const n = /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : Number.NaN
    if (!(n >= -20 && n <= 19))
      throw new ModuleFailure(
        `${prefix} Value of '${value}' for item '${item}' is invalid. Value must be a number in the range -20 to 19 inclusive. Refer to the limits.conf(5) manual pages for more details.`,
      )
  } else if (!(UNLIMITED.has(value) || /^\d+$/.test(value))) {
    throw new ModuleFailure(
      `${prefix} Value of '${value}' for item '${item}' is invalid. Value must either be 'unlimited', 'infinity' or -1, all of which indicate no limit, or a limit of 0 or larger. Refer to the limits.conf(5) manual pages for more details.`,
    )
  }
}

/** The new text of limits.conf and the line Ansible reports (`original` undefined: no file yet). */
export function editLimits(original: string | undefined, a: LimitsArgs): { text: string; changed: boolean; msg: string } {
  checkValue(a.item, a.value)
  const lines = (original ?? '').match(/[^\n]*\n|[^\n]+$/g) ?? []
  let comment = a.comment
  let value = a.value
  let found = false
  let changed = original === undefined
  let msg = ''
  const out: string[] = []
  // as Ansible: a written line prefixes the comment with "\t#" for good (a second one gets it twice)
  const line = () => {
    if (comment) comment = `\t#${comment}`
    return `${a.domain}\t${a.type}\t${a.item}\t${value}${comment}\n`
  }
  for (const l of lines) {
    const collapsed = l.replace(/\s+/g, ' ').trim()
    if (l.startsWith('#') || !collapsed) {
      out.push(l)
      continue
    }
    const hash = l.indexOf('#')
    if (!comment) comment = hash < 0 ? '' : l.slice(hash + 1)
    const fields = collapsed.split('#', 1)[0]!.trimEnd().split(' ')
    if (fields.length !== 4) {
      out.push(l)
      continue
    }
    const [domain, type, item, actual] = fields as [string, string, string, string]
    checkValue(item, actual, `Invalid configuration found in '${a.dest}'.`)
    if (domain !== a.domain || type !== a.type || item !== a.item) {
      out.push(l)
      continue
    }
    found = true
    if (a.value === actual) {
      msg = l
      out.push(l)
      continue
    }
    const actualUnlimited = UNLIMITED.has(actual)
    const wantUnlimited = UNLIMITED.has(a.value)
    if (a.useMax) value = actualUnlimited ? actual : wantUnlimited ? a.value : String(Math.max(Number(a.value), Number(actual)))
    if (a.useMin) {
      value = actualUnlimited && wantUnlimited ? actual : actualUnlimited ? a.value : wantUnlimited ? actual : String(Math.min(Number(a.value), Number(actual)))
    }
    if (value === actual) {
      msg = l
      out.push(l)
      continue
    }
    changed = true
    msg = line()
    out.push(msg)
  }
  if (!found) {
    changed = true
    msg = line()
    out.push(msg)
  }
  return { text: out.join(''), changed, msg }
}

export const pamLimits = defineModule({
  name: 'pam_limits',
  aliases: ['community.general.pam_limits'],
  summary: 'Set a PAM limit in /etc/security/limits.conf (or another limits file)',
  description:
    'Every "domain type item" line gets the value (use_max / use_min keep the larger / smaller of the two); without one, a line is ' +
    'appended. Other lines and comments stay. A missing dest is created in its existing directory.',
  params: {
    domain: { type: 'str', required: true, description: 'A user name, @group, wildcard (*) or uid/gid range.' },
    limit_type: { type: 'str', required: true, choices: ['soft', 'hard', '-'], description: 'soft, hard, or - for both.' },
    limit_item: { type: 'str', required: true, choices: [...ITEMS, ...MORE_ITEMS], description: 'The limit (nofile, nproc, memlock...).' },
    value: { type: 'str', required: true, description: "A number, or 'unlimited' / 'infinity' / -1; -20..19 for nice and priority." },
    use_max: { type: 'bool', default: false, description: 'Keep the existing value when it is larger.' },
    use_min: { type: 'bool', default: false, description: 'Keep the existing value when it is smaller.' },
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy before changing the file.' },
    dest: { type: 'str', default: '/etc/security/limits.conf', description: 'The limits file.' },
    comment: { type: 'str', default: '', description: 'A comment after the value (tab, #, comment).' },
  },
  mutuallyExclusive: [['use_max', 'use_min']],
  returns: { msg: 'the line as it is in the file now', backup_file: 'the backup copy, when one was made' },
  examples: `
- community.general.pam_limits:
    domain: postgres
    limit_type: "-"
    limit_item: nofile
    value: "65536"
    dest: /etc/security/limits.d/postgres.conf
`,
  async plan(p, ctx): Promise<Plan> {
    if (!p.dest.startsWith('/')) throw new ModuleFailure(`argument 'dest' must be an absolute path, got ${JSON.stringify(p.dest)}`)
    const target = await readForEdit(ctx, p.dest)
    if ('kind' in target) return target
    const { stat, text } = target.content
    if (!stat.exists && !(await ctx.fact(pathStat, dirname(p.dest))).exists) {
      throw new ModuleFailure(`directory ${dirname(p.dest)} is not writable (check presence, access rights, use sudo)`)
    }
    const args = {
      domain: p.domain,
      type: p.limit_type,
      item: p.limit_item,
      value: p.value,
      useMax: p.use_max,
      useMin: p.use_min,
      comment: p.comment,
      dest: p.dest,
    }
    const edit = editLimits(stat.exists ? (text ?? '') : undefined, args)
    const plan = await planEdit(ctx, { target, text: edit.text, want: {}, backup: p.backup, msg: edit.msg.trimEnd() })
    const data = { msg: edit.msg }
    if (plan.kind === 'ok') return { ...plan, reason: `${p.domain} ${p.limit_type} ${p.limit_item} ${p.value} in ${p.dest}`, data }
    return plan.kind === 'change' ? { ...plan, data: { ...plan.data, ...data } } : plan
  },
})
