/**
 * A whole directory tree in ONE round trip: type, mode, owner, group, size of every entry and the
 * sha256 of every regular file. copy compares it with the control side to send only what differs,
 * so a no-op copy of a few hundred DAG files is a single exec. NUL-separated: any name is safe.
 */
import { shScript, type Fact } from '../types.js'

export interface TreeEntry {
  type: 'file' | 'directory' | 'link' | 'other'
  /** four octal digits */
  mode: string
  owner: string
  group: string
  size: number
  /** as read (an effect's predicted entry may lack them) */
  uid?: number
  gid?: number
  sha256?: string
  linkTarget?: string
}

export interface Tree {
  /** 'absent': nothing there; 'notdir': something that is not a directory; 'dir': entries are valid */
  state: 'absent' | 'notdir' | 'dir'
  /** keyed by path relative to the root; '' is the root itself */
  entries: Record<string, TreeEntry>
  /** who the commands run as: the owner new files get */
  user?: string
  group?: string
}

const SCRIPT = `printf '%s|%s\\n' "$(id -un)" "$(id -gn)"
cd -- "$1" 2>/dev/null || { if [ -e "$1" ] || [ -L "$1" ]; then echo notdir; else echo absent; fi; exit 0; }
echo dir
find . -printf '%y|%m|%u|%g|%U|%G|%s|%P\\000%l\\000'
find . -type f -exec sha256sum -z -- {} +`

const TYPES: Record<string, TreeEntry['type']> = { f: 'file', d: 'directory', l: 'link' }
const ENTRY = /^([a-zA-Z])\|([0-7]+)\|([^|]*)\|([^|]*)\|(\d+)\|(\d+)\|(\d+)\|([\s\S]*)$/
const SUM = /^([0-9a-f]{64}) [ *]\.\/([\s\S]*)$/

export const pathTree: Fact<Tree, [string]> = {
  name: 'path.tree',
  key: (root) => root,
  command: (root) => shScript(SCRIPT, root),
  parse(out, root) {
    const n0 = out.stdout.indexOf('\n')
    const [user, group] = out.stdout.slice(0, n0).split('|')
    const nl = out.stdout.indexOf('\n', n0 + 1)
    const head = nl < 0 ? out.stdout.slice(n0 + 1).trim() : out.stdout.slice(n0 + 1, nl)
    if (head === 'absent' || head === 'notdir') return { state: head, entries: {}, user, group }
    if (head !== 'dir') throw new Error(`cannot list ${root}: ${out.stderr.trim() || `rc ${out.rc}`}`)
    const tokens = out.stdout.slice(nl + 1).split('\0')
    const entries: Record<string, TreeEntry> = {}
    let i = 0
    for (; i < tokens.length; i += 2) {
      const m = ENTRY.exec(tokens[i]!)
      if (!m) break
      const e: TreeEntry = {
        type: TYPES[m[1]!] ?? 'other',
        mode: m[2]!.padStart(4, '0'),
        owner: m[3]!,
        group: m[4]!,
        uid: Number(m[5]),
        gid: Number(m[6]),
        size: Number(m[7]),
      }
      if (e.type === 'link') e.linkTarget = tokens[i + 1]
      entries[m[8]!] = e
    }
    for (; i < tokens.length; i++) {
      const m = SUM.exec(tokens[i]!)
      const e = m && entries[m[2]!]
      if (e) e.sha256 = m[1]
    }
    if (!entries['']) throw new Error(`cannot list ${root}: ${out.stderr.trim() || 'no entries'}`)
    return { state: 'dir', entries, user, group }
  },
}
