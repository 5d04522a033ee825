/**
 * Tokens to AST with Jinja2's grammar and operator precedence (jinja2/parser.py), lowest first:
 * `x if c else y`, or, and, not, comparisons (== != < <= > >= in, not in), + -, ~, * / // %, **
 * (left-associative, as Jinja has it), unary - +, then postfix (.attr, [key], [a:b], calls) and
 * filters / tests (`x | f(a)`, `x is t`, `x is not t arg`), which bind tightest.
 */
import { syntaxError } from './errors.js'
import type { Token } from './lexer.js'
import type { CallArgs, CompareOp, DataNode, Expr, MacroSig, Stmt } from './nodes.js'

const COMPARE: Record<string, CompareOp> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'lteq', '>': 'gt', '>=': 'gteq' }
const STATEMENTS = new Set(['for', 'if', 'block', 'extends', 'print', 'macro', 'include', 'from', 'import', 'set', 'with', 'autoescape', 'call', 'filter'])

function describe(t: Token): string {
  switch (t.type) {
    case 'name':
    case 'operator':
      return String(t.value)
    case 'block_end':
      return 'end of statement block'
    case 'variable_end':
      return 'end of print statement'
    case 'block_begin':
      return 'begin of statement block'
    case 'variable_begin':
      return 'begin of print statement'
    case 'eof':
      return 'end of template'
    case 'data':
      return 'template data / text'
  }
  return t.type
}

export class Parser {
  private i = 0
  private tagStack: string[] = []
  private endStack: string[][] = []

  constructor(private tokens: Token[]) {}

  parse(): Stmt[] {
    return this.subparse(null)
  }

  // ---- token stream --------------------------------------------------------------------------
  // tokenize() always ends the stream with 'eof' and `i` never moves past it, so these indexes are in range
  private get cur(): Token {
    return this.tokens[this.i]!
  }
  private look(): Token {
    return this.tokens[Math.min(this.i + 1, this.tokens.length - 1)]!
  }
  private next(): Token {
    const t = this.tokens[this.i]!
    if (this.i < this.tokens.length - 1) this.i++
    return t
  }
  private isName(v?: string, t: Token = this.cur): boolean {
    return t.type === 'name' && (v === undefined || t.value === v)
  }
  private isOp(v: string, t: Token = this.cur): boolean {
    return t.type === 'operator' && t.value === v
  }
  private skipName(v: string): boolean {
    if (!this.isName(v)) return false
    this.next()
    return true
  }
  private skipOp(v: string): boolean {
    if (!this.isOp(v)) return false
    this.next()
    return true
  }
  private fail(msg: string, line = this.cur.line): never {
    throw syntaxError(msg, line)
  }
  private expectOp(v: string): Token {
    if (!this.isOp(v)) this.unexpected(`'${v}'`)
    return this.next()
  }
  private expectName(v?: string): Token {
    if (!this.isName(v)) this.unexpected(v === undefined ? 'name' : `'${v}'`)
    return this.next()
  }
  private expectType(type: Token['type'], what: string): Token {
    if (this.cur.type !== type) this.unexpected(what)
    return this.next()
  }
  private unexpected(want: string): never {
    if (this.cur.type === 'eof') this.failEof(null)
    return this.fail(`expected token ${want}, got '${describe(this.cur)}'`)
  }

  // ---- statements ----------------------------------------------------------------------------
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

  private failEof(endTokens: string[] | null, name?: string, line = this.cur.line): never {
    const stack = endTokens ? [...this.endStack, endTokens] : this.endStack
    const expected = new Set(stack.flat())
    const looking = stack.length ? stack[stack.length - 1]!.map((t) => `'${t}'`).join(' or ') : undefined
    const msg = [name === undefined ? 'Unexpected end of template.' : `Encountered unknown tag '${name}'.`]
    if (looking) {
      if (name !== undefined && expected.has(name))
        msg.push(`You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for ${looking}.`)
      else msg.push(`Jinja was looking for the following tags: ${looking}.`)
    }
    if (this.tagStack.length) msg.push(`The innermost block that needs to be closed is '${this.tagStack[this.tagStack.length - 1]}'.`)
    return this.fail(msg.join(' '), line)
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

  // ---- expressions ---------------------------------------------------------------------------
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

  private parsePrimary(): Expr {
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

  private parseTuple(o: { simplified?: boolean; noCondExpr?: boolean; extraEnd?: string[]; explicitParens?: boolean }): Expr {
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

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      if (this.isOp('.') || this.isOp('[')) node = this.parseSubscript(node)
      else if (this.isOp('(')) node = { k: 'call', line: this.cur.line, fn: node, ...this.parseCallArgs() }
      else return node
    }
  }

  private parseFilterExpr(node: Expr): Expr {
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

  private parseFilter(node: Expr | null, startInline = false): Expr | null {
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
