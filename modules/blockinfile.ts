/**
 * blockinfile: a block of lines between marker lines, inserted, updated or removed, with Ansible's
 * exact semantics (files/block.ts). One read; symlinks are followed (the real file is written);
 * `create` makes the file and its directory. Effects: path.stat and path.content of the file
 * (files/write.ts), and path.stat of a directory it creates.
 */
import { dirname } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { attrWant } from './files/attrs.js'
import { editBlock } from './files/block.js'
import { fileCommonParams } from './files/common-args.js'
import { planEdit, readForEdit } from './files/edit.js'
import { validateArgv } from './files/write.js'
import { defineModule, type Change, type Plan } from './types.js'

export const blockinfile = defineModule({
  name: 'blockinfile',
  summary: 'Insert/update/remove a text block surrounded by marker lines',
  description:
    'The block sits between "# BEGIN ANSIBLE MANAGED BLOCK" and "# END ..." lines (see marker); an existing block (the last pair of markers) ' +
    'is replaced, else the block is inserted after the last line matching insertafter / before the last matching insertbefore (EOF/BOF), else at the end. ' +
    'An empty block removes it, as state=absent. Use a distinct marker per block in one file.',
  params: {
    path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'], description: 'The file to modify.' },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'], description: 'Whether the block should be there.' },
    marker: {
      type: 'str',
      default: '# {mark} ANSIBLE MANAGED BLOCK',
      description: 'The marker line template; {mark} becomes marker_begin / marker_end.',
    },
    block: { type: 'str', default: '', aliases: ['content'], description: 'The text between the marker lines; empty removes the block.' },
    insertafter: { type: 'str', description: 'EOF, or a regular expression: insert after its last matching line (when there is no block yet).' },
    insertbefore: { type: 'str', description: 'BOF, or a regular expression: insert before its last matching line (when there is no block yet).' },
    create: { type: 'bool', default: false, description: 'Create the file (and its directory) if it does not exist.' },
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy before changing the file.' },
    validate: { type: 'str', description: 'Command to check the new file before it replaces path; %s is the temp file.' },
    marker_begin: { type: 'str', default: 'BEGIN', description: 'What {mark} becomes in the first marker line.' },
    marker_end: { type: 'str', default: 'END', description: 'What {mark} becomes in the last marker line.' },
    append_newline: { type: 'bool', default: false, description: 'Add a blank line after the block unless one (or the end of the file) is there.' },
    prepend_newline: { type: 'bool', default: false, description: 'Add a blank line before the block unless one (or the start of the file) is there.' },
    ...fileCommonParams,
  },
  mutuallyExclusive: [['insertbefore', 'insertafter']],
  returns: { msg: "'Block inserted', 'Block removed', 'File created', or ''", backup_file: 'the backup copy, when one was made' },
  examples: `
- blockinfile:
    path: /etc/ssh/sshd_config
    block: |
      Match User deploy
        PasswordAuthentication no
- blockinfile:
    path: /etc/hosts
    marker: "# {mark} app hosts"
    block: "{{ lookup('template', 'hosts.j2') }}"
`,
  async plan(p, ctx): Promise<Plan> {
    const want = attrWant(p)
    if (!p.path.startsWith('/')) throw new ModuleFailure(`argument 'path' must be an absolute path, got ${JSON.stringify(p.path)}`)
    validateArgv(p.validate)
    const args = {
      present: p.state === 'present',
      block: p.block,
      marker: p.marker,
      markerBegin: p.marker_begin,
      markerEnd: p.marker_end,
      insertafter: p.insertafter,
      insertbefore: p.insertbefore,
      prependNewline: p.prepend_newline,
      appendNewline: p.append_newline,
    }
    try {
      editBlock('', args)
    } catch (e) {
      throw new ModuleFailure((e as Error).message)
    }
    const target = await readForEdit(ctx, p.path)
    if ('kind' in target) return target
    const { stat, text } = target.content
    const pre: Change[] = []
    if (!stat.exists) {
      // as Ansible: without create a missing file fails, even for state=absent
      if (!p.create) throw new ModuleFailure(`Path ${p.path} does not exist !`, { rc: 257 })
      if (!args.present) return { kind: 'ok', reason: `File ${p.path} not present`, data: { msg: `File ${p.path} not present` } }
      pre.push({ summary: `ensure directory ${dirname(target.path)}`, commands: [{ argv: ['mkdir', '-p', '--', dirname(target.path)] }] })
    }
    const next = editBlock(text, args)
    const msg = next === text ? '' : text === undefined ? 'File created' : args.present && p.block ? 'Block inserted' : 'Block removed'
    const plan = await planEdit(ctx, { target, text: next, want, backup: p.backup, validate: p.validate, msg }, pre)
    const texts = ctx.diff ? { before: text ?? '', after: next } : undefined
    if (plan.kind === 'ok') {
      const what = args.present && p.block ? 'the block is in place' : 'no block'
      return { ...plan, reason: `${what} (${p.marker.split('{mark}').join(p.marker_begin)}); ${plan.reason}`, ...(texts && { texts }) }
    }
    return { ...plan, ...(texts && { texts }) }
  },
})
