/**
 * A background job started by a task with `async` (engine/run/async-task.ts): its directory
 * `~/.ansible_async/<jid>/` holds the command (cmd), start, and, once it ended, rc, end, stdout,
 * stderr. One read answers all of it; the streams travel base64-encoded, so any byte survives.
 */
import type { Fact } from '../types.js'

export interface AsyncJob {
  jid: string
  /** the job directory on the host */
  dir: string
  state: 'missing' | 'running' | 'finished'
  cmd?: unknown
  rc?: number
  startUs?: number
  endUs?: number
  stdout?: string
  stderr?: string
}

/** The job directory of `jid`, relative to the (become) user's home: `"$HOME"/.ansible_async/<jid>`. */
export const ASYNC_DIR = '.ansible_async'

const READ = `d="$HOME/${ASYNC_DIR}/$1"
printf '%s\\n' "$d"
if [ ! -d "$d" ]; then echo missing; exit 0; fi
if [ -f "$d/rc" ]; then echo finished; else echo running; fi
cat "$d/rc" 2>/dev/null || echo
cat "$d/start" 2>/dev/null || echo
cat "$d/end" 2>/dev/null || echo
for f in stdout stderr cmd; do if [ -f "$d/$f" ]; then base64 -w0 < "$d/$f"; fi; echo; done`

const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8')
const num = (s: string | undefined) => (s && /^\d+$/.test(s.trim()) ? Number(s.trim()) : undefined)

export const asyncJob: Fact<AsyncJob, [jid: string]> = {
  name: 'async.job',
  command: (jid) => ({ argv: ['sh', '-c', READ, 'sh', jid] }),
  parse(out, jid) {
    if (out.rc !== 0) throw new Error(`cannot read async job ${jid}: ${out.stderr.trim() || `rc ${out.rc}`}`)
    const [dir = '', state = 'missing', rc, start, end, stdout, stderr, cmd] = out.stdout.split('\n')
    if (state === 'missing') return { jid, dir, state }
    let parsedCmd: unknown
    try {
      parsedCmd = cmd ? JSON.parse(b64(cmd)) : undefined
    } catch {
      parsedCmd = b64(cmd)
    }
    return {
      jid,
      dir,
      state: state === 'finished' ? 'finished' : 'running',
      cmd: parsedCmd,
      rc: num(rc),
      startUs: num(start),
      endUs: num(end),
      stdout: b64(stdout),
      stderr: b64(stderr),
    }
  },
}
