/**
 * The Jinja parser: tokens to AST (nodes.ts). This file holds the statements: the template body
 * (data, `{{ }}` and `{% %}` tags) and each tag Jinja has (for, if, set, macro, call, filter, with,
 * block, extends, include, import, from, print, autoescape), with Jinja's errors for unknown or
 * unclosed tags. Expressions: parse-expr.ts and parse-postfix.ts; the token stream: token-stream.ts.
 */
import type { DataNode, Expr, MacroSig, Stmt } from './nodes.js'
import { ExprParser } from './parse-expr.js'

const STATEMENTS = new Set(['for', 'if', 'block', 'extends', 'print', 'macro', 'include', 'from', 'import', 'set', 'with', 'autoescape', 'call', 'filter'])

export class Parser extends ExprParser {
  parse(): Stmt[] {
    return this.subparse(null)
  }

  private subparse(endTokens: string[] | null): Stmt[] {
    const body: Stmt[] = []
    let data: Array<Expr | DataNode> = []
    const flush = () => {
      if (data.length) body.push({ k: 'output', line: data[0]!.line, items: data })
      data = []
    }
    if (endTokens) this.endStack.push(endTokens)
    try {
      while (this.cur.type !== 'eof') {
        const t = this.cur
        if (t.type === 'data') {
          data.push({ k: 'data', line: t.line, text: String(t.value) })
          this.next()
        } else if (t.type === 'variable_begin') {
          this.next()
          data.push(this.parseTuple({}))
          this.expectType('variable_end', "'end of print statement'")
        } else if (t.type === 'block_begin') {
          flush()
          this.next()
          if (endTokens && this.cur.type === 'name' && endTokens.includes(String(this.cur.value))) return body
          body.push(...this.parseStatement())
          this.expectType('block_end', "'end of statement block'")
        } else this.fail('internal parsing error')
      }
      flush()
    } finally {
      if (endTokens) this.endStack.pop()
    }
    return body
  }

  /** Parses up to one of `endTokens` (the end token stays current unless dropNeedle). */
  private statements(endTokens: string[], dropNeedle = false): Stmt[] {
    this.skipOp(':')
    this.expectType('block_end', "'end of statement block'")
    const body = this.subparse(endTokens)
    if (this.cur.type === 'eof') this.failEof(endTokens)
    if (dropNeedle) this.next()
    return body
  }

  private parseStatement(): Stmt[] {
    const t = this.cur
    if (t.type !== 'name') this.fail('tag name expected')
    const name = String(t.value)
    if (!STATEMENTS.has(name)) this.failEof(null, name, t.line)
    this.tagStack.push(name)
    try {
      switch (name) {
        case 'for':
          return [this.parseFor()]
        case 'if':
          return [this.parseIf()]
        case 'set':
          return [this.parseSet()]
        case 'macro':
          return [this.parseMacro()]
        case 'call':
          return [this.parseCallBlock()]
        case 'filter':
          return [this.parseFilterBlock()]
        case 'with':
          return [this.parseWith()]
        case 'block':
          return [this.parseBlock()]
        case 'extends':
          this.next()
          return [{ k: 'extends', line: t.line, template: this.parseExpression() }]
        case 'include':
          return [this.parseInclude()]
        case 'import':
          return [this.parseImport()]
        case 'from':
          return [this.parseFrom()]
        case 'print': {
          this.next()
          const items: Expr[] = []
          while (this.cur.type !== 'block_end') {
            if (items.length) this.expectOp(',')
            items.push(this.parseExpression())
          }
          return [{ k: 'output', line: t.line, items }]
        }
        default: {
          // autoescape: no escaping in Ansible, so only the scope remains
          this.next()
          this.parseExpression()
          return [{ k: 'scope', line: t.line, body: this.statements(['endautoescape'], true) }]
        }
      }
    } finally {
      this.tagStack.pop()
    }
  }

  private parseFor(): Stmt {
    const line = this.next().line
    const target = this.parseAssignTarget({ extraEnd: ['in'] })
    this.expectName('in')
    const iter = this.parseTuple({ noCondExpr: true, extraEnd: ['recursive'] })
    const test = this.skipName('if') ? this.parseExpression() : null
    const recursive = this.skipName('recursive')
    const body = this.statements(['endfor', 'else'])
    const else_ = this.next().value === 'endfor' ? [] : this.statements(['endfor'], true)
    return { k: 'for', line, target, iter, body, else_, test, recursive }
  }

  private parseIf(): Stmt {
    const line = this.next().line
    const test = this.parseTuple({ noCondExpr: true })
    const body = this.statements(['elif', 'else', 'endif'])
    const t = this.next()
    let else_: Stmt[] = []
    if (t.value === 'elif') {
      // an elif is a nested if in the else branch; it ends with the same endif
      this.i--
      this.tagStack.push('if')
      try {
        else_ = [this.parseIf()]
      } finally {
        this.tagStack.pop()
      }
      return { k: 'if', line, test, body, else_ }
    }
    if (t.value === 'else') else_ = this.statements(['endif'], true)
    return { k: 'if', line, test, body, else_ }
  }

  private parseSet(): Stmt {
    const line = this.next().line
    const target = this.parseAssignTarget({ withNamespace: true })
    if (this.skipOp('=')) return { k: 'set', line, target, expr: this.parseTuple({}) }
    const filter = this.parseFilter(null)
    return { k: 'setblock', line, target, filter, body: this.statements(['endset'], true) }
  }

  private parseSignature(): MacroSig {
    const params: string[] = []
    const defaults: Expr[] = []
    this.expectOp('(')
    while (!this.isOp(')')) {
      if (params.length) this.expectOp(',')
      const p = String(this.expectName().value)
      if (this.skipOp('=')) defaults.push(this.parseExpression())
      else if (defaults.length) this.fail('non-default argument follows default argument')
      params.push(p)
    }
    this.expectOp(')')
    return { params, defaults }
  }

  private parseMacro(): Stmt {
    const line = this.next().line
    const name = String(this.expectName().value)
    const sig = this.parseSignature()
    return { k: 'macro', line, name, ...sig, body: this.statements(['endmacro'], true) }
  }

  private parseCallBlock(): Stmt {
    const line = this.next().line
    const sig = this.isOp('(') ? this.parseSignature() : { params: [], defaults: [] }
    const call = this.parseExpression()
    if (call.k !== 'call') this.fail('expected call', line)
    return { k: 'callblock', line, call, ...sig, body: this.statements(['endcall'], true) }
  }

  private parseFilterBlock(): Stmt {
    const line = this.next().line
    const filter = this.parseFilter(null, true)!
    return { k: 'filterblock', line, filter, body: this.statements(['endfilter'], true) }
  }

  private parseWith(): Stmt {
    const line = this.next().line
    const targets: Expr[] = []
    const values: Expr[] = []
    while (this.cur.type !== 'block_end') {
      if (targets.length) this.expectOp(',')
      targets.push(this.parseAssignTarget({}))
      this.expectOp('=')
      values.push(this.parseExpression())
    }
    return { k: 'with', line, targets, values, body: this.statements(['endwith'], true) }
  }

  private parseBlock(): Stmt {
    const line = this.next().line
    const name = String(this.expectName().value)
    const scoped = this.skipName('scoped')
    const required = this.skipName('required')
    if (this.isOp('-')) this.fail('Block names in Jinja have to be valid Python identifiers and may not contain hyphens, use an underscore instead.')
    const body = this.statements(['endblock'], true)
    if (required && !body.every((s) => s.k === 'output' && s.items.every((i) => i.k === 'data' && /^\s*$/.test(i.text))))
      this.fail('Required blocks can only contain comments or whitespace', line)
    this.skipName(name)
    return { k: 'block', line, name, scoped, required, body }
  }

  /** `with context` / `without context` after include/import. */
  private context(dflt: boolean): boolean {
    if ((this.isName('with') || this.isName('without')) && this.isName('context', this.look())) {
      const w = this.next().value === 'with'
      this.next()
      return w
    }
    return dflt
  }

  private parseInclude(): Stmt {
    const line = this.next().line
    const template = this.parseExpression()
    let ignoreMissing = false
    if (this.isName('ignore') && this.isName('missing', this.look())) {
      this.next()
      this.next()
      ignoreMissing = true
    }
    return { k: 'include', line, template, ignoreMissing, withContext: this.context(true) }
  }

  private parseImport(): Stmt {
    const line = this.next().line
    const template = this.parseExpression()
    this.expectName('as')
    const target = String(this.expectName().value)
    return { k: 'import', line, template, target, withContext: this.context(false) }
  }

  private parseFrom(): Stmt {
    const line = this.next().line
    const template = this.parseExpression()
    this.expectName('import')
    const names: Array<[string, string]> = []
    let withContext = false
    const ctx = () => {
      if ((this.isName('with') || this.isName('without')) && this.isName('context', this.look())) {
        withContext = this.context(false)
        return true
      }
      return false
    }
    for (;;) {
      if (names.length) this.expectOp(',')
      if (this.cur.type !== 'name') {
        this.expectName()
        continue
      }
      if (ctx()) break
      const t = this.expectName()
      const n = String(t.value)
      if (n.startsWith('_')) this.fail('names starting with an underline can not be imported', t.line)
      names.push([n, this.skipName('as') ? String(this.expectName().value) : n])
      if (ctx() || !this.isOp(',')) break
    }
    return { k: 'fromimport', line, template, names, withContext }
  }

  private parseAssignTarget(o: { extraEnd?: string[]; withNamespace?: boolean; nameOnly?: boolean }): Expr {
    const line = this.cur.line
    if (o.withNamespace && this.isOp('.', this.look())) {
      const name = String(this.expectName().value)
      this.next()
      return { k: 'nsref', line, name, attr: String(this.expectName().value) }
    }
    const target = this.parseTuple({ simplified: true, extraEnd: o.extraEnd })
    const ok = (e: Expr): boolean => e.k === 'name' || (e.k === 'tuple' && e.items.every(ok))
    if (!ok(target) || (target.k === 'name' && ['true', 'false', 'none', 'True', 'False', 'None'].includes(target.name)))
      this.fail(`can't assign to '${target.k === 'const' ? 'const' : target.k}'`, line)
    return target
  }
}
