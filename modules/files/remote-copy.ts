/**
 * copy with remote_src: a file already on the host copied to dest there, compared by sha256 first
 * (one read of both paths). Written as the other writes are: a temp file beside dest, owner and
 * mode set, then renamed over it (files/owner-lookup.ts: an unknown owner or group fails after the
 * rename, as Ansible's). Directories are not supported yet.
 *
 * Effects: path.stat of dest (with the source's checksum; its content is not known here).
 */
import { dirname } from 'node:path'
import { ModuleFailure } from '../../engine/errors.js'
import type { PathStat } from '../facts/path.js'
import type { ModuleContext, Plan } from '../types.js'
import { describeAttrs, planAttrs, type AttrWant } from './attrs.js'
import { fmtMode, resolveMode } from './mode.js'
import { remoteCopyCommand, unknownNameFailure, unknownNames } from './owner-lookup.js'
import { statPaths } from './stat.js'
import { backupChange, backupName } from './write.js'

export interface RemoteCopy {
  want: AttrWant
  backup?: boolean
  force?: boolean
  checksum?: string
}

export async function planRemoteCopy(ctx: ModuleContext, src: string, destArg: string, a: RemoteCopy): Promise<Plan> {
  if (a.checksum !== undefined) throw new ModuleFailure('checksum with remote_src is not supported yet')
  if (!src.startsWith('/')) throw new ModuleFailure(`with remote_src, src must be an absolute path on the host, got ${JSON.stringify(src)}`)
  const dest0 = destArg.replace(/(.)\/+$/, '$1')
  const intoDir = `${dest0}/${src.split('/').pop()}`
  const stats = await statPaths(ctx, [src, dest0, intoDir, dirname(dest0)])
  const s = stats.get(src).type === 'link' ? (stats.get(src).target ?? { exists: false }) : stats.get(src)
  if (!s.exists) throw new ModuleFailure(`Source ${src} not found`)
  if (s.type === 'directory') throw new ModuleFailure('remote_src with a directory src is not supported yet')
  if (s.type !== 'file') throw new ModuleFailure(`Source ${src} is not a regular file`)
  if (s.sha256 === undefined) throw new ModuleFailure(`Source ${src} not readable`)
  const dest = stats.get(dest0).type === 'directory' ? intoDir : dest0
  if (dest === dest0 && !stats.get(dirname(dest0)).exists) throw new ModuleFailure(`Destination directory ${dirname(dest0)} does not exist`)
  const st = stats.get(dest)
  const data = { dest, src }
  if (st.exists && a.force === false) return { kind: 'ok', reason: `${dest} exists (force=no: its content is left alone)`, data }
  // check mode: Ansible's copy module looks the names up for an existing dest, whatever its content
  const failed = st.exists ? unknownNameFailure(await unknownNames(ctx, a.want, st), dest, st) : undefined
  if (failed) throw failed
  if (st.type === 'file' && st.sha256 === s.sha256) {
    const attrs = planAttrs(dest, st, a.want, { srcMode: s.mode ? parseInt(s.mode, 8) : undefined })
    if (attrs.commands.length === 0) return { kind: 'ok', reason: `${dest} has the content of ${src}, ${describeAttrs(st)}`, data }
    const after: PathStat = { ...st, owner: attrs.owner, group: attrs.group, mode: attrs.mode }
    return {
      kind: 'change',
      changes: [
        {
          summary: `set ${Object.keys(attrs.attrs).join(', ')} on ${dest}`,
          commands: attrs.commands,
          diff: { path: dest, before: '', after: '', attrs: attrs.attrs },
          effects: [{ fact: 'path.stat', key: dest, value: after }],
        },
      ],
      data,
    }
  }
  const exists = st.type === 'file'
  const current = exists && st.mode ? parseInt(st.mode, 8) : undefined
  const mode = a.want.mode ? fmtMode(resolveMode(a.want.mode, current, false, s.mode ? parseInt(s.mode, 8) : undefined)) : exists ? st.mode! : '0644'
  const owner = a.want.owner ?? (exists ? st.owner : stats.user)
  const group = a.want.group ?? (exists ? st.group : stats.group)
  const backup = a.backup && exists ? backupName(dest) : undefined
  const after: PathStat = { exists: true, type: 'file', mode, owner, group, sha256: s.sha256, size: s.size }
  return {
    kind: 'change',
    changes: [
      ...(backup ? [backupChange(dest, backup)] : []),
      {
        summary: `${exists ? 'update' : 'create'} ${dest} from ${src} (${s.size} bytes, ${describeAttrs(after)})`,
        commands: [remoteCopyCommand(src, dest, a.want, mode)],
        diff: { path: dest, before: '', after: '', attrs: exists ? {} : { state: ['absent', 'file'] } },
        effects: [{ fact: 'path.stat', key: dest, value: after }],
      },
    ],
    data: { ...data, ...(backup ? { backup_file: backup } : {}) },
  }
}
