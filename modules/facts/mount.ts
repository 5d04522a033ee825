/**
 * A mount point as Ansible's mount module sees it, in ONE command: the mount table (/proc/self/mountinfo,
 * bind mounts resolved to their source directory as Ansible does), whether the path is a mount point
 * (its device or inode differs from its parent's), and the nearest existing ancestor (the directories
 * a mount would create).
 */
import type { ExecResult } from '../../engine/connection/types.js'
import { shScript, type Fact } from '../types.js'

export interface MountedFs {
  /** the source: a device, `tmpfs`, or for a bind mount the directory it shows */
  src: string
  fstype: string
  opts: string
}

export interface MountPoint {
  exists: boolean
  /** the path is a symbolic link (never a mount point) */
  link: boolean
  /** os.path.ismount: device or inode differs from the parent's */
  isMount: boolean
  /** the last mount on the path in the mount table */
  mounted?: MountedFs
  /** the sources of every mount on the path (as `mount -v` lists them) */
  sources: string[]
  /** the nearest ancestor that exists, when the path does not */
  existingAncestor?: string
}

// The paths are positional args; the mount table is read once for all of them (read-ahead of
// several mount tasks). A parent is found as the kernel resolves "$p/..", or as a file's dirname.
const SCRIPT = `cat /proc/self/mountinfo || exit 1
for p; do
  echo @@
  if [ -L "$p" ]; then echo link; continue; fi
  if [ ! -e "$p" ]; then
    a=$p; while [ ! -e "$a" ]; do a=$(dirname -- "$a"); done
    printf 'absent %s\\n' "$a"; continue
  fi
  if d=$(cd -P -- "$p/.." 2>/dev/null && pwd); then :; else d=$(dirname -- "$p"); fi
  stat -c '%d %i' -- "$p" "$d"
done`

/** mountinfo's octal escapes (\\040 for a space) decoded. */
const unoctal = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))

interface InfoLine {
  id: number
  parent: number
  root: string
  dst: string
  opts: string
  fs: string
  src: string
}

/** Ansible's get_linux_mounts: mount point -> { src, fstype, opts }, a bind mount's src being the directory it shows. */
export function linuxMounts(mountinfo: string): Map<string, MountedFs & { rawSrc: string }> {
  const byId = new Map<number, InfoLine>()
  for (const line of mountinfo.split('\n')) {
    const f = line.trim().split(/\s+/)
    if (f.length < 10) continue
    byId.set(Number(f[0]), {
      id: Number(f[0]),
      parent: Number(f[1]),
      root: unoctal(f[3]!),
      dst: unoctal(f[4]!),
      opts: f[5]!,
      fs: f[f.length - 3]!,
      src: unoctal(f[f.length - 2]!),
    })
  }
  const mounts = new Map<string, MountedFs & { rawSrc: string }>()
  for (const m of byId.values()) {
    let src = m.src
    const parent = m.parent !== 1 ? byId.get(m.parent) : undefined
    if (parent) {
      let root = m.root
      if (parent.root.length > 1 && root.startsWith(`${parent.root}/`)) root = root.slice(parent.root.length)
      if (parent.dst !== '/') root = `${parent.dst}${root}`
      src = root
    }
    mounts.set(m.dst, { src, fstype: m.fs, opts: m.opts, rawSrc: m.src })
  }
  return mounts
}

function pointOf(table: ReturnType<typeof linuxMounts>, info: string, path: string, tail: string): MountPoint {
  const m = table.get(path)
  const sources = info
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 10 && unoctal(f[4]!) === path)
    .map((f) => unoctal(f[f.length - 2]!))
  const mounted = m && { src: m.src, fstype: m.fstype, opts: m.opts }
  if (tail === 'link') return { exists: true, link: true, isMount: false, mounted, sources }
  if (tail.startsWith('absent ')) return { exists: false, link: false, isMount: false, mounted, sources, existingAncestor: tail.slice(7) }
  const [self = '', parent = ''] = tail.split('\n')
  const [dev, ino] = self.split(' ')
  const [pdev, pino] = parent.split(' ')
  return { exists: true, link: false, isMount: dev !== pdev || ino === pino, mounted, sources }
}

function parseMany(out: ExecResult, paths: string[]): MountPoint[] {
  const [info = '', ...tails] = `${out.stdout}`.split('\n@@\n')
  if (out.rc !== 0 || tails.length !== paths.length) throw new Error(`cannot read the mounts of ${paths.join(', ')}: ${out.stderr.trim() || `exit ${out.rc}`}`)
  const table = linuxMounts(info)
  return paths.map((p, i) => pointOf(table, info, p, tails[i]!.replace(/\n$/, '')))
}

export const mountPoint: Fact<MountPoint, [string]> = {
  name: 'mount.point',
  key: (path) => path,
  command: (path) => shScript(SCRIPT, path),
  parse: (out, path) => parseMany(out, [path])[0]!,
  batch: {
    command: (reads) => shScript(SCRIPT, ...reads.map(([p]) => p)),
    parse: (out, reads) =>
      parseMany(
        out,
        reads.map(([p]) => p),
      ),
  },
}
