/**
 * Statements to closures: each becomes a `(frame) => output` function. Scoping follows Jinja:
 * for loops, macros, `with` and block bodies get their own frame, so `{% set %}` inside them does
 * not leak out (namespace() is the way out), while `if` shares the enclosing frame.
 */
import { truthy } from '../py.js'
import { strict, templateError } from '../undefined.js'
import { compileArgs, compileExpr, compileFilter, type Ev } from './compile-expr.js'
import { syntaxError } from './errors.js'
import type { Expr, MacroSig, Stmt } from './nodes.js'
import {
  type BlockFn,
  Builtin,
  callValue,
  type Frame,
  iterate,
  type LoadedTemplate,
  LoopContext,
  Macro,
  type MacroSpec,
  Namespace,
  output,
  type TemplateModule,
  type TemplateRun,
  unpack,
} from './runtime.js'

export type Run = (f: Frame) => string

/** What compiling one template collects besides its body. */
export interface Unit {
  blocks: Map<string, BlockFn>
  /** annotate errors with the template line (multi-line templates only: cheap for one-liners) */
  lines: boolean
  /** the template's name, for messages */
  name?: string
}

const LINE = Symbol('jinja line')
export interface ErrorPlace {
  line: number
  template?: string
}
export const errorPlace = (e: unknown): ErrorPlace | undefined => (e && typeof e === 'object' ? (e as { [LINE]?: ErrorPlace })[LINE] : undefined)

/** Marks errors thrown by fn with the line they come from (the innermost statement wins). */
export function atLine<T>(u: Unit, line: number, fn: (f: Frame) => T): (f: Frame) => T {
  if (!u.lines) return fn
  return (f) => {
    try {
      return fn(f)
    } catch (e) {
      if (e && typeof e === 'object' && !(LINE in e)) (e as { [LINE]?: ErrorPlace })[LINE] = { line, template: u.name }
      throw e
    }
  }
}

export function compileBody(stmts: Stmt[], u: Unit): Run {
  const runs = stmts.map((s) => compileStmt(s, u))
  if (runs.length === 0) return () => ''
  if (runs.length === 1) return runs[0]!
  return (f) => {
    let out = ''
    for (const r of runs) out += r(f)
    return out
  }
}

/** `a`, `a, b`, `ns.x` as the target of set/for/with. */
function compileAssign(t: Expr): (f: Frame, v: unknown) => void {
  if (t.k === 'name') {
    const n = t.name
    return (f, v) => f.set(n, v)
  }
  if (t.k === 'tuple') {
    const subs = t.items.map(compileAssign)
    return (f, v) => {
      const items = unpack(v, subs.length)
      for (let i = 0; i < subs.length; i++) subs[i]!(f, items[i])
    }
  }
  if (t.k === 'nsref') {
    const { name, attr } = t
    return (f, v) => {
      const ns = f.lookup(name)
      if (!(ns instanceof Namespace)) throw templateError(`cannot assign attribute on non-namespace object '${name}'`)
      ns.attrs[attr] = v
    }
  }
  throw syntaxError(`can't assign to '${t.k}'`, t.line)
}

/** A chain `f1(a) | f2` applied to a block's output (set blocks, filter blocks). */
function compileFilterChain(e: Expr): (input: unknown, f: Frame) => unknown {
  if (e.k !== 'filter') throw syntaxError('expected a filter', e.line)
  const inner = e.node ? compileFilterChain(e.node) : undefined
  let current: unknown
  const ev = compileFilter(e, () => current)
  return (input, f) => {
    current = inner ? inner(input, f) : input
    return ev(f)
  }
}

/** Whether a macro body reads `name` (varargs, kwargs, caller are only set up when it does). */
function uses(node: unknown, name: string): boolean {
  if (Array.isArray(node)) return node.some((n) => uses(n, name))
  if (!node || typeof node !== 'object') return false
  const n = node as { k?: string; name?: string }
  if (n.k === 'name' && n.name === name) return true
  return Object.values(node).some((v) => typeof v === 'object' && uses(v, name))
}

function macroSpec(name: string, sig: MacroSig, body: Stmt[], u: Unit): MacroSpec {
  return {
    name,
    params: sig.params,
    defaults: sig.defaults.map(compileExpr),
    body: compileBody(body, u),
    catchVarargs: uses(body, 'varargs'),
    catchKwargs: uses(body, 'kwargs'),
    usesCaller: uses(body, 'caller'),
  }
}

/** The first template of a name (or list of names) that exists. */
export function loadTemplate(f: Frame, which: unknown, ignoreMissing: boolean): LoadedTemplate | undefined {
  const names = Array.isArray(which) ? which : [which]
  for (const n of names) {
    const t = f.run.env.load(String(strict(n)))
    if (t) return t
  }
  if (ignoreMissing) return undefined
  const names_ = names.map((n) => `'${String(n)}'`).join(', ')
  if (!f.run.env.canLoad)
    throw templateError(`cannot load template ${names_}: {% include %}, {% import %} and {% extends %} need a template loader, and none was given`)
  throw templateError(`template ${names_} not found`)
}

function compileStmt(s: Stmt, u: Unit): Run {
  return atLine(u, s.line, compileStmtInner(s, u))
}

function compileStmtInner(s: Stmt, u: Unit): Run {
  switch (s.k) {
    case 'output': {
      // each part is a node of Jinja's output stream: Ansible's concat treats a template of one
      // node apart (TemplateRun.outputs, nativeText)
      const parts = s.items.map((i) => {
        if (i.k === 'data') return i.text
        const ev = compileExpr(i)
        const nativeText = nativeTextTest(i)
        return atLine(u, i.line, (f) => {
          f.run.outputs++
          const v = ev(f)
          f.run.nativeText = nativeText(f.run)
          return output(v)
        })
      })
      const data = parts.filter((p) => typeof p === 'string' && p !== '').length
      if (parts.length === 1 && typeof parts[0] === 'string') {
        const text = parts[0]
        return (f) => {
          f.run.outputs += data
          return text
        }
      }
      return (f) => {
        f.run.outputs += data
        let out = ''
        for (const p of parts) out += typeof p === 'string' ? p : p(f)
        return out
      }
    }
    case 'if': {
      const test = compileExpr(s.test)
      const body = compileBody(s.body, u)
      const else_ = compileBody(s.else_, u)
      return (f) => (truthy(test(f)) ? body(f) : else_(f))
    }
    case 'for':
      return compileFor(s, u)
    case 'set': {
      const assign = compileAssign(s.target)
      const v = compileExpr(s.expr)
      return (f) => {
        assign(f, v(f))
        return ''
      }
    }
    case 'setblock': {
      const assign = compileAssign(s.target)
      const body = compileBody(s.body, u)
      const chain = s.filter ? compileFilterChain(s.filter) : undefined
      return (f) => {
        const text = body(f.child())
        assign(f, chain ? chain(text, f) : text)
        return ''
      }
    }
    case 'macro': {
      const spec = macroSpec(s.name, s, s.body, u)
      return (f) => {
        f.set(s.name, new Macro(spec, f))
        return ''
      }
    }
    case 'callblock': {
      const spec = macroSpec('caller', s, s.body, u)
      const call = s.call as Extract<Expr, { k: 'call' }>
      const fn = compileExpr(call.fn)
      const { args, kw } = compileArgs(call)
      return (f) => output(callValue(fn(f), args(f), { ...kw(f), caller: new Macro(spec, f) }, 'call'))
    }
    case 'filterblock': {
      const body = compileBody(s.body, u)
      const chain = compileFilterChain(s.filter)
      return (f) => output(chain(body(f.child()), f))
    }
    case 'with': {
      const targets = s.targets.map(compileAssign)
      const values = s.values.map(compileExpr)
      const body = compileBody(s.body, u)
      return (f) => {
        const vals = values.map((v) => v(f))
        const c = f.child()
        for (let i = 0; i < targets.length; i++) targets[i]!(c, vals[i])
        return body(c)
      }
    }
    case 'scope': {
      const body = compileBody(s.body, u)
      return (f) => body(f.child())
    }
    case 'block':
      return compileBlock(s, u)
    case 'extends':
      throw syntaxError('cannot use extend from a non top-level scope', s.line)
    case 'include': {
      const name = compileExpr(s.template)
      const { ignoreMissing, withContext } = s
      return (f) => {
        const t = loadTemplate(f, name(f), ignoreMissing)
        if (!t) return ''
        return withContext ? t.render(f, f.scope, f.run.env) : t.render(undefined, f.run.env.globalsOnly, f.run.env)
      }
    }
    case 'import': {
      const name = compileExpr(s.template)
      const { target, withContext } = s
      return (f) => {
        f.set(target, importModule(f, name(f), withContext))
        return ''
      }
    }
    case 'fromimport': {
      const name = compileExpr(s.template)
      const { names, withContext } = s
      return (f) => {
        const mod = importModule(f, name(f), withContext)
        for (const [n, alias] of names) {
          const v = mod.pyAttr(n)
          if (v === undefined) throw templateError(`the template '${mod.name}' does not export the requested name '${n}'`)
          f.set(alias, v)
        }
        return ''
      }
    }
  }
}

function importModule(f: Frame, which: unknown, withContext: boolean): TemplateModule {
  const t = loadTemplate(f, which, false)!
  return withContext ? t.module(f, f.scope, f.run.env) : t.module(undefined, f.run.env.globalsOnly, f.run.env)
}

function compileFor(s: Extract<Stmt, { k: 'for' }>, u: Unit): Run {
  const assign = compileAssign(s.target)
  const iter = compileExpr(s.iter)
  const test: Ev | undefined = s.test ? compileExpr(s.test) : undefined
  const body = compileBody(s.body, u)
  const else_ = compileBody(s.else_, u)
  const loop = (f: Frame, iterable: unknown, depth0: number): string => {
    if (iterable === null || iterable === undefined) throw templateError(`'NoneType' object is not iterable`)
    let items = iterate(iterable)
    const inner = f.child()
    if (test)
      items = items.filter((item) => {
        assign(inner, item)
        return truthy(test(inner))
      })
    const n = items.length
    if (n === 0) return else_(f)
    const ctx = new LoopContext(items, depth0, s.recursive ? (it, d) => loop(f, it, d) : undefined)
    inner.set('loop', ctx)
    let out = ''
    for (let i = 0; i < n; i++) {
      ctx.index0 = i
      assign(inner, items[i])
      out += body(inner)
    }
    return out
  }
  return (f) => loop(f, iter(f), 0)
}

function compileBlock(s: Extract<Stmt, { k: 'block' }>, u: Unit): Run {
  if (u.blocks.has(s.name)) throw syntaxError(`block '${s.name}' defined twice`, s.line)
  const body = compileBody(s.body, u)
  const { name, required } = s
  const fn: BlockFn = (bf, chain, i) => {
    if (required) throw templateError(`Required block '${name}' not found`)
    bf.set(
      'super',
      new Builtin('super', () => {
        if (i + 1 >= chain.length) throw templateError(`there is no parent block called '${name}'`)
        return chain[i + 1]!(bf.parent ? bf.parent.child() : bf, chain, i + 1)
      }),
    )
    return body(bf)
  }
  u.blocks.set(name, fn)
  return (f) => {
    const chain = f.run.blocks.get(name) ?? [fn]
    // chains are never empty: template.ts always sets at least this template's own block
    return chain[0]!(s.scoped ? f.child() : f.run.root.child(), chain, 0)
  }
}

/**
 * Ansible's STRING_TYPE_FILTERS (2.14's default): their results are NativeJinjaText, which a
 * template of that one node keeps as text (never read as a list or dict). By the name as written:
 * Ansible does not wrap `ansible.builtin.to_json`.
 */
const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json'])

/**
 * Whether an output expression's value is Ansible's NativeJinjaText, after it ran: a string-type
 * filter's result, or a `lookup(...)` whose text its plugin marked so (TemplateRun.lookupText).
 */
export function nativeTextTest(e: Expr): (run: TemplateRun) => boolean {
  if (e.k === 'filter' && STRING_TYPE_FILTERS.has(e.name)) return () => true
  if (e.k === 'call' && e.fn.k === 'name' && e.fn.name === 'lookup') return (run) => run.lookupText
  return () => false
}
