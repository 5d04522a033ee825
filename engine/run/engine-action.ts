/** An engine action (engine/actions) on one host: its environment from the task run, its outcome as a module's. */
import { verboseAlways } from '../report/shown-result.js'
import { taskLabel } from '../playbook/module-task.js'
import { runAction } from '../actions/run-action.js'
import type { EngineAction } from '../actions/names.js'
import { LocalConnection } from '../connection/local.js'
import { AcplayError, ModuleFailure } from '../errors.js'
import type { ModuleOutcome } from '../module-runner.js'
import { evaluate, isTemplate, templateValue } from '../vars/template.js'
import { extraVarIsPlain } from '../vars/extra-vars.js'
import { emit } from './context.js'
import { findFile, searchContext, varsDir } from './find-file.js'
import { runModes } from './gate.js'
import { taskPort } from './task-port.js'
import { setHostFacts } from './host-facts.js'
import { factHosts } from './fact-hosts.js'
import { forgetHostvars, type TaskRun } from './scope.js'
import { unknownAfter } from '../unknown.js'
import { assignEntries } from '../vars/unsafe.js'

export async function runEngineAction(run: TaskRun, action: EngineAction, args: Record<string, unknown>): Promise<ModuleOutcome & { output?: unknown }> {
  const { pc, task, host, vars, where } = run
  const { check, become } = runModes(run)
  // reboot and wait_for_connection reach the host at the task's port, as a module would; worked out when one connects (debug never does)
  let port: { n: number | undefined } | undefined
  const portOf = () => {
    port ??= { n: taskPort(run, vars) }
    return port.n
  }
  const conn = () => host.connection(undefined, undefined, portOf())
  const search = searchContext(run)
  const fail = (status: 'failed' | 'unreachable', msg: string): ModuleOutcome => ({ status, msg, changes: [], data: {} })
  try {
    const a = await runAction(action, args, {
      evaluate: (e) => evaluate(e, vars, where),
      template: (text) => templateValue(text, vars, where),
      variable: (name) => {
        if (!(name in vars)) return undefined
        const raw = vars[name]
        return {
          value: templateValue(raw, vars, where),
          templated: (typeof raw === 'string' && isTemplate(raw)) || extraVarIsPlain(pc.run.opts.extraVars, name),
        }
      },
      varsPath: (p, dir) => (dir ? varsDir(p, search) : findFile(p, 'vars', search)),
      check,
      verbosity: pc.run.opts.verbosity ?? 0,
      taskName: taskLabel(task) ?? task.module,
      inventory: pc.run.inventory,
      become,
      host: {
        name: host.name,
        get local() {
          return conn() instanceof LocalConnection
        },
        exec: (script, timeoutMs) => conn().exec(script, { become, timeoutMs }),
        reconnect: async (connectTimeoutS) => {
          const p = portOf()
          const o = { ...(connectTimeoutS ? { connectTimeoutS } : {}), ...(p !== undefined ? { port: p } : {}) }
          await host.reconnect(Object.keys(o).length > 0 ? o : undefined)
        },
        get interrupted() {
          return host.interrupted
        },
      },
      say: (text) => {
        if (process.stderr.isTTY) process.stderr.write(`${text}\n`)
      },
      warn: (text) => emit(pc.run, 'onWarning', text),
    })
    if (action === 'add_host') forgetHostvars(pc)
    if (a.facts)
      for (const h of factHosts(run)) {
        assignEntries(action === 'include_vars' ? h.includedVars : h.facts, a.facts)
        if (a.cacheable) setHostFacts(pc.run, h, a.facts)
      }
    const verbose = verboseAlways(action, args) || undefined
    return { status: a.status, msg: a.msg, reason: a.reason, changes: [], data: a.data, output: a.output, verboseAlways: verbose }
  } catch (e) {
    // check mode: a value it reads (debug's var, assert's that) is unknown until an earlier task runs:
    // ok and unknown, as for arguments that need one (task.ts unknownArgs), never a failure
    const after = unknownAfter(e)
    if (after !== undefined)
      return { status: 'ok', reason: `it needs the result of task '${after}', unknown until it has run`, changes: [], data: {}, unknown: after }
    if (e instanceof AcplayError) return fail(e.unreachable ? 'unreachable' : 'failed', e.describe())
    if (e instanceof ModuleFailure) return fail('failed', e.message)
    return fail('failed', e instanceof Error ? e.message : String(e))
  }
}
