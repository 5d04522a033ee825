/** owner / group / mode: compare with a stat and plan the chown / chmod, shared by file, copy, template, lineinfile. */
import { ModuleFailure } from '../../engine/errors.js'
import type { PathStat } from '../facts/path.js'
import type { Change, Command } from '../types.js'
import { fmtMode, ModeError, parseMode, resolveMode, type ModeSpec } from './mode.js'
import { chownCommand } from './owner-lookup.js'

export interface AttrWant {
  owner?: string
  group?: string
  mode?: ModeSpec
}

export interface AttrPlan {
  commands: Command[]
  /** attribute changes for the diff: { mode: ['0644', '0600'] } */
  attrs: Record<string, [string, string]>
  /** the path's owner/group/mode afterwards */
  owner?: string
  group?: string
  mode: string
}

// user and group names as useradd takes them (plus numeric ids); anything else is surely a mistake
const NAME = /^(?:[A-Za-z_][A-Za-z0-9_.-]*\$?|\d+)$/

/** Validates owner, group and a mode-like param from raw task args (ModuleFailure names the argument). */
export function attrWant(p: { owner?: string; group?: string; mode?: unknown }, allowPreserve = false): AttrWant {
  for (const k of ['owner', 'group'] as const) {
    const v = p[k]
    if (v !== undefined && !NAME.test(v))
      throw new ModuleFailure(`argument '${k}' is not a valid ${k === 'owner' ? 'user' : 'group'} name: ${JSON.stringify(v)}`)
  }
  return { owner: p.owner, group: p.group, mode: modeParam(p.mode, 'mode', allowPreserve) }
}

export function modeParam(raw: unknown, name: string, allowPreserve = false): ModeSpec | undefined {
  try {
    return parseMode(raw, name, allowPreserve)
  } catch (e) {
    if (e instanceof ModeError) throw new ModuleFailure(e.message)
    throw e
  }
}

const sameId = (want: string, name?: string, id?: number) => (/^\d+$/.test(want) ? id === Number(want) || name === want : name === want)

/**
 * What it takes to give an existing path the wanted attributes. `link`: act on a symlink itself
 * (chown -h; a link's own mode is meaningless on Linux, so mode is not planned); `real`: `st` is
 * what the symlink at `path` resolves to (a failure names that path, as Ansible's); `relativeTo`:
 * chownCommand's.
 */
export function planAttrs(
  path: string,
  st: PathStat,
  want: AttrWant,
  opts: { link?: boolean; real?: boolean; srcMode?: number; relativeTo?: string } = {},
): AttrPlan {
  const isDir = st.type === 'directory'
  const current = st.mode ? parseInt(st.mode, 8) : undefined
  const plan: AttrPlan = { commands: [], attrs: {}, owner: st.owner, group: st.group, mode: st.mode ?? '' }
  const owner = want.owner !== undefined && !sameId(want.owner, st.owner, st.uid) ? want.owner : undefined
  const group = want.group !== undefined && !sameId(want.group, st.group, st.gid) ? want.group : undefined
  if (owner || group) {
    plan.commands.push(chownCommand({ owner, group }, [path], opts.link ? 'link' : opts.real ? 'real' : '', opts.relativeTo))
    if (owner) plan.attrs.owner = [st.owner ?? '', owner]
    if (group) plan.attrs.group = [st.group ?? '', group]
    plan.owner = owner ?? st.owner
    plan.group = group ?? st.group
  }
  if (want.mode && !opts.link) {
    const bits = fmtMode(resolveMode(want.mode, current, isDir, opts.srcMode))
    if (bits !== st.mode) {
      plan.commands.push({ argv: ['chmod', '--', bits, path] })
      plan.attrs.mode = [st.mode ?? '', bits]
      plan.mode = bits
    }
  }
  return plan
}

/** The change that gives an existing path the attributes `attrs` plans (a diff of them; the stat it leaves for later tasks). */
export function attrsChange(path: string, st: PathStat, attrs: AttrPlan): Change {
  return {
    summary: `set ${Object.entries(attrs.attrs)
      .map(([k, [, v]]) => `${k} ${v}`)
      .join(', ')} on ${path}`,
    commands: attrs.commands,
    diff: { path, before: '', after: '', attrs: attrs.attrs },
    effects: [{ fact: 'path.stat', key: path, value: { ...st, owner: attrs.owner, group: attrs.group, mode: attrs.mode || st.mode } }],
  }
}

/** "mode 0644, owner root:root" for ok reasons. */
export function describeAttrs(st: { mode?: string; owner?: string; group?: string }): string {
  return `mode ${st.mode}, owner ${st.owner}:${st.group}`
}
