/**
 * service: Ansible's service action. It picks the module by the host's service manager
 * (ansible_facts.service_mgr, gathered, the delegate's under delegate_to; else the setup collector's rule run for that fact alone, as
 * the action runs setup with gather_subset '!all'; `use:` overrides): on systemd hosts the systemd
 * module with name, state and enabled (modules/systemd.ts), where sleep, pattern, runlevel and
 * arguments only concern other init systems and are dropped with Ansible's warning (UNUSED_PARAMS),
 * so `sleep` delays nothing; elsewhere (containers, sysvinit) the generic service module through the
 * init script and update-rc.d (modules/service-sysv.ts), which honours them.
 */
import { ModuleFailure } from '../engine/errors.js'
import { serviceManagerFact } from './facts/service-mgr.js'
import { validateParams } from './schema.js'
import { CONTROL, planSysv } from './service-sysv.js'
import { planSystemd, systemd } from './systemd.js'
import { defineModule, type ModuleContext } from './types.js'

const UNUSED_ON_SYSTEMD = ['pattern', 'runlevel', 'sleep', 'arguments'] as const
// what the action removes before handing the arguments to systemd (UNUSED_PARAMS, `args` the alias, and `use`)
const NOT_HANDED = new Set<string>([...UNUSED_ON_SYSTEMD, 'args', 'use'])

// what the generic service module takes: another option of systemd's is refused there, as Ansible's argument spec does
const SYSTEMD_ONLY = ['masked', 'force', 'daemon_reload', 'daemon_reexec', 'no_block'] as const
const GENERIC = 'arguments, enabled, name, pattern, runlevel, sleep, state (args)'

/**
 * Ansible's service action's choice: `use`, else the gathered service_mgr (under delegate_to the
 * delegate's, from hostvars), else that fact read alone (facts/service-mgr.ts) where the task runs.
 */
async function serviceManager(use: string, ctx: ModuleContext): Promise<string> {
  if (use.toLowerCase() !== 'auto') return use.toLowerCase()
  const vars = ctx.delegateTo === undefined ? ctx.vars : field(ctx.vars.hostvars, ctx.delegateTo)
  const mgr = field(field(vars, 'ansible_facts'), 'service_mgr')
  if (mgr !== undefined) return String(mgr)
  return ctx.fact(serviceManagerFact)
}

const field = (o: unknown, k: string): unknown => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined)

export const service = defineModule({
  name: 'service',
  summary: 'Manage services (systemd, or init scripts where systemd does not run)',
  description:
    "Starts, stops, restarts or reloads a service and enables it on boot, by the host's service manager as Ansible's service action picks it " +
    "(the gathered `ansible_service_mgr`, under `delegate_to` the delegate's, else that fact alone is read by the same rule where the task runs; `use` overrides). With systemd it is the systemd module and takes its options " +
    "(masked, daemon_reload, ...) and, there only, its module_defaults under the task's arguments; sleep, pattern, runlevel and arguments are then ignored with Ansible's warning. " +
    'Elsewhere (containers, sysvinit hosts) it is the generic service module: `service NAME ACTION ARGUMENTS` (else /etc/init.d/NAME), ' +
    "running by the script's status or `pattern` in `ps auxww`, `enabled` by update-rc.d (the S links in /etc/rc?.d), `sleep` between stop and start; " +
    "the result is name, enabled and state (started/stopped), and in check mode a predicted state change is only `msg: service state changed`, as Ansible's. " +
    "A host run by sysvinit gets Ansible's sysvinit module there, whose result holds more (`status`); acplay returns the generic module's.",
  params: {
    // on systemd hosts Ansible's service action hands its arguments to the systemd module: its options too
    ...systemd.params,
    sleep: {
      type: 'int',
      description: 'Seconds between stop and start of a restart through an init script (ignored with a warning under systemd, as Ansible does).',
    },
    pattern: {
      type: 'str',
      description:
        'A substring of `ps auxww` lines that means the service runs, instead of its status (ignored with a warning under systemd, as Ansible does).',
    },
    runlevel: { type: 'str', description: 'OpenRC runlevel; not used with systemd (ignored with a warning, as Ansible does there) nor with init scripts.' },
    arguments: {
      type: 'str',
      aliases: ['args'],
      description: 'Extra arguments to the init script, split as a shell would (ignored with a warning under systemd, as Ansible does).',
    },
    use: {
      type: 'str',
      default: 'auto',
      description: "The service manager: auto (the host's `ansible_service_mgr`), systemd, or another name, which runs the generic service module.",
    },
  },
  requiredOneOf: systemd.requiredOneOf,
  requiredBy: systemd.requiredBy,
  returns: {
    name: 'the service name as given',
    state: 'started (also for restarted and reloaded) or stopped',
    enabled: 'enabled on boot',
    status: "the unit's systemctl show properties (systemd only)",
    msg: 'service state changed (init scripts, check mode, when the state would change)',
  },
  examples: `
- service: { name: nginx, state: reloaded }
- ansible.builtin.service:
    name: airflow-webserver
    state: restarted
- name: a SysV daemon in a container, its process found by pattern
  service: { name: mydaemon, state: started, pattern: /usr/sbin/mydaemon, enabled: true }
`,
  async plan(p, ctx) {
    const manager = await serviceManager(p.use, ctx)
    if (manager !== 'systemd') {
      const extra = SYSTEMD_ONLY.filter((k) => (k === 'masked' || k === 'force' ? p[k] !== undefined : p[k] === true))
      if (extra.length)
        throw new ModuleFailure(`Unsupported parameters for (ansible.legacy.service) module: ${extra.join(', ')}. Supported parameters include: ${GENERIC}.`)
      return planSysv(p, ctx, manager)
    }
    // Ansible's service action prints these itself: they are not in the registered result
    for (const k of UNUSED_ON_SYSTEMD) if (p[k] !== undefined) ctx.warn?.(`Ignoring "${k}" as it is not used in "systemd"`)
    // the action then puts systemd's module_defaults under what is left of the arguments
    const handed = ctx.argsOver?.('systemd')
    const { name, state, enabled, masked, daemon_reload, daemon_reexec, no_block, force } = handed
      ? validateParams(systemd, Object.fromEntries(Object.entries(handed).filter(([k]) => !NOT_HANDED.has(k))))
      : p
    return planSystemd({ name, state, enabled, masked, daemon_reload, daemon_reexec, no_block, force }, ctx)
  },
  // an init script's or update-rc.d's failure: Ansible's generic module returns only its stderr (else stdout) as msg
  failureMsg: (_p, out) => (sysvCommand(out) ? out.stderr || out.stdout : undefined),
  failureData: (_p, out) => (sysvCommand(out) ? {} : undefined),
})

const sysvCommand = (out: { failedCommand?: { argv: string[] } }) =>
  out.failedCommand?.argv[2] === CONTROL || /(^|\/)update-rc\.d$/.test(out.failedCommand?.argv[0] ?? '')
