/**
 * A compiled Jinja template: source → tokens → AST → closures, done once per distinct source.
 * Renders a body (with `{% extends %}` handled at the top level, as Jinja does: output after it is
 * dropped and the parent renders with the child's blocks first in each chain), exposes its
 * top-level names as a module for `{% import %}`, and, when the whole source is one `{{ expr }}`,
 * the expression itself so callers can get its native value.
 */
import { templateError } from '../undefined.js'
import { compileExpr, type Ev } from './compile-expr.js'
import { atLine, compileBody, loadTemplate, nativeTextTest, type Run, type Unit } from './compile-stmt.js'
import { type LexOptions, tokenize } from './lexer.js'
import type { Expr, Stmt } from './nodes.js'
import { Parser } from './parser.js'
import { type BlockFn, Frame, type LoadedTemplate, type RenderEnv, type Resolver, TemplateModule, TemplateReference, TemplateRun } from './runtime.js'

type Top = { kind: 'extends'; template: Ev } | { kind: 'output'; run: Run } | { kind: 'other'; run: Run }

export class Template implements LoadedTemplate {
  constructor(
    readonly name: string,
    private readonly top: Top[],
    readonly blocks: Map<string, BlockFn>,
    private readonly usesSelf: boolean,
    /** set when the source is exactly one `{{ expr }}` */
    readonly expr: Ev | undefined,
    /** whether that expression's value, once run, is Ansible's NativeJinjaText (nativeTextTest) */
    readonly exprNativeText: (run: TemplateRun) => boolean = () => false,
  ) {}

  /** Runs the body in `frame` (a run's root frame); output after `{% extends %}` is dropped. */
  private renderIn(frame: Frame): string {
    const run = frame.run
    if (this.usesSelf && !(frame.vars && 'self' in frame.vars)) frame.set('self', new TemplateReference(frame))
    let parent: LoadedTemplate | undefined
    let out = ''
    for (const s of this.top) {
      if (s.kind === 'extends') {
        if (parent) throw templateError('extended multiple times')
        parent = loadTemplate(frame, s.template(frame), false)!
        if (!(parent instanceof Template)) throw templateError('cannot extend this template')
        for (const [n, b] of parent.blocks) {
          const chain = run.blocks.get(n)
          if (chain) chain.push(b)
          else run.blocks.set(n, [b])
        }
      } else if (!parent) out += s.run(frame)
      else if (s.kind === 'other') s.run(frame)
    }
    return parent ? out + (parent as Template).renderIn(frame) : out
  }

  private start(parent: Frame | undefined, resolve: Resolver, env: RenderEnv): Frame {
    const run = new TemplateRun(env, this.name)
    for (const [n, b] of this.blocks) run.blocks.set(n, [b])
    const frame = new Frame(parent, run, resolve)
    run.root = frame
    return frame
  }

  render(parent: Frame | undefined, resolve: Resolver, env: RenderEnv): string {
    return this.renderIn(this.start(parent, resolve, env))
  }

  /** render(), and whether the output was one node of a string-type filter (Ansible's NativeJinjaText: never literal_eval'd). */
  renderConcat(parent: Frame | undefined, resolve: Resolver, env: RenderEnv): { out: string; nativeText: boolean } {
    const frame = this.start(parent, resolve, env)
    const out = this.renderIn(frame)
    return { out, nativeText: frame.run.outputs === 1 && frame.run.nativeText }
  }

  module(parent: Frame | undefined, resolve: Resolver, env: RenderEnv): TemplateModule {
    const frame = this.start(parent, resolve, env)
    const body = this.renderIn(frame)
    const exports: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(frame.vars ?? {})) if (!k.startsWith('_') && k !== 'self') exports[k] = v
    return new TemplateModule(this.name, exports, body)
  }
}

function usesSelf(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(usesSelf)
  if (!node || typeof node !== 'object') return false
  const n = node as { k?: string; name?: string }
  if (n.k === 'name' && n.name === 'self') return true
  return Object.values(node).some((v) => typeof v === 'object' && usesSelf(v))
}

/** Parses and compiles; syntax errors are JinjaSyntaxError (with the line), the caller words them. */
export function compileTemplate(src: string, opts: LexOptions, name = '<template>'): Template {
  const ast: Stmt[] = new Parser(tokenize(src, opts)).parse()
  const u: Unit = { blocks: new Map(), lines: src.includes('\n'), name: name === '<template>' ? undefined : name }
  const top: Top[] = ast.map((s): Top => {
    if (s.k === 'extends') return { kind: 'extends', template: atLine(u, s.line, compileExpr(s.template)) }
    const run = compileBody([s], u)
    return { kind: s.k === 'output' || s.k === 'block' ? 'output' : 'other', run }
  })
  const first = ast.length === 1 ? ast[0] : undefined
  const only = first?.k === 'output' && first.items.length === 1 ? first.items[0] : undefined
  const expr = only && only.k !== 'data' && !src.endsWith('\n') ? compileExpr(only as Expr) : undefined
  return new Template(name, top, u.blocks, usesSelf(ast), expr, expr !== undefined ? nativeTextTest(only as Expr) : () => false)
}
