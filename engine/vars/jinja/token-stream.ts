/**
 * The token stream under the Jinja parser: the current token, a look ahead, expecting a name or an
 * operator, and the syntax errors Jinja gives (an unexpected token; an unclosed or unknown tag, which
 * names the tags it was looking for and the innermost open block). The parser is built on it: Parser
 * (parser.ts: statements) extends ExprParser (parse-expr.ts: expressions), which extends
 * PostfixParser (parse-postfix.ts: subscripts, calls, filters, tests), which extends TokenStream.
 */
import { syntaxError } from './errors.js'
import type { Token } from './lexer.js'

/** A token as Jinja names it in an error message. */
export function describe(t: Token): string {
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

export class TokenStream {
  protected i = 0
  protected tagStack: string[] = []
  protected endStack: string[][] = []

  constructor(private tokens: Token[]) {}

  // tokenize() always ends the stream with 'eof' and `i` never moves past it, so these indexes are in range
  protected get cur(): Token {
    return this.tokens[this.i]!
  }
  protected look(): Token {
    return this.tokens[Math.min(this.i + 1, this.tokens.length - 1)]!
  }
  protected next(): Token {
    const t = this.tokens[this.i]!
    if (this.i < this.tokens.length - 1) this.i++
    return t
  }
  protected isName(v?: string, t: Token = this.cur): boolean {
    return t.type === 'name' && (v === undefined || t.value === v)
  }
  protected isOp(v: string, t: Token = this.cur): boolean {
    return t.type === 'operator' && t.value === v
  }
  protected skipName(v: string): boolean {
    if (!this.isName(v)) return false
    this.next()
    return true
  }
  protected skipOp(v: string): boolean {
    if (!this.isOp(v)) return false
    this.next()
    return true
  }
  protected fail(msg: string, line = this.cur.line): never {
    throw syntaxError(msg, line)
  }
  protected expectOp(v: string): Token {
    if (!this.isOp(v)) this.unexpected(`'${v}'`)
    return this.next()
  }
  protected expectName(v?: string): Token {
    if (!this.isName(v)) this.unexpected(v === undefined ? 'name' : `'${v}'`)
    return this.next()
  }
  protected expectType(type: Token['type'], what: string): Token {
    if (this.cur.type !== type) this.unexpected(what)
    return this.next()
  }
  private unexpected(want: string): never {
    if (this.cur.type === 'eof') this.failEof(null)
    return this.fail(`expected token ${want}, got '${describe(this.cur)}'`)
  }

  protected failEof(endTokens: string[] | null, name?: string, line = this.cur.line): never {
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
}
