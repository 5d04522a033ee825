/** A file's bytes, as slurp and fetch read them: base64 through the shell, with Ansible's reasons when it cannot be read. */
import { shScript, type Fact } from '../types.js'

export type FileBytes = { ok: true; content: Buffer } | { ok: false; reason: 'missing' | 'directory' | 'unreadable' }

// `$1` is read through (a link is followed, as open() does); the reasons are slurp's.
const SCRIPT = `p=$1
if [ ! -e "$p" ]; then echo missing; exit 0; fi
if [ -d "$p" ]; then echo directory; exit 0; fi
if [ ! -r "$p" ]; then echo unreadable; exit 0; fi
echo ok
base64 -w0 < "$p"`

export const fileBytes: Fact<FileBytes, [string]> = {
  name: 'file.bytes',
  key: (path) => path,
  command: (path) => shScript(SCRIPT, path),
  parse(out, path) {
    const nl = out.stdout.indexOf('\n')
    const head = nl < 0 ? out.stdout.trim() : out.stdout.slice(0, nl)
    if (head === 'missing' || head === 'directory' || head === 'unreadable') return { ok: false, reason: head }
    if (head !== 'ok' || out.rc !== 0) throw new Error(`cannot read ${path}: ${out.stderr.trim() || `rc ${out.rc}`}`)
    return { ok: true, content: Buffer.from(out.stdout.slice(nl + 1).trim(), 'base64') }
  },
}

/** slurp's messages for a file it cannot read */
export function unreadableMessage(reason: 'missing' | 'directory' | 'unreadable', path: string): string {
  if (reason === 'missing') return `file not found: ${path}`
  if (reason === 'directory') return `source is a directory and must be a file: ${path}`
  return `file is not readable: ${path}`
}
