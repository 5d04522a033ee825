/** The engine's own actions: debug, set_fact, assert, fail, include_vars. They touch variables, not hosts. */
import { includeVars } from './include-vars.js'
import type { EngineAction } from './names.js'

export interface ActionOutcome {
  status: 'ok' | 'changed' | 'failed'
  msg?: string
  output?: unknown
  /** variables to set on the host (set_fact, include_vars) */
  facts?: Record<string, unknown>
  data: Record<string, unknown>
}

export interface ActionEnv {
  /** evaluates a bare Jinja expression with the task's variables */
  evaluate(expr: string): unknown
  /**
   * Where include_vars finds a relative `file` (Ansible's search path: role vars/, the task file's
   * dir, the play's vars/ and dir: engine/run/find-file.ts) or `dir` (the role's vars/, else beside the task file)
   */
  varsPath(target: string, dir: boolean): string
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v])

export function runAction(action: EngineAction, args: Record<string, unknown>, env: ActionEnv): ActionOutcome {
  switch (action) {
    case 'debug': {
      if (args.var !== undefined) {
        const name = String(args.var)
        return { status: 'ok', output: { [name]: env.evaluate(name) }, data: {} }
      }
      const msg = args.msg ?? 'Hello world!'
      return { status: 'ok', output: msg, msg: typeof msg === 'string' ? msg : JSON.stringify(msg), data: {} }
    }
    case 'set_fact': {
      const { cacheable: _c, ...facts } = args
      return { status: 'ok', facts, data: { ansible_facts: facts } }
    }
    case 'assert': {
      for (const cond of asList(args.that)) {
        const ok = typeof cond === 'boolean' ? cond : env.evaluate(String(cond))
        if (!ok) {
          const msg = String(args.fail_msg ?? args.msg ?? `Assertion failed: ${String(cond)}`)
          return { status: 'failed', msg, data: { assertion: cond, evaluated_to: false } }
        }
      }
      return { status: 'ok', msg: String(args.success_msg ?? 'All assertions passed'), data: {} }
    }
    case 'fail':
      return { status: 'failed', msg: String(args.msg ?? 'Failed as requested from task'), data: {} }
    case 'include_vars': {
      const { facts, files } = includeVars(args, env.varsPath)
      return { status: 'ok', facts, data: { ansible_facts: facts, ansible_included_var_files: files } }
    }
  }
}
