/**
 * The postfix part of Jinja's expression grammar, which binds tightest: `.attr`, `[key]`, slices
 * `[a:b:c]`, call arguments (positional, keyword, `*args`, `**kwargs`), filters (`x | f(a)`, also
 * for `{% filter %}` and `{% set %}` blocks) and tests (`x is t`, `x is not t arg`). Their arguments
 * are whole expressions, parsed by ExprParser (parse-expr.ts), which extends this class.
 */
import type { CallArgs, Expr } from './nodes.js'
import { TokenStream } from './token-stream.js'

export abstract class PostfixParser extends TokenStream {
  abstract parseExpression(withCondExpr?: boolean): Expr
  protected abstract parsePrimary(): Expr

  protected parsePostfix(node: Expr): Expr {
    for (;;) {
      if (this.isOp('.') || this.isOp('[')) node = this.parseSubscript(node)
      else if (this.isOp('(')) node = { k: 'call', line: this.cur.line, fn: node, ...this.parseCallArgs() }
      else return node
    }
  }

  protected parseFilterExpr(node: Expr): Expr {
    for (;;) {
      if (this.isOp('|')) node = this.parseFilter(node)!
      else if (this.isName('is')) node = this.parseTest(node)
      else if (this.isOp('(')) node = { k: 'call', line: this.cur.line, fn: node, ...this.parseCallArgs() }
      else return node
    }
  }

  private parseSubscript(node: Expr): Expr {
    const t = this.next()
    if (t.value === '.') {
      const a = this.next()
      if (a.type === 'name') return { k: 'getattr', line: t.line, obj: node, attr: String(a.value) }
      if (a.type !== 'integer') this.fail('expected name or number', a.line)
      return { k: 'getitem', line: t.line, obj: node, key: { k: 'const', line: a.line, value: a.value } }
    }
    const args: Expr[] = []
    while (!this.isOp(']')) {
      if (args.length) this.expectOp(',')
      args.push(this.parseSubscribed())
    }
    this.expectOp(']')
    return { k: 'getitem', line: t.line, obj: node, key: args.length === 1 ? args[0]! : { k: 'tuple', line: t.line, items: args } }
  }

  private parseSubscribed(): Expr {
    const line = this.cur.line
    let start: Expr | null = null
    if (!this.skipOp(':')) {
      start = this.parseExpression()
      if (!this.skipOp(':')) return start
    }
    const endOfPart = () => this.isOp(']') || this.isOp(',')
    const stop = this.isOp(':') || endOfPart() ? null : this.parseExpression()
    const step = this.skipOp(':') && !endOfPart() ? this.parseExpression() : null
    return { k: 'slice', line, start, stop, step }
  }

  private parseCallArgs(): CallArgs {
    const t = this.expectOp('(')
    const out: CallArgs = { args: [], kwargs: [], dynArgs: null, dynKwargs: null }
    const ensure = (ok: boolean) => {
      if (!ok) this.fail('invalid syntax for function call expression', t.line)
    }
    let requireComma = false
    while (!this.isOp(')')) {
      if (requireComma) {
        this.expectOp(',')
        if (this.isOp(')')) break
      }
      if (this.skipOp('*')) {
        ensure(out.dynArgs === null && out.dynKwargs === null)
        out.dynArgs = this.parseExpression()
      } else if (this.skipOp('**')) {
        ensure(out.dynKwargs === null)
        out.dynKwargs = this.parseExpression()
      } else if (this.cur.type === 'name' && this.isOp('=', this.look())) {
        ensure(out.dynKwargs === null)
        const key = String(this.next().value)
        this.next()
        out.kwargs.push([key, this.parseExpression()])
      } else {
        ensure(out.dynArgs === null && out.dynKwargs === null && out.kwargs.length === 0)
        out.args.push(this.parseExpression())
      }
      requireComma = true
    }
    this.expectOp(')')
    return out
  }

  private dottedName(): string {
    let name = String(this.expectName().value)
    while (this.skipOp('.')) name += `.${String(this.expectName().value)}`
    return name
  }

  protected parseFilter(node: Expr | null, startInline = false): Expr | null {
    while (this.isOp('|') || startInline) {
      if (!startInline) this.next()
      const line = this.cur.line
      const name = this.dottedName()
      const args = this.isOp('(') ? this.parseCallArgs() : { args: [], kwargs: [], dynArgs: null, dynKwargs: null }
      node = { k: 'filter', line, node, name, ...args }
      startInline = false
    }
    return node
  }

  private parseTest(node: Expr): Expr {
    const line = this.next().line
    const negated = this.skipName('not')
    const name = this.dottedName()
    let args: CallArgs = { args: [], kwargs: [], dynArgs: null, dynKwargs: null }
    const t = this.cur
    if (this.isOp('(')) args = this.parseCallArgs()
    else if (
      (['name', 'string', 'integer', 'float'].includes(t.type) || this.isOp('[') || this.isOp('{')) &&
      !(this.isName('else') || this.isName('or') || this.isName('and'))
    ) {
      if (this.isName('is')) this.fail('You cannot chain multiple tests with is')
      args = { ...args, args: [this.parsePostfix(this.parsePrimary())] }
    }
    const test: Expr = { k: 'test', line, node, name, ...args }
    return negated ? { k: 'not', line, node: test } : test
  }
}
