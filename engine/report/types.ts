/** Reporter hooks: all optional, over read-only results. */
import type { FileDiff } from '../../modules/types.js'
import type { TaskStatus } from '../module-runner.js'
import type { Pos } from '../playbook/types.js'

export interface TaskRef {
  /** the name shown: the task's own, else its action */
  name: string
  /** the task has no name of its own (Ansible's task.name is then '') */
  unnamed?: boolean
  /** the action as written (ansible.builtin.fail, command) */
  action?: string
  pos?: Pos
  role?: string
  handler?: boolean
}

export interface HostResult {
  host: string
  task: TaskRef
  status: TaskStatus
  msg?: string
  reason?: string
  changes: { summary: string; diff?: FileDiff }[]
  /** delegate_to: the host it ran on as Ansible's output names it: `ok: [web1 -> db1(10.0.0.5)]` (engine/run/module-env.ts delegateShown) */
  delegate?: string
  /** loop item label, for per-item results */
  item?: string
  /** set on a loop's aggregate result: how many items ran */
  items?: number
  /** include_tasks / include_role: the files (or roles) this host included */
  included?: string[]
  /**
   * check mode, status changed: the prediction is not exact, the task "may change" (it meets what an
   * earlier planned change makes unknown: engine/unknown.ts). Counted as changed (drift) everywhere.
   */
  mayChange?: boolean
  /** Ansible's `_ansible_verbose_always` (debug, assert unless quiet): a failure is dumped indented by 4 */
  verboseAlways?: boolean
  /** ignore_errors turned a failure into "ignored" */
  ignored?: boolean
  /** rescued by a block's rescue */
  rescued?: boolean
  /** debug output and other values the reporter should show */
  output?: unknown
  /** an `async` job the task polled: Ansible's callback tells each unfinished poll, then its end (ASYNC OK / FAILED) */
  polled?: { jid: string; unfinished: number; failed: boolean }
  /**
   * A loop item's variables as its result holds them (ansible_loop_var, the loop variable, the
   * index variable, ansible_loop): shown with an output that is the result itself (debug's `var`,
   * assert), as Ansible's callback dumps the item's whole result. Set only with an output.
   */
  itemVars?: Record<string, unknown>
  /**
   * A failed task's result as Ansible shows it after `FAILED! =>`: the module's return values
   * (command/shell: cmd, rc, stdout, stderr, *_lines, start, end, delta, msg, changed; a failed
   * apply: the failing cmd, rc, stdout, stderr; a failed fact read: fact, rc, stderr). Masked.
   * stdout_lines / stderr_lines are left to the reporters (report/failure.ts withStreamLines).
   */
  result?: Record<string, unknown>
  durationMs: number
  /** the module's return values as `register` keeps them; only with RunOptions.moduleResults (acplay adhoc) */
  data?: Record<string, unknown>
  /**
   * failed, and its result says changed (a command that ran and failed; a loop with a changed item):
   * Ansible's recap counts an ignored one as changed, its no_log line shows `"changed": true`
   */
  failedChanged?: boolean
  /**
   * failed before its action ran (a boolean keyword that rendered no boolean, a template, the loop,
   * `when`, an include's file): Ansible's result has no `changed`, so its no_log line shows none
   */
  beforeAction?: boolean
  /** no_log: the reporter shows no msg, output or diff */
  hidden?: boolean
}

export interface HostRecap {
  host: string
  ok: number
  changed: number
  unreachable: number
  failed: number
  skipped: number
  rescued: number
  ignored: number
}

export interface RunSummary {
  recap: HostRecap[]
  exitCode: number
  durationMs: number
  check: boolean
  results: HostResult[]
  /** per host: transport connections opened and commands executed (round trips) */
  connections: { host: string; connects: number; execs: number }[]
  /** the run was interrupted: what was stopped and what was left undone */
  interrupted?: Interruption
}

export interface Interruption {
  /** SIGINT, SIGTERM, or the caller's abort reason */
  reason: string
  /** tasks that were running; their remote commands were stopped */
  stopped: { host: string; task: TaskRef }[]
  /** tasks that were waiting for a fork on a host, and never started */
  notStarted: { host: string; task: TaskRef }[]
  /** the play it stopped in, and the task it had reached there */
  play?: string
  task?: TaskRef
  /** hosts that still had that play's remaining tasks to run */
  hosts: string[]
  /** plays not started */
  playsNotRun: string[]
}

export interface RunInfo {
  playbook: string
  check: boolean
  diff: boolean
  /** --slice K/N */
  slice?: { index: number; count: number }
}

/**
 * The hooks a reporter may implement. The run waits for the two that may return a promise (a
 * renderer finishing a task's frame, a report written at the end); the others are fire and forget.
 */
export type WarningKind = 'warning' | 'deprecation'

export interface Reporter {
  onRunStart?(info: RunInfo): void
  /** `free`: the play runs the free strategy (its task banners come with results: banners.ts) */
  onPlayStart?(play: { name: string; hosts: string[]; free?: boolean }): void
  /** a `serial` batch after the play's first: ansible-playbook prints the play's header again */
  onPlayBatch?(play: { name: string; hosts: string[] }): void
  onTaskStart?(task: TaskRef, hosts: string[]): void
  onItemResult?(result: HostResult): void
  onHostResult?(result: HostResult): void
  onTaskEnd?(task: TaskRef): void | Promise<void>
  /** any_errors_fatal, a failed run_once or max_fail_percentage broke the play: Ansible's NO MORE HOSTS LEFT */
  onNoHostsLeft?(): void
  /** `kind` deprecation: a module's deprecation, shown as Ansible's [DEPRECATION WARNING] */
  onWarning?(msg: string, kind?: WarningKind): void
  onRunEnd?(summary: RunSummary): void | Promise<void>
}

/** The hooks the run awaits (emitAsync); every other hook is called without waiting (emit). */
export type AwaitedHook = 'onTaskEnd' | 'onRunEnd'
