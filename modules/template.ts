/**
 * template: renders a control-side Jinja template (found under templates/) with the task's
 * variables and writes it like copy (atomic upload; checksum and attributes compared first).
 * Effects: see files/write.ts (path.stat and path.content of dest).
 */
import { modeCheck } from './files/mode.js'
import { statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { AcplayError, ModuleFailure } from '../engine/errors.js'
import { readControlFile } from '../engine/vault/files.js'
import { templateLoader } from '../engine/vars/template-loader.js'
import { templateFileVars } from '../engine/vars/template-vars.js'
import { attrWant } from './files/attrs.js'
import { statPaths } from './files/stat.js'
import { fileCommonParams } from './files/common-args.js'
import { checkedCopyResult, copyValidateFailure, followDest, planWrite } from './files/write.js'
import { notYet } from './schema.js'
import { defineModule, type Plan } from './types.js'

export const template = defineModule({
  name: 'template',
  aliases: ['ansible.builtin.template'],
  summary: 'Render a Jinja template to a file on the host',
  description:
    "Renders src (found on Ansible's search path: the role's templates/, the task file's dir, the play's templates/) with the task variables " +
    'and writes it to dest. `{% include %}`, `{% import %}` and `{% extends %}` find other templates on the same path. ' +
    'ansible_managed and the template_* variables are set while it renders. acplay extension: `secret: true` hides the rendered text from diffs.',
  params: {
    src: { type: 'path', required: true, controller: true, description: 'Control-side template file' },
    dest: { type: 'path', userTilde: true, required: true, description: 'Remote path; an existing directory receives the file under the basename of src' },
    ...fileCommonParams,
    mode: {
      type: 'raw',
      check: modeCheck,
      description: 'Mode: octal string "0644", int (YAML 0644), symbolic "u=rw,g=r", or "preserve" (the template file mode)',
    },
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy before overwriting' },
    validate: { type: 'str', description: 'Command to check the rendered file before it replaces dest; %s is the temp file' },
    force: { type: 'bool', default: true, description: 'false: only write dest if it does not exist' },
    secret: { type: 'bool', default: false, description: 'acplay: the rendered text holds secrets; never shown in diffs or summaries' },
    newline_sequence: { type: 'str', default: '\n', choices: ['\n', '\r', '\r\n'], description: 'The line ending of the rendered file.' },
    follow: { type: 'bool', default: false, description: 'A symlink at dest is written through (its target gets the content) instead of being replaced.' },
    output_encoding: notYet({ type: 'str', default: 'utf-8' }, 'The encoding of the rendered file.', 'only utf-8 is written'),
    trim_blocks: { type: 'bool', default: true, description: 'Remove the first newline after a block tag (Ansible: on by default).' },
    lstrip_blocks: { type: 'bool', default: false, description: 'Strip the spaces and tabs from the start of a line to a block tag.' },
    block_start_string: notYet(
      { type: 'str', default: '{%' },
      'The string marking the beginning of a block.',
      'only the standard Jinja delimiters are supported',
    ),
    block_end_string: notYet({ type: 'str', default: '%}' }, 'The string marking the end of a block.', 'only the standard Jinja delimiters are supported'),
    variable_start_string: notYet(
      { type: 'str', default: '{{' },
      'The string marking the beginning of a print statement.',
      'only the standard Jinja delimiters are supported',
    ),
    variable_end_string: notYet(
      { type: 'str', default: '}}' },
      'The string marking the end of a print statement.',
      'only the standard Jinja delimiters are supported',
    ),
    comment_start_string: notYet(
      { type: 'str', default: '{#' },
      'The string marking the beginning of a comment.',
      'only the standard Jinja delimiters are supported',
    ),
    comment_end_string: notYet({ type: 'str', default: '#}' }, 'The string marking the end of a comment.', 'only the standard Jinja delimiters are supported'),
  },
  returns: { dest: 'the destination path', backup_file: 'the backup copy, when one was made' },
  examples: `
- template:
    src: airflow.cfg.j2
    dest: /home/astro/airflow/airflow.cfg
    owner: astro
    mode: "0640"
    secret: true
`,
  ...copyValidateFailure,
  async plan(p, ctx): Promise<Plan> {
    const want = attrWant(p, true)
    if (!p.dest.startsWith('/')) throw new ModuleFailure(`argument 'dest' must be an absolute path, got ${JSON.stringify(p.dest)}`)
    const src = ctx.findFile(p.src, 'templates')
    // the host's side first: read ahead (engine/run/read-ahead.ts) stops at this read, before the rendering
    const destPath = p.dest.replace(/(.)\/+$/, '$1')
    const intoDir = `${destPath.replace(/\/+$/, '')}/${basename(src)}`
    const stats = await statPaths(ctx, [destPath, dirname(destPath), intoDir])
    let text: string
    let srcMode: number
    let vaulted: boolean
    try {
      const read = readControlFile(src)
      text = read.content.toString('utf8')
      vaulted = read.vaulted
      srcMode = statSync(src).mode & 0o7777
    } catch (e) {
      if (e instanceof AcplayError) throw e
      throw new ModuleFailure(`could not read template ${src}: ${(e as Error).message}`)
    }
    const rendered = ctx.render(text, {
      loader: templateLoader([...(ctx.searchPaths?.('templates') ?? []), join(dirname(src), 'templates'), dirname(src)]),
      trimBlocks: p.trim_blocks,
      lstripBlocks: p.lstrip_blocks,
      vars: templateFileVars(p.src, src, p.dest, String(ctx.vars.playbook_dir ?? dirname(src))),
    })
    const nl = p.newline_sequence ?? '\n'
    const content = Buffer.from(nl === '\n' ? rendered : rendered.replace(/\n/g, nl))
    const dest = stats.get(destPath).type === 'directory' ? intoDir : destPath
    const parent = stats.get(dirname(dest))
    if (!parent.exists) throw new ModuleFailure(`Destination directory ${dirname(dest)} does not exist`)
    const t = p.follow ? followDest(dest, stats) : { dest, stats }
    const plan = await planWrite(
      ctx,
      { dest: t.dest, content, want, srcMode, backup: p.backup, validate: p.validate, force: p.force, secret: p.secret || vaulted },
      t.stats,
    )
    return checkedCopyResult(ctx, want, plan, t.dest, t.stats.get(t.dest), content)
  },
})
