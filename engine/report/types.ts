/** Reporter hooks: all optional, over read-only results. */
import type { FileDiff } from '../../modules/types.js'
import type { TaskStatus } from '../module-runner.js'
import type { Pos } from '../playbook/types.js'

export interface TaskRef {
  name: string
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
  /** loop item label, for per-item results */
  item?: string
  /** set on a loop's aggregate result: how many items ran */
  items?: number
  /** ignore_errors turned a failure into "ignored" */
  ignored?: boolean
  /** rescued by a block's rescue */
  rescued?: boolean
  /** debug output and other values the reporter should show */
  output?: unknown
  durationMs: number
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
}

export interface RunInfo {
  playbook: string
  check: boolean
  diff: boolean
  /** --slice K/N */
  slice?: { index: number; count: number }
}

export interface Reporter {
  onRunStart?(info: RunInfo): void
  onPlayStart?(play: { name: string; hosts: string[] }): void
  onTaskStart?(task: TaskRef, hosts: string[]): void
  onItemResult?(result: HostResult): void
  onHostResult?(result: HostResult): void
  onTaskEnd?(task: TaskRef): void
  onWarning?(msg: string): void
  onRunEnd?(summary: RunSummary): void | Promise<void>
}
