/**
 * Editing a text file in place (replace, blockinfile): read it through its symlinks (Ansible writes
 * the real file, never replaces the link), then write the new text with files/write.ts, which
 * compares checksum and attributes and records the effects.
 */
import { dirname, resolve } from 'node:path'
import { ModuleFailure } from '../../engine/errors.js'
import type { PathContent, PathStat } from '../facts/path.js'
import type { Change, ModuleContext, Plan } from '../types.js'
import { planAttrs, type AttrWant } from './attrs.js'
import { readContent, type Stats } from './stat.js'
import { planWrite } from './write.js'

export interface EditTarget {
  /** the file that is written: `path` with its symlinks resolved */
  path: string
  content: PathContent
  /** the lstat of the path asked for (a link when symlinks were followed) */
  first: PathStat
}

/** The file at `path` through its symlinks (at most 8); 'unknown' when an earlier unapplied change altered it. */
export async function readFollowing(ctx: ModuleContext, path: string): Promise<EditTarget | 'unknown'> {
  let p = path
  let first: PathStat | undefined
  for (let hops = 0; hops <= 8; hops++) {
    const c = await readContent(ctx, p)
    if (c === 'unknown') return c
    first ??= c.stat
    if (c.stat.type !== 'link') return { path: p, content: c, first }
    p = resolve(dirname(p), c.stat.linkTarget ?? '')
  }
  throw new ModuleFailure(`too many levels of symbolic links at ${path}`)
}

/**
 * The text file `path` for replace/blockinfile: through its symlinks; a plan saying "depends on an
 * earlier change" when check mode cannot know its content; a failure (Ansible's words) for a
 * directory or something that is not a regular file.
 */
export async function readForEdit(ctx: ModuleContext, path: string): Promise<EditTarget | Plan> {
  const target = await readFollowing(ctx, path)
  if (target === 'unknown') return { kind: 'change', changes: [{ summary: `would change ${path} (depends on an earlier change)`, commands: [] }] }
  const { stat, text } = target.content
  if (stat.type === 'directory') throw new ModuleFailure(`Path ${path} is a directory !`)
  if (stat.exists && text === undefined) throw new ModuleFailure(`Path ${path} is not a regular file (${stat.type})`)
  return target
}

export interface EditWrite {
  target: EditTarget
  text: string
  want: AttrWant
  backup: boolean
  validate?: string
  /** Ansible's msg for the content change ('' when the content stays) */
  msg: string
}

/**
 * Plans writing the edited text; the msg as Ansible composes it ("... and ownership, perms or SE
 * linux context changed" when only attributes change too).
 */
export async function planEdit(ctx: ModuleContext, e: EditWrite, pre: Change[] = []): Promise<Plan> {
  const c = e.target.content
  const stats: Stats = { user: c.user, group: c.group, get: (x) => (x === e.target.path ? c.stat : { exists: false }) }
  const before = c.text === undefined ? undefined : Buffer.from(c.text)
  const plan = await planWrite(ctx, { dest: e.target.path, content: Buffer.from(e.text), want: e.want, backup: e.backup, validate: e.validate, before }, stats)
  if (plan.kind === 'ok') return { kind: 'ok', reason: plan.reason, data: { msg: e.msg, changed: false } }
  const contentChanged = c.text !== e.text || !c.stat.exists
  const attrsChanged = c.stat.exists && planAttrs(e.target.path, c.stat, e.want).commands.length > 0
  const msg = contentChanged
    ? `${e.msg}${attrsChanged ? ' and ownership, perms or SE linux context changed' : ''}`
    : 'ownership, perms or SE linux context changed'
  const changes = plan.changes.map((ch) => (ch.upload ? { ...ch, summary: `${e.msg || 'update'} in ${e.target.path}` } : ch))
  return { kind: 'change', changes: [...pre, ...changes], data: { ...plan.data, msg } }
}
