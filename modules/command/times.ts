/**
 * command/shell's `start`, `end` and `delta` in Ansible's formats: Python's
 * `datetime.now()` as '%Y-%m-%d %H:%M:%S.%f' (local time) and `str(timedelta)`.
 */
const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** '2026-12-02 18:25:06.084709' for microseconds since the epoch, in local time. */
export function ansibleTime(us: number): string {
  const d = new Date(Math.floor(us / 1000))
  const micros = ((us % 1_000_000) + 1_000_000) % 1_000_000
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(micros, 6)}`
}

/** Python's str(timedelta): '0:00:00.016082', '1 day, 2:03:04.000005'; no fraction when it is zero. */
export function ansibleDelta(us: number): string {
  const total = Math.max(0, Math.round(us))
  const micros = total % 1_000_000
  const secs = Math.floor(total / 1_000_000)
  const days = Math.floor(secs / 86_400)
  const rest = secs % 86_400
  const hms = `${Math.floor(rest / 3600)}:${pad(Math.floor(rest / 60) % 60)}:${pad(rest % 60)}${micros ? `.${pad(micros, 6)}` : ''}`
  return days ? `${days} day${days === 1 ? '' : 's'}, ${hms}` : hms
}

/** The three keys of a command that ran from `startUs` to `endUs`. */
export const runTimes = (startUs: number, endUs: number) => ({ start: ansibleTime(startUs), end: ansibleTime(endUs), delta: ansibleDelta(endUs - startUs) })
