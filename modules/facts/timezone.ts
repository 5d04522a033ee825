/** The time zone and the RTC mode as `timedatectl status` reports them (Ansible's systemd timezone reads the same). */
import { shScript, type Fact } from '../types.js'

export interface TimezoneState {
  /** timedatectl runs (systemd) */
  usable: boolean
  /** why not, when it does not */
  error?: string
  timedatectl: string
  name: string
  /** 'local' or 'UTC' */
  hwclock: string
}

const SCRIPT = `t=$(command -v timedatectl) || { echo 'no timedatectl'; exit 0; }
out=$(LC_ALL=C timedatectl status 2>&1) || { printf 'unusable %s\\n' "$out"; exit 0; }
printf 'ok %s\\n%s\\n' "$t" "$out"`

export function parseTimedatectl(status: string): { name: string; hwclock: string } {
  const name = /^\s*Time ?zone\s*:\s*(\S+)/m.exec(status)?.[1] ?? ''
  const rtc = /^\s*RTC in local TZ\s*:\s*(\S+)/m.exec(status)?.[1] ?? 'no'
  return { name, hwclock: ['yes', 'true', '1', 'on'].includes(rtc.toLowerCase()) ? 'local' : 'UTC' }
}

export const timezoneState: Fact<TimezoneState> = {
  name: 'timezone.state',
  command: () => shScript(SCRIPT),
  parse(out) {
    const [head = '', ...rest] = out.stdout.split('\n')
    if (out.rc !== 0) throw new Error(`cannot read the time zone: ${out.stderr.trim() || `exit ${out.rc}`}`)
    if (!head.startsWith('ok ')) return { usable: false, error: head.replace(/^unusable /, ''), timedatectl: '', name: '', hwclock: 'UTC' }
    return { usable: true, timedatectl: head.slice(3), ...parseTimedatectl(rest.join('\n')) }
  },
}
