/**
 * service_facts: the host's services (systemd units and SysV scripts) as Ansible's
 * ansible_facts.services. Read-only: it plans ok with the data. In check mode a unit an earlier
 * systemd task would start, stop, enable or mask shows as it would then.
 */
import { hostServices } from './facts/services.js'
import { isActive, isMasked, type UnitState } from './facts/systemd.js'
import { defineModule, type Plan } from './types.js'

export const serviceFacts = defineModule({
  name: 'service_facts',
  aliases: ['ansible.builtin.service_facts'],
  summary: 'Return service state information as fact data',
  description: 'Gathers systemd services (list-units, list-unit-files) and SysV init scripts into ansible_facts.services.',
  params: {},
  returns: { ansible_facts: 'services: name -> { name, state (running, stopped, ...), status (enabled, disabled, static, ...), source (systemd, sysv) }' },
  examples: `
- ansible.builtin.service_facts:
- debug:
    var: ansible_facts.services['cron.service'].state
`,
  async plan(_p, ctx): Promise<Plan> {
    const services = await ctx.fact(hostServices)
    for (const s of Object.values(services)) {
      const u = s.source === 'systemd' ? (ctx.effect('systemd.unit', s.name) as UnitState | undefined) : undefined
      if (!u) continue
      s.state = isActive(u) ? 'running' : 'stopped'
      s.status = isMasked(u) ? 'masked' : u.unitFileState || s.status
    }
    const n = Object.keys(services).length
    if (n === 0)
      return {
        kind: 'ok',
        reason: 'no services found',
        data: { msg: 'Failed to find any services. This can be due to privileges or some other configuration issue.' },
      }
    const running = Object.values(services).filter((s) => s.state === 'running').length
    return { kind: 'ok', reason: `${n} services, ${running} running`, data: { ansible_facts: { services } } }
  },
})
