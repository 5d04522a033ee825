/**
 * The `file` module's states, each a planner over already-read stats (pure apart from the recurse
 * read). Effects recorded: path.stat of the path (directory/file/link/{exists:false}) and of every
 * directory created on the way; absent also records path.tree { state: 'absent' }; recurse records
 * path.tree of the directory with the new attributes.
 */
import { dirname } from 'node:path'
import { ModuleFailure } from '../../engine/errors.js'
import type { PathStat } from '../facts/path.js'
import type { Tree, TreeEntry } from '../facts/tree.js'
import type { Change, Command, FactEffect, Plan } from '../types.js'
import { attrsChange, describeAttrs, planAttrs, type AttrWant } from './attrs.js'
import { fmtMode, resolveMode } from './mode.js'
import { chownCommand } from './owner-lookup.js'
import { pathInfoOf } from './path-result.js'
import { ancestors, sha256, type Stats } from './stat.js'
import { planTimes, type PathTimes, type TimeWant } from './times.js'

export interface FileArgs {
  path: string
  want: AttrWant
  src?: string
  follow: boolean
  force: boolean
  /** the working directory, when the task's path is relative to it: an unknown owner's failure names the path as given */
  relativeTo?: string
}

const ok = (reason: string): Plan => ({ kind: 'ok', reason })
const change = (c: Change, waitsFor?: string): Plan => ({ kind: 'change', changes: [c], ...(waitsFor !== undefined ? { waitsFor } : {}) })

/** Ansible's get_state: what a path is, as its failures name it. */
export function prevState(st: PathStat): string {
  if (!st.exists) return 'absent'
  if (st.type === 'link' || st.type === 'directory') return st.type
  return (st.nlink ?? 1) > 1 ? 'hard' : 'file'
}

/** A failure as Ansible's file module raises it: its keys, then add_path_info's of `path` (or `dest`). */
function failure(msg: string, keys: Record<string, unknown>, st: PathStat): ModuleFailure {
  return new ModuleFailure(msg, { ...keys, ...pathInfoOf(st) })
}

/** The stat to manage: a link's target when following links. */
function subject(st: PathStat, follow: boolean): PathStat {
  return st.type === 'link' && follow && st.target?.exists ? st.target : st
}

function attrsOnly(a: FileArgs, st: PathStat, okText: string, link = false, followed = false): Plan {
  const attrs = planAttrs(a.path, st, a.want, { link, real: followed, relativeTo: a.relativeTo })
  if (attrs.commands.length === 0) return ok(`${okText}, ${link ? `owner ${st.owner}:${st.group}` : describeAttrs(st)}`)
  // a followed link keeps its own lstat; only a path managed directly records the new attributes
  const c = attrsChange(a.path, st, attrs)
  return change(followed ? { ...c, effects: [] } : c)
}

export function planAbsent(a: FileArgs, st: PathStat): Plan {
  if (!st.exists) return ok(`${a.path} is absent`)
  return change({
    summary: `remove ${st.type} ${a.path}`,
    commands: [{ argv: ['rm', '-rf', '--', a.path] }],
    // Ansible's get_state: a file with more than one link is 'hard'
    diff: { path: a.path, before: '', after: '', attrs: { state: [st.type === 'file' && (st.nlink ?? 1) > 1 ? 'hard' : (st.type ?? 'file'), 'absent'] } },
    effects: [
      { fact: 'path.stat', key: a.path, value: { exists: false } },
      { fact: 'path.tree', key: a.path, value: { state: 'absent', entries: {} } satisfies Tree },
    ],
  })
}

export function planFile(a: FileArgs, st0: PathStat): Plan {
  const st = subject(st0, a.follow)
  const state = prevState(st)
  if (state !== 'file' && state !== 'hard') throw failure(`file (${a.path}) is ${state}, cannot continue`, { path: a.path, state }, st)
  return attrsOnly(a, st, `${st.type} ${a.path} exists`, st.type === 'link', st !== st0)
}

export function planDirectory(a: FileArgs, stats: Stats): Plan {
  const st = subject(stats.get(a.path), a.follow)
  if (st.exists && st.type !== 'directory') throw failure(`${a.path} already exists as a ${prevState(st)}`, { path: a.path }, st)
  if (st.exists) return attrsOnly(a, st, `directory ${a.path} exists`, false, st !== stats.get(a.path))
  const missing = [...ancestors(a.path), a.path].filter((p) => !stats.get(p).exists)
  for (const p of ancestors(a.path)) {
    const s = stats.get(p)
    if (s.exists && s.type !== 'directory' && !(s.type === 'link' && s.target?.type === 'directory'))
      throw new ModuleFailure(`cannot create ${a.path}: ${p} is a ${s.type}`)
  }
  // like Ansible, every directory created on the way gets the owner/group/mode
  const mode = fmtMode(a.want.mode ? resolveMode(a.want.mode, undefined, true) : 0o755)
  // Ansible makes one directory at a time and gives it its owner: an unknown name fails after the first
  const named = a.want.owner !== undefined || a.want.group !== undefined
  const [first, ...rest] = missing
  const commands: Command[] = named ? [{ argv: ['mkdir', '-p', '--', first!] }, chownCommand(a.want, [first!], '', a.relativeTo)] : []
  if (!named || rest.length) commands.push({ argv: ['mkdir', '-p', '--', a.path] })
  if (named && rest.length) commands.push(chownCommand(a.want, rest, '', a.relativeTo))
  commands.push({ argv: ['chmod', '--', mode, ...missing] })
  const value = (): PathStat => ({ exists: true, type: 'directory', mode, owner: a.want.owner ?? stats.user, group: a.want.group ?? stats.group })
  return change({
    summary: `create directory ${a.path} (${describeAttrs(value())})`,
    commands,
    // made 0755 (umask 022), then given its mode, as Ansible's diff says
    diff: { path: a.path, before: '', after: '', attrs: { state: ['absent', 'directory'], ...(mode !== '0755' && { mode: ['0755', mode] }) } },
    effects: missing.map((p): FactEffect => ({ fact: 'path.stat', key: p, value: value() })),
  })
}

/** owner/group/mode down an existing tree: only entries that differ, grouped into few commands. */
export function planRecurse(a: FileArgs, tree: Tree): Plan {
  const byMode = new Map<string, string[]>()
  const chown: string[] = []
  const chownLinks: string[] = []
  const after: Record<string, TreeEntry> = {}
  let n = 0
  for (const [rel, e] of Object.entries(tree.entries)) {
    const path = rel ? `${a.path}/${rel}` : a.path
    const st: PathStat = { exists: true, type: e.type, mode: e.mode, owner: e.owner, group: e.group, uid: e.uid, gid: e.gid }
    const isLink = e.type === 'link'
    const p = planAttrs(path, st, a.want, { link: isLink })
    after[rel] = { ...e, owner: p.owner ?? e.owner, group: p.group ?? e.group, mode: p.mode || e.mode }
    if (p.attrs.owner || p.attrs.group) (isLink ? chownLinks : chown).push(path)
    if (p.attrs.mode) byMode.set(p.mode, [...(byMode.get(p.mode) ?? []), path])
    if (p.commands.length) n++
  }
  if (n === 0)
    return ok(
      `directory ${a.path} and its ${Object.keys(tree.entries).length - 1} entries have ${[a.want.owner && `owner ${a.want.owner}`, a.want.group && `group ${a.want.group}`, a.want.mode && 'the wanted mode'].filter(Boolean).join(', ') || 'the wanted attributes'}`,
    )
  const commands: Command[] = []
  if (chown.length) commands.push(chownCommand(a.want, chown, '', a.relativeTo))
  if (chownLinks.length) commands.push(chownCommand(a.want, chownLinks, 'link', a.relativeTo))
  for (const [mode, paths] of byMode) commands.push({ argv: ['chmod', '--', mode, ...paths] })
  const root = after['']!
  return change({
    summary: `set attributes on ${n} entr${n === 1 ? 'y' : 'ies'} under ${a.path}`,
    commands,
    diff: { path: a.path, before: '', after: '', attrs: { recurse: [`${n} entries differ`, 'owner/group/mode applied'] } },
    effects: [
      { fact: 'path.tree', key: a.path, value: { ...tree, entries: after } satisfies Tree },
      { fact: 'path.stat', key: a.path, value: { exists: true, type: 'directory', mode: root.mode, owner: root.owner, group: root.group } },
      ...Object.entries(after)
        .filter(([rel]) => rel)
        .map(
          ([rel, e]): FactEffect => ({
            fact: 'path.stat',
            key: `${a.path}/${rel}`,
            value: { exists: true, type: e.type, mode: e.mode, owner: e.owner, group: e.group, size: e.size, sha256: e.sha256, linkTarget: e.linkTarget },
          }),
        ),
    ],
  })
}

/**
 * touch: the times as wanted (Ansible's defaults for touch: both now, so a plain touch is changed
 * every time; with `preserve` an existing file only gets its owner/group/mode) and a missing file
 * created empty.
 */
export function planTouch(a: FileArgs, stats: Stats, times: { m: TimeWant; a: TimeWant; now?: PathTimes }): Plan {
  const st = subject(stats.get(a.path), a.follow)
  if (st.exists) {
    const attrs = planAttrs(a.path, st, a.want, { link: st.type === 'link', real: st !== stats.get(a.path), relativeTo: a.relativeTo })
    const t = planTimes(a.path, times.m, times.a, times.now)
    if (attrs.commands.length === 0 && t.commands.length === 0) return ok(`${a.path} exists with the wanted times, ${describeAttrs(st)}`)
    const after: PathStat = { ...st, owner: attrs.owner, group: attrs.group, mode: attrs.mode || st.mode }
    const both = times.m.kind === 'now' && times.a.kind === 'now'
    return change({
      summary: both ? `touch ${a.path}` : `set ${Object.keys({ ...attrs.attrs, ...t.attrs }).join(', ')} of ${a.path}`,
      commands: [...attrs.commands, ...t.commands],
      diff: { path: a.path, before: '', after: '', attrs: { ...attrs.attrs, ...t.attrs } },
      effects: [{ fact: 'path.stat', key: a.path, value: after }],
    })
  }
  const mode = a.want.mode ? fmtMode(resolveMode(a.want.mode, undefined, false)) : '0644'
  const commands: Command[] = [{ argv: ['touch', '--', a.path] }]
  if (a.want.owner || a.want.group) commands.push(chownCommand(a.want, [a.path], 'made', a.relativeTo))
  commands.push({ argv: ['chmod', '--', mode, a.path] })
  // a new file has the current times; only explicit ones are set after
  commands.push(
    ...planTimes(a.path, times.m.kind === 'at' ? times.m : { kind: 'preserve' }, times.a.kind === 'at' ? times.a : { kind: 'preserve' }, undefined).commands,
  )
  const after: PathStat = {
    exists: true,
    type: 'file',
    mode,
    owner: a.want.owner ?? stats.user,
    group: a.want.group ?? stats.group,
    size: 0,
    sha256: sha256(''),
  }
  return change({
    summary: `create empty file ${a.path}`,
    commands,
    diff: { path: a.path, before: '', after: '', attrs: { state: ['absent', 'file'] } },
    effects: [
      { fact: 'path.stat', key: a.path, value: after },
      { fact: 'path.content', key: a.path, value: { user: '', group: '', stat: after, text: '' } },
    ],
  })
}

/** modification_time / access_time on a path another state planned (file, directory, link, hard): appended to its plan. */
export function withTimes(plan: Plan, path: string, m: TimeWant, at: TimeWant, now: PathTimes | undefined): Plan {
  const t = planTimes(path, m, at, now)
  if (t.commands.length === 0) return plan
  const c: Change = {
    summary: `set ${Object.keys(t.attrs).join(', ')} of ${path}`,
    commands: t.commands,
    diff: { path, before: '', after: '', attrs: t.attrs },
  }
  return plan.kind === 'ok' ? { kind: 'change', changes: [c], data: plan.data } : { ...plan, changes: [...plan.changes, c] }
}

export function planLink(a: FileArgs, stats: Stats, hard: boolean): Plan {
  const st = stats.get(a.path)
  const src = a.src!
  const srcPath = src.startsWith('/') ? src : `${dirname(a.path)}/${src}`
  const srcSt = stats.get(srcPath)
  const kind = hard ? 'hard link' : 'link'
  // check mode: an earlier planned change (pip installing a console script) may provide src; a
  // symlink is made (or left) whatever src is, so the plan stays exact; a hard link needs src itself
  const waitsFor = !hard && !st.unknown ? srcSt.unknown : undefined
  if (hard ? st.exists && srcSt.exists && st.inode === srcSt.inode && st.dev === srcSt.dev : st.type === 'link' && st.linkTarget === src) {
    // a followed symlink's attributes are its target's, as Ansible's
    const own = hard ? st : subject(st, a.follow)
    const plan = attrsOnly(a, own, `${kind} ${a.path} -> ${src} exists`, own.type === 'link', own !== st)
    return waitsFor !== undefined ? { ...plan, waitsFor } : plan
  }
  // Ansible's words and keys: a hard link's failures name dest and src, a symlink's the path
  if (hard && !srcSt.exists) throw failure('src does not exist', { dest: a.path, src }, st)
  if (!srcSt.exists && !waitsFor && !a.force)
    throw failure(`src file does not exist, use "force=yes" if you really want to create the link: ${srcPath}`, { path: a.path, src }, st)
  if (st.type === 'directory' && (hard || a.force)) throw new ModuleFailure(`refusing to replace directory ${a.path} with a ${kind}`)
  if (st.exists && st.type !== 'link' && !a.force) {
    const was = prevState(st)
    if (!hard) throw failure(`refusing to convert from ${was} to symlink for ${a.path}`, { path: a.path }, st)
    throw failure(
      was === 'hard' ? 'Cannot link, different hard link exists at destination' : `Cannot link, ${was} exists at destination`,
      { dest: a.path, src },
      st,
    )
  }
  // new link beside the old path, then rename over it: atomic, never a moment without the path
  const script = `t="$(dirname -- "$2")/.acplay-ln.$$"; rm -f -- "$t"; ln ${hard ? '' : '-s '}-- "$1" "$t" && mv -fT -- "$t" "$2"`
  const commands: Command[] = [{ argv: ['sh', '-c', script, 'sh', src, a.path] }]
  // as Ansible: a followed symlink's owner/group go to what it resolves to
  const real = !hard && a.follow && srcSt.exists
  if (a.want.owner || a.want.group) commands.push(chownCommand(a.want, [a.path], hard ? '' : real ? 'real' : 'link', a.relativeTo))
  const owned = (s: PathStat): PathStat => ({ ...s, owner: a.want.owner ?? s.owner, group: a.want.group ?? s.group })
  const link: PathStat = { exists: true, type: 'link', linkTarget: src, owner: stats.user, group: stats.group, target: real ? owned(srcSt) : srcSt }
  const after: PathStat = hard ? owned(srcSt) : real ? link : owned(link)
  return change(
    {
      summary: `${st.exists ? 'replace' : 'create'} ${kind} ${a.path} -> ${src}`,
      commands,
      diff: {
        path: a.path,
        before: '',
        after: '',
        attrs: { state: [st.exists ? `${st.type}${st.linkTarget ? ` -> ${st.linkTarget}` : ''}` : 'absent', `${kind} -> ${src}`] },
      },
      effects: [
        { fact: 'path.stat', key: a.path, value: after },
        ...(real && (a.want.owner || a.want.group) ? [{ fact: 'path.stat', key: srcPath, value: owned(srcSt) }] : []),
      ],
    },
    waitsFor,
  )
}
