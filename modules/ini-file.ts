/**
 * ini_file (community.general.ini_file): one option of an INI-style file set, added or removed, or a
 * section added or removed, with Ansible's exact placement and change rules (files/ini.ts). One
 * read; symlinks are followed and the real file is written (Ansible replaces the link with a file);
 * a missing file is created with its directory unless create=false. Effects: path.stat and
 * path.content of the file (files/write.ts).
 */
import { dirname } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { attrWant } from './files/attrs.js'
import { fileCommonParams } from './files/common-args.js'
import { planEdit, readForEdit } from './files/edit.js'
import { editIni, type IniEdit } from './files/ini.js'
import { defineModule, type Change, type Plan } from './types.js'

export const iniFile = defineModule({
  name: 'ini_file',
  aliases: ['community.general.ini_file'],
  summary: 'Set, add or remove options and sections in INI-style files',
  description:
    'An option line is "option = value" (no_extra_spaces: "option=value"); a missing option goes after the last setting of its ' +
    'section, a missing section at the end of the file. exclusive (default) makes the given value(s) the only ones of the option. ' +
    'A commented-out option ("#option = x") is taken as the option for state=present, as in Ansible.',
  params: {
    path: { type: 'path', required: true, aliases: ['dest'], description: 'The INI-style file; created when missing unless create=false.' },
    section: { type: 'str', description: 'The section; empty or omitted: the options before the first section.' },
    option: { type: 'str', description: 'The option; omitted to add or remove a whole section.' },
    value: { type: 'str', description: "The option's value (value: v is values: [v])." },
    values: { type: 'list', elements: 'str', description: "The option's values, one line each." },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'], description: 'Whether the option (or section) should be there.' },
    exclusive: {
      type: 'bool',
      default: true,
      description: 'present: the given values replace all of the option; absent: every line of the option goes (false: only the given values).',
    },
    no_extra_spaces: { type: 'bool', default: false, description: 'Write "option=value" instead of "option = value".' },
    allow_no_value: { type: 'bool', default: false, description: 'Allow an option without value and without "=".' },
    create: { type: 'bool', default: true, description: 'Create the file when it is missing (false: fail).' },
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy before changing the file.' },
    ...fileCommonParams,
  },
  mutuallyExclusive: [['value', 'values']],
  returns: {
    msg: "'OK', 'option changed', 'option added', 'section removed', 'section and option added' or 'only section added'",
    path: 'the file',
    backup_file: 'the backup copy, when one was made',
  },
  examples: `
- community.general.ini_file:
    path: /etc/php/8.2/fpm/php.ini
    section: PHP
    option: memory_limit
    value: 256M
    mode: "0644"
- ini_file:
    path: /etc/app.conf
    section: mirrors
    option: url
    values: [https://a.example, https://b.example]
`,
  async plan(p, ctx): Promise<Plan> {
    if (!p.path.startsWith('/')) throw new ModuleFailure(`argument 'path' must be an absolute path, got ${JSON.stringify(p.path)}`)
    const present = p.state === 'present'
    if (present && !p.allow_no_value && p.value === undefined && !p.values?.length) {
      throw new ModuleFailure("Parameter 'value(s)' must be defined if state=present and allow_no_value=False.")
    }
    const args = {
      section: p.section,
      option: p.option,
      values: p.value !== undefined ? [p.value] : (p.values ?? []),
      present,
      exclusive: p.exclusive,
      noExtraSpaces: p.no_extra_spaces,
      allowNoValue: p.allow_no_value,
    }
    if (args.option === undefined && args.values.length) throw new ModuleFailure('value(s) given without option: name the option to set')
    const target = await readForEdit(ctx, p.path)
    if ('kind' in target) return target
    const { stat, text } = target.content
    if (!stat.exists && !p.create) throw new ModuleFailure(`Destination ${p.path} does not exist!`, { rc: 257 })
    const edit: IniEdit = editIni(text, args)
    const data = { msg: edit.msg, path: p.path }
    if (!stat.exists && !edit.changed) return { kind: 'ok', reason: `${p.path} does not exist and needs nothing`, data }
    const pre: Change[] = []
    if (!stat.exists) pre.push({ summary: `ensure directory ${dirname(target.path)}`, commands: [{ argv: ['mkdir', '-p', '--', dirname(target.path)] }] })
    // unchanged by the edit: the file stays as it is (a CRLF file is not rewritten with \n)
    const next = edit.changed ? edit.text : (text ?? '')
    const plan = await planEdit(ctx, { target, text: next, want: attrWant(p), backup: p.backup, msg: edit.msg }, pre)
    if (plan.kind === 'ok') return { ...plan, reason: `${describe(args)}: ${plan.reason}`, data: { ...plan.data, ...data } }
    if (plan.kind === 'change') return { ...plan, data: { ...plan.data, ...data } }
    return plan
  },
})

function describe(a: { section?: string | null; option?: string; present: boolean }): string {
  const where = a.section ? `[${a.section}]` : 'before the first section'
  return a.option ? `${a.option} in ${where}` : `section ${where}`
}
