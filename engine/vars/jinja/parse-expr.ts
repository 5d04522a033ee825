/**
 * Jinja2's expression grammar and operator precedence (jinja2/parser.py), lowest first:
 * `x if c else y`, or, and, not, comparisons (== != < <= > >= in, not in), + -, ~, * / // %, **
 * (left-associative, as Jinja has it), unary - +, then the atoms (names, literals, tuples, lists,
 * dicts); postfix (.attr, [key], [a:b], calls) and filters / tests bind tightest (parse-postfix.ts).
 */
import type { CompareOp, Expr } from './nodes.js'
import { PostfixParser } from './parse-postfix.js'
import { describe } from './token-stream.js'

const COMPARE: Record<string, CompareOp> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'lteq', '>': 'gt', '>=': 'gteq' }

export abstract class ExprParser extends PostfixParser {
  parseExpression(withCondExpr = true): Expr {
    return withCondExpr ? this.parseCondExpr() : this.parseOr()
  }

  private parseCondExpr(): Expr {
    let line = this.cur.line
    let expr = this.parseOr()
    while (this.skipName('if')) {
      const test = this.parseOr()
      const expr2 = this.skipName('else') ? this.parseCondExpr() : null
      expr = { k: 'condexpr', line, test, expr1: expr, expr2 }
      line = this.cur.line
    }
    return expr
  }

  private parseOr(): Expr {
    let left = this.parseAnd()
    while (this.isName('or')) {
      const line = this.next().line
      left = { k: 'or', line, left, right: this.parseAnd() }
    }
    return left
  }

  private parseAnd(): Expr {
    let left = this.parseNot()
    while (this.isName('and')) {
      const line = this.next().line
      left = { k: 'and', line, left, right: this.parseNot() }
    }
    return left
  }

  private parseNot(): Expr {
    if (this.isName('not')) {
      const line = this.next().line
      return { k: 'not', line, node: this.parseNot() }
    }
    return this.parseCompare()
  }

  private parseCompare(): Expr {
    const line = this.cur.line
    const expr = this.parseMath1()
    const ops: Array<[CompareOp, Expr]> = []
    for (;;) {
      const t = this.cur
      if (t.type === 'operator' && Object.hasOwn(COMPARE, t.value)) {
        this.next()
        ops.push([COMPARE[t.value as string]!, this.parseMath1()])
      } else if (this.skipName('in')) ops.push(['in', this.parseMath1()])
      else if (this.isName('not') && this.isName('in', this.look())) {
        this.next()
        this.next()
        ops.push(['notin', this.parseMath1()])
      } else break
    }
    return ops.length ? { k: 'compare', line, expr, ops } : expr
  }

  private parseMath1(): Expr {
    let left = this.parseConcat()
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next()
      left = { k: 'binop', line: t.line, op: t.value as '+' | '-', left, right: this.parseConcat() }
    }
    return left
  }

  private parseConcat(): Expr {
    const line = this.cur.line
    const items = [this.parseMath2()]
    while (this.skipOp('~')) items.push(this.parseMath2())
    return items.length === 1 ? items[0]! : { k: 'concat', line, items }
  }

  private parseMath2(): Expr {
    let left = this.parsePow()
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const t = this.next()
      left = { k: 'binop', line: t.line, op: t.value as '*', left, right: this.parsePow() }
    }
    return left
  }

  private parsePow(): Expr {
    let left = this.parseUnary()
    while (this.isOp('**')) {
      const line = this.next().line
      left = { k: 'binop', line, op: '**', left, right: this.parseUnary() }
    }
    return left
  }

  private parseUnary(withFilter = true): Expr {
    const line = this.cur.line
    let node: Expr
    if (this.skipOp('-')) node = { k: 'neg', line, node: this.parseUnary(false) }
    else if (this.skipOp('+')) node = { k: 'pos', line, node: this.parseUnary(false) }
    else node = this.parsePrimary()
    node = this.parsePostfix(node)
    return withFilter ? this.parseFilterExpr(node) : node
  }

  protected parsePrimary(): Expr {
    const t = this.cur
    const line = t.line
    if (t.type === 'name') {
      this.next()
      const v = String(t.value)
      if (v === 'true' || v === 'True') return { k: 'const', line, value: true }
      if (v === 'false' || v === 'False') return { k: 'const', line, value: false }
      if (v === 'none' || v === 'None') return { k: 'const', line, value: null }
      return { k: 'name', line, name: v }
    }
    if (t.type === 'string') {
      let s = ''
      while (this.cur.type === 'string') s += String(this.next().value)
      return { k: 'const', line, value: s }
    }
    if (t.type === 'integer') {
      this.next()
      return { k: 'const', line, value: t.value }
    }
    if (t.type === 'float') {
      this.next()
      return { k: 'const', line, value: t.value, float: true }
    }
    if (this.skipOp('(')) {
      const e = this.parseTuple({ explicitParens: true })
      this.expectOp(')')
      return e
    }
    if (this.isOp('[')) return this.parseList()
    if (this.isOp('{')) return this.parseDict()
    if (t.type === 'eof') this.failEof(null)
    return this.fail(`unexpected '${describe(t)}'`)
  }

  protected parseTuple(o: { simplified?: boolean; noCondExpr?: boolean; extraEnd?: string[]; explicitParens?: boolean }): Expr {
    const line = this.cur.line
    const parse = o.simplified ? () => this.parsePrimary() : () => this.parseExpression(!o.noCondExpr)
    const items: Expr[] = []
    let isTuple = false
    for (;;) {
      if (items.length) this.expectOp(',')
      if (this.isTupleEnd(o.extraEnd)) break
      items.push(parse())
      if (this.isOp(',')) isTuple = true
      else break
    }
    if (!isTuple) {
      if (items.length) return items[0]!
      if (!o.explicitParens) this.fail(`Expected an expression, got '${describe(this.cur)}'`)
    }
    return { k: 'tuple', line, items }
  }

  private isTupleEnd(extraEnd?: string[]): boolean {
    const t = this.cur
    if (t.type === 'variable_end' || t.type === 'block_end' || this.isOp(')')) return true
    return !!extraEnd && t.type === 'name' && extraEnd.includes(String(t.value))
  }

  private parseList(): Expr {
    const line = this.expectOp('[').line
    const items: Expr[] = []
    while (!this.isOp(']')) {
      if (items.length) this.expectOp(',')
      if (this.isOp(']')) break
      items.push(this.parseExpression())
    }
    this.expectOp(']')
    return { k: 'list', line, items }
  }

  private parseDict(): Expr {
    const line = this.expectOp('{').line
    const pairs: Array<[Expr, Expr]> = []
    while (!this.isOp('}')) {
      if (pairs.length) this.expectOp(',')
      if (this.isOp('}')) break
      const key = this.parseExpression()
      this.expectOp(':')
      pairs.push([key, this.parseExpression()])
    }
    this.expectOp('}')
    return { k: 'dict', line, pairs }
  }
}
