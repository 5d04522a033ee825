/**
 * Ansible's inline `k=v k2="v 2"` task arguments. For free-form modules (command, shell) only the
 * module's own option keys are taken out; the rest of the text, with its original spacing and
 * newlines, is the free-form part (a `shell: |` script must keep its lines).
 */

interface Token {
  text: string
  start: number
  end: number
}

/** Splits on whitespace outside quotes and Jinja `{{ }}` / `{% %}` / `{# #}` blocks. */
export function splitArgs(text: string): Token[] {
  const out: Token[] = []
  let start = -1
  let quote: string | null = null
  let depth = 0
  const flush = (end: number) => {
    if (start >= 0) out.push({ text: text.slice(start, end), start, end })
    start = -1
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    const two = text.slice(i, i + 2)
    // a quote not after a backslash opens or closes, anywhere in a word, as Ansible's split_args
    // reads it: `cut -d" " -f2` is three words, and `echo don't` is an unclosed quote there too
    const quoteChar = (c === '"' || c === "'") && text[i - 1] !== '\\'
    if (quote) {
      if (quoteChar && c === quote) quote = null
      continue
    }
    if (two === '{{' || two === '{%' || two === '{#') {
      if (start < 0) start = i
      depth++
      i++
      continue
    }
    if (depth > 0) {
      if (two === '}}' || two === '%}' || two === '#}') {
        depth--
        i++
      }
      continue
    }
    if (/\s/.test(c)) {
      flush(i)
      continue
    }
    if (start < 0) start = i
    if (quoteChar) quote = c
  }
  if (quote) throw new Error(`unbalanced ${quote} quote in arguments: ${text}`)
  if (depth > 0) throw new Error(`unbalanced Jinja braces in arguments: ${text}`)
  flush(text.length)
  return out
}

/** Ansible's unquote: the surrounding quotes of a quoted value off (one ending in `\"` is not quoted). */
export function unquote(v: string): string {
  const q = v[0]
  return v.length >= 2 && (q === '"' || q === "'") && v.endsWith(q) && v.at(-2) !== '\\' ? v.slice(1, -1) : v
}

const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' }

/**
 * parse_kv's _decode_escapes, on each word before it is split at `=`: Python's `\n`, `\t`, `\"`, `\\`,
 * `\xHH`, `\uHHHH`, `\UHHHHHHHH` (so `content="a\n"` ends in a newline); others stay as written.
 */
export function decodeEscapes(v: string): string {
  if (!v.includes('\\')) return v
  return v.replace(/\\(U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\\'"abfnrtv])/g, (m, e: string) => {
    if (e.length === 1) return ESCAPES[e]!
    const code = parseInt(e.slice(1), 16)
    return code <= 0x10ffff ? String.fromCodePoint(code) : m
  })
}

export interface KvArgs {
  args: Record<string, string>
  /** the text that is not `k=v`, trimmed ('' when none) */
  freeForm: string
}

/** Parses `k=v` pairs; with `onlyKeys`, other `a=b` words stay in the free-form text (`echo FOO=1`). */
export function parseKv(text: string, onlyKeys?: ReadonlySet<string>): KvArgs {
  const args: Record<string, string> = {}
  let freeForm = ''
  let last = 0
  for (const t of splitArgs(text)) {
    const m = /^([A-Za-z_][\w]*)=([\s\S]*)$/.exec(decodeEscapes(t.text))
    if (!m || (onlyKeys && !onlyKeys.has(m[1]!))) continue
    args[m[1]!] = unquote(m[2]!.trim())
    freeForm += text.slice(last, t.start)
    last = t.end
  }
  freeForm += text.slice(last)
  return { args, freeForm: freeForm.trim() }
}
