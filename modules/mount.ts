/**
 * mount (ansible.posix.mount): fstab entries and the mounts themselves, with the states and the
 * decisions of Ansible's module on Linux (mount/fstab.ts edits the file). Reads fstab and the mount
 * point together (one round trip when read ahead).
 *
 * Effects recorded: path.stat/path.content of the fstab (files/write.ts), mount.point (key: the path)
 * = mounted or not afterwards, and path.stat of a mount point made or removed.
 */
import { dirname } from 'node:path'
import { ModuleFailure } from '../engine/errors.js'
import { mountPoint, type MountPoint } from './facts/mount.js'
import type { PathStat } from './facts/path.js'
import { readContent, type Stats } from './files/stat.js'
import { planWrite } from './files/write.js'
import { setMount, unsetMount, type FstabEntry } from './mount/fstab.js'
import { defineModule, shScript, type Change, type Command, type FactEffect, type Plan } from './types.js'

// $1 the mount point, $2 the fstab to restore from stdin on failure ('' = none), $3 the directories
// to make first (newline-separated, top down); the rest: the mount command. On failure, as Ansible:
// the old fstab back, the directories made removed, "Error mounting".
const MOUNT = `p=$1; tab=$2; made=$3; shift 3
if [ -n "$made" ]; then printf '%s\\n' "$made" | while IFS= read -r d; do mkdir -- "$d" || exit 1; done || exit 1; fi
out=$("$@" 2>&1) && exit 0
rc=$?
[ -z "$tab" ] || cat > "$tab"
[ -z "$made" ] || printf '%s\\n' "$made" | sed -n '1!G;h;$p' | while IFS= read -r d; do rmdir -- "$d"; done
printf 'Error mounting %s: %s\\n' "$p" "$out" >&2
exit $rc`

// $1 the mount point, $2 'strict' (remounted with opts: no fallback), $3 the -o of the remount; the
// rest: the mount arguments (ending with the mount point). A failed remount falls back to umount and
// mount, as Ansible does.
const REMOUNT = `p=$1; strict=$2; r=$3; shift 3
mount -o "$r" "$@" >/dev/null 2>&1 && exit 0
if [ "$strict" = strict ]; then
  echo 'Options were specified with remounted, but the remount command failed. Failing in order to prevent an unexpected mount result. Try replacing this command with a "state: unmounted" followed by a "state: mounted" using the full desired mount options instead.' >&2
  exit 1
fi
umount -- "$p" && mount "$@"`

const UMOUNT = `out=$(umount -- "$1" 2>&1) || { printf 'Error unmounting %s: %s\\n' "$1" "$out" >&2; exit 1; }`
const RMDIR = `[ ! -e "$1" ] || out=$(rmdir -- "$1" 2>&1) || { printf 'Error rmdir %s: %s\\n' "$1" "$out" >&2; exit 1; }`

const STATES = ['absent', 'absent_from_fstab', 'mounted', 'present', 'unmounted', 'remounted', 'ephemeral'] as const

export const mount = defineModule({
  name: 'mount',
  aliases: ['ansible.posix.mount'],
  summary: 'Control active and configured mount points',
  description:
    'Adds, changes or removes fstab entries and mounts, remounts or unmounts them (Linux). mounted makes the mount point, ' +
    'writes the entry and mounts it (remounts when the entry changed); present only writes the entry; unmounted only unmounts; ' +
    'absent removes the entry, unmounts and removes the mount point; absent_from_fstab only removes the entry; remounted always ' +
    'remounts; ephemeral mounts without fstab (and remounts when already mounted from the same source).',
  params: {
    path: { type: 'path', required: true, aliases: ['name'], description: 'Path to the mount point (e.g. /mnt/files).' },
    src: { type: 'path', description: 'Device (or NFS volume, tmpfs, a directory to bind) to mount. Required with mounted, present and ephemeral.' },
    fstype: { type: 'str', description: 'Filesystem type. Required with mounted, present and ephemeral.' },
    opts: { type: 'str', description: 'Mount options (fstab(5)); default `defaults`.' },
    dump: { type: 'str', default: '0', description: 'Dump (fstab(5)).' },
    passno: { type: 'str', default: '0', description: 'Passno (fstab(5)).' },
    state: { type: 'str', required: true, choices: STATES, description: 'See the description.' },
    fstab: { type: 'str', description: 'File to use instead of /etc/fstab (ignored with ephemeral).' },
    boot: { type: 'bool', default: true, description: 'Mount on boot: false adds `noauto` to the options (ignored when opts has noauto or defaults).' },
    backup: { type: 'bool', default: false, description: 'Keep a timestamped copy of fstab before changing it.' },
  },
  requiredIf: [
    ['state', 'mounted', ['src', 'fstype']],
    ['state', 'present', ['src', 'fstype']],
    ['state', 'ephemeral', ['src', 'fstype']],
  ],
  returns: {
    name: 'the mount point',
    src: 'the source, when given',
    fstype: 'the filesystem type, when given',
    opts: 'the options written (with noauto when boot is false)',
    dump: 'dump',
    passno: 'passno',
    fstab: 'the fstab file',
    boot: "'yes', or 'no' when boot=false added noauto",
    backup_file: "the backup of fstab ('' when none)",
  },
  examples: `
- ansible.posix.mount:
    path: /srv/scratch
    src: tmpfs
    fstype: tmpfs
    opts: size=64m,mode=1777
    state: mounted
- mount: { path: /srv/www, src: /data/www, fstype: none, opts: bind, state: mounted }
- mount: { path: /srv/scratch, state: absent }
`,
  async plan(p, ctx): Promise<Plan> {
    const name = p.path
    // as Ansible's, a relative path is taken as written (a swap entry's mount point is `none`); one
    // that begins with '-' would be an option to mount(8)
    if (name === '' || name.startsWith('-')) throw new ModuleFailure(`path must not be empty or begin with '-', got ${JSON.stringify(name)}`)
    for (const [k, v] of Object.entries({ path: name, src: p.src, fstype: p.fstype, opts: p.opts, fstab: p.fstab }))
      if (v !== undefined && /[\n\r\t\0]/.test(v)) throw new ModuleFailure(`${k} must not contain newlines, tabs or NUL bytes`)
    const warnings: string[] = []
    let opts = p.opts ?? 'defaults'
    let boot = 'yes'
    const optList = opts.split(',')
    if (optList.includes('noauto')) warnings.push("Ignore the 'boot' due to 'opts' contains 'noauto'.")
    else if (!p.boot) {
      boot = 'no'
      if (optList.includes('defaults')) warnings.push("Ignore the 'boot' due to 'opts' contains 'defaults'.")
      else opts = [...optList, 'noauto'].join(',')
    }
    const fstab = p.fstab ?? '/etc/fstab'
    const entry: FstabEntry = { name, src: p.src, fstype: p.fstype, opts, dump: p.dump, passno: p.passno }
    const data: Record<string, unknown> = { name, opts, dump: p.dump, passno: p.passno, fstab, boot, backup_file: '' }
    if (p.src !== undefined) data.src = p.src
    if (p.fstype !== undefined) data.fstype = p.fstype
    if (warnings.length) data.warnings = warnings
    const state = p.state
    const ephemeral = state === 'ephemeral'

    const [c, mp] = await Promise.all([ephemeral ? undefined : readContent(ctx, fstab), ctx.fact(mountPoint, name)])
    if (c === 'unknown') return { kind: 'change', changes: [{ summary: `would change ${fstab} (depends on an earlier change)`, commands: [] }] }
    if (c?.stat.exists && c.stat.type !== 'file') throw new ModuleFailure(`fstab ${fstab} is not a regular file (${c.stat.type})`)
    const text = c?.text ?? ''
    // ismount, or the mount table has the path (with this source, for mounted)
    const mounted = (src?: string) => mp.isMount || (mp.mounted !== undefined && (src === undefined || mp.mounted.src === src))
    const tabFlag = fstab !== '/etc/fstab' ? ['-T', fstab] : []
    const changes: Change[] = []
    const fstabChange: Change[] = []

    const writeFstab = async (next: string, what: string) => {
      const stats: Stats = { user: c!.user, group: c!.group, get: (x) => (x === fstab ? c!.stat : { exists: false }) }
      const w = await planWrite(ctx, { dest: fstab, content: Buffer.from(next), want: {}, backup: p.backup, before: Buffer.from(text) }, stats)
      if (w.kind === 'ok') return
      if (w.data?.backup_file) data.backup_file = w.data.backup_file
      if (!c!.stat.exists) fstabChange.push({ summary: `ensure directory ${dirname(fstab)}`, commands: [{ argv: ['mkdir', '-p', '--', dirname(fstab)] }] })
      fstabChange.push(...w.changes.map((ch) => (ch.upload ? { ...ch, summary: `${what} in ${fstab}` } : ch)))
    }
    const after = (m: Partial<MountPoint>): FactEffect => ({ fact: 'mount.point', key: name, value: { ...mp, ...m } })
    const isMounted = (src: string, fstype: string): Partial<MountPoint> => ({
      exists: true,
      link: false,
      isMount: true,
      mounted: { src, fstype, opts },
      sources: [...mp.sources, src],
    })
    const unmounted: Partial<MountPoint> = { isMount: false, mounted: undefined, sources: [] }

    if (state === 'absent_from_fstab' || state === 'absent') {
      const r = unsetMount(text, name, p.src)
      if (r.changed) await writeFstab(r.text, `remove the entry of ${name}`)
      changes.push(...fstabChange)
      if (r.changed && state === 'absent') {
        if (mounted()) changes.push({ summary: `unmount ${name}`, commands: [shScript(UMOUNT, name)], effects: [after(unmounted)] })
        if (mp.exists)
          changes.push({
            summary: `remove the mount point ${name}`,
            commands: [shScript(RMDIR, name)],
            effects: [after({ ...unmounted, exists: false }), { fact: 'path.stat', key: name, value: { exists: false } satisfies PathStat }],
          })
      }
    } else if (state === 'unmounted') {
      if (mounted()) changes.push({ summary: `unmount ${name}`, commands: [shScript(UMOUNT, name)], effects: [after(unmounted)] })
    } else if (state === 'present') {
      const r = setMount(text, entry)
      if (r.changed) await writeFstab(r.text, `${text.includes(` ${name} `) ? 'update' : 'add'} the entry of ${name}`)
      changes.push(...fstabChange)
    } else if (state === 'remounted') {
      const custom = opts !== 'defaults'
      changes.push({
        summary: `remount ${name}${custom ? ` with ${opts}` : ''}`,
        commands: [shScript(REMOUNT, name, custom ? 'strict' : '', custom ? `remount,${opts}` : 'remount', ...tabFlag, name)],
      })
    } else {
      // mounted, ephemeral
      const made = mp.exists ? [] : missingDirs(name, mp.existingAncestor ?? '/')
      const madeEffects = made.map((d): FactEffect => ({ fact: 'path.stat', key: d, value: { exists: true, type: 'directory', mode: '0755' } }))
      let fstabChanged = false
      if (!ephemeral) {
        const r = setMount(text, entry)
        fstabChanged = r.changed
        if (r.changed) await writeFstab(r.text, `${text.includes(` ${name} `) ? 'update' : 'add'} the entry of ${name}`)
      }
      const eArgs = ephemeral ? ['-t', p.fstype!, ...(opts !== 'defaults' ? ['-o', opts] : []), p.src!] : tabFlag
      const wrap = (cmd: Command): Command => ({
        ...shScript(MOUNT, name, fstabChange.length ? fstab : '', made.join('\n'), ...cmd.argv),
        stdin: fstabChange.length ? text : undefined,
      })
      let act: { summary: string; cmd: Command } | undefined
      if (mounted(ephemeral ? undefined : p.src)) {
        if (ephemeral) {
          if (!mp.sources.includes(p.src!) && mp.mounted?.src !== p.src)
            throw new ModuleFailure(
              'Ephemeral mount point is already mounted with a different source than the specified one. Failing in order to prevent an unwanted ' +
                'unmount or override operation. Try replacing this command with a "state: unmounted" followed by a "state: ephemeral", or use a different destination path.',
            )
          act = { summary: `remount ${name}`, cmd: shScript(REMOUNT, name, '', 'remount', ...eArgs, name) }
        } else if (fstabChanged) act = { summary: `remount ${name} (its entry changed)`, cmd: shScript(REMOUNT, name, '', 'remount', ...tabFlag, name) }
      } else act = { summary: `mount ${name}`, cmd: { argv: ['mount', ...eArgs, name] } }
      if (made.length) changes.push({ summary: `make the mount point ${name}`, commands: [], effects: madeEffects })
      changes.push(...fstabChange)
      if (act) changes.push({ summary: act.summary, commands: [wrap(act.cmd)], effects: [after(isMounted(p.src!, p.fstype!))] })
    }

    if (changes.length === 0) return { kind: 'ok', reason: describe(state, name, fstab, mp), data }
    return { kind: 'change', changes, data }
  },
})

/** The directories `mkdir` would make for `path`, top down, below the nearest existing ancestor. */
function missingDirs(path: string, existing: string): string[] {
  const out: string[] = []
  for (let d = path; d !== existing && d !== '/' && d !== '.'; d = dirname(d)) out.unshift(d)
  return out
}

function describe(state: string, name: string, fstab: string, mp: MountPoint): string {
  const now = mp.isMount || mp.mounted ? `mounted${mp.mounted ? ` (${mp.mounted.fstype})` : ''}` : 'not mounted'
  if (state === 'absent' || state === 'absent_from_fstab') return `no entry for ${name} in ${fstab}; ${name} is ${now}`
  if (state === 'unmounted') return `${name} is not mounted`
  return `${name} has its entry in ${fstab}; ${name} is ${now}`
}
