/**
 * copy: a control-side file or directory, or inline `content`, to the host. Writes are atomic
 * (temp file in the same directory, owner/mode set, then rename). Directory copies send only the
 * files whose sha256 or attributes differ, and never delete extra remote files (as Ansible).
 *
 * Effects: see files/write.ts (one file) and files/copy-tree.ts (a directory); a directory created
 * for `dest: dir/` is recorded as path.stat { type: 'directory' }.
 */
import { modeCheck } from './files/mode.js'
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { pyJson } from '../engine/vars/filters-data.js'
import { attrWant, modeParam } from './files/attrs.js'
import { planTreeCopy } from './files/copy-tree.js'
import { localBytes } from './files/local-file.js'
import { localTree } from './files/local-tree.js'
import { fmtMode, NEW_DIR_MODE } from './files/mode.js'
import { fileCommonParams } from './files/common-args.js'
import { planRemoteCopy } from './files/remote-copy.js'
import { statPaths, type Stats } from './files/stat.js'
import { checkedCopyResult, copyResult, copyValidateFailure, followDest, planWrite } from './files/write.js'
import { notYet } from './schema.js'
import { defineModule, type Change, type Plan } from './types.js'

const join = (dir: string, name: string) => `${dir.replace(/\/+$/, '')}/${name}`

export const copy = defineModule({
  name: 'copy',
  aliases: ['ansible.builtin.copy'],
  summary: 'Copy files or directories to the host',
  description:
    'Copies a control-side file or directory (src), or inline content, to dest. `src: dir/` copies the contents of dir, `src: dir` the directory itself. ' +
    'Only files whose checksum or attributes differ are sent; extra files at dest are never deleted. ' +
    'acplay extension: `secret: true` hides the content from diffs and summaries (Ansible uses no_log).',
  params: {
    dest: {
      type: 'path',
      userTilde: 'remote_src',
      required: true,
      description: 'Remote path; a directory (or a path ending in /) receives src under its basename',
    },
    src: { type: 'path', controller: 'remote_src', description: 'Control-side file or directory, relative to the role/playbook files/ dir' },
    content: {
      type: 'raw',
      secretIf: 'secret',
      description: 'Inline content for dest (instead of src); a list or mapping is written as JSON, as Ansible does; masked everywhere with secret: true',
    },
    ...fileCommonParams,
    mode: {
      type: 'raw',
      check: modeCheck,
      description: 'Mode of the files: octal string "0644", int (YAML 0644), symbolic "u=rw,g=r", or "preserve" (the source file mode)',
    },
    directory_mode: { type: 'raw', check: modeCheck, description: 'Mode of directories created by a directory copy (existing ones are not changed)' },
    backup: {
      type: 'bool',
      default: false,
      description: 'Keep a timestamped copy (dest.PID.YYYY-MM-DD@HH:MM:SS~, as Ansible names it) before overwriting a file',
    },
    validate: { type: 'str', description: 'Command to check the new file before it replaces dest; %s is the temp file, e.g. "visudo -cf %s"' },
    force: { type: 'bool', default: true, description: 'false: only write files that do not exist yet' },
    secret: { type: 'bool', default: false, description: 'acplay: the content is a secret; never shown in diffs or summaries' },
    decrypt: { type: 'bool', default: true, description: 'Decrypt an Ansible Vault src file on the control machine (its content is then secret)' },
    remote_src: { type: 'bool', default: false, description: 'src is a file on the host (copied there; a directory src is not supported yet)' },
    follow: { type: 'bool', default: false, description: 'a symlink at dest is written through (its target gets the content) instead of being replaced' },
    checksum: { type: 'str', description: 'the SHA1 the copied file must have; a different source fails the task before anything is written' },
    local_follow: notYet({ type: 'bool', default: true }, 'Follow symlinks in the control-side src.', 'symlinks in src are always followed'),
  },
  mutuallyExclusive: [['src', 'content']],
  requiredOneOf: [['src', 'content']],
  requiredIf: [['remote_src', true, ['src']]],
  returns: { dest: 'the destination path', backup_file: 'the backup copy, when one was made' },
  examples: `
- copy:
    src: dags/            # the contents of files/dags/
    dest: /home/astro/airflow/dags
    owner: astro
    mode: "0644"
- copy:
    content: "{{ fernet_key }}"
    dest: /etc/airflow/fernet
    mode: "0600"
    secret: true
`,
  ...copyValidateFailure,
  async plan(p, ctx): Promise<Plan> {
    const want = attrWant(p, true)
    const directoryMode = modeParam(p.directory_mode, 'directory_mode')
    if (!p.dest.startsWith('/')) throw new ModuleFailure(`argument 'dest' must be an absolute path, got ${JSON.stringify(p.dest)}`)
    if (p.validate !== undefined && !p.validate.includes('%s')) throw new ModuleFailure(`argument 'validate' must contain %s (the file to check)`)
    const base = { want, backup: p.backup, validate: p.validate, force: p.force, secret: p.secret }
    const target = (dest: string, stats: Stats) => (p.follow ? followDest(dest, stats) : { dest, stats })
    const checksum = (content: Buffer) => {
      if (p.checksum !== undefined && createHash('sha1').update(content).digest('hex') !== p.checksum.toLowerCase())
        throw new ModuleFailure('Copied file does not match the expected checksum. Transfer failed.')
    }
    if (p.remote_src) return planRemoteCopy(ctx, p.src!, p.dest, { ...base, checksum: p.checksum })
    if (p.content !== undefined && p.content !== null) {
      const content = contentText(p.content)
      if (p.dest.endsWith('/')) throw new ModuleFailure(`can not use content with a dir as dest (${p.dest})`)
      if (want.mode?.kind === 'preserve') throw new ModuleFailure(`mode=preserve needs src, not content`)
      const stats = await statPaths(ctx, [p.dest, dirname(p.dest)])
      if (stats.get(p.dest).type === 'directory') throw new ModuleFailure(`can not use content with a dir as dest (${p.dest} is a directory)`)
      requireDir(stats.get(dirname(p.dest)), dirname(p.dest))
      checksum(Buffer.from(content))
      const t = target(p.dest, stats)
      const bytes = Buffer.from(content)
      return checkedCopyResult(ctx, want, await planWrite(ctx, { ...base, dest: t.dest, content: bytes }, t.stats), t.dest, t.stats.get(t.dest), bytes)
    }
    const src = ctx.findFile(p.src!, 'files')
    let isDir: boolean
    try {
      isDir = statSync(src).isDirectory()
    } catch (e) {
      throw new ModuleFailure(`could not read src ${src}: ${(e as Error).message}`)
    }
    if (isDir) {
      if (p.checksum !== undefined) throw new ModuleFailure('checksum applies to a single file, and src is a directory')
      const root = p.src!.endsWith('/') ? p.dest : join(p.dest, basename(src))
      const local = localTree(src, p.decrypt)
      const secret = p.secret || [...local.values()].some((e) => e.vaulted)
      return planTreeCopy(ctx, { root, local, want, directoryMode, force: p.force, secret })
    }
    const st = statSync(src)
    const bytes = localBytes(src, st.size, p.decrypt)
    if (bytes.vaulted) base.secret = true
    if (p.checksum !== undefined) checksum('content' in bytes ? bytes.content : readFileSync(src))
    const content = 'content' in bytes ? { content: bytes.content } : { source: bytes.source }
    const srcMode = st.mode & 0o7777
    const destPath = p.dest.replace(/(.)\/+$/, '$1')
    const intoDir = join(destPath, basename(src))
    const stats = await statPaths(ctx, [destPath, dirname(destPath), intoDir])
    if (p.dest.endsWith('/') && !stats.get(destPath).exists) {
      // Ansible creates a dest ending in / (and its parents)
      const mode = fmtMode(NEW_DIR_MODE)
      const mk: Change = {
        summary: `create directory ${p.dest}`,
        commands: [{ argv: ['mkdir', '-p', '--', p.dest] }],
        effects: [{ fact: 'path.stat', key: destPath, value: { exists: true, type: 'directory', mode, owner: stats.user, group: stats.group } }],
      }
      const w = await planWrite(ctx, { ...base, dest: intoDir, ...content, srcMode }, stats)
      const plan: Plan = { kind: 'change', changes: w.kind === 'change' ? [mk, ...w.changes] : [mk] }
      return copyResult(plan, intoDir, stats.get(intoDir), content.content)
    }
    const dest = stats.get(destPath).type === 'directory' ? intoDir : destPath
    if (dest === destPath) requireDir(stats.get(dirname(destPath)), dirname(destPath))
    const t = target(dest, stats)
    const w = await planWrite(ctx, { ...base, dest: t.dest, ...content, srcMode }, t.stats)
    return checkedCopyResult(ctx, want, w, t.dest, t.stats.get(t.dest), content.content)
  },
})

function requireDir(st: { exists: boolean; type?: string }, dir: string): void {
  if (!st.exists) throw new ModuleFailure(`Destination directory ${dir} does not exist`)
  if (st.type !== 'directory' && !(st.type === 'link')) throw new ModuleFailure(`Destination ${dir} is not a directory`)
}

/** Inline content as Ansible's copy action writes it: a list or mapping as JSON (json.dumps), a scalar as Python's str(). */
function contentText(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'object') return pyJson(v, null, false)
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  return String(v)
}
