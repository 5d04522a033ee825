/**
 * The apt source files, in ONE round trip: /etc/apt/sources.list, sources.list.d/*.list (one-line
 * format) and sources.list.d/*.sources (deb822), each with its mode, owner and content.
 */
import { sha256 } from '../files/stat.js'
import { shScript, type Fact } from '../types.js'
import type { PathStat } from './path.js'

export const SOURCES_LIST = '/etc/apt/sources.list'
export const SOURCES_DIR = '/etc/apt/sources.list.d'

export interface SourceFile {
  path: string
  mode: string
  owner: string
  group: string
  text: string
}

export interface AptSources {
  /** by path, sources.list first, then the directory's files by name */
  files: SourceFile[]
}

// NUL-separated records: path, "mode|owner|group", base64 content
const SCRIPT = `for f in "$1" "$2"/*.list "$2"/*.sources; do
  [ -f "$f" ] || continue
  printf '%s\\000' "$f"; stat -c '%a|%U|%G' -- "$f" | tr -d '\\n'; printf '\\000'; base64 -w0 < "$f" || exit 1; printf '\\000'
done`

export const aptSources: Fact<AptSources> = {
  name: 'apt.sources',
  key: () => '',
  command: () => shScript(SCRIPT, SOURCES_LIST, SOURCES_DIR),
  parse(out) {
    if (out.rc !== 0) throw new Error(`cannot read the apt sources: ${out.stderr.trim() || `exit ${out.rc}`}`)
    const parts = out.stdout.split('\0')
    const files: SourceFile[] = []
    for (let i = 0; i + 2 < parts.length; i += 3) {
      const [mode = '', owner = '', group = ''] = parts[i + 1]!.split('|')
      files.push({ path: parts[i]!, mode: mode.padStart(4, '0'), owner, group, text: Buffer.from(parts[i + 2]!, 'base64').toString('utf8') })
    }
    const rank = (p: string) => (p === SOURCES_LIST ? '' : p)
    files.sort((a, b) => (rank(a.path) < rank(b.path) ? -1 : rank(a.path) > rank(b.path) ? 1 : 0))
    return { files }
  },
}

/** A source file as a path stat (for the writes and their effects). */
export const sourceFileStat = (f: SourceFile | undefined): PathStat =>
  f ? { exists: true, type: 'file', mode: f.mode, owner: f.owner, group: f.group, sha256: sha256(f.text), size: Buffer.byteLength(f.text) } : { exists: false }
