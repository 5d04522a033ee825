/**
 * nunjucks' parser and compiler, subclassed where Jinja differs: True/False/None literals,
 * Python truthiness in if/and/or/not, Python ==, +, %, ~ and `in`, strict undefined everywhere a
 * value is used, `x[1:3]` slices, and a "native" mode that returns the value of a template that is a
 * single `{{ expr }}`. The generated code calls jinja-runtime.ts.
 */
import nunjucks from 'nunjucks'
import { templateError } from './undefined.js'

type AnyNode = any // nunjucks' AST is untyped
const { compiler, parser, lexer, nodes } = nunjucks as unknown as Record<string, any>
type AnyClass = new (...args: any[]) => any

/** `[a:b:c]`, parsed as the index of a LookupVal. */
const Slice = nodes.Node.extend('Slice', {
  fields: ['start', 'stop', 'step'],
  init(this: AnyNode, lineno: number, colno: number) {
    const none = () => new nodes.Literal(lineno, colno, null)
    this.parent(lineno, colno, none(), none(), none())
  },
})

class JinjaParser extends (parser.Parser as AnyClass) {
  /** Tries the normal aggregate; on failure re-reads `[...]` as a slice (as nunjucks' jinja-compat). */
  parseAggregate(this: AnyNode): AnyNode {
    const state = () => ({ index: this.tokens.index, lineno: this.tokens.lineno, colno: this.tokens.colno })
    const before = state()
    before.index--
    before.colno--
    try {
      return super.parseAggregate()
    } catch (e) {
      Object.assign(this.tokens, before)
      this.peeked = false
      const tok = this.peekToken()
      if (tok.type !== lexer.TOKEN_LEFT_BRACKET) throw e
      this.nextToken()
      const node = new Slice(tok.lineno, tok.colno)
      let isSlice = false
      for (const field of ['start', 'stop', 'step']) {
        if (this.skip(lexer.TOKEN_RIGHT_BRACKET)) return isSlice ? new nodes.Array(tok.lineno, tok.colno, [node]) : fail(e)
        if (this.skip(lexer.TOKEN_COLON)) isSlice = true
        else {
          node[field] = this.parseExpression()
          isSlice = this.skip(lexer.TOKEN_COLON) || isSlice
        }
      }
      if (!isSlice || !this.skip(lexer.TOKEN_RIGHT_BRACKET)) throw e
      return new nodes.Array(tok.lineno, tok.colno, [node])
    }
  }

  /** As nunjucks', plus Jinja's `users.0` and `users.0.name` (the lexer reads `0.` as a float). */
  parsePostfix(this: AnyNode, node: AnyNode): AnyNode {
    for (let tok = this.peekToken(); tok; tok = this.peekToken()) {
      if (tok.type === lexer.TOKEN_LEFT_PAREN) {
        node = new nodes.FunCall(tok.lineno, tok.colno, node, this.parseSignature())
      } else if (tok.type === lexer.TOKEN_LEFT_BRACKET) {
        const lookup = this.parseAggregate()
        if (lookup.children.length > 1) this.fail('invalid index')
        node = new nodes.LookupVal(tok.lineno, tok.colno, node, lookup.children[0])
      } else if (tok.type === lexer.TOKEN_OPERATOR && tok.value === '.') {
        this.nextToken()
        const val = this.nextToken()
        const lit = (v: string | number) => new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, v))
        if (val.type === lexer.TOKEN_SYMBOL) node = lit(val.value)
        else if (val.type === lexer.TOKEN_INT) node = lit(Number(val.value))
        else if (val.type === lexer.TOKEN_FLOAT) {
          const [a, b] = String(val.value).split('.')
          node = lit(Number(a))
          if (b) node = lit(Number(b))
          else this.pushToken({ type: lexer.TOKEN_OPERATOR, value: '.', lineno: val.lineno, colno: val.colno })
        } else this.fail(`expected name as lookup value, got ${val.value}`, val.lineno, val.colno)
      } else break
    }
    return node
  }
}
const fail = (e: unknown): never => {
  throw e
}

const CONSTANTS: Record<string, string> = { True: 'true', False: 'false', None: 'null' }

/** Wraps a node so it compiles through one of our runtime checks (a Not passes nunjucks' type asserts). */
function wrap(kind: 'AcTruthy' | 'AcStrict' | 'AcIter', target: AnyNode, extra: Record<string, unknown> = {}): AnyNode {
  const w = new nodes.Not(target.lineno, target.colno, target)
  Object.defineProperty(w, 'typename', { value: kind })
  return Object.assign(w, extra)
}

class JinjaCompiler extends (compiler.Compiler as AnyClass) {
  native = false

  assertType(this: AnyNode, node: AnyNode, ...types: unknown[]): void {
    if (node instanceof Slice) return
    super.assertType(node, ...types)
  }
  compileAcTruthy(this: AnyNode, node: AnyNode, frame: unknown) {
    this._emit('runtime.truthy(')
    this.compile(node.target, frame)
    this._emit(')')
  }
  compileAcStrict(this: AnyNode, node: AnyNode, frame: unknown) {
    this._emit('runtime.strict(')
    this.compile(node.target, frame)
    this._emit(')')
  }
  compileAcIter(this: AnyNode, node: AnyNode, frame: unknown) {
    this._emit('runtime.iter(')
    this.compile(node.target, frame)
    this._emit(`, ${node.pairs ? 'true' : 'false'})`)
  }
  compileSymbol(this: AnyNode, node: AnyNode, frame: unknown) {
    if (Object.hasOwn(CONSTANTS, node.value)) this._emit(CONSTANTS[node.value])
    else super.compileSymbol(node, frame)
  }
  compileIf(this: AnyNode, node: AnyNode, frame: unknown, async?: boolean) {
    node.cond = wrap('AcTruthy', node.cond)
    super.compileIf(node, frame, async)
  }
  compileFor(this: AnyNode, node: AnyNode, frame: unknown) {
    node.arr = wrap('AcIter', node.arr, { pairs: node.name instanceof nodes.Array })
    super.compileFor(node, frame)
  }
  compileInlineIf(this: AnyNode, node: AnyNode, frame: unknown) {
    this._emit('(runtime.truthy(')
    this.compile(node.cond, frame)
    this._emit(') ? ')
    this.compile(node.body, frame)
    this._emit(' : ')
    if (node.else_) this.compile(node.else_, frame)
    else this._emit('""')
    this._emit(')')
  }
  /** Python's `and`/`or` return an operand, judged by Python truthiness, and short-circuit. */
  _logical(this: AnyNode, node: AnyNode, frame: unknown, isAnd: boolean) {
    const t = this._tmpid()
    this._emit(`((${t}) => runtime.truthy(${t}) ? `)
    if (isAnd) this.compile(node.right, frame)
    else this._emit(t)
    this._emit(' : ')
    if (isAnd) this._emit(t)
    else this.compile(node.right, frame)
    this._emit(')(')
    this.compile(node.left, frame)
    this._emit(')')
  }
  compileAnd(this: AnyNode, node: AnyNode, frame: unknown) {
    this._logical(node, frame, true)
  }
  compileOr(this: AnyNode, node: AnyNode, frame: unknown) {
    this._logical(node, frame, false)
  }
  compileNot(this: AnyNode, node: AnyNode, frame: unknown) {
    this._emit('!runtime.truthy(')
    this.compile(node.target, frame)
    this._emit(')')
  }
  _call(this: AnyNode, fn: string, args: Array<AnyNode | string>, frame: unknown) {
    this._emit(`runtime.${fn}(`)
    args.forEach((a, i) => {
      if (i) this._emit(', ')
      if (typeof a === 'string') this._emit(JSON.stringify(a))
      else this.compile(a, frame)
    })
    this._emit(')')
  }
  compileAdd(this: AnyNode, n: AnyNode, f: unknown) {
    this._call('binop', ['+', n.left, n.right], f)
  }
  compileSub(this: AnyNode, n: AnyNode, f: unknown) {
    this._call('binop', ['-', n.left, n.right], f)
  }
  compileMul(this: AnyNode, n: AnyNode, f: unknown) {
    this._call('binop', ['*', n.left, n.right], f)
  }
  compileDiv(this: AnyNode, n: AnyNode, f: unknown) {
    this._call('binop', ['/', n.left, n.right], f)
  }
  compileFloorDiv(this: AnyNode, n: AnyNode, f: unknown) {
    this._call('binop', ['//', n.left, n.right], f)
  }
  compileMod(this: AnyNode, n: AnyNode, f: unknown) {
    this._call('binop', ['%', n.left, n.right], f)
  }
  compilePow(this: AnyNode, n: AnyNode, f: unknown) {
    this._call('binop', ['**', n.left, n.right], f)
  }
  compileConcat(this: AnyNode, n: AnyNode, f: unknown) {
    this._call('concat', [n.left, n.right], f)
  }
  compileNeg(this: AnyNode, n: AnyNode, f: unknown) {
    this._call('neg', [n.target], f)
  }
  compileIn(this: AnyNode, n: AnyNode, f: unknown) {
    this._call('pyIn', [n.left, n.right], f)
  }
  compileSlice(this: AnyNode, n: AnyNode, f: unknown) {
    this._call('slice', [n.start, n.stop, n.step], f)
  }
  /** nunjucks drops the commas between a test's arguments (`is version('2.0', '>=')`). */
  compileIs(this: AnyNode, node: AnyNode, frame: unknown) {
    // `is none`, `is true`: the lexer made these names literals
    const r = node.right.name ?? node.right
    const name = r instanceof nodes.Literal ? (r.value === null ? 'none' : String(r.value)) : r.value
    this._emit(`(env.getTest(${JSON.stringify(name)}).call(context, `)
    this.compile(node.left, frame)
    if (node.right.args?.children.length) {
      this._emit(', ')
      this._compileAggregate(node.right.args, frame)
    }
    this._emit(') === true)')
  }
  /** `a < b < c` is `a < b and b < c` (b is evaluated twice; chains are rare). */
  compileCompare(this: AnyNode, node: AnyNode, frame: unknown) {
    let left = node.expr
    this._emit('(')
    node.ops.forEach((op: AnyNode, i: number) => {
      if (i) this._emit(' && ')
      this._call('compare', [left, op.type, op.expr], frame)
      left = op.expr
    })
    this._emit(')')
  }
  /** `(a, b)` is a tuple (a list here), not JS's comma operator. */
  compileGroup(this: AnyNode, node: AnyNode, frame: unknown) {
    if (node.children.length > 1) this.compileArray(node, frame)
    else super.compileGroup(node, frame)
  }
  // Undefined values may not hide inside literals: `[a, b]` with b undefined is an error here.
  compileArray(this: AnyNode, node: AnyNode, frame: unknown) {
    node.children = node.children.map((c: AnyNode) => (c instanceof Slice ? c : wrap('AcStrict', c)))
    super.compileArray(node, frame)
  }
  compilePair(this: AnyNode, node: AnyNode, frame: unknown) {
    node.value = wrap('AcStrict', node.value)
    super.compilePair(node, frame)
  }
  compileOutput(this: AnyNode, node: AnyNode, frame: unknown) {
    for (const child of node.children) {
      if (child instanceof nodes.TemplateData) {
        if (child.value) this._emitLine(`${this.buffer} += ${JSON.stringify(child.value)};`)
      } else if (this.native) {
        this._emit('context.native = runtime.strict(')
        this.compile(child, frame)
        this._emitLine(');')
      } else {
        this._emit(`${this.buffer} += runtime.output(`)
        this.compile(child, frame)
        this._emitLine(');')
      }
    }
  }
}

export type RootFn = (env: unknown, context: unknown, frame: unknown, runtime: unknown, cb: (err: unknown, out?: string) => void) => void

export interface Compiled {
  root: RootFn
  /** the template is exactly one `{{ expr }}`: rendering yields the expression's value */
  native: boolean
}

/** Ansible's template environment: trim_blocks=True, lstrip_blocks=False. */
const LEXER_OPTS = { trimBlocks: true, lstripBlocks: false }

export function compileTemplate(src: string): Compiled {
  let code: string
  let native: boolean
  try {
    const p = new JinjaParser(lexer.lex(src, LEXER_OPTS))
    p.extensions = []
    const ast = p.parseAsRoot()
    const only = ast.children.length === 1 ? ast.children[0] : undefined
    native = only instanceof nodes.Output && only.children.length === 1 && !(only.children[0] instanceof nodes.TemplateData)
    const c = new JinjaCompiler('template', false)
    c.native = native
    c.compile(ast)
    code = c.getCode()
  } catch (e) {
    const msg =
      e instanceof Error
        ? e.message
            .replace(/^\(unknown path\)\s*/, '')
            .replace(/\s+/g, ' ')
            .trim()
        : String(e)
    throw templateError(`template syntax error in ${JSON.stringify(src.length > 200 ? `${src.slice(0, 200)}...` : src)}: ${msg}`)
  }
  return { root: (new Function(code)() as { root: RootFn }).root, native }
}
