/**
 * Dates and times as Python has them for strftime, to_datetime and now(): a datetime that prints
 * as `2020-01-02 03:04:05`, subtracts to a timedelta (`.days`, `.seconds`, `.total_seconds()`),
 * and formats with strftime directives (glibc's, as Python's time.strftime on Linux).
 */
import { arg, type Filter } from './filter-types.js'
import { Builtin } from './jinja/runtime.js'
import { mkFloat, num, PyObj, pystr, truthy } from './py.js'
import { templateError } from './undefined.js'

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const pad = (n: number, w = 2, c = '0') => String(n).padStart(w, c)
const US_PER_DAY = 86_400_000_000

/** Broken-down time, as strftime needs it. */
interface Fields {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  microsecond: number
  /** minutes east of UTC, or null for a naive time */
  offset: number | null
  /** the zone's abbreviation when known (%Z) */
  zone?: string
}

function fieldsOf(us: number, offset: number | null, zone?: string): Fields {
  const ms = Math.floor(us / 1000)
  const d = new Date(ms)
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    microsecond: us - ms * 1000 + d.getUTCMilliseconds() * 1000,
    offset,
    zone,
  }
}

const toUs = (f: Omit<Fields, 'offset'>) => Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) * 1000 + f.microsecond

function weekday(f: Fields): number {
  return (new Date(Date.UTC(f.year, f.month - 1, f.day)).getUTCDay() + 6) % 7 // Monday = 0
}
function yday(f: Fields): number {
  return Math.round((Date.UTC(f.year, f.month - 1, f.day) - Date.UTC(f.year, 0, 1)) / 86_400_000) + 1
}
function isoWeek(f: Fields): [number, number] {
  const d = new Date(Date.UTC(f.year, f.month - 1, f.day))
  const wd = weekday(f)
  d.setUTCDate(d.getUTCDate() - wd + 3)
  const isoYear = d.getUTCFullYear()
  const week = 1 + Math.round((d.getTime() - Date.UTC(isoYear, 0, 4)) / 86_400_000 / 7 - (((new Date(Date.UTC(isoYear, 0, 4)).getUTCDay() + 6) % 7) - 3) / 7)
  return [isoYear, week]
}
const offsetStr = (o: number | null, colon = false) =>
  o === null ? '' : `${o < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(o) / 60))}${colon ? ':' : ''}${pad(Math.abs(o) % 60)}`

export function strftime(fmt: string, f: Fields): string {
  return fmt.replace(/%([-_0^#]?)([a-zA-Z%+])/g, (m, flag: string, c: string) => {
    const num = (n: number, w: number) => (flag === '-' ? String(n) : flag === '_' ? pad(n, w, ' ') : pad(n, w))
    const wd = weekday(f)
    switch (c) {
      case 'Y':
        return String(f.year)
      case 'C':
        return num(Math.floor(f.year / 100), 2)
      case 'y':
        return num(f.year % 100, 2)
      case 'm':
        return num(f.month, 2)
      case 'd':
        return num(f.day, 2)
      case 'e':
        return flag === '-' ? String(f.day) : pad(f.day, 2, flag === '0' ? '0' : ' ')
      case 'H':
        return num(f.hour, 2)
      case 'k':
        return pad(f.hour, 2, ' ')
      case 'I':
        return num(f.hour % 12 || 12, 2)
      case 'l':
        return pad(f.hour % 12 || 12, 2, ' ')
      case 'M':
        return num(f.minute, 2)
      case 'S':
        return num(f.second, 2)
      case 'f':
        return pad(f.microsecond, 6)
      case 'p':
        return f.hour < 12 ? 'AM' : 'PM'
      case 'P':
        return f.hour < 12 ? 'am' : 'pm'
      case 'a':
        return DAYS[wd]!.slice(0, 3)
      case 'A':
        return DAYS[wd]!
      case 'b':
      case 'h':
        return MONTHS[f.month - 1]!.slice(0, 3)
      case 'B':
        return MONTHS[f.month - 1]!
      case 'j':
        return num(yday(f), 3)
      case 'w':
        return String((wd + 1) % 7)
      case 'u':
        return String(wd + 1)
      case 'U':
        return num(Math.floor((yday(f) + 6 - ((wd + 1) % 7)) / 7), 2)
      case 'W':
        return num(Math.floor((yday(f) + 6 - wd) / 7), 2)
      case 'G':
        return String(isoWeek(f)[0])
      case 'V':
        return num(isoWeek(f)[1], 2)
      case 'z':
        return offsetStr(f.offset)
      case 'Z':
        return f.zone ?? (f.offset === 0 ? 'UTC' : '')
      case 's':
        return String(Math.floor((toUs(f) / 1000 - (f.offset ?? 0) * 60_000) / 1000))
      case 'c':
        return strftime('%a %b %e %H:%M:%S %Y', f)
      case 'x':
      case 'D':
        return strftime('%m/%d/%y', f)
      case 'X':
      case 'T':
        return strftime('%H:%M:%S', f)
      case 'F':
        return strftime('%Y-%m-%d', f)
      case 'R':
        return strftime('%H:%M', f)
      case 'r':
        return strftime('%I:%M:%S %p', f)
      case 'n':
        return '\n'
      case 't':
        return '\t'
      case '%':
        return '%'
    }
    return m
  })
}

export class PyTimedelta extends PyObj {
  readonly pyType = 'timedelta'
  constructor(readonly us: number) {
    super()
  }
  get days(): number {
    return Math.floor(this.us / US_PER_DAY)
  }
  get seconds(): number {
    return Math.floor((this.us - this.days * US_PER_DAY) / 1_000_000)
  }
  get microseconds(): number {
    return this.us - this.days * US_PER_DAY - this.seconds * 1_000_000
  }
  override pyAttr(name: string): unknown {
    if (name === 'days') return this.days
    if (name === 'seconds') return this.seconds
    if (name === 'microseconds') return this.microseconds
    if (name === 'total_seconds') return new Builtin('total_seconds', () => mkFloat(this.us / 1_000_000))
    return undefined
  }
  override pyTruthy(): boolean {
    return this.us !== 0
  }
  override pyStr(): string {
    const s = this.seconds
    const hms = `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}${this.microseconds ? `.${pad(this.microseconds, 6)}` : ''}`
    const d = this.days
    return d ? `${d} day${Math.abs(d) === 1 ? '' : 's'}, ${hms}` : hms
  }
  override pyRepr(): string {
    const parts = [
      this.days && `days=${this.days}`,
      this.seconds && `seconds=${this.seconds}`,
      this.microseconds && `microseconds=${this.microseconds}`,
    ].filter(Boolean)
    return `datetime.timedelta(${parts.join(', ')})`
  }
}

/** A datetime: microseconds of its wall-clock time (as if UTC) plus an optional UTC offset. */
export class PyDatetime extends PyObj {
  readonly pyType = 'datetime'
  constructor(
    readonly us: number,
    readonly offset: number | null = null,
    readonly zone?: string,
  ) {
    super()
  }
  get fields(): Fields {
    return fieldsOf(this.us, this.offset, this.zone)
  }
  /** the instant, for comparing aware datetimes */
  get utcUs(): number {
    return this.us - (this.offset ?? 0) * 60_000_000
  }
  isoformat(sep = 'T'): string {
    const f = this.fields
    return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}${sep}${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}${f.microsecond ? `.${pad(f.microsecond, 6)}` : ''}${offsetStr(f.offset, true)}`
  }
  override pyAttr(name: string): unknown {
    const f = this.fields
    switch (name) {
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
      case 'microsecond':
        return f[name]
      case 'strftime':
        return new Builtin('strftime', (args) => strftime(pystr(args[0]), this.fields))
      case 'isoformat':
        return new Builtin('isoformat', (args, kw) => this.isoformat(pystr(arg(args, kw, 0, 'sep', 'T'))))
      case 'timestamp':
        return new Builtin('timestamp', () => mkFloat(this.offset === null ? localEpochUs(this.us) / 1e6 : this.utcUs / 1e6))
      case 'weekday':
        return new Builtin('weekday', () => weekday(f))
      case 'isoweekday':
        return new Builtin('isoweekday', () => weekday(f) + 1)
      case 'date':
        return new Builtin('date', () => new PyDatetime(Math.floor(this.us / US_PER_DAY) * US_PER_DAY))
    }
    return undefined
  }
  override pyStr(): string {
    return this.isoformat(' ')
  }
  override pyRepr(): string {
    const f = this.fields
    const parts = [f.year, f.month, f.day, f.hour, f.minute]
    if (f.second || f.microsecond) parts.push(f.second)
    if (f.microsecond) parts.push(f.microsecond)
    return `datetime.datetime(${parts.join(', ')})`
  }
  /** datetime - datetime, datetime ± timedelta */
  override binop(op: string, other: unknown, reflected: boolean): unknown {
    if (op === '-' && !reflected && other instanceof PyDatetime) {
      if ((this.offset === null) !== (other.offset === null)) throw templateError("can't subtract offset-naive and offset-aware datetimes")
      return new PyTimedelta(this.offset === null ? this.us - other.us : this.utcUs - other.utcUs)
    }
    if (other instanceof PyTimedelta && (op === '+' || (op === '-' && !reflected)))
      return new PyDatetime(this.us + (op === '+' ? other.us : -other.us), this.offset, this.zone)
    return undefined
  }
  override compareKey(): number {
    return this.offset === null ? this.us : this.utcUs
  }
}

/** The epoch for a naive local wall-clock time (the controller's zone). */
function localEpochUs(wallUs: number): number {
  const ms = Math.floor(wallUs / 1000)
  const guess = new Date(ms)
  const offset = -new Date(ms + guess.getTimezoneOffset() * 60_000).getTimezoneOffset()
  return wallUs - offset * 60_000_000
}

/** An epoch second (float) as local or UTC wall-clock fields. */
export function epochToDatetime(seconds: number, utc: boolean): PyDatetime {
  const us = Math.round(seconds * 1e6)
  if (utc) return new PyDatetime(us)
  const offset = -new Date(us / 1000).getTimezoneOffset()
  return new PyDatetime(us + offset * 60_000_000)
}

const STRPTIME: Record<string, string> = {
  Y: '(\\d{4})',
  m: '(\\d{1,2})',
  d: '(\\d{1,2})',
  H: '(\\d{1,2})',
  M: '(\\d{1,2})',
  S: '(\\d{1,2})',
  f: '(\\d{1,6})',
  y: '(\\d{2})',
  j: '(\\d{1,3})',
  I: '(\\d{1,2})',
  p: '(AM|PM|am|pm)',
  b: `(${MONTHS.map((m) => m.slice(0, 3)).join('|')})`,
  B: `(${MONTHS.join('|')})`,
  a: `(${DAYS.map((d) => d.slice(0, 3)).join('|')})`,
  A: `(${DAYS.join('|')})`,
  z: '([-+]\\d{2}:?\\d{2}|Z)',
  Z: '(UTC|GMT|[A-Z]{3,4})',
  '%': '%',
}

/** datetime.strptime for the common directives. */
export function strptime(s: string, fmt: string): PyDatetime {
  const fields: string[] = []
  let re = ''
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!
    if (c === '%' && i + 1 < fmt.length) {
      const d = fmt[++i]!
      if (!Object.hasOwn(STRPTIME, d)) throw templateError(`'${d}' is a bad directive in format '${fmt}'`)
      re += STRPTIME[d]
      if (d !== '%') fields.push(d)
    } else if (/\s/.test(c)) re += '\\s+'
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  const m = new RegExp(`^${re}$`, 'i').exec(s)
  if (!m) throw templateError(`time data ${JSON.stringify(s)} does not match format ${JSON.stringify(fmt)}`)
  const f = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0 }
  let pm: boolean | undefined
  let offset: number | null = null
  let doy: number | undefined
  fields.forEach((d, i) => {
    const v = m[i + 1]! // one required group per directive
    const n = Number(v)
    if (d === 'Y') f.year = n
    else if (d === 'y') f.year = n < 69 ? 2000 + n : 1900 + n
    else if (d === 'm') f.month = n
    else if (d === 'd') f.day = n
    else if (d === 'H') f.hour = n
    else if (d === 'I') f.hour = n % 12
    else if (d === 'M') f.minute = n
    else if (d === 'S') f.second = n
    else if (d === 'f') f.microsecond = Number(v.padEnd(6, '0'))
    else if (d === 'j') doy = n
    else if (d === 'p') pm = v.toLowerCase() === 'pm'
    else if (d === 'b' || d === 'B') f.month = MONTHS.findIndex((x) => x.toLowerCase().startsWith(v.toLowerCase().slice(0, 3))) + 1
    else if (d === 'z') {
      const z = /^([-+])(\d{2}):?(\d{2})$/.exec(v)
      offset = z ? (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) : 0
    }
  })
  if (pm !== undefined && fields.includes('I') && pm) f.hour += 12
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > new Date(Date.UTC(f.year, f.month, 0)).getUTCDate() || f.hour > 23 || f.minute > 59 || f.second > 61)
    throw templateError(`time data ${JSON.stringify(s)} does not match format ${JSON.stringify(fmt)}`)
  let us = toUs(f)
  if (doy !== undefined) us = Date.UTC(f.year, 0, doy, f.hour, f.minute, f.second) * 1000 + f.microsecond
  return new PyDatetime(us, offset)
}

export const timeFilters: Record<string, Filter> = {
  strftime: (v, args, kw) => {
    const second = arg<unknown>(args, kw, 0, 'second', null)
    const utc = truthy(arg(args, kw, 1, 'utc', false))
    let s: number
    if (second === null) s = Date.now() / 1000
    else {
      const n = num(second) ?? (typeof second === 'string' && second.trim() !== '' ? Number(second) : Number.NaN)
      if (Number.isNaN(n)) throw templateError(`Invalid value for epoch value (${pystr(second)})`)
      s = Math.trunc(n)
    }
    const dt = epochToDatetime(s, utc)
    return strftime(pystr(v), { ...dt.fields, offset: utc ? 0 : -new Date(s * 1000).getTimezoneOffset() })
  },
  to_datetime: (v, args, kw) => strptime(pystr(v), pystr(arg(args, kw, 0, 'format', '%Y-%m-%d %H:%M:%S'))),
}

/** The `now()` global: local (or UTC) time as a datetime, or formatted with fmt. */
export function now(args: unknown[], kw: Record<string, unknown>): unknown {
  const utc = truthy(arg(args, kw, 0, 'utc', false))
  const fmt = arg<unknown>(args, kw, 1, 'fmt', null)
  const dt = epochToDatetime(Date.now() / 1000, utc)
  return fmt === null ? dt : strftime(pystr(fmt), dt.fields)
}
