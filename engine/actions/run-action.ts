/** The engine's own actions: debug, set_fact, assert, fail, include_vars. They touch variables, not hosts. */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { ModuleFailure } from '../errors.js'
import { readYamlData } from '../yaml-source.js'
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
  baseDir: string
  /** a relative vars file on Ansible's search path (role vars/, the task file's dir, the play's vars/ and dir: engine/run/find-file.ts) */
  findVarsFile?: (path: string) => string
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v])

function loadVarsFile(path: string): Record<string, unknown> {
  const data = readYamlData(readFileSync(path, 'utf8'), path) ?? {}
  if (typeof data !== 'object' || Array.isArray(data)) throw new ModuleFailure(`${path}: vars file must be a mapping`)
  return data as Record<string, unknown>
}

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
      const target = String(args.file ?? args.dir ?? args._raw_params ?? args.cmd ?? '')
      if (!target) throw new ModuleFailure('include_vars needs file or dir')
      const path = isAbsolute(target) ? target : args.dir === undefined && env.findVarsFile ? env.findVarsFile(target) : join(env.baseDir, target)
      let facts: Record<string, unknown> = {}
      if (statSync(path).isDirectory()) {
        for (const f of readdirSync(path)
          .filter((n) => /\.(ya?ml|json)$/.test(n))
          .sort())
          facts = { ...facts, ...loadVarsFile(join(path, f)) }
      } else facts = loadVarsFile(path)
      if (args.name) facts = { [String(args.name)]: facts }
      return { status: 'ok', facts, data: { ansible_facts: facts } }
    }
  }
}
