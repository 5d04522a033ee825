/**
 * timezone (community.general.timezone): the system time zone and whether the RTC keeps local time,
 * through timedatectl as Ansible's module does on systemd hosts; each setting is verified after it is
 * made ("still not desired state" otherwise).
 *
 * Effects recorded: timezone.state with the new settings.
 */
import { ModuleFailure } from '../engine/errors.js'
import { timezoneState, type TimezoneState } from './facts/timezone.js'
import { statPaths } from './files/stat.js'
import { defineModule, factKey, shScript, type Change, type Plan } from './types.js'

// $1 timedatectl, $2 the verb, $3 the value, $4 the property that must read $5 afterwards
const SET = `"$1" "$2" "$3" || exit
now=$("$1" show -p "$4" --value)
[ "$now" = "$5" ] || { printf 'still not desired state, though changes have made - planned: %s, after: %s\\n' "$5" "$now" >&2; exit 1; }`

export const timezone = defineModule({
  name: 'timezone',
  aliases: ['community.general.timezone'],
  summary: 'Configure timezone setting',
  description: 'Sets the system time zone (`timedatectl set-timezone`) and the hardware clock mode (`timedatectl set-local-rtc`). Needs systemd.',
  params: {
    name: { type: 'str', description: 'Name of the time zone (a file under /usr/share/zoneinfo, e.g. Europe/Paris).' },
    hwclock: { type: 'str', aliases: ['rtc'], choices: ['local', 'UTC'], description: 'Whether the hardware clock is in UTC or in local time.' },
  },
  requiredOneOf: [['hwclock', 'name']],
  returns: { diff: 'before and after: the settings given (name, hwclock)', msg: 'the commands executed' },
  examples: `
- community.general.timezone:
    name: Asia/Tokyo
`,
  async plan(p, ctx): Promise<Plan> {
    if (p.name !== undefined && (!/^[A-Za-z0-9_+\-./]+$/.test(p.name) || p.name.split('/').includes('..') || p.name.startsWith('/')))
      throw new ModuleFailure(`Error message:\ngiven timezone "${p.name}" is not available`)
    const zone = p.name === undefined ? undefined : `/usr/share/zoneinfo/${p.name}`
    const [s, stats] = await Promise.all([ctx.fact(timezoneState), zone ? statPaths(ctx, [zone]) : undefined])
    if (!s.usable) throw new ModuleFailure(`timezone: timedatectl is not usable on ${ctx.host} (${s.error}); only systemd hosts are supported`)
    if (zone) {
      const st = stats!.get(zone)
      if (!(st.type === 'file' || (st.type === 'link' && st.target?.type === 'file')))
        throw new ModuleFailure(`Error message:\ngiven timezone "${p.name}" is not available`)
    }
    const before: Record<string, string> = {}
    const after: Record<string, string> = {}
    const changes: Change[] = []
    const msg: string[] = []
    const next: TimezoneState = { ...s }
    if (p.hwclock !== undefined) {
      before.hwclock = s.hwclock
      after.hwclock = p.hwclock
      if (s.hwclock !== p.hwclock) {
        const v = p.hwclock === 'local' ? 'yes' : 'no'
        msg.push(`executed \`${s.timedatectl} set-local-rtc ${v}\``)
        changes.push({ summary: `hardware clock ${s.hwclock} -> ${p.hwclock}`, commands: [shScript(SET, s.timedatectl, 'set-local-rtc', v, 'LocalRTC', v)] })
        next.hwclock = p.hwclock
      }
    }
    if (p.name !== undefined) {
      before.name = s.name
      after.name = p.name
      if (s.name !== p.name) {
        msg.push(`executed \`${s.timedatectl} set-timezone ${p.name}\``)
        changes.push({ summary: `time zone ${s.name} -> ${p.name}`, commands: [shScript(SET, s.timedatectl, 'set-timezone', p.name, 'Timezone', p.name)] })
        next.name = p.name
      }
    }
    const diff = { before, after }
    if (changes.length === 0)
      return {
        kind: 'ok',
        reason: Object.entries(before)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
        data: { diff },
      }
    const last = changes[changes.length - 1]!
    changes[changes.length - 1] = {
      ...last,
      diff: { path: 'timezone', before: `${JSON.stringify(before, null, 4)}\n`, after: `${JSON.stringify(after, null, 4)}\n` },
      effects: [{ fact: timezoneState.name, key: factKey(timezoneState, []), value: next }],
    }
    return { kind: 'change', changes, data: { diff, msg: msg.join('\n') } }
  },
})
