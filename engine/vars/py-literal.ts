/**
 * Python's ast.literal_eval for the places Ansible uses it (INI inventory values, a template's
 * `#jinja2:` overrides): numbers, strings, True/False/None, lists, tuples, dicts, sets.
 * Throws when the text is no literal.
 */
export const pyLiteral = (text: string): unknown => new PyLiteral(text).parseAll()

const DIGITS = String.raw`\d(?:_?\d)*`
const NUMBER = new RegExp(
  `^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|` + String.raw`(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?)`,
)

class PyLiteral {
  private i = 0
  constructor(private readonly s: string) {}

  parseAll(): unknown {
    const v = this.value()
    this.skip()
    if (this.i < this.s.length) throw new Error('trailing text')
    return v
  }

  /** whitespace and `# comments` are ignored between tokens, as Python's tokenizer does */
  private skip(): void {
    for (;;) {
      while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++
      if (this.s[this.i] !== '#') return
      while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++
    }
  }

  private value(): unknown {
    this.skip()
    const c = this.s[this.i]
    if (c === '[') return this.seq(']')
    if (c === '(') return this.seq(')')
    if (c === '{') return this.mapOrSet()
    if (c === '-' || c === '+') {
      this.i++
      this.skip()
      const n = this.number()
      return c === '-' ? -n : n
    }
    const str = /^[rRuUbB]{0,2}['"]/.exec(this.s.slice(this.i))
    if (str) {
      let out = ''
      // adjacent literals concatenate: 'a' "b" is 'ab'
      while (/^[rRuUbB]{0,2}['"]/.test(this.s.slice(this.i))) {
        out += this.string()
        this.skip()
      }
      return out
    }
    const word = /^[A-Za-z_]\w*/.exec(this.s.slice(this.i))?.[0]
    if (word) {
      this.i += word.length
      if (word === 'True') return true
      if (word === 'False') return false
      if (word === 'None') return null
      throw new Error(`not a literal: ${word}`)
    }
    return this.number()
  }

  private number(): number {
    const m = NUMBER.exec(this.s.slice(this.i))?.[0]
    if (!m) throw new Error('not a number')
    const t = m.replace(/_/g, '')
    // Python 3 rejects decimal integers with leading zeros (010); they stay strings
    if (/^0\d+$/.test(t) && /[1-9]/.test(t)) throw new Error('leading zero')
    // 10.0.0.1, 1j, 5abc: not a (supported) literal
    if (/^[\w.]/.test(this.s[this.i + m.length] ?? ' ')) throw new Error('not a number')
    this.i += m.length
    return Number(t)
  }

  private string(): string {
    const prefix = /^[rRuUbB]*/.exec(this.s.slice(this.i))![0]
    const raw = /r/i.test(prefix)
    this.i += prefix.length
    const q = this.s.startsWith(this.s[this.i]!.repeat(3), this.i) ? this.s[this.i]!.repeat(3) : this.s[this.i]!
    this.i += q.length
    let out = ''
    for (;;) {
      if (this.i >= this.s.length) throw new Error('unterminated string')
      if (this.s.startsWith(q, this.i)) {
        this.i += q.length
        return out
      }
      const c = this.s[this.i++]!
      if (c === '\n' && q.length === 1) throw new Error('newline in string')
      if (c !== '\\') {
        out += c
        continue
      }
      const e = this.s[this.i++] ?? ''
      if (raw) {
        out += `\\${e}`
        continue
      }
      out += this.escape(e)
    }
  }

  private escape(e: string): string {
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '' }
    if (e in simple) return simple[e]!
    const hex = (len: number) => {
      const h = this.s.slice(this.i, this.i + len)
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) throw new Error('bad escape')
      this.i += len
      return String.fromCodePoint(parseInt(h, 16))
    }
    if (e === 'x') return hex(2)
    if (e === 'u') return hex(4)
    if (e === 'U') return hex(8)
    if (/[0-7]/.test(e)) {
      const oct = e + /^[0-7]{0,2}/.exec(this.s.slice(this.i))![0]
      this.i += oct.length - 1
      return String.fromCodePoint(parseInt(oct, 8))
    }
    return `\\${e}` // Python keeps unknown escapes as written
  }

  private seq(close: string): unknown {
    this.i++
    const out: unknown[] = []
    let commas = 0
    for (;;) {
      this.skip()
      if (this.s[this.i] === close) {
        this.i++
        // (x) is x, not a tuple; (x,) and [x] are sequences
        if (close === ')' && out.length === 1 && commas === 0) return out[0]
        return out
      }
      if (out.length > commas) throw new Error('expected a comma')
      out.push(this.value())
      this.skip()
      if (this.s[this.i] === ',') {
        this.i++
        commas++
      }
    }
  }

  private mapOrSet(): unknown {
    this.i++
    this.skip()
    if (this.s[this.i] === '}') {
      this.i++
      return {}
    }
    const first = this.value()
    this.skip()
    if (this.s[this.i] !== ':') {
      // a set: Ansible hands it on as a list
      const items = [first]
      while (this.s[this.i] === ',') {
        this.i++
        this.skip()
        if (this.s[this.i] === '}') break
        items.push(this.value())
        this.skip()
      }
      if (this.s[this.i++] !== '}') throw new Error('bad set')
      return items
    }
    const out: Record<string, unknown> = {}
    let key: unknown = first
    for (;;) {
      if (this.s[this.i++] !== ':') throw new Error('expected a colon')
      out[pyKey(key)] = this.value()
      this.skip()
      const c = this.s[this.i++]
      if (c === '}') return out
      if (c !== ',') throw new Error('expected a comma')
      this.skip()
      if (this.s[this.i] === '}') {
        this.i++
        return out
      }
      key = this.value()
      this.skip()
    }
  }
}

/** Python's str() of a dict key */
function pyKey(k: unknown): string {
  if (k === true) return 'True'
  if (k === false) return 'False'
  if (k === null) return 'None'
  if (typeof k === 'object') throw new Error('unhashable key')
  return String(k)
}
