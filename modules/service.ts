/**
 * service: Ansible's generic service module, on acplay's targets (systemd) what Ansible's service
 * action runs there: the systemd module with name, state and enabled (modules/systemd.ts). sleep,
 * pattern, runlevel and arguments only concern other init systems: Ansible's action drops them on
 * systemd hosts with a warning (its UNUSED_PARAMS), and so does acplay, so `sleep` delays nothing.
 */
import { ModuleFailure } from '../engine/errors.js'
import { planSystemd, systemd } from './systemd.js'
import { defineModule } from './types.js'

const UNUSED_ON_SYSTEMD = ['pattern', 'runlevel', 'sleep', 'arguments'] as const

export const service = defineModule({
  name: 'service',
  summary: 'Manage services (with systemd on acplay targets)',
  description:
    "Starts, stops, restarts or reloads a service and enables it on boot, through systemd (what Ansible's service does on systemd hosts). " +
    "As there, it takes the systemd module's options (masked, daemon_reload, ...) and its module_defaults under the service's own.",
  params: {
    // on systemd hosts Ansible's service action hands its arguments to the systemd module: its options too
    ...systemd.params,
    sleep: {
      type: 'int',
      description: 'Seconds between stop and start for init scripts; not used with systemd (ignored with a warning, as Ansible does there).',
    },
    pattern: {
      type: 'str',
      description: 'A process pattern for init scripts without status; not used with systemd (ignored with a warning, as Ansible does there).',
    },
    runlevel: { type: 'str', description: 'OpenRC runlevel; not used with systemd (ignored with a warning, as Ansible does there).' },
    arguments: {
      type: 'str',
      aliases: ['args'],
      description: 'Extra arguments for init scripts; not used with systemd (ignored with a warning, as Ansible does there).',
    },
    use: { type: 'str', default: 'auto', description: "The service manager: auto or systemd (acplay's targets run systemd; others are refused)." },
  },
  requiredOneOf: systemd.requiredOneOf,
  requiredBy: systemd.requiredBy,
  returns: { name: 'the full unit name', state: 'ActiveState after the task', enabled: 'enabled on boot', status: "the unit's systemctl show properties" },
  examples: `
- service: { name: nginx, state: reloaded }
- ansible.builtin.service:
    name: airflow-webserver
    state: restarted
`,
  async plan(p, ctx) {
    if (p.use !== 'auto' && p.use !== 'systemd')
      throw new ModuleFailure(`use: ${p.use} is not supported: acplay manages services with systemd (use: auto or systemd)`)
    // Ansible's service action prints these itself: they are not in the registered result
    for (const k of UNUSED_ON_SYSTEMD) if (p[k] !== undefined) ctx.warn?.(`Ignoring "${k}" as it is not used in "systemd"`)
    const { name, state, enabled, masked, daemon_reload, daemon_reexec, no_block, force } = p
    return planSystemd({ name, state, enabled, masked, daemon_reload, daemon_reexec, no_block, force }, ctx)
  },
})
