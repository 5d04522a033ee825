/**
 * template: renders a control-side Jinja template (found under templates/) with the task's
 * variables and writes it like copy (atomic upload; checksum and attributes compared first).
 * Effects: see files/write.ts (path.stat and path.content of dest).
 */
import { modeCheck } from './files/mode.js'
import { statSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { AcplayError, ModuleFailure } from '../engine/errors.js'
import { readControlFile } from '../engine/vault/files.js'
import { attrWant } from './files/attrs.js'
import { statPaths } from './files/stat.js'
import { planWrite } from './files/write.js'
import { defineModule, type Plan } from './types.js'

export const template = defineModule({
  name: 'template',
  aliases: ['ansible.builtin.template'],
  summary: 'Render a Jinja template to a file on the host',
  description:
    'Renders src (relative to the role/playbook templates/ dir) with the task variables and writes it to dest. ' +
    'Whitespace control (trim_blocks, lstrip_blocks) belongs to the renderer. acplay extension: `secret: true` hides the rendered text from diffs.',
  params: {
    src: { type: 'path', required: true, description: 'Control-side template file' },
    dest: { type: 'path', required: true, description: 'Remote path; an existing directory receives the file under the basename of src' },
    owner: { type: 'str', description: 'Owner (name or uid)' },
    group: { type: 'str', description: 'Group (name or gid)' },
    mode: {
      type: 'raw',
      check: modeCheck,
      description: 'Mode: octal string "0644", int (YAML 0644), symbolic "u=rw,g=r", or "preserve" (the template file mode)',
    },
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy before overwriting' },
    validate: { type: 'str', description: 'Command to check the rendered file before it replaces dest; %s is the temp file' },
    force: { type: 'bool', default: true, description: 'false: only write dest if it does not exist' },
    secret: { type: 'bool', default: false, description: 'acplay: the rendered text holds secrets; never shown in diffs or summaries' },
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
  async plan(p, ctx): Promise<Plan> {
    const want = attrWant(p, true)
    if (!p.dest.startsWith('/')) throw new ModuleFailure(`argument 'dest' must be an absolute path, got ${JSON.stringify(p.dest)}`)
    const src = ctx.findFile(p.src, 'templates')
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
    const content = Buffer.from(ctx.render(text))
    const destPath = p.dest.replace(/(.)\/+$/, '$1')
    const intoDir = `${destPath.replace(/\/+$/, '')}/${basename(src)}`
    const stats = await statPaths(ctx, [destPath, dirname(destPath), intoDir])
    const dest = stats.get(destPath).type === 'directory' ? intoDir : destPath
    const parent = stats.get(dirname(dest))
    if (!parent.exists) throw new ModuleFailure(`Destination directory ${dirname(dest)} does not exist`)
    const plan = await planWrite(
      ctx,
      { dest, content, want, srcMode, backup: p.backup, validate: p.validate, force: p.force, secret: p.secret || vaulted },
      stats,
    )
    return { ...plan, data: { dest, ...plan.data } }
  },
})
