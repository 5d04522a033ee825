/**
 * pamd (community.general.pamd): edit the rules of a PAM service file (/etc/pam.d/NAME) found by
 * type, control and module path: change them, insert a rule before or after them, add, set or
 * remove arguments, remove them. Parsing and edits: pamd/lines.ts, pamd/edit.ts. As Ansible, a
 * change rewrites every rule line in its layout and puts `# Updated by Ansible - TIME` as the
 * second line (TIME: the controller's local clock, as acplay's backup names); no matching rule is
 * ok with change_count 0. Ansible's pamd has no diff, so --diff shows none.
 * Effects: path.stat and path.content of the file (files/write.ts).
 */
import { ModuleFailure } from '../engine/errors.js'
import { strRepr } from '../engine/vars/py-str.js'
import { planEdit, readFollowing } from './files/edit.js'
import { applyEdit, type PamdEdit } from './pamd/edit.js'
import { invalidLine, isoStamp, parseArgs, parseService, renderService, RULE_TYPES } from './pamd/lines.js'
import { pyJoin } from './sudoers.js'
import { defineModule, type Plan } from './types.js'

const STATES = ['absent', 'after', 'args_absent', 'args_present', 'before', 'updated'] as const

export const pamd = defineModule({
  name: 'pamd',
  aliases: ['community.general.pamd'],
  summary: 'Edit the rules of a PAM service file (/etc/pam.d)',
  description:
    'Finds the rules with the given type, control and module_path and changes them (updated), inserts a new rule before or after ' +
    'each, adds or sets (args_present) or removes (args_absent) arguments, or removes the rules (absent). A change rewrites the rule ' +
    'lines in Ansible\'s layout and marks the file "# Updated by Ansible - TIME" on its second line; comments and @include lines stay.',
  params: {
    name: { type: 'str', required: true, description: 'The PAM service file, under `path` (common-password, sshd...).' },
    type: { type: 'str', required: true, choices: RULE_TYPES, description: 'The type of the rules to edit.' },
    control: { type: 'str', required: true, description: 'Their control: a word, or `[value=action ...]` as the file has it.' },
    module_path: { type: 'str', required: true, description: 'Their module path (pam_unix.so).' },
    new_type: { type: 'str', choices: RULE_TYPES, description: 'The new type (updated), or the type of the inserted rule (before, after).' },
    new_control: { type: 'str', description: 'The new control, or the control of the inserted rule.' },
    new_module_path: { type: 'str', description: 'The new module path, or the module path of the inserted rule.' },
    module_arguments: {
      type: 'list',
      elements: 'str',
      description:
        'updated: the arguments replace the rule\'s (`""` removes them); args_present: added when missing, key=value ones set; ' +
        "args_absent: removed; before/after: the inserted rule's. Each item is split at spaces; a string is split at commas.",
    },
    state: { type: 'str', default: 'updated', choices: STATES, description: 'What to do with the matching rules.' },
    path: { type: 'path', default: '/etc/pam.d', description: 'The directory of the PAM service files.' },
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy before changing the file.' },
  },
  requiredIf: [
    ['state', 'args_present', ['module_arguments']],
    ['state', 'args_absent', ['module_arguments']],
    ['state', 'before', ['new_control', 'new_type', 'new_module_path']],
    ['state', 'after', ['new_control', 'new_type', 'new_module_path']],
  ],
  returns: { change_count: 'how many rules were changed (or inserted, or removed)', backupdest: 'the backup copy, when one was made, else ""' },
  examples: `
- name: at most one old password is reused
  community.general.pamd:
    name: common-password
    type: password
    control: "[success=1 default=ignore]"
    module_path: pam_unix.so
    module_arguments: remember=5
    state: args_present
`,
  async plan(p, ctx): Promise<Plan> {
    const fname = pyJoin(p.path, p.name)
    if (!fname.startsWith('/')) throw new ModuleFailure(`the PAM service file must be an absolute path, got ${JSON.stringify(fname)}`)
    const target = await readFollowing(ctx, fname)
    if (target === 'unknown') return { kind: 'change', changes: [{ summary: `would edit ${fname} (depends on an earlier change)`, commands: [] }] }
    const { stat, text } = target.content
    const unreadable = (why: string) => new ModuleFailure(`Unable to open/read PAM module file ${fname} with error ${why}: ${strRepr(fname)}.`)
    if (!stat.exists) throw unreadable('[Errno 2] No such file or directory')
    if (stat.type === 'directory') throw unreadable('[Errno 21] Is a directory')
    if (text === undefined) throw new ModuleFailure(`Unable to open/read PAM module file ${fname}: it is not a regular file (${stat.type})`)

    const lines = parseService(text, fname)
    const args = p.module_arguments ?? undefined
    if (p.state === 'args_present' && parseArgs(args ?? []).some((a) => a.startsWith('['))) {
      throw new ModuleFailure("Unable to process bracketed '[' complex arguments with 'args_present'. Please use 'updated'.")
    }
    const changes = applyEdit(lines, { type: p.type, control: p.control, path: p.module_path }, editOf(p, args))
    const invalid = invalidLine(lines)
    if (invalid) throw new ModuleFailure(invalid)
    if (changes === 0) return { kind: 'ok', reason: `${fname}: no rule to change`, data: { change_count: 0, backupdest: '' } }

    const edited = renderService(lines, isoStamp(performance.timeOrigin + performance.now()))
    const plan = await planEdit(ctx, { target, text: edited, want: {}, backup: p.backup, msg: '' })
    if (plan.kind !== 'change') return plan
    const backup = ctx.check ? '' : String(plan.data?.backup_file ?? '')
    return {
      kind: 'change',
      // no diff: Ansible's pamd has none
      changes: plan.changes.map((c) => ({
        ...c,
        diff: undefined,
        summary: c.upload ? `${p.state} ${p.type} ${p.control} ${p.module_path}: ${changes} rule(s) in ${fname}` : c.summary,
      })),
      data: { change_count: changes, backupdest: backup },
    }
  },
})

function editOf(
  p: { state: (typeof STATES)[number]; new_type?: string; new_control?: string; new_module_path?: string },
  args: string[] | undefined,
): PamdEdit {
  switch (p.state) {
    case 'updated':
      return { state: 'updated', newType: p.new_type, newControl: p.new_control, newPath: p.new_module_path, args }
    case 'before':
    case 'after':
      return { state: p.state, newType: p.new_type!, newControl: p.new_control!, newPath: p.new_module_path!, args: args ?? [] }
    case 'args_present':
    case 'args_absent':
      return { state: p.state, args: args ?? [] }
    case 'absent':
      return { state: 'absent' }
  }
}
