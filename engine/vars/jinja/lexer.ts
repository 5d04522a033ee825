/**
 * Jinja2's lexer: template data and `{{ }}` / `{% %}` / `{# #}` tags with whitespace control
 * (`{%-`, `-%}`, `+%}`), trim_blocks / lstrip_blocks, `{% raw %}` blocks, and the tokens inside
 * tags (names, numbers with `_`, strings with Python escapes, operators). Follows jinja2/lexer.py:
 * a tag only ends when its brackets are balanced, a lone `#}` or `}}` in text is text, and one
 * trailing newline of the source is dropped (keep_trailing_newline=False).
 */
import { syntaxError } from './errors.js'

export type TokenType = 'data' | 'variable_begin' | 'variable_end' | 'block_begin' | 'block_end' | 'name' | 'string' | 'integer' | 'float' | 'operator' | 'eof'

export interface Token {
  type: TokenType
  /** the name, the operator, the data text, or the string/number value */
  value: string | number
  line: number
}

export interface LexOptions {
  trimBlocks: boolean
  lstripBlocks: boolean
  /**
   * Ansible's escape_backslashes for templated strings in playbooks: a string literal inside `{{ }}`
   * keeps its backslashes as written (`'\d'` is backslash-d, not a Python escape).
   */
  rawStringsInVariables: boolean
  /** keep the source's last newline (Jinja drops one by default) */
  keepTrailingNewline?: boolean
}

const OPERATORS = ['//', '**', '==', '!=', '>=', '<=', '+', '-', '/', '*', '%', '~', '[', ']', '(', ')', '{', '}', '>', '<', '=', '.', ':', '|', ',', ';']
const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' }

const TAG_START = /\{([{%#])([-+]?)/g
const RAW_BEGIN = /\{%([-+]?)\s*raw\s*(-%\}\s*|%\})/y
const WHITESPACE = /\s+/y
const FLOAT = /(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?e[+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/iy
const INTEGER = /0b(?:_?[01])+|0o(?:_?[0-7])+|0x(?:_?[\da-f])+|[1-9](?:_?\d)*|0(?:_?0)*/iy
const NAME = /[\p{ID_Start}_][\p{ID_Continue}]*/uy
const STRING = /'([^'\\]*(?:\\.[^'\\]*)*)'|"([^"\\]*(?:\\.[^"\\]*)*)"/sy

/** Python's unicode-escape decoding of a string literal's body. */
export function pyUnescape(s: string): string {
  if (!s.includes('\\')) return s
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|\n|[\s\S])/g, (m, e: string) => {
    switch (e[0]) {
      case '\n':
        return ''
      case '\\':
      case "'":
      case '"':
        return e
      case 'a':
        return '\x07'
      case 'b':
        return '\b'
      case 'f':
        return '\f'
      case 'n':
        return '\n'
      case 'r':
        return '\r'
      case 't':
        return '\t'
      case 'v':
        return '\v'
      case 'x':
      case 'u':
      case 'U':
        if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16))
        throw new Error(`truncated \\${e[0]} escape`)
      case 'N':
        throw new Error('\\N{...} escapes are not supported')
    }
    if (/^[0-7]/.test(e)) return String.fromCodePoint(parseInt(e, 8))
    return m // unknown escapes stay as written
  })
}

function parseNumber(text: string, float: boolean): number {
  const s = text.replace(/_/g, '')
  if (float) return Number(s)
  if (/^0[box]/i.test(s)) return parseInt(s.slice(2), s.charAt(1).toLowerCase() === 'b' ? 2 : s.charAt(1).toLowerCase() === 'o' ? 8 : 16)
  return Number(s)
}

/** Splits a template source into tokens. */
export function tokenize(input: string, opts: LexOptions): Token[] {
  // newlines are normalized to \n and one trailing newline is dropped, as Jinja does
  let src = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input
  if (src.endsWith('\n') && !opts.keepTrailingNewline) src = src.slice(0, -1)
  const tokens: Token[] = []
  let pos = 0
  let line = 1
  let lineStarting = true
  const countLines = (s: string) => {
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) line++
  }
  const pushData = (text: string) => {
    if (text) tokens.push({ type: 'data', value: text, line })
    countLines(text)
  }
  /** The text before a tag, with `{%-` (strip all) or lstrip_blocks applied. */
  const leading = (text: string, sign: string, isVariable: boolean): string => {
    if (sign === '-') return text.replace(/\s+$/, '')
    if (sign !== '+' && opts.lstripBlocks && !isVariable) {
      const l = text.lastIndexOf('\n') + 1
      if ((l > 0 || lineStarting) && /^\s+$/.test(text.slice(l))) return text.slice(0, l)
    }
    return text
  }
  const blockSuffix = opts.trimBlocks ? '\\n?' : ''
  const blockEnd = new RegExp(`\\+%\\}|-%\\}\\s*|%\\}${blockSuffix}`, 'y')
  const variableEnd = /-\}\}\s*|\}\}/y
  const commentEnd = new RegExp(`([\\s\\S]*?)(\\+#\\}|-#\\}\\s*|#\\}${blockSuffix})`, 'y')
  const rawEnd = new RegExp(`([\\s\\S]*?)\\{%([-+]?)\\s*endraw\\s*(?:\\+%\\}|-%\\}\\s*|%\\}${blockSuffix})`, 'y')

  while (pos < src.length) {
    TAG_START.lastIndex = pos
    const m = TAG_START.exec(src)
    if (!m) {
      pushData(src.slice(pos))
      break
    }
    const kind = m[1]! // the regex groups used below are not optional
    const text = src.slice(pos, m.index)
    RAW_BEGIN.lastIndex = m.index
    const raw = kind === '%' ? RAW_BEGIN.exec(src) : null
    if (raw) {
      pushData(leading(text, raw[1]!, false))
      countLines(raw[0])
      rawEnd.lastIndex = RAW_BEGIN.lastIndex
      const r = rawEnd.exec(src)
      if (!r) throw syntaxError('Missing end of raw directive', line)
      pushData(leading(r[1]!, r[2]!, false))
      countLines(r[0].slice(r[1]!.length))
      pos = rawEnd.lastIndex
      lineStarting = src[pos - 1] === '\n'
      continue
    }
    pushData(leading(text, m[2]!, kind === '{'))
    pos = m.index + m[0].length
    if (kind === '#') {
      commentEnd.lastIndex = pos
      const c = commentEnd.exec(src)
      if (!c) throw syntaxError('Missing end of comment tag', line)
      countLines(c[0])
      pos = commentEnd.lastIndex
      lineStarting = src[pos - 1] === '\n'
      continue
    }
    const isVar = kind === '{'
    tokens.push({ type: isVar ? 'variable_begin' : 'block_begin', value: m[0], line })
    pos = lexTag(isVar ? variableEnd : blockEnd, isVar)
    lineStarting = src[pos - 1] === '\n'
  }
  tokens.push({ type: 'eof', value: '', line })
  return tokens

  /** The tokens of one tag, up to and including its end; returns the position after it. */
  function lexTag(end: RegExp, isVar: boolean): number {
    const stack: string[] = []
    const startLine = line
    for (;;) {
      if (pos >= src.length) throw syntaxError(`unexpected end of template, expected '${isVar ? '}}' : '%}'}'`, startLine)
      if (stack.length === 0) {
        end.lastIndex = pos
        const e = end.exec(src)
        if (e) {
          tokens.push({ type: isVar ? 'variable_end' : 'block_end', value: e[0], line })
          countLines(e[0])
          return end.lastIndex
        }
      }
      const ws = match(WHITESPACE)
      if (ws) {
        countLines(ws)
        continue
      }
      const prevDot = src[pos - 1] === '.'
      const f = prevDot ? undefined : match(FLOAT)
      if (f) {
        tokens.push({ type: 'float', value: parseNumber(f, true), line })
        continue
      }
      const i = match(INTEGER)
      if (i) {
        tokens.push({ type: 'integer', value: parseNumber(i, false), line })
        continue
      }
      const n = match(NAME)
      if (n) {
        tokens.push({ type: 'name', value: n, line })
        continue
      }
      STRING.lastIndex = pos
      const s = STRING.exec(src)
      if (s) {
        const body = (s[1] ?? s[2])! // exactly one of the two quote styles matched
        let value: string
        try {
          value = isVar && opts.rawStringsInVariables ? body : pyUnescape(body)
        } catch (e) {
          throw syntaxError((e as Error).message, line)
        }
        tokens.push({ type: 'string', value, line })
        countLines(s[0])
        pos = STRING.lastIndex
        continue
      }
      const op = OPERATORS.find((o) => src.startsWith(o, pos))
      if (!op) throw syntaxError(`unexpected char ${JSON.stringify(src[pos])} at ${pos}`, line)
      if (CLOSERS[op]) stack.push(CLOSERS[op])
      else if (op === ')' || op === ']' || op === '}') {
        const want = stack.pop()
        if (!want) throw syntaxError(`unexpected '${op}'`, line)
        if (want !== op) throw syntaxError(`unexpected '${op}', expected '${want}'`, line)
      }
      tokens.push({ type: 'operator', value: op, line })
      pos += op.length
    }
  }

  function match(re: RegExp): string | undefined {
    re.lastIndex = pos
    const r = re.exec(src)
    if (!r) return undefined
    pos = re.lastIndex
    return r[0]
  }
}
