/**
 * Planning the write of ONE regular file (copy with content or a single src, template, lineinfile):
 * compare checksum and attributes, then an atomic upload (with optional backup and validate).
 *
 * Effects recorded: path.stat(dest) = { exists, type: 'file', mode, owner, group, sha256, size }
 * and path.content(dest) (the new text) for text files.
 */
import { createHash } from 'node:crypto'
import { programPath } from '../../engine/unknown.js'
import { posix } from 'node:path'
import { ModuleFailure } from '../../engine/errors.js'
import type { PathStat } from '../facts/path.js'
import type { Applied, Change, Plan } from '../types.js'
import { attrsChange, describeAttrs, planAttrs, type AttrWant } from './attrs.js'
import { contentDiff, currentBytes } from './diff-text.js'
import { fmtMode, resolveMode } from './mode.js'
import { shlexSplit } from '../../engine/connection/shlex.js'
import { fileEffects, sha256, type Stats } from './stat.js'
import type { LocalFile, ModuleContext } from '../types.js'
import { sha256File } from './local-file.js'
import { copiedFields, unknownNameFailure, unknownNames, unknownNameWarnings } from './owner-lookup.js'
import { withPathInfo } from './path-result.js'
import { validatorNotStarted } from '../../engine/apply-outcome.js'

export interface WriteArgs {
  dest: string
  /** the new content; or `source`, a large control-side file streamed when applied (never read whole) */
  content?: Buffer
  source?: LocalFile
  want: AttrWant
  /** for mode=preserve: the source file's mode bits */
  srcMode?: number
  backup?: boolean
  validate?: string
  force?: boolean
  secret?: boolean
  /** the current content when the caller already read it (spares the diff its extra read) */
  before?: Buffer
}

/**
 * Ansible's backup name, dest.PID.YYYY-MM-DD@HH:MM:SS~ (backup_local), so globs written for Ansible's
 * backups find acplay's: the pid is the controller's (Ansible's is its module's on the host, not
 * known before the plan), the time the controller's local time.
 */
export function backupName(dest: string, now = new Date(), pid = process.pid): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${dest}.${pid}.${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}@${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}~`
}

/** The copy of `path` made before it is replaced (`backup: true`), kept with its attributes. */
export function backupChange(path: string, backup: string): Change {
  return { summary: `back up ${path} to ${backup}`, commands: [{ argv: ['cp', '-p', '--', path, backup] }] }
}

/**
 * copy's and template's failure when validate refused the file, as Ansible's copy module fails (its
 * template action runs copy): msg 'failed to validate', the new content's sha1 `checksum` (the
 * plan's, when it has one), exit_status and the outputs as printed.
 * Other modules' (lineinfile...) message is the engine's default (applyFailed).
 */
export const copyValidateFailure = {
  failureMsg: (_p: unknown, out: Applied): string | undefined => (out.validation ? (out.validation.notStarted?.msg ?? 'failed to validate') : undefined),
  failureData: (_p: unknown, out: Applied, planData?: Record<string, unknown>): Record<string, unknown> | undefined => {
    const v = out.validation
    if (!v) return undefined
    const checksum = typeof planData?.checksum === 'string' ? { checksum: planData.checksum } : {}
    if (v.notStarted) return { ...checksum, ...validatorNotStarted(v) }
    const lines = (s: string) => s.split(/\r?\n/).slice(0, s.endsWith('\n') ? -1 : undefined)
    return {
      ...checksum,
      exit_status: v.rc,
      stdout: v.stdout,
      stderr: v.stderr,
      stdout_lines: v.stdout ? lines(v.stdout) : [],
      stderr_lines: v.stderr ? lines(v.stderr) : [],
    }
  },
}

/** `validate: "visudo -cf %s"` -> argv with '%s' kept for the engine to point at the temp file. */
export function validateArgv(validate: string | undefined): string[] | undefined {
  if (validate === undefined) return undefined
  if (!validate.includes('%s')) throw new ModuleFailure(`argument 'validate' must contain %s (the file to check): ${JSON.stringify(validate)}`)
  try {
    return shlexSplit(validate)
  } catch (e) {
    throw new ModuleFailure(`argument 'validate': ${(e as Error).message}`)
  }
}

/**
 * The new content's sha256. A streamed source is read for it only when it can decide something: a
 * file of the same size is there (maybe a no-op), or check mode records it for later tasks. Else
 * the stream checksums it while sending: a changed copy reads the file once.
 */
async function newChecksum(ctx: ModuleContext, a: WriteArgs, st: PathStat, size: number): Promise<string | undefined> {
  if (a.content) return sha256(a.content)
  const src = a.source!
  const decides = ctx.check || (st.exists && st.type === 'file' && st.size === size)
  if (decides) src.sha256 ??= await sha256File(src.path)
  return src.sha256
}

// No checksum in summaries or reasons: of a file holding a password it would be a guessing oracle.
export async function planWrite(ctx: ModuleContext, a: WriteArgs, stats: Stats): Promise<Plan> {
  const st = stats.get(a.dest)
  if (st.exists && st.type === 'directory') throw new ModuleFailure(`dest ${a.dest} is a directory`)
  if (st.exists && a.force === false) return { kind: 'ok', reason: `${a.dest} exists (force=no: its content is left alone)` }
  const size = a.content ? a.content.length : a.source!.size
  const newSha = await newChecksum(ctx, a, st, size)
  const validate = validateArgv(a.validate)
  // like Ansible's copy (follow=no): a link at dest is replaced by the file, not written through
  const target: PathStat = st
  if (target.exists && target.type === 'file' && newSha !== undefined && target.sha256 === newSha) {
    const attrs = planAttrs(a.dest, target, a.want, { srcMode: a.srcMode })
    if (attrs.commands.length === 0) return { kind: 'ok', reason: `${a.dest} has the wanted content (${size} bytes), ${describeAttrs(target)}` }
    return { kind: 'change', changes: [attrsChange(a.dest, target, attrs)] }
  }
  const exists = target.exists && target.type === 'file'
  const current = exists && target.mode ? parseInt(target.mode, 8) : undefined
  const mode = a.want.mode ? fmtMode(resolveMode(a.want.mode, current, false, a.srcMode)) : exists ? target.mode! : '0644'
  const owner = a.want.owner ?? (exists ? target.owner : stats.user)
  const group = a.want.group ?? (exists ? target.group : stats.group)
  const attrs: Record<string, [string, string]> = {}
  if (exists) {
    if (owner !== target.owner && a.want.owner !== undefined && String(target.uid) !== owner) attrs.owner = [target.owner ?? '', owner!]
    if (group !== target.group && a.want.group !== undefined && String(target.gid) !== group) attrs.group = [target.group ?? '', group!]
    if (mode !== target.mode) attrs.mode = [target.mode ?? '', mode]
  } else attrs.state = ['absent', 'file']
  const after: PathStat = { exists: true, type: 'file', mode, owner, group, sha256: newSha, size }
  if (/^\d+$/.test(owner ?? '')) after.uid = Number(owner)
  if (/^\d+$/.test(group ?? '')) after.gid = Number(group)
  const text = !a.content || a.content.includes(0) ? undefined : a.content.toString('utf8')
  const changes: Change[] = []
  const backup = a.backup && exists ? backupName(a.dest) : undefined
  if (backup) changes.push(backupChange(a.dest, backup))
  const before = ctx.diff ? (a.before ?? (await currentBytes(ctx, a.dest, target))) : undefined
  changes.push({
    summary: `${exists ? 'update' : 'create'} ${a.dest} (${a.secret ? 'secret content' : `${size} bytes`}, ${describeAttrs(after)})`,
    commands: [],
    upload: {
      content: a.content,
      source: a.source,
      dest: a.dest,
      // explicit owner/group/mode, so the result is exactly what the effects say
      owner: a.want.owner ?? (exists ? target.owner : undefined),
      group: a.want.group ?? (exists ? target.group : undefined),
      mode,
      secret: a.secret || undefined,
      validate,
    },
    // without --diff, the attributes alone (the registered result's diff: modules/result-diff.ts)
    diff: ctx.diff ? contentDiff(a.dest, before, a.content ?? { size }, { secret: a.secret, attrs }) : { path: a.dest, before: '', after: '', attrs },
    effects: fileEffects(a.dest, after, text),
  })
  // check mode: validate runs a program an earlier planned change (an apt install) may provide or
  // change; whether it passes is unknown until then, so the write "may change" (a met unknown)
  if (validate?.[0] !== undefined) ctx.unknown?.('path.stat', programPath(validate[0]))
  return { kind: 'change', changes, data: backup ? { backup_file: backup } : undefined }
}

/**
 * What Ansible's copy (and template, through it) returns for one file: dest, the content's sha1
 * `checksum` and, after an upload, its md5sum (when the content is in memory: a streamed source is
 * not read again for them); a copy that uploads nothing also names `path` (Ansible's copy hands it
 * to the file module); then add_path_info's fields (`st`: dest as the plan read it).
 */
export function copyResult(plan: Plan, dest: string, st: PathStat, content?: Buffer): Plan {
  const uploads = plan.kind === 'change' && plan.changes.some((c) => c.upload)
  const sums = content
    ? { checksum: createHash('sha1').update(content).digest('hex'), ...(uploads ? { md5sum: createHash('md5').update(content).digest('hex') } : {}) }
    : {}
  return withPathInfo({ ...plan, data: { dest, ...sums, ...(uploads ? {} : { path: dest }), ...plan.data } }, dest, st)
}

/**
 * copyResult, and in check mode Ansible's failure for an owner or group the host does not know
 * where dest already has the content: Ansible's copy action hands that file to the file module,
 * which warns and looks the names up (files/owner-lookup.ts); new content is predicted changed
 * without a look-up, as the action returns before any module runs.
 */
export async function checkedCopyResult(ctx: ModuleContext, want: AttrWant, plan: Plan, dest: string, st: PathStat, content?: Buffer): Promise<Plan> {
  const result = copyResult(plan, dest, st, content)
  const uploads = plan.kind === 'change' && plan.changes.some((c) => c.upload)
  if (!ctx.check || uploads || !st.exists || !(want.owner || want.group)) return result
  const unknown = await unknownNames(ctx, want, st, true)
  const warnings = unknownNameWarnings(unknown)
  if (!warnings.length) return result
  const failed = unknownNameFailure(unknown, dest, st, { ...copiedFields(result.data?.checksum), warnings })
  if (failed) throw failed
  return { ...result, data: { ...result.data, warnings } }
}

/**
 * `follow: true` (copy, template): a symlink at dest is written through, to the file it points at
 * (its stat is the link's target). Otherwise, as Ansible's default, the link itself is replaced.
 */
export function followDest(dest: string, stats: Stats): { dest: string; stats: Stats } {
  const st = stats.get(dest)
  if (st.type !== 'link' || !st.linkTarget) return { dest, stats }
  const real = posix.resolve(posix.dirname(dest), st.linkTarget)
  return { dest: real, stats: { ...stats, get: (p) => (p === real ? (st.target ?? { exists: false }) : stats.get(p)) } }
}
