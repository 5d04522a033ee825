/**
 * The engine's own actions (names.ts): they act on variables, the inventory or the run. Each
 * returns what Ansible's action plugin returns, so `register` sees the same fields.
 */
import { isUnsafeEntry, setEntry, UNSAFE_CONDITION } from '../vars/unsafe.js'
import type { Become, ExecResult } from '../connection/types.js'
import { AcplayError, ModuleFailure } from '../errors.js'
import type { Inventory } from '../inventory/types.js'
import { toBool } from '../vars/filters-core.js'
import { knownDeep } from '../vars/undefined.js'
import { argumentSpecArgs, argumentSpecErrors } from './argument-spec.js'
import { includeVars } from './include-vars.js'
import { addHost, groupBy } from './inventory-actions.js'
import type { EngineAction } from './names.js'
import { pause } from './pause.js'
import { reboot, waitForConnection } from './reboot.js'

export interface ActionOutcome {
  status: 'ok' | 'changed' | 'failed' | 'skipped'
  msg?: string
  reason?: string
  output?: unknown
  /** variables to set on the host (set_fact, include_vars) */
  facts?: Record<string, unknown>
  /** set_fact cacheable: the facts also go to the host's facts and the fact cache */
  cacheable?: boolean
  data: Record<string, unknown>
}

/** The host as reboot and wait_for_connection reach it. */
export interface ActionHost {
  name: string
  /** the connection is local: reboot refuses (it would reboot the controller) */
  local: boolean
  exec(script: string, timeoutMs?: number): Promise<ExecResult>
  /** closes the connection; the next exec opens a new ssh session (with this connect timeout) */
  reconnect(connectTimeoutS?: number): Promise<void>
  /** the run was interrupted: stop waiting */
  readonly interrupted: boolean
}

export interface ActionEnv {
  /** evaluates a bare Jinja expression with the task's variables */
  evaluate(expr: string): unknown
  /** templates a string with the task's variables (set_fact's names) */
  template(text: string): unknown
  /**
   * Where include_vars finds a relative `file` (Ansible's search path: role vars/, the task file's
   * dir, the play's vars/ and dir: engine/run/find-file.ts) or `dir` (the role's vars/, else beside the task file)
   */
  varsPath(target: string, dir: boolean): string
  check: boolean
  /** -v count */
  verbosity: number
  /** the task's name, as pause's prompt shows it */
  taskName: string
  inventory: Inventory
  host: ActionHost
  become?: Become
  /** pause: what it shows on a terminal */
  say(text: string): void
  /** a warning for the reporters */
  warn(text: string): void
  /**
   * a task variable, templated (undefined: no such variable); `templated`: its value has Python's
   * plain types in Ansible, not YAML's: it came out of a template, or from `-e` JSON or key=value
   */
  variable(name: string): { value: unknown; templated: boolean } | undefined
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v])

export async function runAction(action: EngineAction, args: Record<string, unknown>, env: ActionEnv): Promise<ActionOutcome> {
  switch (action) {
    case 'debug':
      return debug(args, env)
    case 'set_fact':
      return setFact(args, env)
    case 'assert':
      return assert(args, env)
    case 'fail':
      return { status: 'failed', msg: String(args.msg ?? 'Failed as requested from task'), data: {} }
    case 'set_stats':
      return setStats(args)
    case 'include_vars': {
      const { facts, files } = includeVars(args, env.varsPath)
      return { status: 'ok', facts, data: { ansible_facts: facts, ansible_included_var_files: files } }
    }
    case 'add_host':
      return addHost(args, env)
    case 'group_by':
      return groupBy(args, env)
    case 'pause':
      return pause(args, env)
    case 'reboot':
      return reboot(args, env)
    case 'wait_for_connection':
      return waitForConnection(args, env)
    case 'validate_argument_spec':
      return validateArgumentSpec(args, env)
  }
}

/** Ansible's validate_argument_spec action: the spec's names among the task's variables, overlaid with the arguments given. */
function validateArgumentSpec(args: Record<string, unknown>, env: ActionEnv): ActionOutcome {
  const { spec, provided } = argumentSpecArgs(args)
  const fromVars: Record<string, unknown> = {}
  const templated = new Set<string>()
  for (const name of Object.keys(spec)) {
    const v = env.variable(name)
    if (!v) continue
    fromVars[name] = v.value
    if (v.templated) templated.add(name)
  }
  for (const name of Object.keys(provided)) templated.delete(name)
  const errors = argumentSpecErrors(spec, { ...fromVars, ...provided }, (name) => templated.has(name))
  const context = { validate_args_context: args.validate_args_context ?? {} }
  if (errors.length === 0)
    return { status: 'ok', msg: 'The arg spec validation passed', data: { ...context, changed: false, msg: 'The arg spec validation passed' } }
  const msg = `Validation of arguments failed:\n${errors.join('\n')}`
  return { status: 'failed', msg, data: { ...context, argument_spec_data: spec, argument_errors: errors } }
}

function debug(args: Record<string, unknown>, env: ActionEnv): ActionOutcome {
  if (args.msg !== undefined && args.var !== undefined) return { status: 'failed', msg: "'msg' and 'var' are incompatible options", data: {} }
  const verbosity = Number(args.verbosity ?? 0)
  if (!Number.isInteger(verbosity)) throw new ModuleFailure(`debug: verbosity must be an integer, got ${JSON.stringify(args.verbosity)}`)
  if (verbosity > env.verbosity)
    return { status: 'skipped', reason: 'Verbosity threshold not met.', data: { skipped: true, skipped_reason: 'Verbosity threshold not met.' } }
  if (args.var !== undefined) {
    const name = typeof args.var === 'string' ? args.var : JSON.stringify(args.var)
    let value: unknown
    try {
      // check mode: a value holding an unknown (a looped task's registered results) waits for its task
      value = knownDeep(typeof args.var === 'string' ? env.template(bareAsTemplate(args.var)) : args.var)
    } catch (e) {
      if (!(e instanceof AcplayError && e.code === 'E_UNDEFINED_VAR')) throw e
      // with -v, Ansible adds the error, its message twice (the exception's and its cause's)
      value = env.verbosity > 0 ? `VARIABLE IS NOT DEFINED!: ${e.message}. ${e.message}` : 'VARIABLE IS NOT DEFINED!'
    }
    return { status: 'ok', output: { [name]: value }, data: { [name]: value } }
  }
  const msg = Object.hasOwn(args, 'msg') ? args.msg : 'Hello world!'
  return { status: 'ok', output: msg, msg: typeof msg === 'string' ? msg : JSON.stringify(msg), data: { msg } }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * debug's `var` as Ansible's action templates it (Templar's convert_bare): a bare expression is
 * templated as `{{ var }}`, so its value is what a task argument holding it gets (`d.x` shows "2",
 * a string, where `d` shows the dict); one already holding `{{` is templated as written.
 */
function bareAsTemplate(expr: string): string {
  return expr.includes('{{') ? expr : `{{${expr}}}`
}

function setFact(args: Record<string, unknown>, env: Pick<ActionEnv, 'template'>): ActionOutcome {
  const { cacheable, ...given } = args
  if (Object.keys(given).length === 0) throw new ModuleFailure('No key/value pairs provided, at least one is required for this action to succeed')
  const facts: Record<string, unknown> = {}
  for (const [name, v] of Object.entries(given)) {
    // the names are templated too (`"{{ item.key }}": "{{ item.value }}"`), as Ansible's action does
    const k = String(env.template(name))
    if (!IDENTIFIER.test(k))
      throw new ModuleFailure(
        `The variable name '${k}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`,
      )
    // Ansible (jinja2_native off) turns the strings yes/no/true/false into booleans
    const value = typeof v === 'string' && /^(true|false|yes|no)$/i.test(v) ? /^(true|yes)$/i.test(v) : v
    // a value rendered from unsafe data stays unsafe (engine/vars/unsafe.ts)
    setEntry(facts, k, value, isUnsafeEntry(given, name))
  }
  const keep = toBool(cacheable ?? false)
  return { status: 'ok', facts, cacheable: keep, data: { ansible_facts: facts } }
}

function assert(args: Record<string, unknown>, env: ActionEnv): ActionOutcome {
  if (args.that === undefined) throw new ModuleFailure('conditional required in "that" string')
  const failMsg = args.fail_msg ?? args.msg ?? 'Assertion failed'
  const successMsg = args.success_msg ?? 'All assertions passed'
  for (const m of [failMsg, successMsg])
    if (typeof m !== 'string' && !(Array.isArray(m) && m.every((x) => typeof x === 'string')))
      throw new ModuleFailure(`assert: fail_msg, msg and success_msg must be a string or a list of strings, got ${JSON.stringify(m)}`)
  const quiet = toBool(args.quiet ?? false)
  const text = (m: unknown) => (typeof m === 'string' ? m : JSON.stringify(m))
  const thats = asList(args.that)
  for (const [i, cond] of thats.entries()) {
    // rendered from unsafe data: never evaluated, as Ansible's Conditional
    if (typeof cond === 'string' && (Array.isArray(args.that) ? isUnsafeEntry(args.that, String(i)) : isUnsafeEntry(args, 'that')))
      throw new ModuleFailure(`The conditional check '${cond}' failed. The error was: ${UNSAFE_CONDITION}`)
    const ok = typeof cond === 'boolean' ? cond : env.evaluate(String(cond))
    if (!ok) return { status: 'failed', msg: text(failMsg), data: { msg: failMsg, assertion: cond, evaluated_to: false } }
  }
  // shown unless quiet (Ansible's _ansible_verbose_always)
  return { status: 'ok', msg: text(successMsg), output: quiet ? undefined : { changed: false, msg: successMsg }, data: { msg: successMsg } }
}

function setStats(args: Record<string, unknown>): ActionOutcome {
  const data = args.data ?? {}
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ModuleFailure("The 'data' option needs to be a dictionary/hash")
  for (const k of Object.keys(data)) if (!IDENTIFIER.test(k)) throw new ModuleFailure(`The variable name '${k}' is not valid.`)
  const stats = { data, per_host: toBool(args.per_host ?? false), aggregate: toBool(args.aggregate ?? true) }
  return { status: 'ok', data: { ansible_stats: stats } }
}
