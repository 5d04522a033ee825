/**
 * fstab lines edited as Ansible's mount module (ansible.posix) edits them on Linux (pure): entries are
 * found by their mount point (swap by its source), fields compared escaped (space \040, & \046,
 * backslash \134), a changed entry rewritten as `src name fstype opts dump passno`.
 */
import { pyReadlines } from '../pytext.js'

export interface FstabEntry {
  name: string
  src?: string
  fstype?: string
  opts: string
  dump: string
  passno: string
}

export const escapeFstab = (v: string) => v.replace(/\\/g, '\\134').replace(/ /g, '\\040').replace(/&/g, '\\046')

const pySplit = (line: string) => line.split(/\s+/).filter(Boolean)

function isOther(ld: Record<string, string>, name: string, src: string | undefined): boolean {
  return ld.name !== name || (src !== undefined && ld.name === 'none' && ld.fstype === 'swap' && ld.src !== src)
}

/** The entry added or updated; changed when any line had to change (a file without its final newline gets one). */
export function setMount(text: string, e: FstabEntry): { text: string; changed: boolean } {
  const esc = {
    name: escapeFstab(e.name),
    src: escapeFstab(e.src ?? ''),
    fstype: escapeFstab(e.fstype ?? ''),
    opts: escapeFstab(e.opts),
    dump: escapeFstab(e.dump),
    passno: escapeFstab(e.passno),
  }
  const out: string[] = []
  let exists = false
  let changed = false
  for (let line of pyReadlines(text)) {
    if (!line.endsWith('\n')) line += '\n'
    if (!line.trim() || line.trim().startsWith('#')) {
      out.push(line)
      continue
    }
    const fields = pySplit(line)
    if (![4, 5, 6].includes(fields.length)) {
      out.push(line)
      continue
    }
    const ld: Record<string, string> = { dump: '0', passno: '0' }
    ;['src', 'name', 'fstype', 'opts', 'dump', 'passno'].forEach((k, i) => {
      if (fields[i] !== undefined) ld[k] = fields[i]!
    })
    if (isOther(ld, esc.name, e.src)) {
      out.push(line)
      continue
    }
    exists = true
    for (const k of ['src', 'fstype', 'opts', 'dump', 'passno'] as const) {
      if (ld[k] !== esc[k]) {
        ld[k] = esc[k]
        changed = true
      }
    }
    out.push(changed ? `${ld.src} ${ld.name} ${ld.fstype} ${ld.opts} ${ld.dump} ${ld.passno}\n` : line)
  }
  if (!exists) {
    out.push(`${esc.src} ${esc.name} ${esc.fstype} ${esc.opts} ${esc.dump} ${esc.passno}\n`)
    changed = true
  }
  return { text: out.join(''), changed }
}

/** Every entry of the mount point removed (a swap entry only with its source). */
export function unsetMount(text: string, name: string, src?: string): { text: string; changed: boolean } {
  const escName = escapeFstab(name)
  const out: string[] = []
  let changed = false
  for (const line of pyReadlines(text)) {
    if (!line.trim() || line.trim().startsWith('#')) {
      out.push(line)
      continue
    }
    const fields = pySplit(line)
    if (fields.length !== 6) {
      out.push(line)
      continue
    }
    const [lsrc = '', lname = '', fstype = ''] = fields
    if (isOther({ src: lsrc, name: lname, fstype }, escName, src)) {
      out.push(line)
      continue
    }
    changed = true
  }
  return { text: out.join(''), changed }
}
