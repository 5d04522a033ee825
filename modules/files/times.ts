/**
 * The file module's modification_time / access_time: 'preserve', 'now', or a time written in a
 * Python strptime format (default %Y%m%d%H%M.%S), meant in the HOST's local time (Ansible's
 * time.mktime runs there): the host turns it into seconds (`date -d`), in the same read as the
 * path's current times. A time equal to the current one is no change; 'now' always is.
 */
import { ModuleFailure } from '../../engine/errors.js'
import { shScript, type Command, type Fact } from '../types.js'

export type TimeWant = { kind: 'preserve' } | { kind: 'now' } | { kind: 'at'; local: string; text: string }

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** Python's strptime for the directives times are written with; the result as "YYYY-MM-DD HH:MM:SS" (naive, host-local). */
export function strptime(text: string, format: string, name: string): string {
  const f = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0, pm: undefined as boolean | undefined, I: undefined as number | undefined }
  let re = '^'
  const order: string[] = []
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!
    if (c !== '%') {
      re += /\s/.test(c) ? '\\s+' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      continue
    }
    const d = format[++i]
    const pat = {
      Y: '(\\d{4})',
      y: '(\\d{2})',
      m: '(\\d{1,2})',
      d: '(\\d{1,2})',
      H: '(\\d{1,2})',
      I: '(\\d{1,2})',
      M: '(\\d{1,2})',
      S: '(\\d{1,2})',
      p: '(AM|PM|am|pm)',
      b: '([A-Za-z]{3})',
      B: '([A-Za-z]+)',
    }[d ?? '']
    if (d === '%') re += '%'
    else if (pat) {
      re += pat
      order.push(d!)
    } else throw new ModuleFailure(`argument '${name}_format': the directive %${d ?? ''} is not supported (use %Y %y %m %d %H %I %M %S %p %b %B)`)
  }
  const m = new RegExp(`${re}$`).exec(text)
  if (!m)
    throw new ModuleFailure(`Error while obtaining timestamp for time ${text} using format ${format}: time data '${text}' does not match format '${format}'`)
  order.forEach((d, i) => {
    const v = m[i + 1]!
    if (d === 'Y') f.Y = Number(v)
    else if (d === 'y') f.Y = Number(v) < 69 ? 2000 + Number(v) : 1900 + Number(v)
    else if (d === 'b' || d === 'B') {
      const idx = MONTHS.indexOf(v.slice(0, 3).toLowerCase())
      if (idx < 0) throw new ModuleFailure(`Error while obtaining timestamp for time ${text} using format ${format}: unknown month ${v}`)
      f.m = idx + 1
    } else if (d === 'p') f.pm = v.toLowerCase() === 'pm'
    else if (d === 'I') f.I = Number(v)
    else (f as Record<string, unknown>)[d] = Number(v)
  })
  if (f.I !== undefined) f.H = (f.I % 12) + (f.pm ? 12 : 0)
  const p2 = (n: number) => String(n).padStart(2, '0')
  if (f.m < 1 || f.m > 12 || f.d < 1 || f.d > 31 || f.H > 23 || f.M > 59 || f.S > 61)
    throw new ModuleFailure(`Error while obtaining timestamp for time ${text} using format ${format}: a field is out of range`)
  return `${String(f.Y).padStart(4, '0')}-${p2(f.m)}-${p2(f.d)} ${p2(f.H)}:${p2(f.M)}:${p2(f.S)}`
}

/** The argument as wanted; `fallback` is Ansible's default for the state (touch: now, else preserve). */
export function timeWant(value: string | undefined, format: string, name: string, fallback: 'now' | 'preserve'): TimeWant {
  const v = value ?? fallback
  if (v === 'now' || v === 'preserve') return { kind: v }
  return { kind: 'at', local: strptime(v, format, name), text: v }
}

export interface PathTimes {
  exists: boolean
  mtime?: number
  atime?: number
  /** the wanted local times as seconds since the epoch, as the host reads them */
  epochs: number[]
}

// $1 the path; then local times to convert. Times through symlinks, as os.stat.
const SCRIPT = `p=$1; shift
if [ -e "$p" ]; then stat -L -c '%.9Y %.9X' -- "$p"; else echo absent; fi
for t; do date -d "$t" +%s 2>/dev/null || echo bad; done`

export const pathTimes: Fact<PathTimes, [string, string[]]> = {
  name: 'path.times',
  key: (path, wanted) => JSON.stringify([path, wanted]),
  command: (path, wanted) => shScript(SCRIPT, path, ...wanted),
  parse(out, path, wanted) {
    const [first = '', ...rest] = out.stdout.trim().split('\n')
    if (out.rc !== 0) throw new Error(`cannot read the times of ${path}: ${out.stderr.trim()}`)
    const epochs = rest.map((x, i) => {
      if (!/^-?\d+$/.test(x)) throw new Error(`the host cannot read the time ${wanted[i]}`)
      return Number(x)
    })
    if (first === 'absent') return { exists: false, epochs }
    const [m = '', a = ''] = first.split(' ')
    return { exists: true, mtime: Number(m), atime: Number(a), epochs }
  },
}

/** The commands that set what differs (touch -m / -a; 'now' always), and a description of them; none when all is as wanted. */
export function planTimes(
  path: string,
  m: TimeWant,
  a: TimeWant,
  now: PathTimes | undefined,
): { commands: Command[]; attrs: Record<string, [string, string]> } {
  const commands: Command[] = []
  const attrs: Record<string, [string, string]> = {}
  let i = 0
  for (const [flag, want, cur, label] of [
    ['-m', m, now?.mtime, 'mtime'],
    ['-a', a, now?.atime, 'atime'],
  ] as const) {
    if (want.kind === 'preserve') continue
    if (want.kind === 'now') {
      commands.push({ argv: ['touch', flag, '--', path] })
      attrs[label] = [cur === undefined ? '' : String(cur), 'now']
      continue
    }
    const epoch = now?.epochs[i++]
    if (epoch !== undefined && cur === epoch) continue
    commands.push({ argv: ['touch', flag, '-d', epoch !== undefined ? `@${epoch}` : want.local, '--', path] })
    attrs[label] = [cur === undefined ? '' : String(cur), want.text]
  }
  return { commands, attrs }
}
