/**
 * Known secret values of a run; every reporter passes text through `mask` before printing.
 *
 * A secret reaches output in more shapes than its own: shell-quoted in a command's summary,
 * JSON-escaped in --json and the reports, percent-encoded in a DSN, base64-encoded (alone or inside
 * a longer encoded text), and, once rotated, as the old value a host still holds. `add` registers
 * every such form (secretForms); the old value of a rotated secret is found in diffs (report/mask-diff.ts).
 */
export const MASK = '********'

/** Shorter strings are not masked: they would blank out ordinary text. */
const MIN_LENGTH = 3
/**
 * Switch words are no secret either, though a variable named like one may hold them (nginx's
 * `nginx_server_tokens: "off"`): masking them blanked every `off` of a config in diffs.
 */
const SWITCH_WORDS = new Set(['yes', 'no', 'on', 'off', 'true', 'false', 'none', 'null'])

export class Masker {
  private secrets = new Set<string>()
  private values = new Set<string>()
  private sorted?: string[]
  /** base64 inside a longer encoding: the quartets on either side hold bits of the secret too */
  private embedded: RegExp[] = []

  /** Registers a secret and the forms it may appear in; of a list or mapping, every value in it (copy's JSON content). */
  add(value: unknown): void {
    if (Array.isArray(value) || (value && typeof value === 'object' && !Buffer.isBuffer(value))) {
      for (const v of Object.values(value)) this.add(v)
      return
    }
    if (typeof value !== 'string' && typeof value !== 'number') return
    const s = String(value)
    if (s.length < MIN_LENGTH || SWITCH_WORDS.has(s.toLowerCase()) || this.secrets.has(s)) return
    this.secrets.add(s)
    for (const f of secretForms(s)) if (f.length >= MIN_LENGTH) this.values.add(f)
    for (const core of base64Cores(s)) this.embedded.push(new RegExp(`${B64}{0,4}${escapeRe(core)}${B64}{0,4}={0,2}`, 'g'))
    this.sorted = undefined
  }

  mask(text: string): string {
    this.sorted ??= [...this.values].sort((a, b) => b.length - a.length)
    let out = text
    for (const re of this.embedded) out = out.replace(re, MASK)
    for (const v of this.sorted) if (out.includes(v)) out = out.split(v).join(MASK)
    return out
  }

  /**
   * A JSON-able value with every string masked: copied where something was masked, the same
   * objects where nothing was (most results hold no secret; copying them all was 3% of a fleet run).
   */
  maskDeep<T>(value: T): T {
    if (typeof value === 'string') return this.mask(value) as T
    if (Array.isArray(value)) {
      let out: unknown[] | undefined
      for (let i = 0; i < value.length; i++) {
        const m = this.maskDeep(value[i])
        if (m === value[i]) continue
        out ??= value.slice()
        out[i] = m
      }
      return (out ?? value) as T
    }
    if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
      let out: Record<string, unknown> | undefined
      for (const k in value) {
        if (!Object.hasOwn(value, k)) continue
        const v = (value as Record<string, unknown>)[k]
        const m = this.maskDeep(v)
        if (m === v) continue
        out ??= { ...(value as Record<string, unknown>) }
        out[k] = m
      }
      return (out ?? value) as T
    }
    return value
  }
}

/** Every form of `s` the masker looks for; each also JSON-escaped (--json, reports) once and twice. */
export function secretForms(s: string): string[] {
  const plain = [s, ...shellForms(s), ...percentForms(s)]
  const json = plain.flatMap((f) => [jsonEscape(f), jsonEscape(jsonEscape(f)), jsonEscapeAscii(f)])
  return [...new Set([...plain, ...json, ...base64Forms(s)])]
}

/** The value inside the quotings people and tools write: quote.ts's '\'' , Python's shlex '"'"', "...", and \-escapes (bash printf %q). */
export function shellForms(s: string): string[] {
  return [s.replace(/'/g, `'\\''`), s.replace(/'/g, `'"'"'`), s.replace(/[\\"$`]/g, '\\$&'), backslashEscaped(s)]
}

/** bash's printf %q (sh_backslash_quote): metacharacters escaped, `#` and `~` only where they would start a word. */
function backslashEscaped(s: string): string {
  return s.replace(/[ \t'"\\|&;()<>!{}*[\]?^$`,]|^[#~]|(?<=[=:])~/g, '\\$&')
}

/** encodeURIComponent, encodeURI, RFC 3986 user-info (everything reserved), Python's quote (safe='/') and quote_plus. */
export function percentForms(s: string): string[] {
  const forms = [encodeURIComponent(s), encodeUserInfo(s), percentEncode(s, '/'), percentEncode(s, '', true), percentEncode(s, '/', true)]
  try {
    forms.push(encodeURI(s))
  } catch {
    // a lone surrogate: encodeURIComponent would have thrown too, only the byte-wise forms apply
  }
  return forms
}

const B64 = '[A-Za-z0-9+/_-]'
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/** base64 and base64url of the value. */
export function base64Forms(s: string): string[] {
  const bytes = Buffer.from(s, 'utf8')
  return [bytes.toString('base64'), bytes.toString('base64url'), ...base64Cores(s)]
}

/**
 * The value inside a longer base64 text (`user:PASSWORD` encoded): at each of the 3 byte alignments,
 * the part of the encoding that only the secret's bytes decide (the masker also takes a quartet on
 * either side, which mixes the secret's first and last bytes with its neighbours').
 */
export function base64Cores(s: string): string[] {
  const bytes = Buffer.from(s, 'utf8')
  const out: string[] = []
  for (let lead = 0; lead < 3; lead++) {
    const body = bytes.subarray(lead)
    const whole = body.subarray(0, body.length - (body.length % 3))
    if (whole.length >= 3) out.push(whole.toString('base64'), whole.toString('base64url'))
  }
  return [...new Set(out)]
}

const jsonEscape = (s: string) => JSON.stringify(s).slice(1, -1)
/** Python's json.dumps (ensure_ascii): non-ASCII as \uXXXX. */
const jsonEscapeAscii = (s: string) => jsonEscape(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** Percent-encodes every byte outside unreserved and `safe`; `plus`: a space is '+' (Python's quote_plus). */
function percentEncode(s: string, safe: string, plus = false): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b)
      if (/[A-Za-z0-9\-._~]/.test(c) || (b < 128 && safe.includes(c))) return c
      if (plus && c === ' ') return '+'
      return `%${b.toString(16).toUpperCase().padStart(2, '0')}`
    })
    .join('')
}

/** Percent-encodes every character outside RFC 3986 "unreserved" (for the user-info part of a URL). */
export function encodeUserInfo(s: string): string {
  return percentEncode(s, '')
}
