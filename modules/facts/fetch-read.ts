/**
 * What fetch needs of the remote file in ONE round trip: whether it can be read (slurp's reasons),
 * its sha1, and its bytes only when that sha1 differs from the controller's copy (none on a no-op).
 */
import { shScript, type Fact } from '../types.js'

export type FetchRead = { ok: true; sha1: string; content?: Buffer } | { ok: false; reason: 'missing' | 'directory' | 'unreadable' }

// $1 path (followed, as Ansible's fetch does), $2 the controller copy's sha1 or '', $3 1: send the bytes when they differ
const SCRIPT = `p=$1
if [ ! -e "$p" ]; then echo missing; exit 0; fi
if [ -d "$p" ]; then echo directory; exit 0; fi
if [ ! -r "$p" ]; then echo unreadable; exit 0; fi
s=$(sha1sum < "$p") || exit 1
s=\${s%% *}
echo "ok $s"
if [ "$s" != "$2" ] && [ "$3" = 1 ]; then base64 -w0 < "$p"; fi`

export const fetchRead: Fact<FetchRead, [path: string, localSha1: string, withContent: boolean]> = {
  name: 'fetch.read',
  command: (path, localSha1, withContent) => shScript(SCRIPT, path, localSha1, withContent ? '1' : '0'),
  parse(out, path) {
    const nl = out.stdout.indexOf('\n')
    const head = nl < 0 ? out.stdout.trim() : out.stdout.slice(0, nl)
    if (head === 'missing' || head === 'directory' || head === 'unreadable') return { ok: false, reason: head }
    const m = /^ok ([0-9a-f]{40})$/.exec(head)
    if (!m || out.rc !== 0) throw new Error(`cannot read ${path}: ${out.stderr.trim() || `rc ${out.rc}`}`)
    const b64 = out.stdout.slice(nl + 1).trim()
    return { ok: true, sha1: m[1]!, content: b64 ? Buffer.from(b64, 'base64') : undefined }
  },
}
