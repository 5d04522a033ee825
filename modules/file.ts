/**
 * file: a path's state (file, directory, link, hard, touch, absent) and its owner/group/mode,
 * optionally down a directory tree (recurse). One read (all stats in one command), one exec.
 * Effects: see files/file-states.ts. `touch` is reported changed every time, as in Ansible
 * (it updates the access and modification times), so it is the one state that never converges.
 */
import { dirname, posix } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { pathTree } from './facts/tree.js'
import { attrWant } from './files/attrs.js'
import { fileCommonParams } from './files/common-args.js'
import { planAbsent, planDirectory, planFile, planLink, planRecurse, planTouch, withTimes, type FileArgs } from './files/file-states.js'
import { ancestors, statPaths } from './files/stat.js'
import { pathTimes, timeWant } from './files/times.js'
import { unknownNameFailure, unknownNames, unknownNameWarnings } from './files/owner-lookup.js'
import { withPathInfo } from './files/path-result.js'
import type { PathStat } from './facts/path.js'
import { fromCwd } from './facts/home.js'
import { defineModule, type Plan } from './types.js'

const STATES = ['file', 'directory', 'link', 'hard', 'touch', 'absent'] as const

export const file = defineModule({
  name: 'file',
  aliases: ['ansible.builtin.file'],
  summary: 'Manage files, directories, links and their attributes',
  description:
    'Sets a path to a state (file: must exist; directory: created with parents; link/hard: points at src; touch: created or its times updated; absent: removed recursively) ' +
    'and its owner, group and mode. Without state: the current type if the path exists, else file (directory with recurse), as Ansible.',
  params: {
    path: {
      type: 'path',
      required: true,
      aliases: ['dest', 'name'],
      description:
        "The path to manage (a relative one from the working directory of the module: the login user's home over ssh, the play's directory for a local task)",
    },
    state: { type: 'str', choices: STATES, description: 'What the path should be' },
    recurse: { type: 'bool', default: false, description: 'state=directory: apply owner/group/mode to everything below too' },
    src: { type: 'path', description: 'state=link/hard: what the link points at (a relative symlink target is relative to the link)' },
    follow: { type: 'bool', default: true, description: 'When path is a symlink, manage the attributes of what it points at' },
    force: { type: 'bool', default: false, description: 'link/hard: replace a regular file at path, or create a symlink to a missing src' },
    modification_time: {
      type: 'str',
      description:
        "The modification time: 'preserve', 'now', or a time in modification_time_format (the host's local time). Default: now for touch, else preserve.",
    },
    modification_time_format: { type: 'str', default: '%Y%m%d%H%M.%S', description: 'The strptime format of modification_time.' },
    access_time: { type: 'str', description: "The access time: 'preserve', 'now', or a time in access_time_format. Default: now for touch, else preserve." },
    access_time_format: { type: 'str', default: '%Y%m%d%H%M.%S', description: 'The strptime format of access_time.' },
    ...fileCommonParams,
  },
  returns: {
    path: 'the managed path (states file, directory, absent)',
    dest: 'the managed path (states touch, link, hard)',
    src: 'link, hard: what the link points at',
    state: 'the state the path is in afterwards (link, hard, directory, file; absent)',
    uid: 'the owner, as a number (and gid, owner, group, mode, size: an lstat of the path, when it exists)',
  },
  examples: `
- file:
    path: /home/astro/airflow/dags
    state: directory
    owner: astro
    mode: "0755"
- file: { path: /etc/airflow/current, state: link, src: /etc/airflow/v2 }
- file: { path: /home/astro/airflow, state: directory, owner: astro, recurse: true }
`,
  async plan(p, ctx): Promise<Plan> {
    // a leading ~ / ~user comes expanded on the host (schema.ts, expandPathArgs: the dev-sec roles remove ~{{ user }}/.rhosts)
    // a relative path is the module's, from its working directory; the result names it as given
    // (a trailing slash too), as Ansible's
    const path = await fromCwd(ctx, p.path.length > 1 ? p.path.replace(/\/+$/, '') : p.path)
    const asGiven = (data: Record<string, unknown>) => {
      const out = { ...data }
      for (const k of ['path', 'dest'] as const) if (out[k] === path) out[k] = p.path
      return out
    }
    if (path === p.path) return planAt(path)
    try {
      const plan = await planAt(path)
      return plan.data ? { ...plan, data: asGiven(plan.data) } : plan
    } catch (e) {
      // the message names it as given too: Ansible's module works on the relative path itself
      throw e instanceof ModuleFailure ? new ModuleFailure(e.message.replaceAll(path, p.path), asGiven(e.data)) : e
    }

    async function planAt(path: string): Promise<Plan> {
      const want = attrWant(p)
      // value checks the argument rules cannot express (Ansible makes them in the module, with these words)
      if (p.src !== undefined && p.state !== 'link' && p.state !== 'hard') throw new ModuleFailure(`src option requires state to be 'link' or 'hard'`)
      if (p.state === 'hard' && !p.src) throw new ModuleFailure('src is required for creating new hardlinks')
      if (p.recurse && p.state !== undefined && p.state !== 'directory')
        throw new ModuleFailure(`recurse option requires state to be 'directory' (got state=${p.state})`)
      // a relative path's failures name it as given (Ansible's module works on it as given)
      const given = p.path.replace(/(.)\/+$/, '$1')
      const relativeTo = path !== p.path && path.endsWith(`/${given}`) ? path.slice(0, -given.length - 1) || '/' : undefined
      const a: FileArgs = { path, want, src: p.src, follow: p.follow, force: p.force, relativeTo }
      const state = p.state ?? (p.recurse ? 'directory' : undefined)
      // Ansible's defaults: now for touch, preserve for every other state
      const fallback = state === 'touch' ? 'now' : 'preserve'
      const mt = timeWant(p.modification_time, p.modification_time_format, 'modification_time', fallback)
      const at = timeWant(p.access_time, p.access_time_format, 'access_time', fallback)
      const explicit = [mt, at].filter((t) => t.kind === 'at').map((t) => (t as { local: string }).local)
      const now = explicit.length ? await ctx.fact(pathTimes, path, explicit) : undefined
      const timed = (plan: Plan) => (state === 'absent' || state === 'touch' ? plan : withTimes(plan, path, mt, at, now))
      if (state === 'directory' && p.recurse) {
        const tree = await ctx.fact(pathTree, path)
        const root = tree.entries['']
        if (tree.state === 'dir' && root) {
          const st: PathStat = { exists: true, ...root }
          return checked(() => result(timed(planRecurse(a, tree)), 'directory', path, st), a, path, st)
        }
      }
      const srcPath = p.src === undefined ? [] : [p.src.startsWith('/') ? p.src : `${dirname(path)}/${p.src}`]
      const stats = await statPaths(ctx, [path, ...(state === 'directory' ? ancestors(path) : []), ...srcPath], { noatime: at.kind === 'at' })
      const st = stats.get(path)
      const eff = state ?? (!st.exists ? 'file' : st.type === 'directory' ? 'directory' : st.type === 'link' ? 'link' : 'file')
      if (eff === 'absent') return result(planAbsent(a, st), 'absent', path, st)
      return checked(
        () => {
          if (eff === 'link' && !p.src) {
            // as Ansible: without src, state=link only manages an existing link's attributes
            if (st.type !== 'link') throw new ModuleFailure('src is required for creating new symlinks')
            return result(timed(planFile(a, st)), 'link', path, st, st.linkTarget)
          }
          switch (eff) {
            case 'file':
              return result(timed(planFile(a, st)), 'file', path, st)
            case 'directory':
              return result(timed(planDirectory(a, stats)), 'directory', path, st)
            case 'touch':
              return result(planTouch(a, stats, { m: mt, a: at, now }), 'touch', path, st)
            case 'link':
              return result(timed(planLink(a, stats, false)), 'link', path, st, p.src)
            case 'hard':
              return result(timed(planLink(a, stats, true)), 'hard', path, st, p.src)
          }
          throw new ModuleFailure(`unknown state ${String(eff)}`)
        },
        a,
        path,
        st,
      )
    }

    /**
     * Check mode, as Ansible's file module: an owner or group (or id) the host does not know is
     * warned of (whatever the path), then fails the task where the path exists (what a followed
     * link resolves to: Ansible's load_file_common_arguments), after the state's own failures.
     */
    async function checked(plan: () => Plan, a: FileArgs, path: string, st: PathStat): Promise<Plan> {
      const followed = p.follow && st.type === 'link' && st.linkTarget !== undefined
      const subject = followed ? (st.target ?? { exists: false }) : st
      const unknown = a.want.owner || a.want.group ? await unknownNames(ctx, a.want, subject, true) : {}
      const warnings = unknownNameWarnings(unknown)
      const warned = (data: Record<string, unknown> = {}) => (warnings.length ? { ...data, warnings } : data)
      let planned: Plan
      try {
        planned = plan()
      } catch (e) {
        throw e instanceof ModuleFailure && warnings.length ? new ModuleFailure(e.message, warned(e.data)) : e
      }
      const exists = st.type === 'link' ? st.target?.exists : st.exists
      const failed = exists ? unknownNameFailure(unknown, followed ? posix.resolve(posix.dirname(path), st.linkTarget!) : path, subject, warned()) : undefined
      if (failed) throw failed
      return warnings.length ? { ...planned, data: warned(planned.data) } : planned
    }
  },
})

/**
 * The keys Ansible's file module returns for each state (touch and links name the path `dest`),
 * then add_path_info's (files/path-result.ts). `st`: the path as the plan read it.
 */
function result(plan: Plan, state: string, path: string, st: PathStat, src?: string): Plan {
  const keys = state === 'touch' ? { dest: path } : state === 'link' || state === 'hard' ? { dest: path, src } : { path, state }
  return withPathInfo({ ...plan, data: { ...keys, ...plan.data } }, path, st)
}
