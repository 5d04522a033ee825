/**
 * Does this task run, on which hosts, and how: the one place that answers. The linear strategy,
 * a module task, read-ahead, includes, handlers and the listings all ask here, so what read-ahead
 * reads for a task is what the task itself would read, and a rule changed here holds everywhere.
 */
import { isEngineAction, ONCE_PER_BATCH } from '../actions/names.js'
import { becomeExe, becomeFlags } from '../connection/become.js'
import type { Become, BecomeMethod } from '../connection/types.js'
import { AcplayError, becomeError, type Location } from '../errors.js'
import { withErrorContext } from '../error-context.js'
import type { Inventory } from '../inventory/types.js'
import type { IncludeRoleTask, IncludeTasksTask, ModuleTask, Play, TaskKeywords } from '../playbook/types.js'
import { isTemplate } from '../playbook/keywords.js'
import type { HostResult, TaskRef } from '../report/types.js'
import { toBool } from '../vars/filters-core.js'
import { truthy } from '../vars/py.js'
import { evaluate, isTemplate as isTemplateText, templateValue } from '../vars/template.js'
import { emit, warnInTask, type PlayContext, type RunContext } from './context.js'
import type { HostState } from './host-state.js'
import type { RunOptions } from './options.js'
import { boolError, intError, invalidBool, invalidInt, keywordBool, keywordValue } from './keyword-value.js'
import { taskVars, type Scope, type TaskRun } from './scope.js'
import { renderTags, selectedByTags } from './tags.js'

/** A play's hosts: its pattern (a template rendered with the play's vars, -e and groups, for the listings), within --limit. */
export function playHosts(inventory: Inventory, play: Play, opts: RunOptions): string[] {
  return inventory.select(playPattern(inventory, play, opts), opts.limit)
}

/** The play's `hosts` as a pattern (a template rendered with the play's vars; a list joined). */
export function playPattern(inventory: Inventory, play: Play, opts: RunOptions): string {
  if (!isTemplate(play.hosts)) return play.hosts
  const hosts = keywordValue<unknown>(
    'hosts',
    play.hosts,
    { groups: inventory.groupsVar(), ...play.vars, ...opts.extraVars },
    { file: play.pos.file, line: play.pos.line },
  )
  return Array.isArray(hosts) ? hosts.join(',') : String(hosts)
}

/** The hosts still in the play: not failed, not unreachable, not ended (meta: end_host). */
export function activeHosts(hosts: readonly HostState[]): HostState[] {
  return hosts.filter((h) => h.active)
}

/** A batch's hosts: all but those that failed or became unreachable (meta: end_host lasts one batch). */
export function batchHosts(hosts: readonly HostState[]): HostState[] {
  return hosts.filter((h) => h.active || h.ended)
}

/** --tags / --skip-tags against a task's tags together with those it inherits (play, blocks, roles). */
export function tagged(opts: RunOptions, tags: readonly string[]): boolean {
  return selectedByTags(tags, opts.tags, opts.skipTags)
}

/** Whether --tags / --skip-tags select the task, with its own tags and its play's, blocks' and roles' (templated ones rendered with the play's variables, in an included file with the include's too). */
export function selected(pc: PlayContext, scope: Scope, task: TaskKeywords): boolean {
  const render = (tags: readonly string[]) => renderTags(pc, tags, task, scope.tagVars)
  const tags = [...render(pc.play.tags), ...render(scope.tags), ...render(task.tags)]
  // Ansible's deprecated dynamic `include` runs whatever --tags say (only --skip-tags drop it); its tasks are filtered
  if ((task as { action?: string }).action === 'include') return selectedByTags(tags, [], pc.run.opts.skipTags)
  return tagged(pc.run.opts, tags)
}

/** --start-at-task: nothing runs (or is read ahead) before the named task is reached. */
export function started(rc: RunContext): boolean {
  return rc.started
}

/** Whether the task `ref` runs as far as --start-at-task is concerned; reaching the named task starts the run. */
function reachStart(rc: RunContext, ref: TaskRef): boolean {
  if (rc.started) return true
  if (ref.name !== rc.opts.startAtTask && `${ref.role} : ${ref.name}` !== rc.opts.startAtTask) return false
  rc.started = true
  return true
}

/**
 * The hosts a module task runs on, out of the active `hosts`: none when its tags are not selected
 * or --start-at-task is not reached yet; the first alone with run_once.
 */
export function moduleTaskHosts(pc: PlayContext, task: TaskKeywords, scope: Scope, ref: TaskRef, hosts: HostState[]): { targets: HostState[]; once: boolean } {
  if (!selected(pc, scope, task)) return { targets: [], once: false }
  if (!reachStart(pc.run, ref)) return { targets: [], once: false }
  // add_host and pause bypass the host loop in Ansible: once per batch, like run_once
  if ('module' in task && ONCE_PER_BATCH.has(isEngineAction(String(task.module)) ?? '')) return { targets: hosts.slice(0, 1), once: true }
  return runOnceHosts(pc, task, scope, hosts)
}

/**
 * run_once (a module task's or a dynamic include's, where Ansible's strategy reads it alike): the
 * first host alone when it holds, else every one of `hosts`.
 */
export function runOnceHosts(pc: PlayContext, task: TaskKeywords, scope: Scope, hosts: HostState[]): { targets: HostState[]; once: boolean } {
  const once = task.run_once ?? scope.run_once
  if (once === undefined || once === false || hosts.length === 0) return { targets: hosts, once: false }
  // a templated run_once is rendered with the first host's variables, and its Python truthiness
  // decides, as Ansible's strategies do: "no" runs once too, "" on every host (keywordFailure)
  const first = hosts[0]!
  const yes = once === true || truthy(templateValue(once, taskVars(pc, first, scope, task), whereOf(task, first)))
  // free: each host is a lane of its own, so the task runs on every host, as Ansible's free strategy
  // says it does; nor does a failure end the play there (linear.py alone makes run_once fatal)
  if (yes && pc.play.strategy === 'free') {
    emit(
      pc.run,
      'onWarning',
      'Using run_once with the free strategy is not currently supported. This task will still be executed for every host in the inventory list.',
    )
    return { targets: hosts, once: false }
  }
  return { targets: yes ? hosts.slice(0, 1) : hosts, once: yes }
}

/**
 * Ansible's TaskExecutor checks a task's boolean keywords after `when`: its PlayContext's first
 * (no_log, check_mode, diff, become: the message says no place, the error twice), then the task's
 * post_validate (the message with the task's file context), each in Ansible's attribute order.
 */
const CONTEXT_BOOLS = ['no_log', 'check_mode', 'diff', 'become'] as const
const TASK_BOOLS = ['run_once', 'ignore_errors', 'ignore_unreachable', 'any_errors_fatal', 'delegate_facts'] as const
type TaskBool = (typeof CONTEXT_BOOLS)[number] | (typeof TASK_BOOLS)[number]
/** `port` (an int, Base's attribute before run_once) is checked between the two */
const CHECK_ORDER: readonly (TaskBool | 'port')[] = [...CONTEXT_BOOLS, 'port', ...TASK_BOOLS]
/** the keywords a play gives its tasks (the others stop at the blocks and roles) */
const ON_PLAY = new Set<TaskBool>(['become', 'check_mode', 'diff', 'ignore_unreachable', 'any_errors_fatal'])

/** A boolean keyword's value for the task as written: the task's, else the blocks' and roles', else the play's. */
function boolKeyword({ pc, task, scope }: { pc: PlayContext; task: TaskKeywords; scope: Scope }, key: TaskBool): boolean | string | undefined {
  const own = (task as Partial<Record<TaskBool, boolean | string>>)[key] ?? (scope as Partial<Record<TaskBool, boolean | string>>)[key]
  return own ?? (ON_PLAY.has(key) ? (pc.play as Partial<Record<TaskBool, boolean | string>>)[key] : undefined)
}

/** A template string is truthy in Python whatever it renders: what Ansible's strategy reads where it reads the keyword unrendered. */
const rawTruthy = (v: boolean | string | undefined): boolean => v === true || typeof v === 'string'

/** The task fails on this host: a boolean keyword's template rendered no boolean. */
export interface KeywordFailure {
  msg: string
  /** no_log: the result is censored (a bad no_log too: Ansible reads it unrendered then) */
  hidden: boolean
  /** whether ignore_errors takes the failure: the keywords Ansible had not rendered yet count as written */
  ignored: boolean
}

/** A task whose boolean keywords are checked: a module task, or a dynamic include (its PlayContext's alone). */
export type CheckedTask = Pick<TaskRun, 'pc' | 'scope' | 'vars' | 'where'> & { task: ModuleTask | IncludeTasksTask | IncludeRoleTask }

/**
 * The failure of a task whose boolean keyword, given as a template, renders no boolean on this host,
 * in Ansible's words; undefined when every one renders a boolean (or None, left unchecked as there),
 * and at once when none is a template. The strategy has already chosen the hosts by run_once's
 * truthiness (moduleTaskHosts). Ansible's TaskExecutor returns a dynamic include before the task's
 * own post_validate, so only the PlayContext's keywords are checked there (no_log its own; become,
 * check_mode and diff from its blocks, role or play); its ignore_errors, run_once and an inherited port never are.
 * Meta tasks never reach a TaskExecutor: none of theirs is checked (meta.ts).
 */
export function keywordFailure(run: CheckedTask): KeywordFailure | undefined {
  const { task } = run
  for (const key of task.kind === 'module' ? CHECK_ORDER : CONTEXT_BOOLS) {
    if (key === 'port') {
      const raw = task.port ?? run.scope.port ?? run.pc.play.port
      const error = typeof raw === 'string' ? intError(raw, run.vars, run.where) : undefined
      if (error === undefined) continue
      const msg = withErrorContext(invalidInt(key, raw as string, error), task.pos.file, task.pos.line, task.pos.col)
      return { msg, hidden: noLog(run), ignored: rawTruthy(boolKeyword(run, 'ignore_errors')) }
    }
    const raw = boolKeyword(run, key)
    if (typeof raw !== 'string') continue
    const error = boolError(raw, run.vars, run.where)
    if (error === undefined) continue
    const msg = invalidBool(key, raw, error)
    // ignore_errors is read as the task's fields stand after the failure: rendered only when checked before `key`
    const ignoreRendered = TASK_BOOLS.indexOf(key as (typeof TASK_BOOLS)[number]) > TASK_BOOLS.indexOf('ignore_errors')
    return {
      msg: (CONTEXT_BOOLS as readonly string[]).includes(key) ? `${msg}. ${error}` : withErrorContext(msg, task.pos.file, task.pos.line, task.pos.col),
      hidden: key === 'no_log' || noLog(run),
      ignored: ignoreRendered ? ignoresErrors(task, run.scope, run.vars, run.where) : rawTruthy(boolKeyword(run, 'ignore_errors')),
    }
  }
  return undefined
}

/**
 * The handlers' hosts: the active ones among those that notified it; with force_handlers the
 * failed ones too (never an unreachable, ended or interrupted host, as in Ansible).
 */
export function handlerHosts(hosts: readonly HostState[], notified: (h: HostState) => boolean, force = false): HostState[] {
  const runs = (h: HostState) => h.active || (force && h.failed && !h.unreachable && !h.ended && !h.interrupted)
  return hosts.filter((h) => runs(h) && notified(h))
}

/** Where a task's warnings go: the run's reporters, each text once per task and host (context.ts warnInTask). */
export interface TaskWarnings {
  pc: PlayContext
  shown: Set<string>
}

/**
 * Whether a condition (`when`, `changed_when`, `failed_when`, `until`) holds. One written as a
 * template works (rendered, then evaluated) but Ansible's Conditional warns of it: so do we, when
 * the task runs (`warnings` absent: read-ahead's planning, which shows nothing).
 */
export function holds(cond: string, vars: Record<string, unknown>, where: Location, warnings?: TaskWarnings): boolean {
  if (warnings && isTemplateText(cond)) warnInTask(warnings.pc.run, warnings.shown, `${TEMPLATED_CONDITION}${cond}`)
  return truthy(evaluate(cond, vars, where))
}

const TEMPLATED_CONDITION = 'conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: '

/** The first `when` that is false on this host (the enclosing blocks' and roles' first, then the task's), or undefined when all hold. */
export function falseCondition(scope: Scope, task: TaskKeywords, vars: Record<string, unknown>, where: Location, warnings?: TaskWarnings): string | undefined {
  return [...scope.when, ...task.when].find((cond) => !holds(cond, vars, where, warnings))
}

/** How a module task runs on a host: become (task > blocks and roles > play > ansible_become vars > CLI), check mode, diff. */
export interface RunModes {
  become?: Become
  check: boolean
  diff: boolean
}

export function runModes({ pc, task, host, scope, vars, where }: TaskRun): RunModes {
  const opts = pc.run.opts
  const becomeOn = keywordBool('become', [task.become, scope.become, pc.play.become], vars, where, toBool(vars.ansible_become ?? opts.become))
  const becomeUser = String(
    templateValue(task.become_user ?? scope.become_user ?? pc.play.become_user ?? vars.ansible_become_user ?? opts.becomeUser ?? 'root', vars, where),
  )
  // as in Ansible: the host's variable, then the keyword (sudo, su, or a template rendered here), then the config
  const given = vars.ansible_become_method ?? task.become_method ?? scope.become_method ?? pc.play.become_method ?? opts.becomeMethod ?? 'sudo'
  const method = becomeOn ? becomeMethod(String(templateValue(given, vars, where)), where) : 'sudo'
  const check = keywordBool('check_mode', [task.check_mode, scope.check_mode, pc.play.check_mode], vars, where, !!opts.check)
  // Check mode: a user that an earlier (unapplied) task would create cannot be become'd yet;
  // the plan only reads, so it reads as root instead of failing.
  const asUser = check && becomeOn && becomeUser !== 'root' && host.effects.has('user.info', becomeUser) ? 'root' : becomeUser
  const become: Become | undefined = becomeOn
    ? { user: asUser, password: becomePassword(method, vars, where, opts.becomePassword), ...(method === 'su' ? { method } : {}) }
    : undefined
  if (become) becomeTool(become, method, { pc, task, scope, vars, where })
  return {
    become,
    check,
    diff: keywordBool('diff', [task.diff, scope.diff, pc.play.diff], vars, where, !!opts.diff) && !noLog({ task, scope, vars, where }),
  }
}

/** The become plugin's password: its variables (the later listed win), else -K / --become-password-file. */
function becomePassword(method: BecomeMethod, vars: Record<string, unknown>, where: Location, given: string | undefined): string | undefined {
  const v = (method === 'su' ? vars.ansible_su_pass : vars.ansible_sudo_pass) ?? vars.ansible_become_pass ?? vars.ansible_become_password
  return v === undefined || v === null ? given : String(templateValue(v, vars, where))
}

const TOOL_VARS = {
  sudo: { flags: 'ansible_sudo_flags', exe: 'ansible_sudo_exe' },
  su: { flags: 'ansible_su_flags', exe: 'ansible_su_exe' },
} as const

/**
 * become_flags and become_exe as Ansible's become plugins find them: the method's variables (the
 * later listed win: ansible_become_flags, then ansible_sudo_flags or ansible_su_flags), else the
 * keyword (task > blocks and roles > play), else ANSIBLE_* or ansible.cfg; rendered, then split
 * (become.ts). Set on `become` only when given: otherwise sudo's -H, and no flags for su.
 */
function becomeTool(become: Become, method: BecomeMethod, { pc, task, scope, vars, where }: Omit<TaskRun, 'host' | 'shown'>): void {
  const config = pc.run.opts.becomeConfig?.[method]
  const names = TOOL_VARS[method]
  const flags = becomeText(
    'become_flags',
    vars[names.flags] ?? vars.ansible_become_flags ?? task.become_flags ?? scope.become_flags ?? pc.play.become_flags ?? config?.flags,
    vars,
    where,
  )
  const exe = becomeText(
    'become_exe',
    vars[names.exe] ?? vars.ansible_become_exe ?? task.become_exe ?? scope.become_exe ?? pc.play.become_exe ?? config?.exe,
    vars,
    where,
  )
  if (flags !== undefined) become.flags = splitAt('become_flags', () => becomeFlags(method, flags), where)
  const words = exe === undefined ? undefined : splitAt('become_exe', () => becomeExe(exe), where)
  if (words) become.exe = words
}

/** A value split into words, an unbalanced quote an error naming the keyword and the task's file:line. */
function splitAt<T>(key: string, split: () => T, where: Location): T {
  try {
    return split()
  } catch (e) {
    throw new AcplayError('E_PLAYBOOK', `'${key}': ${(e as Error).message}`, where)
  }
}

/** A become_flags or become_exe value, rendered: a string (a number taken as one), undefined when none. */
function becomeText(key: string, v: unknown, vars: Record<string, unknown>, where: Location): string | undefined {
  if (v === undefined || v === null) return undefined
  const s = typeof v === 'string' ? templateValue(v, vars, where) : v
  if (typeof s === 'string' || typeof s === 'number') return String(s)
  if (s === undefined || s === null) return undefined
  throw new AcplayError('E_PLAYBOOK', `'${key}' must be a string, got ${JSON.stringify(s) ?? String(s)}`, where)
}

/**
 * The become method (ansible_become_method > the become_method keyword > ANSIBLE_BECOME_METHOD,
 * ansible.cfg): acplay becomes with sudo or su, and says so rather than use one for another.
 */
function becomeMethod(method: string, where: Location): BecomeMethod {
  if (method === 'sudo' || method === 'su') return method
  throw becomeError(
    `become_method '${method}' (ansible_become_method, --become-method, ANSIBLE_BECOME_METHOD or ansible.cfg [privilege_escalation] become_method) is not supported: acplay becomes with sudo or su`,
    where,
  )
}

/** no_log on the task or its blocks and roles. */
export function noLog({ task, scope, vars, where }: Pick<CheckedTask, 'task' | 'scope' | 'vars' | 'where'>): boolean {
  return keywordBool('no_log', [task.no_log, scope.no_log], vars, where)
}

/**
 * Whether a failure raised before the action ran is censored: no_log as rendered, or as written
 * when it cannot be (Ansible's PlayContext keeps the template, which is truthy).
 */
export function failureHidden(run: Pick<CheckedTask, 'task' | 'scope' | 'vars' | 'where'>): boolean {
  try {
    return noLog(run)
  } catch {
    return rawTruthy(run.task.no_log ?? run.scope.no_log)
  }
}

/** ignore_errors on the task or its blocks and roles (false when the task's variables could not be had). */
export function ignoresErrors(task: TaskKeywords, scope: Scope, vars: Record<string, unknown> | undefined, where: Location): boolean {
  const v = task.ignore_errors ?? scope.ignore_errors
  if (vars === undefined) return v === true
  return keywordBool('ignore_errors', [v], vars, where)
}

/** ignore_unreachable (task > blocks and roles > play): an unreachable result does not take the host out of the play. */
export function ignoresUnreachable(play: Play, task: TaskKeywords, scope: Scope, vars: Record<string, unknown> | undefined, where: Location): boolean {
  const v = task.ignore_unreachable ?? scope.ignore_unreachable ?? play.ignore_unreachable
  if (vars === undefined) return v === true
  return keywordBool('ignore_unreachable', [v], vars, where)
}

/** The variables of `task` on `host`, computed only when `value` is a template (a literal needs none). */
const varsIfTemplate = (pc: PlayContext, task: TaskKeywords, host: HostState, scope: Scope, value: unknown) =>
  typeof value === 'string' ? taskVars(pc, host, scope, task) : {}

const whereOf = (task: TaskKeywords, host?: HostState): Location => ({
  file: task.pos.file,
  line: task.pos.line,
  col: task.pos.col,
  task: task.name,
  host: host?.name,
})

/**
 * The task's name as shown: a template is rendered with the first host's variables at the task's
 * start, as Ansible does; one that does not render yet (a loop's `item`) is shown as written.
 */
export function shownName(pc: PlayContext, task: TaskKeywords, host: HostState, scope: Scope): string | undefined {
  if (task.name === undefined || !isTemplate(task.name)) return task.name
  // Ansible's free strategy renders the task's own name in place for the first host that reaches
  // it, so every later host's banner shows that host's rendering (but a host's own copy: linear.ts)
  const free = pc.play.strategy === 'free' && !host.ownTasks.has(task)
  const kept = free ? pc.freeNames.get(task) : undefined
  if (kept !== undefined) return kept
  let name: string
  try {
    name = String(templateValue(task.name, taskVars(pc, host, scope, task), whereOf(task, host)))
  } catch {
    return task.name
  }
  if (free) pc.freeNames.set(task, name)
  return name
}

/** `throttle` on the task (or its blocks and role, or the play): at most this many hosts run it at once; undefined: no limit beyond forks. */
export function throttleOf(pc: PlayContext, task: TaskKeywords, host: HostState, scope: Scope): number | undefined {
  const v = task.throttle ?? scope.throttle ?? pc.play.throttle
  const n = keywordValue<number>('throttle', v, varsIfTemplate(pc, task, host, scope, v), whereOf(task, host))
  return n ? Math.floor(n) : undefined
}

/**
 * After a task: with any_errors_fatal (task > blocks and roles > play), or a failed `run_once` task
 * (Ansible's linear strategy makes run_once imply any_errors_fatal), a failure on one host fails
 * every host of the batch; with max_fail_percentage, more failed hosts in the batch than that share
 * does the same. Either way the play stops (its later batches too) and the playbook with it, and
 * Ansible's NO MORE HOSTS LEFT banner is shown (twice for max_fail_percentage, as its strategy sends it).
 */
export function failFast(pc: PlayContext, task: TaskKeywords, scope: Scope, hosts: HostState[], results: readonly HostResult[], once = false): void {
  // a failure a block's rescue takes is neither fatal nor counted, as in Ansible
  if (scope.rescuable) return
  const failed = results.filter((r) => (r.status === 'failed' || r.status === 'unreachable') && !r.ignored)
  if (failed.length === 0) return
  // Ansible's linear strategy reads both unrendered: a template makes any_errors_fatal true, whatever
  // it renders ("{{ false }}" too), and an ignore_errors template (or true) turns it off
  const fatal = rawTruthy(boolKeyword({ pc, task, scope }, 'any_errors_fatal')) && !rawTruthy(boolKeyword({ pc, task, scope }, 'ignore_errors'))
  const fatalNow = once || fatal
  const max = pc.play.max_fail_percentage as number | undefined
  const batch = pc.batch ? pc.batch.flatMap((n) => pc.run.hosts.get(n) ?? []) : hosts
  const overMax = !fatalNow && max !== undefined && batch.length > 0 && (batch.filter((h) => h.failed || h.unreachable).length / batch.length) * 100 > max
  if (!fatalNow && !overMax) return
  for (const h of batch) if (h.active) h.failed = true
  pc.ended = true
  pc.failedOut = true
  for (let i = overMax ? 2 : 1; i > 0; i--) emit(pc.run, 'onNoHostsLeft')
}
