/**
 * copy of a control-side directory: ONE read of the remote tree (facts/tree.ts), compared with the
 * local checksums; only missing or different files are uploaded (one Change each, all in one plan,
 * so one exec). Extra remote files are left alone, as Ansible's copy does.
 *
 * Effects recorded: path.stat for every created directory and every written file (plus
 * path.content for text files), and path.tree(root) = the remote tree as it will be.
 */
import { ModuleFailure } from '../../engine/errors.js'
import type { PathStat } from '../facts/path.js'
import { pathTree, type Tree, type TreeEntry } from '../facts/tree.js'
import type { Change, FactEffect, ModuleContext, Plan } from '../types.js'
import { planAttrs, type AttrWant } from './attrs.js'
import { contentDiff, currentBytes } from './diff-text.js'
import { localBytes, type LocalBytes } from './local-file.js'
import { entrySha256, type LocalEntry } from './local-tree.js'
import { fmtMode, resolveMode, type ModeSpec } from './mode.js'
import { chownCommand } from './owner-lookup.js'
import { fileEffects } from './stat.js'

export interface TreeCopyArgs {
  root: string
  local: Map<string, LocalEntry>
  want: AttrWant
  directoryMode?: ModeSpec
  force: boolean
  secret: boolean
}

const statOf = (e: TreeEntry): PathStat => ({
  exists: true,
  type: e.type,
  mode: e.mode,
  owner: e.owner,
  group: e.group,
  size: e.size,
  sha256: e.sha256,
  linkTarget: e.linkTarget,
})
const entryOf = (s: PathStat): TreeEntry => ({
  type: s.type ?? 'other',
  mode: s.mode ?? '',
  owner: s.owner ?? '',
  group: s.group ?? '',
  size: s.size ?? 0,
  sha256: s.sha256,
  linkTarget: s.linkTarget,
})
const abs = (root: string, rel: string) => (rel ? `${root.replace(/\/+$/, '')}/${rel}` : root)

/** The remote tree, with what earlier unapplied changes (check mode) made true laid over it. */
async function remoteTree(ctx: ModuleContext, a: TreeCopyArgs): Promise<Tree> {
  const tree = await ctx.fact(pathTree, a.root)
  const entries = { ...tree.entries }
  for (const rel of a.local.keys()) {
    const eff = ctx.effect('path.stat', abs(a.root, rel)) as PathStat | undefined
    if (eff?.exists) entries[rel] = entryOf(eff)
    else if (eff) delete entries[rel]
  }
  return { ...tree, state: entries[''] ? 'dir' : tree.state, entries }
}

export async function planTreeCopy(ctx: ModuleContext, a: TreeCopyArgs): Promise<Plan> {
  const remote = await remoteTree(ctx, a)
  if (remote.state === 'notdir' && !remote.entries['']) throw new ModuleFailure(`dest ${a.root} exists and is not a directory`)
  const after: Record<string, TreeEntry> = { ...remote.entries }
  const newDirs: string[] = []
  const fileChanges: Change[] = []
  const effects: FactEffect[] = []
  let files = 0
  for (const [rel, l] of a.local) {
    const path = abs(a.root, rel)
    const r = remote.entries[rel]
    if (l.type === 'directory') {
      if (r && r.type !== 'directory') throw new ModuleFailure(`cannot copy directory to ${path}: a ${r.type} is in the way`)
      if (!r) newDirs.push(rel)
      continue
    }
    files++
    if (r && r.type === 'directory') throw new ModuleFailure(`cannot copy file to ${path}: a directory is in the way`)
    if (r && !a.force) continue
    // the local checksum is read only when it can decide something (same size there, or check mode's effects)
    const sha = r?.type === 'file' && r.size === l.size ? entrySha256(l) : ctx.check ? entrySha256(l) : undefined
    if (r && r.type === 'file' && sha !== undefined && r.sha256 === sha) {
      const attrs = planAttrs(path, statOf(r), a.want, { srcMode: l.mode })
      if (attrs.commands.length === 0) continue
      after[rel] = { ...r, owner: attrs.owner ?? r.owner, group: attrs.group ?? r.group, mode: attrs.mode }
      fileChanges.push({
        summary: `set ${Object.keys(attrs.attrs).join(', ')} on ${path}`,
        commands: attrs.commands,
        diff: { path, before: '', after: '', attrs: attrs.attrs },
        effects: [{ fact: 'path.stat', key: path, value: statOf(after[rel]!) }],
      })
      continue
    }
    const exists = r?.type === 'file'
    const mode = a.want.mode ? fmtMode(resolveMode(a.want.mode, exists ? parseInt(r.mode, 8) : undefined, false, l.mode)) : exists ? r.mode : '0644'
    const owner = a.want.owner ?? (exists ? r.owner : (remote.user ?? ''))
    const group = a.want.group ?? (exists ? r.group : (remote.group ?? ''))
    // a vault file's plaintext was read with the tree; any other file now (or streamed when large)
    const bytes: LocalBytes = l.content ? { content: l.content, size: l.size } : localBytes(l.path, l.size, false)
    const content = 'content' in bytes ? bytes.content : undefined
    after[rel] = { type: 'file', mode, owner, group, size: l.size, sha256: sha }
    const text = !content || content.includes(0) ? undefined : content.toString('utf8')
    const before = ctx.diff && exists ? await currentBytes(ctx, path, statOf(r)) : undefined
    fileChanges.push({
      summary: `${exists ? 'update' : 'create'} ${path}`,
      commands: [],
      upload: {
        content,
        source: 'source' in bytes ? { ...bytes.source, sha256: sha } : undefined,
        dest: path,
        owner: a.want.owner ?? (exists ? r.owner : undefined),
        group: a.want.group ?? (exists ? r.group : undefined),
        mode,
        secret: a.secret || undefined,
      },
      diff: ctx.diff
        ? contentDiff(path, before, content ?? { size: l.size }, { secret: a.secret, attrs: exists ? undefined : { state: ['absent', 'file'] } })
        : undefined,
      effects: fileEffects(path, statOf(after[rel]!), text),
    })
  }
  const changes: Change[] = []
  if (newDirs.length) changes.push(dirsChange(a, newDirs, remote, after))
  changes.push(...fileChanges)
  if (changes.length === 0) return { kind: 'ok', reason: `${a.root}: all ${files} file(s) up to date (sha256, owner and mode match)`, data: { dest: a.root } }
  effects.push({ fact: 'path.tree', key: a.root, value: { state: 'dir', entries: after, user: remote.user, group: remote.group } satisfies Tree })
  changes[changes.length - 1]!.effects = [...(changes[changes.length - 1]!.effects ?? []), ...effects]
  return { kind: 'change', changes, data: { dest: a.root } }
}

/** One change creating the missing directories, parents first, with directory_mode and owner/group. */
function dirsChange(a: TreeCopyArgs, rels: string[], remote: Tree, after: Record<string, TreeEntry>): Change {
  const paths = rels.map((r) => abs(a.root, r))
  const mode = fmtMode(a.directoryMode ? resolveMode(a.directoryMode, undefined, true) : 0o755)
  const commands = [{ argv: ['mkdir', '-p', '-m', mode, '--', ...paths] }]
  if (a.want.owner || a.want.group) commands.push(chownCommand(a.want, paths))
  // mkdir -m does not apply to parents it creates for the root; chmod makes every new dir exact
  commands.push({ argv: ['chmod', '--', mode, ...paths] })
  const effects: FactEffect[] = []
  for (const rel of rels) {
    after[rel] = { type: 'directory', mode, owner: a.want.owner ?? remote.user ?? '', group: a.want.group ?? remote.group ?? '', size: 4096 }
    effects.push({ fact: 'path.stat', key: abs(a.root, rel), value: statOf(after[rel]!) })
  }
  return {
    summary: `create ${rels.length} director${rels.length === 1 ? 'y' : 'ies'} under ${a.root} (mode ${mode})`,
    commands,
    diff: { path: a.root, before: '', after: '', attrs: { state: ['absent', 'directory'] } },
    effects,
  }
}
