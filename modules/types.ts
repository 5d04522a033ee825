/**
 * The module contract: facts in, plan out. A module never mutates a host itself: `plan` reads
 * (through ctx.run / ctx.fact) and returns a Plan; the engine applies it. Check mode is `plan` alone.
 */
import type { ExecResult, SshTarget } from '../engine/connection/types.js'
import type { ArgumentRules } from './arg-rules.js'
import type { ParamSpecs, ParamValues } from './schema.js'

/** An argv array; the engine quotes it. `stdin` is fed to this command only. */
export interface Command {
  argv: string[]
  stdin?: string
  /**
   * argv is `sh -c SCRIPT sh ARGS...` with a script of the module's own (see shScript): the engine
   * may run it as a subshell of the task's shell, a fork instead of an exec of another sh.
   */
  inline?: boolean
}

/**
 * A module's own /bin/sh script with positional arguments ($1...; values are never spliced into it).
 * It runs in a subshell with `set +e`: what it changes (cwd, variables, options) stays inside it.
 */
export function shScript(script: string, ...args: string[]): Command {
  return { argv: ['sh', '-c', script, 'sh', ...args], inline: true }
}

/** A read-only question to the host: one command plus a pure parser (testable from recorded output). */
export interface Fact<T, A extends unknown[] = []> {
  name: string
  command(...args: A): Command
  parse(out: ExecResult, ...args: A): T
  /** identifies the thing asked about (path, user name); default JSON of the args */
  key?(...args: A): string
  /**
   * Several reads as ONE command, for the engine's read-ahead: the command that asks them all, and
   * each read's answer from its output (a throw: every read is asked again on its own). Only where
   * the merged answer holds exactly the separate ones (one stat of many paths).
   */
  batch?: { command(reads: A[]): Command; parse(out: ExecResult, reads: A[]): T[] }
}

/** What a read of `fact` is about: its key(), or the JSON of its args. */
export function factKey<A extends unknown[]>(fact: Pick<Fact<unknown, A>, 'key'>, args: A): string {
  return fact.key ? fact.key(...args) : JSON.stringify(args)
}

/** What a change makes true, so that later tasks in check mode plan against it. */
export interface FactEffect {
  fact: string
  key: string
  value: unknown
}

/**
 * What a change makes unknowable in advance (check mode; engine/unknown.ts holds the rule): a read
 * of such a fact in a later task answers "unknown until this task has run" instead of the host's
 * present state. `under`: every path strictly below it (and the path itself with `self`), except
 * the `except` subtrees; `fact`: that fact for one `key`, or for keys `like` a name (see
 * relatedName), or for every key.
 */
export type Unknowable = { under: string; self?: boolean; except?: string[] } | { fact: string; key?: string; like?: string }

/**
 * A control-side file sent as a stream: never held in memory, checksummed while it is read (a
 * `sha256` known from planning must match what was sent, or the upload is not renamed into place).
 */
export interface LocalFile {
  path: string
  size: number
  sha256?: string
}

/** One file written atomically on the host: `content` (travels inside the script) or `source` (streamed). */
export interface Upload {
  content?: string | Buffer
  source?: LocalFile
  dest: string
  owner?: string
  group?: string
  mode?: string
  /** never shown in diffs or logs */
  secret?: boolean
  /** argv run against the temp file before the rename; each '%s' becomes its path (Ansible's `validate`) */
  validate?: string[]
}

export interface FileDiff {
  path: string
  before: string
  after: string
  /** attribute changes: { mode: ['0644', '0600'] } */
  attrs?: Record<string, [string, string]>
}

export interface Change {
  summary: string
  commands: Command[]
  upload?: Upload
  diff?: FileDiff
  effects?: FactEffect[]
  /** what this change makes unknowable until it has run (pip/apt installs, programs run): see Unknowable */
  unknowns?: Unknowable[]
  /** runs, but is not a change as Ansible counts it (systemd's daemon-reload): the task reports ok */
  unchanged?: boolean
  /**
   * A step on the controller instead of the host (fetch writes the fetched file there, synchronize
   * runs rsync from there). The engine runs the controller steps after the plan's host script (none
   * is sent when no change has host commands or uploads), in order, and never in check mode; what a
   * step returns joins the task's return values; a throw (ModuleFailure) fails the task.
   */
  controller?: () => Promise<Record<string, unknown> | undefined>
}

/**
 * Under --diff, an edit module's file text before and after it (lineinfile, blockinfile): Ansible's
 * return them in the registered `diff` whether the content changes or not (modules/result-diff.ts).
 */
export interface EditTexts {
  before: string
  after: string
}

export type Plan =
  | {
      kind: 'ok'
      reason: string
      data?: Record<string, unknown>
      waitsFor?: string
      /** nothing to do, and Ansible counts it skipped, not ok (script's creates/removes) */
      skipped?: boolean
      /** values in `data` never to be printed (openssl_privatekey's return_content): the run's masker learns them */
      secrets?: string[]
      texts?: EditTexts
    }
  | {
      kind: 'change'
      changes: Change[]
      data?: Record<string, unknown>
      /**
       * Check mode: the plan met an unknown (ctx.unknown) and still knows its outcome (on an ok
       * plan too); names the task it waits for. Without it, a plan that met an unknown is reported
       * as "may change".
       */
      waitsFor?: string
      /**
       * Ansible's add_path_info (files/path-result.ts): this path's lstat joins the result once the
       * changes ran; in check mode `found`, the fields of the path as the plan read it
       */
      pathInfo?: { path: string; found: Record<string, unknown> }
      texts?: EditTexts
      /** values in `data` never to be printed (openssl_privatekey's return_content): the run's masker learns them */
      secrets?: string[]
    }

export interface ModuleContext {
  host: string
  check: boolean
  diff: boolean
  /** the task's variables (already templated where the task's args are) */
  vars: Record<string, unknown>
  /** delegate_to as the task names it (templated), when the task is delegated: whose hostvars describe the host the commands reach */
  delegateTo?: string
  /**
   * The task's arguments (its module's module_defaults applied) over another module's
   * module_defaults, templated; undefined when that module has none. For a module that hands the
   * task to another once it has read the host (service to systemd), as Ansible's action does.
   */
  argsOver?(module: string): Record<string, unknown> | undefined
  /** Runs a read-only command on the host (one round trip). Never use it to mutate. */
  run(cmd: Command): Promise<ExecResult>
  /** Reads a fact; in check mode effects of earlier (unapplied) changes are seen first. */
  fact<T, A extends unknown[]>(fact: Fact<T, A>, ...args: A): Promise<T>
  /** An effect recorded earlier in this (check) run, if any. */
  effect(fact: string, key: string): unknown
  /** Check mode: the earlier task whose planned change is about `key` (a database, a role, a path), if any; optional for contexts made by hand. */
  madeBy?(key: string): string | undefined
  /** The keys of a fact's effects recorded earlier in this (check) run (the paths earlier tasks write, for path.stat); optional for contexts made by hand. */
  effectKeys?(fact: string): string[]
  /**
   * Check mode: the task an earlier planned change waits on for this fact, when that change makes
   * it unknowable (engine/unknown.ts); undefined when the fact can be read. ctx.fact throws
   * UnknownFact for such a read; a plan that asks first can still plan exactly (Plan.waitsFor).
   */
  unknown?(fact: string, key: string): string | undefined
  /** How the controller reaches this host over ssh (synchronize's rsync); undefined for a local connection. */
  ssh?: SshTarget
  /** The user the task becomes on the host, if it becomes one. */
  become?: string
  /**
   * true while read-ahead only records the facts a plan asks (engine/run/read-ahead.ts): a plan
   * that does work of its own outside ctx (synchronize's dry run on the controller) stops first.
   */
  recording?: boolean
  /** Finds a control-side file: absolute, or on Ansible's search path for `kind` (engine/run/find-file.ts); else fails naming the places tried. */
  findFile(path: string, kind: 'files' | 'templates'): string
  /** The dirs a relative file of `kind` is looked for in, in order (the template module's Jinja loader). */
  searchPaths?(kind: 'files' | 'templates'): string[]
  /** Renders a Jinja-compatible template with the task's variables (plus `opts.vars`). */
  render(text: string, opts?: RenderFileOptions): string
  /**
   * The action's own warning (Ansible's display.warning in an action plugin): shown, never kept in
   * the result as its `warnings` are; absent while read-ahead only records.
   */
  warn?(msg: string): void
}

/** How the template module renders a file: other templates it may include, whitespace control, its own variables. */
export interface RenderFileOptions {
  /** the source of a template named in `{% include %}` / `{% import %}` / `{% extends %}`, or undefined */
  loader?: (name: string) => string | undefined
  trimBlocks?: boolean
  lstripBlocks?: boolean
  /** variables added for this render (template_path, ansible_managed...) */
  vars?: Record<string, unknown>
}

/** The applied plan's script: its exit code and output (the engine's failure mark removed), and when it ran. */
export interface Applied extends ExecResult {
  /** when the script started and ended, in microseconds since the epoch (the controller's clock) */
  startUs: number
  endUs: number
  /** on a non-zero rc: the command that failed (undefined when a batch of uploads failed) */
  failedCommand?: Command
  /** a batch of uploads failed at a file's validate: what it returned and printed */
  validation?: Validation
}

/** A validate command that refused an upload's temp file: its rc and output (stdout and stderr as printed). */
export interface Validation {
  dest: string
  rc: number
  stdout: string
  stderr: string
  /** the validator could not start (rc is the errno): Python's error as Ansible's run_command fails with it, and the command */
  notStarted?: { msg: string; cmd: string }
}

/** A module's outcome after apply, for modules whose result depends on what the commands printed. */
export interface Outcome {
  failed: boolean
  /** false: the commands ran and changed nothing (uri's POST, as Ansible reports it); msg is then the ok reason */
  changed?: boolean
  msg?: string
  data?: Record<string, unknown>
  /** values in `data` never to be printed (a private key the commands printed): the run's masker learns them */
  secrets?: string[]
}

/** A module: its arguments (with the rules between them, checked before `plan`) and its plan. */
export interface ModuleSpec<S extends ParamSpecs = ParamSpecs> extends ArgumentRules {
  name: string
  aliases?: string[]
  summary: string
  description?: string
  params: S
  /** documented return values */
  returns?: Record<string, string>
  examples?: string
  /**
   * 'plan' (default): check mode reports the plan. 'skip': like Ansible's command, skipped in check
   * mode when it would change. 'none': like Ansible's modules without check mode support (uri,
   * wait_for, tempfile), skipped in check mode without planning (`check_mode: false` runs it).
   */
  checkMode?: 'plan' | 'skip' | 'none'
  /** the module checks its own arguments (one written for Ansible, engine/library/ansible-style.ts): every name is passed on as given */
  anyParams?: boolean
  /** false for modules that always act (command): the converge-then-re-plan rule does not apply */
  converges?: boolean
  plan(p: ParamValues<S>, ctx: ModuleContext): Promise<Plan>
  /**
   * Interprets the applied commands' output (rc/stdout of `command`); `planned`: the plan's changes
   * that ran. Default (also when it returns undefined): rc 0 is success.
   */
  interpret?(p: ParamValues<S>, out: Applied, planned?: readonly Change[]): Outcome | undefined
  /** The message of a failed apply, as Ansible words it for this module; default: the end of stderr. */
  failureMsg?(p: ParamValues<S>, out: Applied): string | undefined
  /** What a failed apply's result holds beside msg, as Ansible's module returns it (`planData`: what the plan returned); default (also when undefined): the failed command, its rc and streams. */
  failureData?(p: ParamValues<S>, out: Applied, planData?: Record<string, unknown>): Record<string, unknown> | undefined
  /** where the module was loaded from, for error messages */
  file?: string
}

/** `const`: a param's `choices` are kept as literal types, so `plan` sees their union. */
export function defineModule<const S extends ParamSpecs>(spec: ModuleSpec<S>): ModuleSpec<S> {
  return spec
}
