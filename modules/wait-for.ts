/**
 * wait_for: until a port accepts connections (or stops), a file exists (or contains a regex, or is
 * gone), a port's connections drain, or just `timeout` seconds. Never changes anything. When the
 * condition already holds (a port open, a file there), one look answers it: read ahead with the
 * other tasks' facts on a converged run. Skipped in check mode, as in Ansible (a service an
 * earlier task would start is not running in check mode, so waiting for it would only time out).
 */
import { ModuleFailure } from '../engine/errors.js'
import { CONNECTION_STATES, parseWait, waitCommand, waitProbe, type WaitSpec } from './facts/wait-for.js'
import { defineModule, type Plan } from './types.js'

export const waitFor = defineModule({
  name: 'wait_for',
  aliases: ['ansible.builtin.wait_for'],
  summary: 'Waits for a condition before continuing',
  description:
    'Waits until a TCP port accepts connections (state started) or refuses them (stopped), a file exists (present/started, optionally containing search_regex) ' +
    'or is gone (absent), or a port has no active connections (drained); with neither port nor path it sleeps `timeout` seconds. ' +
    'Fails after `timeout` seconds. Never changes anything; skipped in check mode, as in Ansible.',
  params: {
    host: { type: 'str', default: '127.0.0.1', description: 'A resolvable hostname or IP address to wait for (as the host sees it).' },
    timeout: { type: 'int', default: 300, description: 'Maximum number of seconds to wait for.' },
    connect_timeout: { type: 'int', default: 5, description: 'Maximum number of seconds to wait for a connection to happen before closing and retrying.' },
    delay: { type: 'int', default: 0, description: 'Number of seconds to wait before starting to poll.' },
    port: { type: 'int', description: 'Port number to poll.' },
    active_connection_states: {
      type: 'list',
      elements: 'str',
      default: ['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'SYN_RECV', 'SYN_SENT', 'TIME_WAIT'],
      description: 'The TCP connection states counted as active (state drained).',
    },
    path: { type: 'path', description: 'Path to a file on the filesystem that must exist (or be absent) before continuing.' },
    search_regex: { type: 'str', description: 'A Python regex (multiline) to look for in the file or in what the port sends.' },
    state: {
      type: 'str',
      default: 'started',
      choices: ['absent', 'drained', 'present', 'started', 'stopped'],
      description: 'started/present: port open or file present; stopped: port closed; absent: file gone; drained: no active connections on the port.',
    },
    exclude_hosts: { type: 'list', elements: 'str', description: 'Hosts or IPs whose connections are ignored with state drained.' },
    sleep: { type: 'int', default: 1, description: 'Number of seconds to sleep between checks.' },
    msg: { type: 'str', description: 'The message of the failure when the timeout passes.' },
  },
  mutuallyExclusive: [['port', 'path']],
  requiredIf: [['state', 'drained', ['port']]],
  checkMode: 'none',
  returns: {
    elapsed: 'seconds waited',
    state: 'the state waited for',
    port: 'the port (or null)',
    path: 'the path (or null)',
    'uid, gid, owner, group, mode, size': 'of the path, when one was waited for and exists (Ansible adds them; `state` is then file, directory, link or hard)',
    search_regex: 'the regex (or null)',
    match_groups: 'the groups of the search_regex match (a list)',
    match_groupdict: 'the named groups of the search_regex match',
  },
  examples: `
- name: The webserver answers
  wait_for:
    port: 8080
    timeout: 60
- name: The scheduler has written its pid file
  wait_for:
    path: /run/airflow/scheduler.pid
- name: Until the log says it is ready
  wait_for:
    path: /var/log/airflow/scheduler.log
    search_regex: "Starting the scheduler"
`,
  async plan(p, ctx): Promise<Plan> {
    const state = p.state as WaitSpec['state']
    if (p.path && state === 'stopped') throw new ModuleFailure('state=stopped should only be used for checking a port in the wait_for module', { elapsed: 0 })
    if (p.path && state === 'drained') throw new ModuleFailure('state=drained should only be used for checking a port in the wait_for module', { elapsed: 0 })
    if (p.exclude_hosts !== undefined && state !== 'drained') throw new ModuleFailure('exclude_hosts should only be with state=drained', { elapsed: 0 })
    for (const s of p.active_connection_states)
      if (!CONNECTION_STATES.includes(s)) throw new ModuleFailure(`unknown active_connection_state (${s}) defined`, { elapsed: 0 })
    const spec: WaitSpec = {
      host: p.host,
      port: p.port,
      path: p.path,
      state,
      search_regex: p.search_regex,
      timeout: p.timeout,
      connect_timeout: p.connect_timeout,
      delay: p.delay,
      sleep: p.sleep,
      active_connection_states: p.active_connection_states,
      exclude_hosts: p.exclude_hosts,
    }
    const base = { state, port: p.port ?? null, path: p.path ?? null, search_regex: p.search_regex ?? null, match_groups: [], match_groupdict: {} }
    const what = p.path ? `${p.path}` : `${p.host}:${p.port}`
    // one look first, where one look can tell (no delay, no regex)
    const probe = p.delay === 0 && p.search_regex === undefined && (p.path !== undefined || p.port !== undefined) && state !== 'drained'
    if (probe) {
      const look = await ctx.fact(waitProbe, p.path !== undefined ? 'path' : 'port', p.path ?? p.host, p.port ?? 0, p.connect_timeout)
      const wanted = state === 'started' || state === 'present'
      if (look.yes === wanted)
        return { kind: 'ok', reason: `${what} is ${describe(state, p.path !== undefined)} already`, data: { ...base, elapsed: 0, ...look.path } }
    }
    const r = parseWait(await ctx.run(waitCommand(spec)))
    // Ansible adds the path's facts to the result, `state` included (it says 'file' then)
    const data = { ...base, elapsed: r.elapsed, match_groups: r.match_groups ?? [], match_groupdict: r.match_groupdict ?? {}, ...r.path_info }
    if (!r.ok) throw new ModuleFailure(p.msg ?? r.msg ?? 'timeout', { elapsed: r.elapsed })
    if (!p.path && !p.port && state !== 'drained') return { kind: 'ok', reason: `waited ${r.elapsed} s`, data }
    return { kind: 'ok', reason: `${what} is ${describe(state, p.path !== undefined)} after ${r.elapsed} s`, data }
  },
})

function describe(state: WaitSpec['state'], isPath: boolean): string {
  if (state === 'drained') return 'drained'
  if (state === 'absent' || state === 'stopped') return isPath ? 'absent' : 'closed'
  return isPath ? 'present' : 'open'
}
