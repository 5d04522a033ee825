/**
 * service: Ansible's generic service module, on acplay's targets (systemd) what Ansible's service
 * action runs there: the systemd module with name, state and enabled (modules/systemd.ts). `sleep`
 * makes a restart a stop, a wait and a start, as the service module documents; pattern, runlevel and
 * arguments only concern other init systems: Ansible drops them on systemd hosts (with a warning),
 * and so does acplay.
 */
import { ModuleFailure } from '../engine/errors.js'
import { planSystemd, systemd } from './systemd.js'
import { defineModule } from './types.js'

export const service = defineModule({
  name: 'service',
  summary: 'Manage services (with systemd on acplay targets)',
  description:
    "Starts, stops, restarts or reloads a service and enables it on boot, through systemd (what Ansible's service does on systemd hosts). " +
    "As there, it takes the systemd module's options (masked, daemon_reload, ...) and its module_defaults under the service's own.",
  params: {
    // on systemd hosts Ansible's service action hands its arguments to the systemd module: its options too
    ...systemd.params,
    sleep: { type: 'int', description: 'With state=restarted: stop, wait this many seconds, then start (instead of one restart).' },
    pattern: { type: 'str', description: 'A process pattern for init scripts without status; not used with systemd (ignored, as Ansible does there).' },
    runlevel: { type: 'str', default: 'default', description: 'OpenRC runlevel; not used with systemd (ignored, as Ansible does there).' },
    arguments: {
      type: 'str',
      default: '',
      aliases: ['args'],
      description: 'Extra arguments for init scripts; not used with systemd (ignored, as Ansible does there).',
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
    sleep: 3
`,
  async plan(p, ctx) {
    if (p.use !== 'auto' && p.use !== 'systemd')
      throw new ModuleFailure(`use: ${p.use} is not supported: acplay manages services with systemd (use: auto or systemd)`)
    if (p.sleep !== undefined && p.sleep < 0) throw new ModuleFailure(`argument 'sleep' must not be negative`)
    const sleep = p.state === 'restarted' && p.sleep ? p.sleep : undefined
    const { name, state, enabled, masked, daemon_reload, daemon_reexec, no_block, force } = p
    return planSystemd({ name, state, enabled, masked, daemon_reload, daemon_reexec, no_block, force }, ctx, { restartSleep: sleep })
  },
})
