/** One play: select hosts, load vars_files, run pre_tasks / roles / tasks / post_tasks in batches, flush handlers. */
import { randomInt } from 'node:crypto'
import { playbookError } from '../errors.js'
import type { Play, RoleContext, Task } from '../playbook/types.js'
import { templateValue } from '../vars/template.js'
import { emit, type PlayContext, type RunContext } from './context.js'
import { gatherFacts } from './facts.js'
import { batchHosts, playPattern } from './gate.js'
import { unmatchedPlayHosts } from './targets.js'
import { flushHandlers, forceHandlers, unknownNotifications } from './handlers.js'
import type { HostState } from './host-state.js'
import { runTasks } from './linear.js'
import { keywordValue, playBool } from './keyword-value.js'
import { promptedVars } from './vars-prompt.js'
import { assignEntries, mergeMarked } from '../vars/unsafe.js'
import { exportedVars, rootScope } from './scope.js'
import { playVarsFiles } from './vars-files.js'

/** Every role the play loads; their defaults and vars are visible play-wide, as in Ansible (private_role_vars off). */
function playRoles(play: Play): RoleContext[] {
  const seen = new Map<string, RoleContext>()
  const walk = (tasks: readonly Task[]) => {
    for (const t of tasks) {
      if (t.role && !seen.has(t.role.dir)) seen.set(t.role.dir, t.role)
      if (t.kind === 'block') walk([...t.block, ...t.rescue, ...t.always])
    }
  }
  walk([...play.pre_tasks, ...play.roles, ...play.tasks, ...play.post_tasks, ...play.handlers])
  return [...seen.values()]
}

/**
 * `serial: 2`, `serial: "30%"`, a list of them (`[1, 5, "20%"]`: the sizes in turn, the last one
 * repeated) or templates of them (Ansible templates them with the play's variables and the extra
 * vars, no host's) → batches of host names, as Ansible's _get_serialized_batches cuts them.
 */
function batches(pc: PlayContext, hosts: string[]): string[][] {
  const { play } = pc
  const vars = { ...pc.roleDefaults, ...play.vars, ...pc.varsFiles, ...pc.roleVars, ...pc.run.opts.extraVars }
  const rendered = (v: unknown): unknown =>
    typeof v === 'string' && v.includes('{{') ? templateValue(v, vars, { file: play.pos.file, line: play.pos.line }) : v
  const top = rendered(play.serial)
  const sizes = (Array.isArray(top) ? top : [top]).map(rendered).map((v) => batchSize(v, hosts.length, play))
  const out: string[][] = []
  let rest = hosts
  for (let i = 0; rest.length > 0; i = Math.min(i + 1, sizes.length - 1)) {
    const n = sizes[i] ?? 0
    if (n <= 0) return [...out, rest]
    out.push(rest.slice(0, n))
    rest = rest.slice(n)
  }
  return out.length ? out : [hosts]
}

/** One serial value as a number of hosts: a percentage of the play's (at least 1); 0 or none: the rest. */
function batchSize(v: unknown, total: number, play: Play): number {
  if (v === undefined || v === null || v === '') return 0
  const s = String(v).trim()
  const n = s.endsWith('%') ? Math.floor((total * Number(s.slice(0, -1))) / 100) || 1 : Number(s)
  if (!Number.isInteger(n) || n < 0) throw playbookError(`'serial' must be a positive number or a percentage, got '${s}'`, play.pos)
  return n
}

/**
 * The play with its templated keywords rendered (hosts, gather_facts, force_handlers,
 * max_fail_percentage), as Ansible renders them: with the play's vars, its vars_files, -e and the
 * inventory's groups, not any host's. `serial` is rendered by batches(), with the roles' vars too;
 * any_errors_fatal stays as written, for each task (gate.ts keywordFailure, failFast).
 */
function renderedPlay(rc: RunContext, play: Play, varsFiles: Record<string, unknown>): Play {
  const vars = { groups: rc.inventory.groupsVar(), playbook_dir: play.dir ?? rc.playbook.dir, ...play.vars, ...varsFiles, ...rc.opts.extraVars }
  const where = { file: play.pos.file, line: play.pos.line, col: play.pos.col }
  const hosts = keywordValue<unknown>('hosts', play.hosts, vars, where)
  return {
    ...play,
    hosts: Array.isArray(hosts) ? hosts.join(',') : String(hosts),
    gather_facts: playBool('gather_facts', play.gather_facts, vars, play.pos),
    max_fail_percentage: keywordValue('max_fail_percentage', play.max_fail_percentage, vars, where),
    force_handlers: playBool('force_handlers', play.force_handlers, vars, play.pos),
  }
}

/** Runs the play; false when its hosts failed out and the playbook stops (Ansible's break_play). */
export async function runPlay(rc: RunContext, written: Play, hostState: (name: string) => HostState): Promise<boolean> {
  // an imported playbook's plays see the group_vars/ and host_vars/ beside it, as in Ansible
  await rc.inventory.usePlaybookDir?.(written.dir ?? rc.playbook.dir)
  const prompted = written.vars_prompt?.length ? await promptedVars(rc, written) : {}
  const vars = { ...written.vars }
  assignEntries(vars, prompted)
  const withPrompts = { ...written, vars }
  const varsFiles = playVarsFiles(rc, withPrompts)
  const play = renderedPlay(rc, withPrompts, varsFiles)
  const pattern = playPattern(rc.inventory, play, rc.opts)
  unmatchedPlayHosts(rc, pattern)
  const names = rc.inventory.select(pattern, rc.opts.limit)
  // no hosts: the reporters say `skipping: no hosts matched` under the play's header, as Ansible's
  emit(rc, 'onPlayStart', { name: play.name, hosts: names, ...(play.strategy === 'free' ? { free: true } : {}) })
  if (names.length === 0) return true
  const roles = playRoles(play)
  const pc: PlayContext = {
    run: rc,
    play,
    playVars: play.vars,
    varsFiles,
    roleDefaults: mergeMarked(roles.map((r) => r.defaults)),
    roleVars: mergeMarked(roles.map(exportedVars)),
    handlers: [...play.handlers],
    hostNames: names,
    forceHandlers: forceHandlers(rc, play),
    ended: false,
    secretsMasked: new Set(),
    freeNames: new WeakMap(),
    freeThrottles: new WeakMap(),
  }
  const down = downCounter(rc)
  for (const [i, batch] of batches(pc, ordered(names, play.order)).entries()) {
    if (pc.ended) break // meta: end_play ends the later batches too
    if (i > 0) emit(rc, 'onPlayBatch', { name: play.name, hosts: batch })
    const states = batch.map(hostState)
    const hosts = batchHosts(states)
    const before = down.start(states)
    pc.batch = batch
    for (const h of hosts) h.ended = false
    const scope = rootScope()
    await gatherFacts(pc, hosts)
    // linear: all hosts finish task N before N+1; free: each host goes through the play at its own pace
    const lanes = play.strategy === 'free' ? hosts.map((h) => [h]) : [hosts]
    await Promise.all(
      lanes.map(async (lane) => {
        for (const section of [play.pre_tasks, [...play.roles, ...play.tasks], play.post_tasks]) {
          await runTasks(pc, section, lane, scope)
          await flushHandlers(pc, lane, runTasks)
        }
      }),
    )
    for (const n of unknownNotifications(pc, hosts)) emit(rc, 'onWarning', `a task notified '${n}', but no handler has that name or listens to it`)
    for (const h of hosts) h.notified.clear()
    if (down.end(states, before) === batch.length) pc.failedOut = true
    if (pc.failedOut) break
  }
  return !pc.failedOut
}

/** The play's hosts in the order its `order` keyword names (Ansible's inventory.get_hosts(order=...)). */
function ordered(names: string[], order: Play['order']): string[] {
  switch (order) {
    case 'reverse_inventory':
      return [...names].reverse()
    case 'sorted':
      return [...names].sort()
    case 'reverse_sorted':
      return [...names].sort().reverse()
    case 'shuffle':
      return shuffled(names)
    default:
      return names
  }
}

function shuffled(names: string[]): string[] {
  const out = [...names]
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/**
 * Ansible's PlaybookExecutor count of the hosts a batch lost: those that failed in it, plus those
 * that became unreachable, less as many as failed in the batch run before it (its own arithmetic,
 * kept so that the same runs stop). When it equals the batch's size, the playbook stops.
 */
function downCounter(rc: RunContext) {
  return {
    start: (states: readonly HostState[]) => new Set(states.filter((h) => h.failed || h.unreachable)),
    end(states: readonly HostState[], before: ReadonlySet<HostState>): number {
      const failed = states.filter((h) => h.failed && !h.unreachable && !before.has(h)).length
      const unreachable = states.filter((h) => h.unreachable && !before.has(h)).length
      const count = failed + unreachable - (rc.lastBatchFailed ?? 0)
      rc.lastBatchFailed = failed
      return count
    },
  }
}
