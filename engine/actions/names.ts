/** Task actions the engine runs itself (they act on variables, the inventory or the run, not through a module plan). */
export const ENGINE_ACTIONS = [
  'debug',
  'set_fact',
  'assert',
  'fail',
  'include_vars',
  'set_stats',
  'pause',
  'add_host',
  'group_by',
  'reboot',
  'wait_for_connection',
  'validate_argument_spec',
] as const
export type EngineAction = (typeof ENGINE_ACTIONS)[number]

export function isEngineAction(name: string): EngineAction | undefined {
  const short = name.replace(/^ansible\.(builtin|legacy)\./, '')
  return (ENGINE_ACTIONS as readonly string[]).includes(short) ? (short as EngineAction) : undefined
}

/** Ansible's BYPASS_HOST_LOOP: the action runs once per batch (on the first host), like run_once. */
export const ONCE_PER_BATCH: ReadonlySet<string> = new Set<EngineAction>(['add_host', 'pause'])

/** Actions after which what was read ahead may be stale: they change variables, the inventory or the host's connection. */
export const ENDS_READ_AHEAD: ReadonlySet<string> = new Set<EngineAction>([
  'set_fact',
  'include_vars',
  'add_host',
  'group_by',
  'pause',
  'reboot',
  'wait_for_connection',
])

/**
 * The arguments each action takes (Ansible's), checked at load time; absent: any key is taken
 * (set_fact's facts, add_host's host variables, include_vars' free form).
 */
export const ACTION_ARGS: Partial<Record<EngineAction, readonly string[]>> = {
  debug: ['msg', 'var', 'verbosity'],
  validate_argument_spec: ['argument_spec', 'provided_arguments', 'validate_args_context'],
  assert: ['that', 'fail_msg', 'msg', 'success_msg', 'quiet'],
  fail: ['msg'],
  set_stats: ['data', 'per_host', 'aggregate'],
  pause: ['minutes', 'seconds', 'prompt', 'echo'],
  group_by: ['key', 'parents'],
  reboot: [
    'reboot_timeout',
    'reboot_timeout_sec',
    'connect_timeout',
    'connect_timeout_sec',
    'pre_reboot_delay',
    'pre_reboot_delay_sec',
    'post_reboot_delay',
    'post_reboot_delay_sec',
    'test_command',
    'msg',
    'reboot_command',
    'boot_time_command',
    'search_paths',
  ],
  wait_for_connection: ['connect_timeout', 'delay', 'sleep', 'timeout'],
}

/** One line each, for `acplay doc` and docs/modules.md. */
export const ACTION_SUMMARY: Record<EngineAction, string> = {
  debug: 'Prints a message (msg) or a variable (var), at or above a verbosity.',
  set_fact: 'Sets host variables (strings yes/no/true/false become booleans); cacheable also stores them as facts (and in the fact cache).',
  assert: 'Fails when a condition in `that` is false, with fail_msg (or msg); success_msg otherwise; quiet hides the result.',
  fail: 'Fails the task with msg.',
  include_vars: 'Loads variables from a YAML/JSON file or directory.',
  set_stats: 'Returns custom stats (data, per_host, aggregate) as ansible_stats.',
  pause: 'Waits seconds or minutes, or for Enter after a prompt (a prompt without a terminal does not wait, as in Ansible); once per batch.',
  add_host: 'Adds a host (name or hostname, `host:port`) to the run inventory, in groups, with any other argument as a host variable; once per batch.',
  group_by: 'Puts each host in the group named by key (spaces become dashes), a child of parents (default all).',
  reboot: 'Reboots the host (shutdown -r), reconnects with a new ssh session until the boot id changes and test_command passes.',
  wait_for_connection: 'Waits until the host answers over a new ssh session (delay, sleep, timeout, connect_timeout); skipped in check mode.',
  validate_argument_spec:
    "Checks the task's variables, overlaid with provided_arguments, against argument_spec (a role's meta/argument_specs.yml entry: Ansible runs it first in the role).",
}
